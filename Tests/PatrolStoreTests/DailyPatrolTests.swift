import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolTestSupport
import Testing
@testable import PatrolStore

/// The daily patrol on a real SQLite file, with probe results written as the sweep writes them.
@Suite("The daily patrol and the ledger in the store")
struct DailyPatrolTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day1 = PatrolDay(year: 2026, month: 11, day: 10)

    let fixture: TemporaryStore
    let patrol: DailyPatrol

    init() throws {
        fixture = try TemporaryStore()
        // V0001..V0003, general; cameras C00001 (perimeter), C00002 and C00003 (interior) at V0001, and so on.
        // The inventory existed before the first day.
        try fixture.seed(venues: 3, since: Self.day1.start(in: Self.zone).addingTimeInterval(-86_400))
        patrol = DailyPatrol(store: fixture.store, settings: DailyPatrolSettings())
    }

    static func day(_ number: Int) -> PatrolDay { day1.adding(number - 1) }

    /// Writes a day of probes, every 15 minutes for every camera, as the sweep would.
    func probe(day number: Int, hours: Range<Double> = 0..<24, _ outcome: (String) -> Outcome = { _ in .online }) throws {
        try fixture.probe(Self.day(number), in: Self.zone, cameras: 9, hours: hours, outcome)
    }

    func morning(of number: Int) -> Date { Self.day(number).start(in: Self.zone, hour: 7) }

    func ledger() throws -> [String] {
        try fixture.store.ledger().map { "\($0.day) \($0.venueID) \($0.kind.rawValue)" + ($0.deadline.map { " \($0)" } ?? "") }
    }

    @Test("broken on day 1, fixed on day 2: an order, then rectified; each day judged once")
    func fixedInTime() throws {
        try probe(day: 1) { $0 == "C00002" ? .timeout : .online }
        try probe(day: 2)
        #expect(try patrol.dueDays(now: Self.day(3).start(in: Self.zone, hour: 5, minute: 59)) == [Self.day(1)])
        let reports = try patrol.runDue(now: morning(of: 3))
        #expect(reports.map(\.day) == [Self.day(1), Self.day(2)])
        #expect(try ledger() == ["2026-11-10 V0001 order 2026-11-13", "2026-11-11 V0001 rectified"])
        let order = try #require(try fixture.store.ledger(venue: "V0001", kinds: [.order]).first)
        #expect(order.reason.contains("C00002 online 0% of 24.0 h watched (needs 95%), mostly timeout"))
        #expect(order.evidence.contains(#""camera":"C00002""#))
        #expect(reports[0].venues == [.failed: 1, .compliant: 2])
        // Again: nothing new.
        #expect(try patrol.runDue(now: morning(of: 3)).isEmpty)
        #expect(try patrol.patrol(Self.day(1), now: morning(of: 3)) == nil)
        #expect(try fixture.store.ledger().count == 2)
        #expect(try fixture.store.verifyLedger(policy: LadderPolicy()).ok)
    }

    @Test("a perimeter camera's failure goes on the maintenance list, never in the ledger")
    func perimeter() throws {
        try probe(day: 1) { $0 == "C00004" ? .refused : .online }
        try patrol.runDue(now: morning(of: 2))
        #expect(try fixture.store.maintenanceList(day: Self.day(1)).map(\.cameraID) == ["C00004"])
        #expect(try fixture.store.ledger().isEmpty)
    }

    @Test("after downtime every missed day is patrolled in order; days nobody watched count against nobody")
    func catchUp() throws {
        try probe(day: 1) { $0 == "C00005" ? .black : .online }
        // Patrol is down from day 2 to day 4, and back on day 5 at 07:00.
        try probe(day: 5)
        let reports = try patrol.runDue(now: morning(of: 5))
        #expect(reports.map(\.day) == (1...4).map(Self.day))
        #expect(reports[1].venues == [.unknown: 3])
        #expect(try ledger() == ["2026-11-10 V0002 order 2026-11-13", "2026-11-11 V0002 deadline_extended 2026-11-14",
                                 "2026-11-12 V0002 deadline_extended 2026-11-15", "2026-11-13 V0002 deadline_extended 2026-11-16"])
    }

    @Test("new ladder rules apply from the next day patrolled: the days judged before keep theirs, and the change is in the ledger")
    func rulesChange() throws {
        try probe(day: 1) { $0 == "C00002" ? .timeout : .online }
        try patrol.runDue(now: morning(of: 2))
        #expect(try ledger() == ["2026-11-10 V0001 order 2026-11-13"])
        // The office shortens the general deadline to one day; the camera stays broken.
        var stricter = DailyPatrolSettings()
        stricter.ladder.deadlineDays[.general] = 1
        let strict = DailyPatrol(store: fixture.store, settings: stricter)
        for number in 2...4 { try probe(day: number) { $0 == "C00002" ? .timeout : .online } }
        try strict.runDue(now: morning(of: 5))
        // Day 1's order keeps its deadline of three days; the warning of day 4 takes the new one.
        let entries = try fixture.store.ledger()
        #expect(entries.map { "\($0.day) \($0.venueID) \($0.kind.rawValue)" + ($0.deadline.map { " \($0)" } ?? "") } == [
            "2026-11-10 V0001 order 2026-11-13", "2026-11-11 * note",
            "2026-11-13 V0001 deadline_missed 2026-11-13", "2026-11-13 V0001 warning 2026-11-14",
        ])
        #expect(entries[1].actor == "config")
        #expect(entries[1].reason.hasPrefix("ladder policy from 2026-11-11: deadlines general 1, watch 2, priority 1 days"))
        #expect(entries[1].reason.contains("(until 2026-11-10: deadlines general 3, watch 2, priority 1 days"))
        #expect(try fixture.store.policyChanges().map(\.from) == [Self.day(1), Self.day(2)])
        // Whatever policy a reader is configured with, the recorded rules decide: it verifies, and
        // acts re-derive the same history.
        #expect(try fixture.store.verifyLedger(policy: LadderPolicy()).ok)
        #expect(try fixture.store.verifyLedger(policy: stricter.ladder).ok)
        let note = Step(venueID: "V0001", kind: .note, day: Self.day(5), reason: "owner called", actor: "王芳")
        #expect(try fixture.store.record(note, policy: LadderPolicy(), at: morning(of: 5)).map(\.kind) == [.note])
        #expect(try fixture.store.ladder(policy: LadderPolicy())["V0001"]?.open?.deadline == Self.day(5))
        // Patrolling on under the same rules records nothing more.
        try probe(day: 5)
        try strict.runDue(now: morning(of: 6))
        #expect(try fixture.store.policyChanges().count == 2)
        #expect(try fixture.store.ledger(kinds: [.note]).count == 2)
    }

    @Test("the ladder states saved by each derivation are read only while they stand, and verify checks them")
    func savedStates() throws {
        try probe(day: 1) { $0 == "C00002" ? .timeout : .online }
        try patrol.runDue(now: morning(of: 2))
        func saved() throws -> [String: Int] {
            try fixture.store.pool.read { db in
                try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT venue_id, head_seq FROM ladder_state").map { ($0[0], $0[1]) })
            }
        }
        #expect(try saved() == ["V0001": 1, "V0002": 1, "V0003": 1])
        #expect(try fixture.store.ladder(policy: LadderPolicy())["V0001"]?.open?.deadline == Self.day(4))

        // An import's tier act is in the ledger before any derivation saw it: that venue is derived again.
        let seeded = try TestDistrict.small(venues: 3)
        var venues = seeded.venues
        venues[1].tier = .priority
        venues[1].supervisor = "张伟 (一组)"
        try fixture.store.apply(Inventory(venues: venues, cameras: seeded.cameras), vault: fixture.vault, zone: patrolZone, now: morning(of: 2))
        #expect(try fixture.store.ladder(policy: LadderPolicy())["V0002"]?.tier == .priority)
        #expect(try saved()["V0002"] == 1)

        // A state edited behind Patrol's back is read as it is (it looks fresh), and verify names it.
        try fixture.store.pool.write { db in
            try db.execute(sql: """
                UPDATE ladder_state SET state = json_set(state, '$.closed', json('true')) WHERE venue_id = 'V0003'
                """)
        }
        #expect(try fixture.store.ladder(policy: LadderPolicy())["V0003"]?.standing == .closed)
        let check = try fixture.store.verifyLedger(policy: LadderPolicy())
        #expect(check.problem == "venue V0003: the saved ladder state differs from the one the ledger gives")
        // The next derivation saves it right again.
        try probe(day: 2)
        try patrol.runDue(now: morning(of: 3))
        #expect(try fixture.store.ladder(policy: LadderPolicy())["V0003"]?.standing == .clean)
        #expect(try fixture.store.verifyLedger(policy: LadderPolicy()).ok)
    }

    @Test("half a day watched is not enough to judge")
    func halfDay() throws {
        try probe(day: 1, hours: 0..<10) { _ in .timeout }
        let report = try #require(try patrol.runDue(now: morning(of: 2)).first)
        #expect(report.cameras == [.unknown: 9])
        #expect(try fixture.store.ledger().isEmpty)
    }

    @Test("an operator's waiver after the fact withdraws the order, and the ledger still verifies")
    func waiver() throws {
        try probe(day: 1) { $0 == "C00002" ? .timeout : .online }
        try patrol.runDue(now: morning(of: 2))
        let waiver = Step(venueID: "*", kind: .waiver, day: Self.day(1), until: Self.day(1), reason: "district power cut", actor: "王芳")
        let recorded = try fixture.store.record(waiver, policy: LadderPolicy(), at: morning(of: 2))
        #expect(recorded.map(\.kind) == [.waiver, .revoked])
        #expect(recorded[1].refersTo == 1)
        #expect(try fixture.store.ladder(policy: LadderPolicy())["V0001"]?.standing == .clean)
        #expect(try fixture.store.verifyLedger(policy: LadderPolicy()).ok)
    }

    @Test("a relapse moves the venue up a tier in the venue table too, and re-importing unchanged files does not undo it")
    func tierFollowsLedger() throws {
        try probe(day: 1) { $0 == "C00002" ? .timeout : .online }
        try probe(day: 2)
        try probe(day: 3) { $0 == "C00002" ? .timeout : .online }
        try patrol.runDue(now: morning(of: 4))
        #expect(try ledger().contains("2026-11-12 V0001 tier_changed"))
        func tier() throws -> String? {
            try fixture.store.pool.read { db in try String.fetchOne(db, sql: "SELECT tier FROM venue WHERE id = 'V0001'") }
        }
        #expect(try tier() == "watch")

        // Importing the same files again, or with only an address changed, leaves the ladder's move alone.
        let seeded = try TestDistrict.small(venues: 3)
        var venues = seeded.venues
        let entries = try fixture.store.ledger().count
        try fixture.store.apply(seeded, vault: fixture.vault, zone: patrolZone, now: morning(of: 4))
        venues[0].address = "城东路100号"
        try fixture.store.apply(Inventory(venues: venues, cameras: seeded.cameras), vault: fixture.vault, zone: patrolZone, now: morning(of: 4))
        #expect(try tier() == "watch")
        #expect(try fixture.store.ledger().count == entries)
        // What the files registered is what goes back out, so an export re-imports to no change.
        #expect(try fixture.store.inventory(registered: true).venues[0].tier == .general)
        #expect(try fixture.store.inventory().venues[0].tier == .watch)
        // A tier the files do change is an act, and is in force.
        venues[0].tier = .priority
        venues[0].supervisor = "张伟 (一组)"
        try fixture.store.apply(Inventory(venues: venues, cameras: seeded.cameras), vault: fixture.vault, zone: patrolZone, now: morning(of: 4))
        #expect(try tier() == "priority")
        let act = try #require(try fixture.store.ledger().last)
        #expect(act.kind == .tierChanged && act.actor == "inventory" && act.tier == .priority && act.supervisor == "张伟 (一组)")
    }

    @Test("a tier set by import is an act in the ledger, and the next order's deadline follows it")
    func importedTier() throws {
        let seeded = try TestDistrict.small(venues: 3)
        var venues = seeded.venues
        venues[0].tier = .priority
        venues[0].supervisor = "张伟 (一组)"
        let inventory = Inventory(venues: venues, cameras: seeded.cameras)
        try fixture.store.apply(inventory, vault: fixture.vault, zone: patrolZone, now: morning(of: 1))
        try probe(day: 1) { $0 == "C00002" ? .timeout : .online }
        try patrol.runDue(now: morning(of: 2))
        let entries = try fixture.store.ledger(venue: "V0001")
        #expect(entries.map(\.kind) == [.tierChanged, .order])
        #expect(entries[0].actor == "inventory" && entries[0].tier == .priority && entries[0].supervisor == "张伟 (一组)")
        #expect(entries[1].deadline == Self.day(2))
        #expect(try fixture.store.verifyLedger(policy: LadderPolicy()).ok)
    }

    @Test("the database refuses to change or delete ledger rows, and verify names an entry edited behind its back")
    func tamper() throws {
        try probe(day: 1) { $0 == "C00002" || $0 == "C00005" ? .timeout : .online }
        try patrol.runDue(now: morning(of: 2))
        #expect(try fixture.store.ledger().count == 2)
        #expect(throws: DatabaseError.self) {
            try fixture.store.pool.write { db in try db.execute(sql: "UPDATE ledger SET deadline = '2027-01-01' WHERE seq = 1") }
        }
        #expect(throws: DatabaseError.self) {
            try fixture.store.pool.write { db in try db.execute(sql: "DELETE FROM ledger WHERE seq = 2") }
        }
        #expect(throws: DatabaseError.self) {
            try fixture.store.pool.write { db in try db.execute(sql: "UPDATE venue_day SET verdict = 'compliant'") }
        }
        try fixture.store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER ledger_no_update")
            try db.execute(sql: "UPDATE ledger SET deadline = '2027-01-01' WHERE seq = 1")
        }
        let check = try fixture.store.verifyLedger(policy: LadderPolicy())
        #expect(check.seq == 1)
        #expect(check.problem == "ledger entry #1 was altered: its content no longer matches its hash")
    }

    @Test("cutting the last entry off the ledger is caught by the patrol day that ended there")
    func truncated() throws {
        try probe(day: 1) { $0 == "C00002" || $0 == "C00005" ? .timeout : .online }
        try patrol.runDue(now: morning(of: 2))
        try fixture.store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER ledger_no_delete")
            try db.execute(sql: "DELETE FROM ledger WHERE seq = 2")
        }
        let check = try fixture.store.verifyLedger(policy: LadderPolicy())
        #expect(check.seq == 2)
        #expect(check.problem?.contains("patrol day 2026-11-10 ended there") == true)
    }

    @Test("a patrol day that fails half-way leaves nothing behind, and the next run does it once")
    func atomic() throws {
        try probe(day: 1) { $0 == "C00002" ? .timeout : .online }
        struct Crash: Error {}
        let failing = DailyPatrol(store: fixture.store, settings: DailyPatrolSettings(), beforeCommit: { _ in throw Crash() })
        #expect(throws: Crash.self) { try failing.runDue(now: morning(of: 2)) }
        let rows = try fixture.store.pool.read { db in
            try ["ledger", "camera_day", "venue_day", "patrol_day"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)")! }
        }
        #expect(rows == [0, 0, 0, 0])
        #expect(try patrol.runDue(now: morning(of: 2)).count == 1)
        #expect(try ledger() == ["2026-11-10 V0001 order 2026-11-13"])
    }
}
