import Foundation
import PatrolTestSupport
import GRDB
import PatrolInventory
import PatrolLedger
@testable import PatrolStore
import Testing

/// `patrol inventory`, the real binary, on real files; and patrold refusing a bad configuration.
@Suite("Inventory import and the daemon, as commands")
struct DaemonCommandTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func venues(count: Int = 2) -> String {
        Inventory(venues: TestDistrict.hotels(count), cameras: []).venuesCSV()
    }

    func config(_ extra: String = "") throws -> String {
        let path = folder.appendingPathComponent("patrol.yaml").path
        try write("patrol.yaml", "database: patrol.sqlite\ncredentials: credentials.sqlite\nschedule:\n  per_host_sessions: 64\n" + extra)
        return path
    }

    func count(_ sql: String) throws -> Int {
        let store = try Store(path: folder.appendingPathComponent("patrol.sqlite").path, readOnly: true)
        return try store.pool.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    @Test("a bad inventory is refused whole, every problem named; a good one is applied once")
    func importInventory() throws {
        let config = try config()
        try write("venues.csv", venues() + "V3,坏旅馆,hotel,vip,城东,G01,路,138,\n")
        try write("cameras.csv", "id,venue_id,placement,url\nC1,V0001,perimeter,rtsp://10.0.0.1/live\nC2,V9,interior,rtsp://10.0.0.2/live\n")
        let venuesPath = folder.appendingPathComponent("venues.csv").path, camerasPath = folder.appendingPathComponent("cameras.csv").path
        let bad = try CommandRun("patrol", ["inventory", "import", venuesPath, camerasPath, "--config", config])
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("venues.csv:4:tier"))
        #expect(bad.stderr.contains("cameras.csv:3:venue_id"))
        #expect(bad.stderr.contains("nothing was imported"))
        // Validation comes first: the database was not even created.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("patrol.sqlite").path))

        try write("venues.csv", venues())
        try write("cameras.csv", "id,venue_id,placement,url\nC1,V0001,perimeter,rtsp://admin:cam-pass@10.0.0.1/live\nC2,V0002,interior,rtsp://10.0.0.2/live\n")
        let good = try CommandRun("patrol", ["inventory", "import", venuesPath, camerasPath, "--config", config])
        #expect(good.status == 0, "\(good.all)")
        #expect(good.stdout.contains("added 2 venues and 2 cameras"))
        #expect(!good.all.contains("cam-pass"))
        let again = try CommandRun("patrol", ["inventory", "import", venuesPath, camerasPath, "--config", config])
        #expect(again.stdout.contains("no changes"))
        #expect(try count("SELECT count(*) FROM camera") == 2)

        let exported = folder.appendingPathComponent("out")
        let export = try CommandRun("patrol", ["inventory", "export", exported.path, "--config", config])
        #expect(export.status == 0)
        let cameras = try String(contentsOf: exported.appendingPathComponent("cameras.csv"), encoding: .utf8)
        #expect(cameras.contains("rtsp://10.0.0.1/live") && !cameras.contains("cam-pass"))
    }

    @Test("files that would retire most of the district are refused unless --allow-retire; nothing changes meanwhile")
    func mostRetired() throws {
        let config = try config()
        let venuesPath = folder.appendingPathComponent("venues.csv").path, camerasPath = folder.appendingPathComponent("cameras.csv").path
        try write("venues.csv", venues())
        try write("cameras.csv", "id,venue_id,placement,url\nC1,V0001,perimeter,rtsp://admin:cam-pass@10.0.0.1/live\nC2,V0002,interior,rtsp://10.0.0.2/live\n")
        #expect(try CommandRun("patrol", ["inventory", "import", venuesPath, camerasPath, "--config", config]).status == 0)

        try write("venues.csv", "id,name,kind,tier,district,grid,address,owner_contact,supervisor\n")
        try write("cameras.csv", "id,venue_id,placement,url\n")
        let refused = try CommandRun("patrol", ["inventory", "import", venuesPath, camerasPath, "--config", config])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("would retire 2 of 2 venues and 2 of 2 cameras"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--allow-retire"))
        #expect(try count("SELECT count(*) FROM camera WHERE retired_at IS NULL") == 2)
        #expect(try count("SELECT count(*) FROM venue WHERE retired_at IS NULL") == 2)

        let allowed = try CommandRun("patrol", ["inventory", "import", venuesPath, camerasPath, "--config", config, "--allow-retire"])
        #expect(allowed.status == 0, "\(allowed.all)")
        #expect(try count("SELECT count(*) FROM camera WHERE retired_at IS NULL") == 0)
    }

    @Test("the share an import may retire unasked is inventory.max_retire_percent")
    func retireLimit() throws {
        let venuesPath = folder.appendingPathComponent("venues.csv").path, camerasPath = folder.appendingPathComponent("cameras.csv").path
        var config = try config("inventory:\n  max_retire_percent: 50\n")
        try write("venues.csv", venues(count: 4))
        try write("cameras.csv", "id,venue_id,placement,url\n")
        #expect(try CommandRun("patrol", ["inventory", "import", venuesPath, camerasPath, "--config", config]).status == 0)
        try write("venues.csv", venues(count: 2))
        #expect(try CommandRun("patrol", ["inventory", "import", venuesPath, camerasPath, "--config", config]).status == 0)
        try write("venues.csv", venues(count: 4))
        #expect(try CommandRun("patrol", ["inventory", "import", venuesPath, camerasPath, "--config", config]).status == 0)
        config = try self.config("inventory:\n  max_retire_percent: 25\n")
        try write("venues.csv", venues(count: 2))
        let refused = try CommandRun("patrol", ["inventory", "import", venuesPath, camerasPath, "--config", config])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("would retire 2 of 4 venues and 0 of 0 cameras, more than inventory.max_retire_percent (25%)"))
    }

    @Test("an import dates its ledger acts in the configured patrol.time_zone")
    func importDatesInPatrolZone() throws {
        // Of two zones 25 hours apart, one is always on another calendar day than Asia/Shanghai.
        let shanghai = PatrolDay.containing(Date(), in: TimeZone(identifier: "Asia/Shanghai")!)
        let zone = ["Pacific/Kiritimati", "Pacific/Pago_Pago"].map { TimeZone(identifier: $0)! }
            .first { PatrolDay.containing(Date(), in: $0) != shanghai }!
        let config = try config("patrol:\n  time_zone: \(zone.identifier)\n")
        let venuesPath = folder.appendingPathComponent("venues.csv").path, camerasPath = folder.appendingPathComponent("cameras.csv").path
        try write("cameras.csv", "id,venue_id,placement,url\n")
        try write("venues.csv", venues())
        #expect(try CommandRun("patrol", ["inventory", "import", venuesPath, camerasPath, "--config", config]).status == 0)
        try write("venues.csv", venues().replacingOccurrences(of: "V0001,平安宾馆1号,hotel,general", with: "V0001,平安宾馆1号,hotel,watch"))
        let before = Date()
        #expect(try CommandRun("patrol", ["inventory", "import", venuesPath, camerasPath, "--config", config]).status == 0)
        let after = Date()
        let acts = try Store(path: folder.appendingPathComponent("patrol.sqlite").path, readOnly: true).ledger(kinds: [.tierChanged])
        try #require(acts.count == 1)
        #expect([before, after].map { PatrolDay.containing($0, in: zone) }.contains(acts[0].day), "\(acts[0].day) in \(zone.identifier)")
        #expect(acts[0].day != shanghai || PatrolDay.containing(after, in: zone) == shanghai)
    }

    @Test("a bad configuration stops the daemon with the file, line and key")
    func badConfiguration() throws {
        let config = try config("probe:\n  deadline: soon\n")
        let run = try CommandRun("patrold", ["--config", config, "--once"])
        #expect(run.status == 78)
        // Plain lines: stderr is a pipe here, not the journal (JournalTests).
        #expect(run.stderr.hasPrefix("configuration rejected: "), "\(run.stderr)")
        #expect(run.stderr.contains("patrol.yaml:6: probe.deadline: expected a number"), "\(run.stderr)")
    }
}
