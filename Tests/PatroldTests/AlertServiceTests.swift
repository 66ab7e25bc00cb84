import Foundation
import PatrolAlerts
import PatrolConfig
import PatrolDaemon
import PatrolMail
import PatrolProbe
import PatrolSettings
import PatrolStore
import PatrolTestSupport
import Synchronization
import Testing

/// The alert service in process on a virtual clock, on real parts: a real store written by the
/// real writer, the real msmtp delivering to a real SMTP server, and a webhook receiver that
/// checks each post's signature.
@Suite("patrold's alerts: the rules over the store, mail through msmtp, the webhook")
struct AlertServiceTests {
    static let t0 = Date(timeIntervalSince1970: 1_794_999_960)

    let daemon: DaemonFolder
    let clock = VirtualClock(AlertServiceTests.t0)

    init() throws {
        daemon = try DaemonFolder()
        try daemon.importCameras([1, 2, 3], port: 554, since: Self.t0.addingTimeInterval(-86_400))
    }

    func configuration(webhook: String? = nil, via: String = "[mail]", stormWindow: Int = 0) throws -> Configuration {
        try daemon.writeConfiguration(extra: """
            alerts:
              groups:
                duty_desk: ["值班室 <duty@district.example>", ops@district.example]
            \(webhook.map { "  webhook: {url: \"\($0)\", secret_env: PATROL_WEBHOOK_SECRET}" } ?? "")
              rules:
                - name: cameras-down
                  on: camera
                  after: 30
                  to: [duty_desk]
                  via: \(via)
                  remind_every: 3600
              storm_window: \(stormWindow)
            """)
    }

    func service(_ configuration: Configuration, home: MailHome? = nil, secret: String = "",
                 health: @escaping @Sendable () -> [HealthCheck: String] = { [:] }) -> AlertService {
        AlertService(store: daemon.store, configuration: { configuration }, health: health, now: { [clock] in clock.now },
                     sendmail: { settings in home?.sendmail() ?? Sendmail(path: "/nonexistent/sendmail") },
                     environment: ["PATROL_WEBHOOK_SECRET": secret])
    }

    func advance(to seconds: Double) { clock.set(Self.t0.addingTimeInterval(seconds)) }

    /// `camera` fails from `seconds` on: three probes timing out ten seconds apart make it down,
    /// declared at the third (the state_event's time, from which a rule's debounce counts).
    func failing(_ camera: String, from seconds: Double) throws {
        try daemon.store.write((0..<3).map { (cameraID: camera, result: probeResult(.timeout, at: Self.t0.addingTimeInterval(seconds + Double($0) * 10))) })
    }

    func online(_ camera: String, from seconds: Double) throws {
        // Each probe a picture of its own: two alike would be a frozen camera.
        try daemon.store.write((0..<2).map {
            (cameraID: camera, result: probeResult(.online, at: Self.t0.addingTimeInterval(seconds + Double($0) * 10), fingerprint: UInt8(truncatingIfNeeded: Int(seconds) + $0)))
        })
    }

