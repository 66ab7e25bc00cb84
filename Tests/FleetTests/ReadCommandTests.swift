import ArgumentParser
import Foundation
import PatrolFixtures
import PatrolTestSupport
import PatrolReport
import PatrolProbe
import PatrolStore
import Testing
@testable import patrol

/// A district of the sample fleet with 30 days of synthetic history, then swept for real by
/// `patrold --once`: what the read commands are tested against. Built once for the suite.
final class ReadFixture: Sendable {
    static let shared: Result<ReadFixture, Error> = Result { try ReadFixture() }
    static func get() throws -> ReadFixture { try shared.get() }

    static let secrets = ["Cam-Secret-77", "fleet-secret"]

    let folder: URL
    let config: String
    let database: String
    let sweepStarted: Date
    let history: SyntheticHistoryReport

    private init() throws {
        let fleet = try Fleet.get()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        config = folder.appendingPathComponent("patrol.yaml").path
        database = folder.appendingPathComponent("patrol.sqlite").path
        // One failed or good probe decides, so that one sweep sets every camera's status.
        try """
            database: patrol.sqlite
            credentials: credentials.sqlite
            probe:
              window: 4  # see Fleet.steadyProbe
            schedule:
              per_host_sessions: 64
            status:
              down_after_failures: 1
              up_after_successes: 1
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try """
            id,name,kind,tier,district,grid,address,owner_contact,supervisor
            V01,平安宾馆,hotel,priority,城东区,G01-01,城东区人民路1号,13800000001,张伟 (一组)
            V02,温馨公寓,rental,watch,城西区,G02-01,城西区和平路2号,13800000002,
            V03,极速网吧,internet_cafe,general,城东区,G01-02,城东区人民路3号,13800000003,
            V04,ＡＢＣ旅店（二店）,hotel,general,城南区,G03-01,城南区解放路4号,13800000004,

            """.write(to: folder.appendingPathComponent("venues.csv"), atomically: true, encoding: .utf8)
        let port = fleet.port
        try """
            id,venue_id,placement,url,username,password
            C01,V01,perimeter,rtsp://admin:Cam-Secret-77@127.0.0.1:\(port)/cam/0061,,
            C02,V01,interior,rtsp://127.0.0.1:\(port)/cam/0053,,
            C03,V01,interior,rtsp://127.0.0.1:\(port)/fault/black,,
            C04,V01,interior,rtsp://127.0.0.1:\(fleet.refusedPort)/cam/0001,,
            C05,V02,perimeter,rtsp://127.0.0.1:\(port)/fault/missing,,
            C06,V02,interior,rtsp://127.0.0.1:\(port)/cam/0050,,
            C07,V02,interior,rtsp://127.0.0.1:\(port)/cam/0057,,
            C08,V03,perimeter,rtsp://127.0.0.1:\(port)/cam/0062,,
            C09,V03,interior,rtsp://127.0.0.1:\(port)/fault/auth-basic,admin,fleet-secret
            C10,V04,interior,rtsp://127.0.0.1:\(port)/cam/0064,,

            """.write(to: folder.appendingPathComponent("cameras.csv"), atomically: true, encoding: .utf8)
        let imported = try CommandRun("patrol", ["inventory", "import", "venues.csv", "cameras.csv", "--config", config],
                                      directory: folder)
        guard imported.status == 0 else { throw Fleet.FleetError(description: "import failed: \(imported.all)") }

        // The past: every camera streamed 720p H.264 until two hours ago; some changed format.
        var past = SyntheticHistory(until: Date().addingTimeInterval(-2 * 3600))
        past.profile = { _ in .hd720 }
        past.changedShare = 0.5
        history = try Store(path: database).fill(past)

        sweepStarted = Date()
        let sweep = try CommandRun("patrold", ["--config", config, "--once"])
        guard sweep.status == 0 else { throw Fleet.FleetError(description: "sweep failed: \(sweep.all)") }
    }
}

/// Runs a command in this process as `patrol` would, in English: its output, or the message and
/// exit status its failure would give.
func patrolInProcess(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
    Language.$current.withValue(.english) { patrolInProcessHere(arguments) }
}

private func patrolInProcessHere(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
    do {
        let command = try Patrol.parseAsRoot(arguments)
        guard let read = command as? any ReadCommand else { return (-1, "", "not a read command") }
        return (0, try read.render(), "")
    } catch let failure as CommandFailure {
        return (failure.exit.rawValue, "", failure.message)
    } catch {
        return (Patrol.exitCode(for: error).rawValue, "", Patrol.message(for: error))
    }
}

@Suite("The read commands on a swept district with history")
struct ReadCommandTests {
    let fixture: ReadFixture

    init() throws { fixture = try ReadFixture.get() }

    func run(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let result = patrolInProcess(arguments + ["--db", fixture.database])
        for secret in ReadFixture.secrets {
            #expect(!(result.stdout + result.stderr).contains(secret), "\(arguments) printed a credential")
        }
        return result
    }

    func json(_ arguments: [String]) throws -> Any {
        let result = run(arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    func cameraIDs(_ arguments: [String]) throws -> [String] {
        let list = try #require((try json(["cameras"] + arguments) as? [String: Any])?["cameras"] as? [[String: Any]])
        return list.compactMap { $0["id"] as? String }
    }

    @Test("camera filters return exactly the right cameras")
    func filters() throws {
        #expect(try cameraIDs([]).count == 10)
        #expect(try cameraIDs(["--tier", "priority", "--placement", "interior", "--down"]) == ["C03", "C04"])
        #expect(try cameraIDs(["--down"]) == ["C03", "C04", "C05"])
        #expect(try cameraIDs(["--placement", "perimeter"]) == ["C01", "C05", "C08"])
        #expect(try cameraIDs(["--outcome", "black"]) == ["C03"])
        #expect(try cameraIDs(["--outcome", "online", "--venue", "V03"]) == ["C08", "C09"])
        #expect(try cameraIDs(["--venue", "V02"]) == ["C05", "C06", "C07"])
        #expect(try cameraIDs(["--codec", "h265"]) == ["C06"])
        #expect(try cameraIDs(["--min-height", "1080"]) == ["C02", "C06"])
        // The 404 camera was never seen by the sweep: its metadata is the history's 720p.
        #expect(try cameraIDs(["--tier", "watch", "--min-height", "720"]) == ["C05", "C06"])
    }

    @Test("--changed-since finds the metadata changes since then: the sweep's, and the history's")
    func changedSince() throws {
        let sweep = ISO8601DateFormatter().string(from: fixture.sweepStarted.addingTimeInterval(-1))
        let recent = try cameraIDs(["--changed-since", sweep])
        // The sweep saw 1080p, H.265 and 360p where the history had 720p.
        #expect(Set(["C02", "C06", "C07"]).isSubset(of: recent), "\(recent)")
        // The refused and the missing camera decoded nothing: no change.
        #expect(Set(recent).isDisjoint(with: ["C04", "C05"]), "\(recent)")
        let month = try cameraIDs(["--changed-since", "31d"])
        #expect(Set(fixture.history.metadataChanges.keys).isSubset(of: month))
        #expect(!fixture.history.metadataChanges.isEmpty)
    }

    @Test("the cameras table names venue, status, since when and outcome, aligned")
    func camerasTable() throws {
        let result = run(["cameras", "--down"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID ") == true)
        let c03 = try #require(lines.first { $0.hasPrefix("C03") })
        #expect(c03.contains("V01 平安宾馆") && c03.contains("down") && c03.contains("black"))
        #expect(lines.last == "3 cameras: 3 down (2 interior, 1 perimeter), 0 up, 0 unknown")
        // Every row's STATUS column starts at the same display column as the header's.
        let column = { (line: String) in DisplayWidth.of(line[..<line.range(of: "down")!.lowerBound]) }
        let header = DisplayWidth.of(lines[0][..<lines[0].range(of: "STATUS")!.lowerBound])
        #expect(lines.dropFirst().dropLast().allSatisfy { column($0) == header }, "\(lines)")
        #expect(run(["cameras", "--venue", "V04", "--down"]).stdout == "no camera matches")
    }

    @Test("status: counts, perimeter beside interior, the last probe and sweep, not stale")
    func status() throws {
        let status = try #require(try json(["status"]) as? [String: Any])
        let cameras = try #require(status["cameras"] as? [String: Any])
        #expect(cameras["total"] as? Int == 10 && cameras["perimeter"] as? Int == 3 && cameras["interior"] as? Int == 7)
        let byStatus = try #require(status["by_status"] as? [[String: Any]])
        let down = try #require(byStatus.first { $0["name"] as? String == "down" })
        #expect(down["perimeter"] as? Int == 1 && down["interior"] as? Int == 2)
        let tiers = try #require(status["down_by_tier"] as? [[String: Any]])
        #expect(tiers.map { $0["total"] as? Int } == [2, 1, 0])
        let probing = try #require(status["probing"] as? [String: Any])
        #expect(probing["stale"] as? Bool == false)
        let last = try #require(probing["last_probe_at"] as? String)
        let lastProbe = try #require(JSONTime.date(last))
        #expect(lastProbe >= fixture.sweepStarted.addingTimeInterval(-1))
        #expect((probing["last_sweep"] as? [String: Any])?["probes"] as? Int == 10)
        let venues = try #require(status["venues"] as? [String: Any])
        #expect(venues["total"] as? Int == 4 && venues["with_interior_down"] as? Int == 1)

        let text = run(["status"])
        #expect(text.status == 0 && !text.stdout.contains("STALE"))
        let rows = text.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["down", "1", "2", "3"]) && rows.contains(["all", "3", "7", "10"]), "\(text.stdout)")
    }

    @Test("status flags stale data loudly, first, and still exits 0")
    func stale() throws {
        let result = run(["status", "--stale-after", "0.001"])
        #expect(result.status == 0)
        let sections = result.stdout.components(separatedBy: "\n\n")
        #expect(sections.count > 2 && sections[1].hasPrefix("!! STALE DATA: no probe for"), "\(result.stdout)")
        let probing = try #require(try json(["status", "--stale-after", "0.001"]) as? [String: Any])["probing"] as? [String: Any]
        #expect(probing?["stale"] as? Bool == true)
    }

    @Test("one camera: status since when, the latest probes, uptime from the roll-ups, metadata")
    func camera() throws {
        let detail = try #require(try json(["camera", "C03", "--probes", "3"]) as? [String: Any])
        let camera = try #require(detail["camera"] as? [String: Any])
        #expect(camera["status"] as? String == "down" && camera["reason"] as? String == "black")
        #expect(camera["venue_name"] as? String == "平安宾馆")
        let since = try #require(JSONTime.date(camera["since"] as? String ?? ""))
        #expect(since >= fixture.sweepStarted.addingTimeInterval(-1))
        let probes = try #require(detail["probes"] as? [[String: Any]])
        #expect(probes.count == 3 && probes.first?["outcome"] as? String == "black")
        let uptime = try #require(detail["uptime"] as? [[String: Any]])
        #expect(uptime.map { $0["days"] as? Int } == [1, 7, 30])
        // A priority camera: one probe a minute, give or take the outages, over 29 whole UTC days
        // and as much of today as has passed (the roll-ups are per UTC day).
        #expect(uptime.allSatisfy { ($0["probes"] as? Int ?? 0) > 0 })
        #expect((uptime.last?["probes"] as? Int ?? 0) > 29 * 1400)
        // The metadata index entry: one flat object, the stream's keys beside the measured rates.
        let metadata = try #require(detail["metadata"] as? [String: Any])
        #expect(Set(metadata.keys).isSuperset(of: ["codec", "width", "height", "pixel_format", "transport", "has_audio", "fps",
                                                   "bitrate_kbps", "keyframe_interval", "updated_at"]), "\(metadata.keys)")
        #expect(metadata["stream"] == nil)

        let text = run(["camera", "C01"])
        #expect(text.status == 0)
        // The labels' column is as wide as the longest label shown: `camera clock` only once the
        // camera's RTCP sender reports gave its clock.
        let field = { (label: String) -> String? in
            text.stdout.split(separator: "\n").lazy.map { $0.drop { $0 == " " } }.first { $0.hasPrefix(label + "  ") }
                .map { String($0.dropFirst(label.count).drop { $0 == " " }) }
        }
        #expect(field("url") == "rtsp://127.0.0.1:\(try Fleet.get().port)/cam/0061 (credentials in the vault)", "\(text.stdout)")
        #expect(field("uptime")?.hasPrefix("24h ") == true, "\(text.stdout)")
        #expect(text.stdout.contains("PROBED"))
    }

    @Test("one venue: facts, supervisor, each camera with its status")
    func venue() throws {
        let detail = try #require(try json(["venue", "V01"]) as? [String: Any])
        let venue = try #require(detail["venue"] as? [String: Any])
        #expect(venue["name"] as? String == "平安宾馆" && venue["supervisor"] as? String == "张伟 (一组)")
        #expect(venue["owner_contact"] as? String == "13800000001" && venue["tier"] as? String == "priority")
        let counts = try #require(detail["counts"] as? [String: Any])
        #expect(counts["total"] as? Int == 4 && counts["interior_down"] as? Int == 2)
        let cameras = try #require(detail["cameras"] as? [[String: Any]])
        #expect(cameras.map { $0["id"] as? String } == ["C01", "C02", "C03", "C04"])
        let text = run(["venue", "V04"]).stdout
        #expect(text.hasPrefix("V04  ＡＢＣ旅店（二店）\n"))
        #expect(text.contains("C10") && text.contains("城南区, grid G03-01"))
    }

    @Test("venues: filtered by kind, tier and district")
    func venues() throws {
        func ids(_ arguments: [String]) throws -> [String] {
            try #require((try json(["venues"] + arguments) as? [String: Any])?["venues"] as? [[String: Any]]).compactMap { ($0["venue"] as? [String: Any])?["id"] as? String }
        }
        #expect(try ids([]) == ["V01", "V02", "V03", "V04"])
        #expect(try ids(["--tier", "general"]) == ["V03", "V04"])
        #expect(try ids(["--kind", "hotel"]) == ["V01", "V04"])
        #expect(try ids(["--district", "城西区"]) == ["V02"])
        #expect(try ids(["--kind", "internet_cafe", "--district", "城南区"]) == [])
        let text = run(["venues"]).stdout
        #expect(text.hasSuffix("4 venues, 1 with an interior camera down"), "\(text)")
    }

    @Test("unknown cameras and venues exit 66 with a one-line message")
    func notFound() {
        for arguments in [["camera", "C99"], ["venue", "V99"], ["cameras", "--venue", "V99"]] {
            let result = run(arguments)
            #expect(result.status == 66, "\(arguments)")
            #expect(result.stderr.hasPrefix("no ") && !result.stderr.contains("\n"), "\(result.stderr)")
        }
    }

    @Test("bad arguments exit 64 naming the option", arguments: [
        (["cameras", "--placement", "roof"], "placement"),
        (["cameras", "--tier", "vip"], "tier"),
        (["cameras", "--outcome", "broken"], "outcome"),
        (["cameras", "--changed-since", "someday"], "changed-since"),
        (["cameras", "--min-height", "0"], "min-height"),
        (["venues", "--kind", "bar"], "kind"),
        (["camera"], "camera-id"),
        (["status", "--stale-after", "-5"], "stale-after"),
    ])
    func usage(arguments: [String], option: String) {
        let result = run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(option), "\(result.stderr)")
    }
}

@Suite("The read commands as the real binary")
struct ReadBinaryTests {
    @Test("the operator's question, answered by the binary; --config finds the database")
    func question() throws {
        let fixture = try ReadFixture.get()
        let run = try CommandRun("patrol", ["cameras", "--tier", "priority", "--placement", "interior", "--down", "--config", fixture.config])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n").filter { $0.hasPrefix("C0") }.map { $0.split(separator: " ")[0] }
        #expect(rows == ["C03", "C04"])
        let status = try CommandRun("patrol", ["status", "--json", "--config", fixture.config])
        #expect(status.status == 0)
        #expect(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) is [String: Any])
        for output in [run.all, status.all] {
            for secret in ReadFixture.secrets { #expect(!output.contains(secret)) }
        }
    }

    @Test("exit statuses and one-line errors of the binary")
    func failures() throws {
        let fixture = try ReadFixture.get()
        let unknown = try CommandRun("patrol", ["camera", "C99", "--db", fixture.database])
        #expect(unknown.status == 66 && unknown.stderr == "patrol: no camera C99: `patrol cameras` lists them\n")
        let usage = try CommandRun("patrol", ["cameras", "--placement", "roof", "--db", fixture.database])
        #expect(usage.status == 64)
    }
}
