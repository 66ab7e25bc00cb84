import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings
@testable import PatrolStore
import PatrolTestSupport
import Testing

/// Simulated patrol days over the real fleet: each day the fleet's cameras are put in the state
/// the day needs, probed for real twice (the results stamped at 00:00 and 12:00 of the day, as
/// a daemon probing every 12 hours would write them), and the day is patrolled with an injected
/// clock. Nothing sleeps.
@Suite("The ladder walked over the fleet, day by day", .serialized)  // both tests drive the same fleet cameras
struct LedgerFleetTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day1 = PatrolDay(year: 2026, month: 10, day: 1)

    let fleet: Fleet
    let folder: URL
    let store: Store
    let settings: DailyPatrolSettings
    /// Camera -> (venue, placement, fleet mount).
    static let cameras: [(id: String, venue: String, placement: Placement, mount: String)] = [
        ("A1", "VA", .interior, Fleet.Mounts.path(Fleet.Mounts.ledger.lowerBound)),
        ("A2", "VA", .perimeter, Fleet.Mounts.path(Fleet.Mounts.ledger.lowerBound + 1)),
        ("B1", "VB", .interior, Fleet.Mounts.path(Fleet.Mounts.ledger.lowerBound + 2)),
        ("C1", "VC", .interior, Fleet.Mounts.path(Fleet.Mounts.ledger.lowerBound + 3)),
        ("C2", "VC", .perimeter, Fleet.Mounts.path(Fleet.Mounts.ledger.lowerBound + 4)),
    ]

    init() throws {
        fleet = try Fleet.get()
        let temporary = try TemporaryStore()
        folder = temporary.folder
        store = temporary.store
        let port = fleet.port
        let inventory = Inventory(venues: [TestDistrict.pingan("VA"), TestDistrict.xingkong("VB"), TestDistrict.wenxin("VC")],
                                  cameras: try Self.cameras.map {
            try Camera(id: $0.id, venueID: $0.venue, placement: $0.placement, url: "rtsp://127.0.0.1:\(port)\($0.mount)")
        })
        try temporary.seed(inventory, since: Self.day1.start(in: Self.zone).addingTimeInterval(-86_400))
        var settings = DailyPatrolSettings()
        settings.cover(cadence: PerTier(repeating: 43_200), backoffLimit: 600, deadline: 8)
        self.settings = settings
    }

    static func day(_ number: Int) -> PatrolDay { day1.adding(number - 1) }

    /// Puts the fleet's cameras in `modes` (the rest healthy), probes every camera twice for
    /// real, and writes the results as of 00:00 and 12:00 of the day.
    func live(day number: Int, _ modes: [String: String]) throws {
        for camera in Self.cameras { try fleet.set(camera.mount, modes[camera.id] ?? "healthy") }
        let urls = Self.cameras.map { fleet.url($0.mount) }
        for hour in [0.0, 12.0] {
            let at = Self.day(number).start(in: Self.zone).addingTimeInterval(hour * 3600)
            let results = probeAll(urls, settings: Fleet.steadyProbe).map { result in
                var stamped = result
                stamped.startedAt = at
                return stamped
            }
            try store.write(zip(Self.cameras, results).map { (cameraID: $0.0.id, result: $0.1) })
        }
    }

    func patrol(after number: Int) throws -> [PatrolDayReport] {
        try DailyPatrol(store: store, settings: settings).runDue(now: Self.day(number + 1).start(in: Self.zone, hour: 6, minute: 30))
    }

    func ledger(_ venue: String) throws -> [String] {
        try store.ledger(venue: venue).map { "\($0.day) \($0.kind.rawValue)" + ($0.deadline.map { " \($0)" } ?? "") }
    }

    @Test("broken then fixed, left broken to closure, a perimeter fault for the city: what each day leaves")
    func walk() throws {
        defer { for camera in Self.cameras { try? fleet.set(camera.mount, "healthy") } }
        // Day 1: A1 black, B1 gone (404), the perimeter camera C2 refuses its credentials.
        try live(day: 1, ["A1": "black", "B1": "missing", "C2": "unauthorized"])
        let first = try #require(try patrol(after: 1).first)
        #expect(first.venues == [.failed: 2, .compliant: 1])
        #expect(try ledger("VA") == ["2026-10-01 order 2026-10-04"])
        #expect(try ledger("VB") == ["2026-10-01 order 2026-10-02"])
        let order = try #require(try store.ledger(venue: "VA").first)
        #expect(order.reason.contains("A1 online 0%") && order.reason.contains("mostly black"))
        #expect(order.evidence.contains(#""main_failure":"black""#))
        // The perimeter camera is the city's: a maintenance item, and nothing in VC's ledger.
        let judged = try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT camera_id, verdict, reason FROM camera_day WHERE day = '2026-10-01'").map(\.description)
        }
        #expect(try store.maintenanceList(day: Self.day(1)).map(\.cameraID) == ["C2"], "\(judged)")
        #expect(try ledger("VC").isEmpty)

        // Day 2: A1 fixed. B1 still gone.
        try live(day: 2, ["B1": "missing"])
        _ = try patrol(after: 2)
        #expect(try ledger("VA") == ["2026-10-01 order 2026-10-04", "2026-10-02 rectified"])
        // Days 3 and 4: B1 never comes back: warning, suspension, closure.
        try live(day: 3, ["B1": "missing"])
        _ = try patrol(after: 3)
        try live(day: 4, ["B1": "missing"])
        _ = try patrol(after: 4)
        #expect(try ledger("VB") == [
            "2026-10-01 order 2026-10-02", "2026-10-02 deadline_missed 2026-10-02", "2026-10-02 warning 2026-10-03",
            "2026-10-03 deadline_missed 2026-10-03", "2026-10-03 suspension 2026-10-04",
            "2026-10-04 deadline_missed 2026-10-04", "2026-10-04 closure",
        ])
        #expect(try store.closedVenues() == ["VB"])
        #expect(try store.ladder(policy: settings.ladder)["VB"]?.standing == .closed)
        // A closed venue's cameras are no longer judged; its record stays.
        try live(day: 5, [:])
        _ = try patrol(after: 5)
        let fifth = try store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT camera_id FROM camera_day WHERE day = '2026-10-05' ORDER BY camera_id")
        }
        #expect(fifth == ["A1", "A2", "C1", "C2"])
        #expect(try ledger("VB").count == 7)
        #expect(try store.verifyLedger(policy: settings.ladder).ok)
    }

    @Test("kill -9 in the middle of a patrol day: nothing half-done, and the next run does the day exactly once")
    func killed() throws {
        defer { for camera in Self.cameras { try? fleet.set(camera.mount, "healthy") } }
        try live(day: 1, ["A1": "frozen", "B1": "no-rtp"])
        try live(day: 2, ["B1": "no-rtp"])
        let config = folder.appendingPathComponent("patrol.yaml")
        try """
            database: patrol.sqlite
            credentials: credentials.sqlite
            schedule:
              cadence: {priority: 43200, watch: 43200, general: 43200}
            """.write(to: config, atomically: true, encoding: .utf8)
        let asOf = ["--patrol", "--as-of", "2026-10-03T06:30:00+08:00"]
        // The first due day stops just before its commit, and is killed there.
        let daemon = try Daemon(config: config.path, notify: nil, environment: ["PATROLD_FAULT": "pause-in-patrol"], arguments: asOf)
        defer { daemon.kill() }
        let paused = daemon.log.wait(for: "paused before commit", within: 60)
        #expect(paused?.contains("patrol day 2026-10-01") == true, "\(daemon.log.text)")
        daemon.signal(SIGKILL)
        #expect(daemon.waitForExit(within: 10) != nil)
        #expect(try store.lastPatrolDay() == nil)
        #expect(try store.ledger().isEmpty)

        let again = try CommandRun("patrold", ["--config", config.path] + asOf)
        #expect(again.status == 0, "\(again.all)")
        #expect(again.stdout.contains("patrol 2026-10-01") && again.stdout.contains("patrol 2026-10-02"))
        let twice = try CommandRun("patrold", ["--config", config.path] + asOf)
        #expect(twice.stdout.contains("no patrol day due"))
        #expect(try store.lastPatrolDay() == Self.day(2))
        let entries = try store.ledger()
        #expect(entries.map { "\($0.venueID) \($0.day) \($0.kind.rawValue)" } == [
            "VA 2026-10-01 order", "VB 2026-10-01 order", "VA 2026-10-02 rectified", "VB 2026-10-02 deadline_missed",
            "VB 2026-10-02 warning",
        ])
        #expect(try store.verifyLedger(policy: settings.ladder).ok)
        let rows = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM venue_day")! }
        #expect(rows == 6)
        // patrold made the ledger key at its first start, beside the configuration, and sealed
        // each day; the journal's line for the last day names the head.
        let key = LedgerKeyFile(path: folder.appendingPathComponent("ledger.key").path)
        #expect(try FileManager.default.attributesOfItem(atPath: key.path)[.posixPermissions] as? Int == 0o600)
        let check = try store.verifyLedger(policy: settings.ladder, trusted: try key.trustedPublicKey())
        #expect(check.ok && check.trusted && check.predates == 0, "\(check.problem ?? "")")
        let head = try #require(check.head)
        #expect(again.stdout.contains("patrol 2026-10-02") && again.stdout.contains("ledger head \(head)"), "\(again.all)")
    }
}