    @Test("a camera down alerts the duty desk by mail through msmtp once it has lasted its debounce, and its return sends the resolution")
    func mail() async throws {
        let receiver = try Receiver()
        let home = try MailHome()
        try home.use(port: receiver.port)
        let service = service(try configuration(), home: home)
        try online("C2", from: -100)
        let first = try #require(await service.passNow())
        #expect(first.notices.isEmpty && first.problem == nil)

        try failing("C2", from: 0)
        advance(to: 45)
        let early = try #require(await service.passNow())
        #expect(early.notices.isEmpty, "down (since 20 s) for 25 s of a 30 s debounce: nothing yet")
        advance(to: 51)
        let open = try #require(await service.passNow())
        #expect(open.notices.map(\.kind) == [.open])
        #expect(open.sent.count == 2 && open.failed.isEmpty)
        let received = try receiver.received()
        #expect(Set(received.flatMap(\.recipients)) == ["duty@district.example", "ops@district.example"])
        let parsed = try Self.parse(try #require(received.first).message)
        let subject = try #require(parsed["subject"] as? String)
        #expect(subject.hasPrefix("【告警】摄像机 C2 故障（超时") && subject.contains("平安宾馆"), "\(subject)")
        let text = try #require(parsed["text"] as? String)
        #expect(text.contains("patrol-A1-open"), "\(text)")

        try online("C2", from: 100)
        advance(to: 120)
        let resolved = try #require(await service.passNow())
        #expect(resolved.notices.map(\.kind) == [.resolve])
        #expect(resolved.sent.count == 2)
        let again = try #require(await service.passNow())
        #expect(again.notices.isEmpty && again.sent.isEmpty)
        let subjects = try receiver.received().map { try Self.parse($0.message)["subject"] as? String ?? "" }
        #expect(subjects.count == 4 && subjects[2].hasPrefix("【恢复】摄像机 C2 已恢复"), "\(subjects)")
        let overview = try daemon.store.alertOverview()
        #expect(overview.open.isEmpty && overview.waiting.isEmpty && overview.recent.map(\.kind) == ["resolve", "open"])
    }

    @Test("a storm: 300 cameras down within a minute go to each desk as one summary mail, and their return as one resolution")
    func storm() async throws {
        let receiver = try Receiver()
        let home = try MailHome()
        try home.use(port: receiver.port)
        try daemon.importCameras(Array(1...300), port: 554, since: Self.t0.addingTimeInterval(-86_400))
        let cameras = (1...300).map { "C\($0)" }
        for camera in cameras { try online(camera, from: -100) }
        let service = service(try configuration(stormWindow: 60), home: home)
        _ = try #require(await service.passNow())

        // A power cut walking across the district: a camera every 0.15 s, down 20 s later each.
        for (index, camera) in cameras.enumerated() { try failing(camera, from: Double(index) * 0.15) }
        for seconds in [51.0, 80, 109] {
            advance(to: seconds)
            let pass = try #require(await service.passNow())
            #expect(pass.notices.isEmpty, "at \(seconds) s the storm's window (from 50 s, 60 s long) is still open")
        }
        advance(to: 111)
        let open = try #require(await service.passNow())
        let summary = try #require(open.notices.first)
        #expect(open.notices.count == 1 && summary.kind == .open && summary.summary && summary.total == 300 && summary.stillDown == 300)
        #expect(open.sent.count == 2 && open.failed.isEmpty, "one message to each of the desk's two addresses")
        let mails = try receiver.received()
        #expect(mails.count == 2)
        let first = try #require(mails.first)
        let subject = try #require(try Self.parse(first.message)["subject"] as? String)
        #expect(subject.contains("300"), "\(subject)")

        for camera in cameras { try online(camera, from: 200) }
        advance(to: 300)
        let back = try #require(await service.passNow())
        #expect(back.notices.map(\.kind) == [.resolve] && back.notices.first?.total == 300)
        #expect(try receiver.received().count == 4)
        #expect(try daemon.store.alertOverview().open.isEmpty)
    }

    @Test("a webhook answering 500, then 200, gets the alert once, signed, with its event id; the failure is kept meanwhile")
    func webhookRetry() async throws {
        let receiver = try WebhookReceiver(failures: 1)
        let service = service(try configuration(webhook: receiver.url, via: "[webhook]"), secret: receiver.secret)
        try online("C2", from: -100)
        _ = await service.passNow()
        try failing("C2", from: 0)
        advance(to: 60)
        let failed = try #require(await service.passNow())
        #expect(failed.notices.map(\.kind) == [.open] && failed.sent.isEmpty && failed.failed.count == 1)
        let waiting = try #require(try daemon.store.alertOverview().waiting.first)
        #expect(waiting.lastError?.contains("HTTP 500") == true, "\(String(describing: waiting.lastError))")
        #expect(waiting.nextAttemptAt == Self.t0.addingTimeInterval(70) && waiting.attempts == 1)

        advance(to: 65)
        let notYet = try #require(await service.passNow())
        #expect(notYet.sent.isEmpty && notYet.failed.isEmpty, "the retry waits its 10 s")
        advance(to: 70)
        let retried = try #require(await service.passNow())
        #expect(retried.sent.count == 1 && retried.failed.isEmpty)
        advance(to: 80)
        let quiet = try #require(await service.passNow())
        #expect(quiet.sent.isEmpty && quiet.failed.isEmpty)

        let bodies = try receiver.received()
        let failedBodies = try receiver.failed().count, rejected = try receiver.rejected()
        #expect(bodies.count == 1 && failedBodies == 1 && rejected == 0 && receiver.repeats() == 0)
        let body = try #require(bodies.first)
        #expect(body["event_id"] as? String == "patrol-A1-open" && body["kind"] as? String == "open")
        let subject = try #require((body["subjects"] as? [[String: Any]])?.first)
        #expect(subject["subject"] as? String == "C2" && subject["detail"] as? String == "timeout" && subject["venue_id"] as? String == "V1")
        #expect(body["groups"] as? [String] == ["duty_desk"])
        #expect(try daemon.store.alertOverview().waiting.isEmpty)
    }

    @Test("a dead webhook keeps the alert queued with its error, tried again with backoff; a wrong secret is refused by the receiver")
    func webhookDead() async throws {
        let receiver = try WebhookReceiver()
        let service = service(try configuration(webhook: "http://127.0.0.1:\(receiver.deadPort)/patrol", via: "[webhook]"),
                              secret: receiver.secret)
        try online("C2", from: -100)
        _ = await service.passNow()
        try failing("C2", from: 0)
        advance(to: 60)
        _ = await service.passNow()
        advance(to: 70)
        let second = try #require(await service.passNow())
        #expect(second.failed.count == 1)
        let waiting = try daemon.store.alertOverview().waiting
        #expect(waiting.count == 1 && waiting[0].attempts == 2 && waiting[0].sentAt == nil)
        #expect(waiting[0].lastError?.contains("refused") == true, "\(String(describing: waiting[0].lastError))")
        // 10 s after the first failure, 20 after the second.
        #expect(waiting[0].nextAttemptAt == Self.t0.addingTimeInterval(90))

        // Signed with another secret, the receiver refuses it: a failure, kept, never a loss.
        let wrong = self.service(try configuration(webhook: receiver.url, via: "[webhook]"), secret: "not the secret")
        advance(to: 90)
        let refused = try #require(await wrong.passNow())
        let rejected = try receiver.rejected()
        #expect(refused.failed.count == 1 && rejected == 1)
        #expect(try daemon.store.alertOverview().waiting.first?.lastError?.contains("HTTP 401") == true)
    }

    @Test("Patrol's own health: no probe for twice the longest backoff alerts, and so does a stalled writer; both resolve")
    func health() async throws {
        let receiver = try WebhookReceiver()
        let configuration = try daemon.writeConfiguration(extra: """
            alerts:
              webhook: {url: "\(receiver.url)", secret_env: PATROL_WEBHOOK_SECRET}
              rules:
                - {name: patrol-itself, on: health, via: [webhook]}
              storm_window: 0
            """)
        let stalled = Mutex<String?>(nil)
        let service = service(configuration, secret: receiver.secret, health: {
            stalled.withLock { $0 }.map { [.writerStalled: $0] } ?? [:]
        })
        try online("C1", from: -100)
        #expect(try #require(await service.passNow()).notices.isEmpty)
        // The schedule's longest backoff is 600 s: stale after 1,200 s without a probe, counted
        // from the service's start when that came later than the last probe.
        advance(to: 1199)
        #expect(try #require(await service.passNow()).notices.isEmpty)
        advance(to: 1201)
        let overdue = try #require(await service.passNow())
        #expect(overdue.notices.map(\.eventID) == ["patrol-A1-open"] && overdue.notices.first?.members.first?.subject == "sweep_overdue")
        #expect(overdue.sent.count == 1)
        stalled.withLock { $0 = "store writer wedged: nothing written for 130 s, 12 results waiting" }
        try online("C1", from: 1300)
        advance(to: 1320)
        let pass = try #require(await service.passNow())
        #expect(pass.notices.map(\.eventID) == ["patrol-A2-open", "patrol-A1-resolve"], "\(pass.notices.map(\.eventID))")
        stalled.withLock { $0 = nil }
        advance(to: 1330)
        #expect(try #require(await service.passNow()).notices.map(\.eventID) == ["patrol-A2-resolve"])
        let bodies = try receiver.received()
        #expect(bodies.compactMap { ($0["subjects"] as? [[String: Any]])?.first?["subject"] as? String }
                == ["sweep_overdue", "writer_stalled", "sweep_overdue", "writer_stalled"])
        #expect((bodies[1]["title"] as? String)?.contains("写入停滞") == true, "\(bodies[1])")
    }

    /// What Python's email package reads in `message`: the decoded subject and text.
    static func parse(_ message: Data) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", """
            import email, email.policy, json, sys
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
            print(json.dumps({"subject": m["subject"], "to": [a.addr_spec for a in m["to"].addresses],
                              "text": m.get_body(("plain",)).get_content()}))
            """]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(message)
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}

/// A clock the test moves.
final class VirtualClock: Sendable {
    private let time: Mutex<Date>

    init(_ start: Date) { time = Mutex(start) }

    var now: Date { time.withLock { $0 } }

    func set(_ date: Date) { time.withLock { $0 = date } }
}
