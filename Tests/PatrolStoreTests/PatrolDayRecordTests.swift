import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolTestSupport
import Testing
@testable import PatrolStore

/// What the daily report reads of a patrolled day (`Store.patrolDayRecord`) on a real SQLite
/// file: since when each perimeter camera on the maintenance list has been down, and the trend
/// over the last patrolled days.
@Suite("A patrolled day's record: down since, and the trend")
struct PatrolDayRecordTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day1 = PatrolDay(year: 2026, month: 11, day: 10)

    let fixture: TemporaryStore
    let patrol: DailyPatrol

    init() throws {
        fixture = try TemporaryStore()
        // V0001..V0003; C00001, C00004, C00007 perimeter, the others interior.
        try fixture.seed(venues: 3, since: Self.day1.start(in: Self.zone).addingTimeInterval(-86_400))
        patrol = DailyPatrol(store: fixture.store, settings: DailyPatrolSettings())
    }

    static func day(_ number: Int) -> PatrolDay { day1.adding(number - 1) }

    /// `minutes` into day `number`.
    static func time(_ number: Int, _ hours: Int, _ minutes: Int = 0) -> Date {
        day(number).start(in: zone).addingTimeInterval(Double(hours * 3600 + minutes * 60))
    }

    /// A day of probes every 15 minutes for the nine cameras, in order: `outcome(camera, slot)`,
    /// slot 0 at midnight, slot 95 at 23:45.
    func probe(day number: Int, _ outcome: (String, Int) -> Outcome = { _, _ in .online }) throws {
        let cameras = (1...9).map { String(format: "C%05d", $0) }
        let batch = (0..<96).flatMap { slot in
            cameras.map { ($0, probeResult(outcome($0, slot), at: Self.time(number, 0, slot * 15))) }
        }
        try fixture.store.write(batch.map { (cameraID: $0.0, result: $0.1) })
    }

    func record(_ number: Int) throws -> PatrolDayRecord {
        try #require(try fixture.store.patrolDayRecord(Self.day(number), policy: LadderPolicy(), timeZone: Self.zone))
    }

    func since(_ record: PatrolDayRecord) -> [String: Date] {
        Dictionary(uniqueKeysWithValues: record.failedPerimeter.map { ($0.cameraID, $0.since) })
    }

    /// C00001 goes down at 10:00 on day 1 and stays down. C00004 fails 03:00–05:00 and 14:00–16:00
    /// on day 3 and is up at its end. C00007 times out every other probe of day 3, never three in a
    /// row: never down, yet online half the day. On day 4 C00004 goes down again at 09:00.
    func brokenCameras() throws {
        try probe(day: 1) { camera, slot in camera == "C00001" && slot >= 40 ? .timeout : .online }
        try probe(day: 2) { camera, _ in camera == "C00001" ? .timeout : .online }
        try probe(day: 3) { camera, slot in
            switch camera {
            case "C00001": .timeout
            case "C00004": (12..<20).contains(slot) || (56..<64).contains(slot) ? .refused : .online
            case "C00007": slot % 2 == 1 ? .timeout : .online
            default: .online
            }
        }
        _ = try patrol.runDue(now: Self.day(4).start(in: Self.zone, hour: 6, minute: 5))
        try probe(day: 4) { camera, slot in camera == "C00001" || (camera == "C00004" && slot >= 36) ? .timeout : .online }
    }

    @Test("down since: when it went down and stayed down; up again, when its failing began that day; never after the day, whenever asked")
    func downSince() throws {
        try brokenCameras()
        let day3 = try record(3)
        #expect(day3.failedPerimeter.map(\.cameraID) == ["C00001", "C00004", "C00007"])
        let since = since(day3)
        // Down since day 1, 10:00, through days 2 and 3.
        #expect(since["C00001"] == Self.time(1, 10))
        // Up at the day's end: its first fall that day, not its fall the next morning (camera_state's now).
        #expect(since["C00004"] == Self.time(3, 3))
        let state = try fixture.store.pool.read { db in
            try Date.fetchOne(db, sql: "SELECT failing_since FROM camera_state WHERE camera_id = 'C00004'")
        }
        #expect(state == Self.time(4, 9))
        // Never down, failing on and off: its first failed probe of the day, not "unknown".
        #expect(since["C00007"] == Self.time(3, 0, 15))
        let end = Self.day(4).start(in: Self.zone)
        #expect(day3.failedPerimeter.allSatisfy { $0.since < end })
        #expect(try record(1).failedPerimeter.map(\.cameraID) == ["C00001"])
        #expect(self.since(try record(1))["C00001"] == Self.time(1, 10))
    }

    @Test("raw results gone past their retention: the hour of the first failed probe, from the roll-ups")
    func downSinceFromTheRollups() throws {
        try brokenCameras()
        try fixture.store.pool.write { db in try db.execute(sql: "DELETE FROM probe_result") }
        #expect(since(try record(3))["C00007"] == Self.time(3, 0))
    }

    @Test("the trend: interior cameras by verdict and the venues on each step of the ladder, each patrolled day")
    func trend() throws {
        // V0001's C00002 fails day 1 (an order), is fixed day 2 (rectified); V0002's C00005 fails day 3 (an order).
        try probe(day: 1) { camera, _ in camera == "C00002" ? .timeout : .online }
        try probe(day: 2)
        try probe(day: 3) { camera, _ in camera == "C00005" ? .refused : .online }
        _ = try patrol.runDue(now: Self.day(4).start(in: Self.zone, hour: 6, minute: 5))
        let record = try record(3)
        #expect(record.trend.map(\.day) == [Self.day(1), Self.day(2), Self.day(3)])
        #expect(record.trend.map(\.interior) == [[.compliant: 5, .failed: 1], [.compliant: 6], [.compliant: 5, .failed: 1]])
        #expect(record.trend.map(\.standings) == [[.clean: 2, .ordered: 1], [.clean: 3], [.clean: 2, .ordered: 1]])
        // The last day's steps are where the ladder has the venues now.
        let now = Dictionary(grouping: record.states.values, by: \.standing).mapValues(\.count)
        #expect(record.trend.last?.standings == now)
        // A day's trend ends with it.
        #expect(try self.record(2).trend.map(\.day) == [Self.day(1), Self.day(2)])
    }

    @Test("an order revoked drops out of the days it stood on; the ladder's later steps count from their day")
    func trendFollowsTheLedgerInForce() throws {
        try probe(day: 1) { camera, _ in camera == "C00002" ? .timeout : .online }
        try probe(day: 2) { camera, _ in camera == "C00002" ? .timeout : .online }
        _ = try patrol.runDue(now: Self.day(3).start(in: Self.zone, hour: 6, minute: 5))
        #expect(try record(2).trend.map { $0.standings[.ordered] ?? 0 } == [1, 1])
        let order = try #require(try fixture.store.ledger(venue: "V0001", kinds: [.order]).first)
        try fixture.store.record(Step(venueID: "V0001", kind: .revoked, day: Self.day(2), refersTo: order.seq,
                                      reason: "摄像机线路施工，经现场核实", actor: "王芳"),
                                 policy: LadderPolicy(), at: Self.time(3, 9))
        // Worked out again: day 1 set aside, day 2 the venue's first failed day, its order on day 2.
        let trend = try record(2).trend
        #expect(trend.map { $0.standings[.ordered] ?? 0 } == [0, 1])
    }

    @Test("the trend covers the last 30 patrolled days")
    func thirtyDays() throws {
        // One venue, probed every half hour: a probe of a general venue stands for 30 minutes.
        let fixture = try TemporaryStore()
        try fixture.seed(venues: 1, since: Self.day1.start(in: Self.zone).addingTimeInterval(-86_400))
        for number in 1...32 {
            let batch = (0..<48).flatMap { slot in
                ["C00001", "C00002", "C00003"].map { (cameraID: $0, result: probeResult(.online, at: Self.time(number, 0, slot * 30))) }
            }
            try fixture.store.write(batch)
        }
        _ = try DailyPatrol(store: fixture.store, settings: DailyPatrolSettings())
            .runDue(now: Self.day(33).start(in: Self.zone, hour: 6, minute: 5))
        let trend = try #require(try fixture.store.patrolDayRecord(Self.day(32), policy: LadderPolicy(), timeZone: Self.zone)).trend
        #expect(trend.count == Store.trendDays)
        #expect(trend.first?.day == Self.day(3) && trend.last?.day == Self.day(32))
        #expect(trend.allSatisfy { $0.interior == [.compliant: 2] && $0.standings == [.clean: 1] })
    }
}
