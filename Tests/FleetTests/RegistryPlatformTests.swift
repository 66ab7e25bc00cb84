import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PatrolTestSupport
import Testing

/// The sample registration platform (Samples/registry) as Patrol's adapter sees it: its answers
/// on the wire, read with URLSession, for each fault.
@Suite("The sample registration platform")
struct RegistryPlatformTests {
    static let systems = ["HTL-0001", "NET-0003", "YDT-0007", "HTL-0010"]
    static let refused = "上传被拒绝：数据校验失败"

    /// One status answer: the response, the body, and the body read as JSON when it is JSON.
    struct Answer {
        var response: HTTPURLResponse
        var body: Data
        var object: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }

        var generatedAt: Date {
            get throws { try time(try #require(object?["generated_at"] as? String)) }
        }

        /// The systems' entries by id.
        var systems: [String: [String: Any]] {
            get throws {
                let entries = try #require(object?["systems"] as? [[String: Any]])
                return Dictionary(uniqueKeysWithValues: entries.map { ($0["id"] as! String, $0) })
            }
        }
    }

    static func status(_ platform: RegistryPlatform, token: String? = nil, timeout: TimeInterval = 60) throws -> Answer {
        var request = URLRequest(url: platform.url, timeoutInterval: timeout)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (response, body) = try RegistryPlatform.fetch(request)
        return Answer(response: response, body: body)
    }

    static func time(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text), "not RFC 3339: \(text)")
    }

    /// When the platform says the fault of `system` was set (GET /control).
    static func since(_ platform: RegistryPlatform, _ system: String) throws -> Date {
        let (_, body) = try RegistryPlatform.fetch(URLRequest(url: platform.control))
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let faults = try #require(object["faults"] as? [String: [String: Any]])
        return try time(try #require(faults[system]?["since"] as? String))
    }

    /// A healthy entry as the contract describes it, at `now`.
    static func expectHealthy(_ entry: [String: Any], at now: Date) throws {
        #expect(entry["online"] as? Bool == true)
        let heartbeat = try time(try #require(entry["last_heartbeat"] as? String))
        #expect(heartbeat <= now && heartbeat >= now.addingTimeInterval(-50))
        let upload = try time(try #require(entry["last_upload"] as? String))
        #expect(upload <= now && upload >= now.addingTimeInterval(-40 * 60))
        #expect((entry["uploaded_today"] as? Int ?? 0) >= 1)
        #expect(entry["waiting"] as? Int == 0)
        #expect(entry["oldest_waiting"] is NSNull)
        #expect(entry["upload_errors"] as? Int == 0)
        #expect(entry["last_error"] is NSNull)
    }

    @Test("a healthy platform answers every system in JSON: online, a fresh heartbeat, uploads today, nothing waiting")
    func healthy() throws {
        let platform = try RegistryPlatform(systems: Self.systems)
        #expect(platform.systems == 4)
        let answer = try Self.status(platform)
        #expect(answer.response.statusCode == 200)
        #expect(answer.response.value(forHTTPHeaderField: "Content-Type") == "application/json; charset=utf-8")
        let object = try #require(answer.object)
        #expect(object["platform"] as? String == "城南区实名登记平台(样例)")
        let generated = try #require(object["generated_at"] as? String)
        #expect(generated.hasSuffix("+08:00") && generated.count == 25, "\(generated)")
        let entries = try #require(object["systems"] as? [[String: Any]])
        #expect(entries.map { $0["id"] as? String } == Self.systems)
        for entry in entries {
            #expect(Set(entry.keys) == ["id", "online", "last_heartbeat", "last_upload", "uploaded_today", "waiting",
                                        "oldest_waiting", "upload_errors", "last_error"])
            try Self.expectHealthy(entry, at: try answer.generatedAt)
        }
        // The same id, the same state: a second answer a moment later keeps each heartbeat's age.
        let again = try Self.status(platform)
        let first = try answer.systems["HTL-0001"]!, second = try again.systems["HTL-0001"]!
        let age = { (answer: Answer, entry: [String: Any]) in
            try answer.generatedAt.timeIntervalSince(try Self.time(entry["last_heartbeat"] as! String))
        }
        #expect(try age(answer, first) == age(again, second))
    }

    @Test("the sample district's venues give 310 systems: 110 HTL, 90 NET and 110 YDT, none for the 10 rentals without one")
    func district() throws {
        let platform = try RegistryPlatform()
        #expect(platform.systems == 310)
        let ids = try Self.status(platform).systems.keys
        #expect(ids.count == 310)
        #expect(ids.filter { $0.hasPrefix("HTL-") }.count == 110)
        #expect(ids.filter { $0.hasPrefix("NET-") }.count == 90)
        #expect(ids.filter { $0.hasPrefix("YDT-") }.count == 110)
        #expect(!ids.contains("YDT-0024") && ids.contains("YDT-0007"))
    }

    @Test("with a token the status needs Authorization: Bearer, else 401 with a JSON error; /control needs none")
    func token() throws {
        let platform = try RegistryPlatform(systems: Self.systems, token: "s3cret")
        let none = try Self.status(platform)
        #expect(none.response.statusCode == 401)
        #expect(none.object?["error"] as? String == "unauthorized")
        #expect(try Self.status(platform, token: "wrong").response.statusCode == 401)
        let right = try Self.status(platform, token: "s3cret")
        #expect(right.response.statusCode == 200)
        #expect(try right.systems.count == 4)
        try platform.set("HTL-0001", "offline")
        #expect(try platform.requests() == 3)
    }

    @Test("offline: not online, the heartbeat frozen SECONDS before the fault was set; its uploads stop there too")
    func offline() throws {
        let platform = try RegistryPlatform(systems: Self.systems)
        try platform.set("HTL-0001", "offline", seconds: 7200)
        try platform.set("NET-0003", "offline")
        let answer = try Self.status(platform)
        let systems = try answer.systems
        let since = try Self.since(platform, "HTL-0001")
        #expect(systems["HTL-0001"]?["online"] as? Bool == false)
        #expect(try Self.time(systems["HTL-0001"]?["last_heartbeat"] as! String) == since.addingTimeInterval(-7200))
        #expect(try Self.time(systems["HTL-0001"]?["last_upload"] as! String) <= since.addingTimeInterval(-7200))
        #expect(try Self.time(systems["NET-0003"]?["last_heartbeat"] as! String) == Self.since(platform, "NET-0003"))
        #expect(systems["NET-0003"]?["online"] as? Bool == false)
        try Self.expectHealthy(systems["YDT-0007"]!, at: try answer.generatedAt)

        try platform.set("HTL-0001", "healthy")
        let healed = try Self.status(platform)
        try Self.expectHealthy(try healed.systems["HTL-0001"]!, at: try healed.generatedAt)
    }

    @Test("stuck: online with a fresh heartbeat, uploads frozen, registrations waiting since SECONDS before the fault")
    func stuck() throws {
        let platform = try RegistryPlatform(systems: Self.systems)
        try platform.set("YDT-0007", "stuck", seconds: 3600)
        let answer = try Self.status(platform)
        let entry = try #require(try answer.systems["YDT-0007"])
        let oldest = try Self.since(platform, "YDT-0007").addingTimeInterval(-3600)
        #expect(entry["online"] as? Bool == true)
        #expect(try Self.time(entry["last_heartbeat"] as! String) >= answer.generatedAt.addingTimeInterval(-50))
        #expect(try Self.time(entry["oldest_waiting"] as! String) == oldest)
        #expect(try Self.time(entry["last_upload"] as! String) <= oldest)
        #expect((entry["waiting"] as? Int ?? 0) >= 13)  // one every 5 minutes of the hour, and the first
        #expect(entry["upload_errors"] as? Int == 0)
    }

    @Test("upload-errors: registrations waiting, refused uploads counted, the platform's reason in last_error")
    func uploadErrors() throws {
        let platform = try RegistryPlatform(systems: Self.systems)
        try platform.set("HTL-0010", "upload-errors", seconds: 600)
        let entry = try #require(try Self.status(platform).systems["HTL-0010"])
        #expect(entry["online"] as? Bool == true)
        #expect((entry["waiting"] as? Int ?? 0) >= 1)
        #expect(try Self.time(entry["oldest_waiting"] as! String) == Self.since(platform, "HTL-0010").addingTimeInterval(-600))
        #expect((entry["upload_errors"] as? Int ?? 0) >= 11)  // one a minute, and the first
        #expect(entry["last_error"] as? String == Self.refused)
    }

    @Test("quiet: online but nothing uploaded today; the last upload never (null), or SECONDS before the fault, before today")
    func quiet() throws {
        let platform = try RegistryPlatform(systems: Self.systems)
        try platform.set("HTL-0001", "quiet")
        try platform.set("NET-0003", "quiet", seconds: 100_000)
        let answer = try Self.status(platform)
        let systems = try answer.systems
        for id in ["HTL-0001", "NET-0003"] {
            #expect(systems[id]?["online"] as? Bool == true)
            #expect(systems[id]?["uploaded_today"] as? Int == 0)
        }
        #expect(systems["HTL-0001"]?["last_upload"] is NSNull)
        let generated = try #require(answer.object?["generated_at"] as? String)
        let lastUpload = try #require(systems["NET-0003"]?["last_upload"] as? String)
        #expect(try Self.time(lastUpload) == Self.since(platform, "NET-0003").addingTimeInterval(-100_000))
        #expect(lastUpload.prefix(10) < generated.prefix(10))  // the platform's own calendar day
    }

    @Test("missing leaves a system out; bad-field gives one entry \"waiting\": \"many\" in an otherwise good answer")
    func missingAndBadField() throws {
        let platform = try RegistryPlatform(systems: Self.systems)
        try platform.set("NET-0003", "missing")
        try platform.set("HTL-0010", "bad-field")
        let answer = try Self.status(platform)
        #expect(answer.response.statusCode == 200)
        let systems = try answer.systems
        #expect(Set(systems.keys) == ["HTL-0001", "YDT-0007", "HTL-0010"])
        #expect(systems["HTL-0010"]?["waiting"] as? String == "many")
        #expect(systems["HTL-0010"]?["online"] as? Bool == true)
        try Self.expectHealthy(systems["HTL-0001"]!, at: try answer.generatedAt)
    }

    @Test("an unknown system or fault is refused with 400 and a message; nothing changes")
    func refused() throws {
        let platform = try RegistryPlatform(systems: Self.systems)
        for order in [#"{"system": "HTL-9999", "fault": "offline"}"#, #"{"system": "HTL-0001", "fault": "asleep"}"#,
                      #"{"system": "*", "fault": "offline"}"#, #"{"system": "*", "fault": "clock-skew"}"#, "[]"] {
            var request = URLRequest(url: platform.control)
            request.httpMethod = "POST"
            request.httpBody = Data(order.utf8)
            let (response, body) = try RegistryPlatform.fetch(request)
            #expect(response.statusCode == 400, "\(order)")
            let object = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            #expect(object?["ok"] as? Bool == false && (object?["error"] as? String)?.isEmpty == false, "\(order)")
        }
        #expect(throws: RegistryPlatform.Failure.self) { try platform.set("HTL-9999", "offline") }
        #expect(try Self.status(platform).systems.count == 4)
    }

    @Test("http500 answers 500 with a short text; malformed answers 200 with a body that is not JSON; healthy clears them")
    func brokenAnswers() throws {
        let platform = try RegistryPlatform(systems: Self.systems)
        try platform.set("*", "http500")
        let failed = try Self.status(platform)
        #expect(failed.response.statusCode == 500)
        #expect(failed.response.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/plain") == true)
        #expect(!failed.body.isEmpty && failed.object == nil)

        try platform.set("*", "malformed")
        let malformed = try Self.status(platform)
        #expect(malformed.response.statusCode == 200)
        #expect(malformed.body.starts(with: Data(#"{"generated_at": "#.utf8)))
        #expect(throws: (any Error).self) { try JSONSerialization.jsonObject(with: malformed.body) }

        try platform.set("*", "healthy")
        #expect(try Self.status(platform).systems.count == 4)
    }

    @Test("truncated: the Content-Length promises more than is sent before the connection closes")
    func truncated() throws {
        let platform = try RegistryPlatform(systems: Self.systems)
        try platform.set("*", "truncated")
        #expect {
            _ = try Self.status(platform)
        } throws: { error in
            (error as NSError).domain == NSURLErrorDomain  // "transfer closed with N bytes remaining to read"
        }
        // On the wire: the header's length, and half of it.
        let (length, received) = try Self.rawGet(port: platform.port, path: platform.url.path)
        #expect(length > 0 && received > 0 && received < length)
    }

    /// One GET over a plain socket, read until the server closes: the Content-Length it announced
    /// and how many body bytes came.
    static func rawGet(port: Int, path: String) throws -> (length: Int, received: Int) {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        try #require(send(socket, request, request.count, 0) == request.count)
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        let separator = Array("\r\n\r\n".utf8)
        try #require(bytes.count >= 4)
        let end = try #require((0...(bytes.count - 4)).first { Array(bytes[$0..<$0 + 4]) == separator })
        let head = String(decoding: bytes[..<end], as: UTF8.self).lowercased()
        let line = try #require(head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") })
        let length = try #require(Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)))
        return (length, bytes.count - end - 4)
    }

    @Test("timeout: a request is held without an answer, the control endpoint still answers, and clearing the fault answers it")
    func timeout() throws {
        let platform = try RegistryPlatform(systems: Self.systems)
        try platform.set("*", "timeout")
        #expect {
            _ = try Self.status(platform, timeout: 1)
        } throws: { error in
            (error as? URLError)?.code == .timedOut
        }
        #expect(try platform.requests() == 1)

        // A patient client is held until the fault is cleared, then answered in full.
        final class Held: @unchecked Sendable {
            var answer: Result<Answer, any Error>?
            let done = DispatchSemaphore(value: 0)
        }
        let held = Held()
        Thread.detachNewThread {
            held.answer = Result { try Self.status(platform) }
            held.done.signal()
        }
        var polls = 0
        while try platform.requests() < 2 {  // it has arrived; GET /control answers meanwhile
            polls += 1
            try #require(polls < 10_000, "the held request never reached the platform")
        }
        let early = held.done.wait(timeout: .now())
        #expect(early == .timedOut)  // and is still unanswered
        try platform.set("*", "healthy")
        if early == .timedOut { held.done.wait() }
        let answer = try #require(try held.answer?.get())
        #expect(answer.response.statusCode == 200)
        #expect(try answer.systems.count == 4)
    }

    @Test("clock-skew: generated_at and every timestamp run SECONDS ahead, a fault's frozen heartbeat included")
    func clockSkew() throws {
        let platform = try RegistryPlatform(systems: Self.systems)
        try platform.set("HTL-0001", "offline", seconds: 600)
        let before = try Self.status(platform)
        try platform.set("*", "clock-skew", seconds: 300)
        let after = try Self.status(platform)
        #expect(try after.generatedAt.timeIntervalSince(before.generatedAt) >= 300)
        let frozen = { (answer: Answer) in try Self.time(try answer.systems["HTL-0001"]!["last_heartbeat"] as! String) }
        #expect(try frozen(after) == frozen(before).addingTimeInterval(300))
        try Self.expectHealthy(try after.systems["NET-0003"]!, at: try after.generatedAt)
        let (_, body) = try RegistryPlatform.fetch(URLRequest(url: platform.control))
        let faults = (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["faults"] as? [String: [String: Any]]
        #expect(faults?["*"]?["fault"] as? String == "clock-skew" && faults?["*"]?["seconds"] as? Int == 300)
    }

    @Test("the request counter counts status requests, answered or refused; reset clears it and every fault")
    func counterAndReset() throws {
        let platform = try RegistryPlatform(systems: Self.systems, token: "t")
        #expect(try platform.requests() == 0)
        try platform.set("*", "http500")
        try platform.set("HTL-0001", "missing")
        _ = try Self.status(platform, token: "t")
        _ = try Self.status(platform, token: "t")
        _ = try Self.status(platform)
        #expect(try platform.requests() == 3)
        try platform.reset()
        #expect(try platform.requests() == 0)
        let answer = try Self.status(platform, token: "t")
        #expect(answer.response.statusCode == 200)
        #expect(try answer.systems.count == 4)
        #expect(try platform.requests() == 1)
    }

    @Test("export writes one CSV snapshot atomically: the header, 1/0, empty cells for null, CRLF, in UTF-8 or GB18030")
    func export() throws {
        let folder = try temporaryFolder("registry-export")
        defer { try? FileManager.default.removeItem(at: folder) }
        let faults = folder.appendingPathComponent("faults.txt")
        try """
            # the demo's faults
            HTL-0001 offline 7200
            NET-0003 upload-errors 600   # refused since 15:55
            YDT-0007 missing
            * http500
            """.write(to: faults, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("drop")
        for encoding in ["utf-8", "gb18030"] {
            let file = try RegistryPlatform.export(to: out, systems: Self.systems, encoding: encoding, faults: faults,
                                                   at: "2026-12-02T16:05:00+08:00")
            #expect(file.lastPathComponent == "registration-20261202T160500.csv")
            let data = try Data(contentsOf: file)
            let text = try #require(encoding == "utf-8" ? String(data: data, encoding: .utf8)
                                                        : decodeGB18030(data))
            let lines = text.components(separatedBy: "\r\n")
            #expect(lines == lines.filter { !$0.contains("\n") })
            #expect(lines.first == "generated_at,id,online,last_heartbeat,last_upload,uploaded_today,waiting,oldest_waiting,upload_errors,last_error")
            #expect(lines.last == "")
            let rows = lines.dropFirst().dropLast().map { $0.components(separatedBy: ",") }
            #expect(rows.map { $0[1] } == ["HTL-0001", "NET-0003", "HTL-0010"])
            #expect(rows.allSatisfy { $0.count == 10 && $0[0] == "2026-12-02T16:05:00+08:00" })
            #expect(rows[0][2] == "0" && rows[0][3] == "2026-12-02T14:05:00+08:00" && rows[0][7] == "" && rows[0][9] == "")
            #expect(rows[1][2] == "1" && rows[1][7] == "2026-12-02T15:55:00+08:00" && rows[1][9] == Self.refused)
            #expect(Int(rows[1][8]) == 11)
            #expect(rows[2][2] == "1" && rows[2][6] == "0")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["registration-20261202T160500.csv"])
    }

    /// GB18030 text read back by the platform's own Python, which knows the codec.
    func decodeGB18030(_ data: Data) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().decode('gb18030').encode('utf-8'))"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: data)
        try input.fileHandleForWriting.close()
        let decoded = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(decoded != data)  // the Chinese reason is encoded differently
        return String(data: decoded, encoding: .utf8)
    }
}
