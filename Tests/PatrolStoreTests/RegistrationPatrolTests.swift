import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolRegistration
import PatrolSettings
import PatrolTestSupport
import Testing
@testable import PatrolStore

/// The registration half of the daily patrol on a real SQLite file: the platform's reads kept
/// as patrold keeps them, the days judged, the ladder walked, the ledger verified.
@Suite("Registration systems in the daily patrol and the ledger")
struct RegistrationPatrolTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day1 = PatrolDay(year: 2026, month: 11, day: 10)
    /// Reads every 15 minutes, each standing for up to 30 minutes.
    static let judging: RegistrationJudging = {
        var judging = RegistrationJudging()
        judging.coverage = 1820
        return judging
    }()

    let fixture: TemporaryStore
    let patrol: DailyPatrol

    init() throws {
        fixture = try TemporaryStore()
        // V0001..V0004, each with one perimeter and two interior cameras (C00001…C00012); V0001 to
        // V0003 with a registration terminal each, V0004 declared to have none.
        let small = try TestDistrict.small(venues: 4)
        let venues = small.venues.map { venue -> Venue in
            var venue = venue
            venue.registration = venue.id == "V0004" ? .noSystem : .systems(["HTL-" + venue.id.dropFirst()])
            return venue
        }
        try fixture.seed(Inventory(venues: venues, cameras: small.cameras), since: Self.day1.start(in: Self.zone).addingTimeInterval(-86_400))
        var settings = DailyPatrolSettings()
        settings.registration = Self.judging
        patrol = DailyPatrol(store: fixture.store, settings: settings)
    }

    static func day(_ number: Int) -> PatrolDay { day1.adding(number - 1) }
    func morning(of number: Int) -> Date { Self.day(number).start(in: Self.zone, hour: 7) }

    /// A healthy terminal's sample at `at`.
    static func healthy(_ system: String, at: Date) -> RegistrationSample {
        RegistrationSample(systemID: system, at: at, online: true, lastHeartbeat: at.addingTimeInterval(-30),
                           lastUpload: at.addingTimeInterval(-300), uploadedToday: 12)
    }

    /// A day of the platform's reads every 15 minutes: each system as `state` says (nil: left out of the answer).
    func platform(day number: Int, _ state: (String, Date) -> RegistrationSample? = { healthy($0, at: $1) }) throws {
        let start = Self.day(number).start(in: Self.zone)
        for quarter in 0..<96 {
            let at = start.addingTimeInterval(Double(quarter) * 900)
            let samples = ["HTL-0001", "HTL-0002", "HTL-0003"].compactMap { state($0, at) }
            try fixture.store.recordRegistration(RegistrationReading(at: at, source: .platform, platformOffset: 0.2, samples: samples),
                                                 heartbeatTimeout: Self.judging.heartbeatTimeout)
        }
    }

    /// A day the platform could not be read: every attempt failed.
    func platformDown(day number: Int) throws {
        let start = Self.day(number).start(in: Self.zone)
        for quarter in 0..<96 {
            try fixture.store.recordRegistrationFailure(at: start.addingTimeInterval(Double(quarter) * 900), source: "http",
                                                        reason: "the platform answered HTTP 500")
        }
    }

    func probe(day number: Int, _ outcome: @escaping (String) -> Outcome = { _ in .online }) throws {
        try fixture.probe(Self.day(number), in: Self.zone, cameras: 12, outcome)
    }

    func steps(_ venue: String) throws -> [String] {
        try fixture.store.ledger(venue: venue).map { "\($0.day) \($0.kind.rawValue)" + ($0.deadline.map { " \($0)" } ?? "") }
    }

    @Test("uploads stuck walk the ladder exactly as a black camera does; each step's evidence names the system that failed")
    func stuckLikeBlack() throws {
        for number in 1...4 {
            let stuckSince = Self.day(1).start(in: Self.zone, hour: 3)
            try platform(day: number) { system, at in
                var sample = Self.healthy(system, at: at)
                if system == "HTL-0001", at > stuckSince { (sample.waiting, sample.oldestWaiting) = (5, stuckSince) }
                return sample
            }
            // V0002's interior camera C00005 black all day.
            try probe(day: number) { $0 == "C00005" ? .black : .online }
        }
        let reports = try patrol.runDue(now: morning(of: 5))
        #expect(reports.map(\.day) == (1...4).map(Self.day))
        #expect(reports[0].registration == [.failed: 1, .compliant: 2])
        #expect(reports[0].summary.contains("registration systems 2 compliant, 1 failed"))
        // The same steps on the same days: an order, its deadline missed, a warning.
        #expect(try steps("V0001") == ["2026-11-10 order 2026-11-13", "2026-11-13 deadline_missed 2026-11-13", "2026-11-13 warning 2026-11-16"])
        #expect(try steps("V0001") == steps("V0002"))
        #expect(try steps("V0003").isEmpty)
        let order = try #require(try fixture.store.ledger(venue: "V0001", kinds: [.order]).first)
        #expect(order.reason == "rectify by 2026-11-13: registration: HTL-0001 uploads stuck since 03:00 "
            + "(5 records waiting, the oldest for 20.8 h; at most 120 min)")
        #expect(order.evidence.contains(#""failed":["registration"]"#))
        #expect(order.evidence.contains(#""system":"HTL-0001""#))
        let black = try #require(try fixture.store.ledger(venue: "V0002", kinds: [.order]).first)
        #expect(black.reason.hasPrefix("rectify by 2026-11-13: video: 1 of 2 interior cameras failed: C00005"))
        #expect(black.evidence.contains(#""failed":["video"]"#))
        // V0004 declares no system: judged on video alone, in the words from before registration.
        let none = try fixture.store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT reason FROM venue_day WHERE venue_id = 'V0004' AND day = '2026-11-10'")
        }
        #expect(none == "all 2 interior cameras compliant")
        #expect(try fixture.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM registration_day") } == 12)
        // The venue's recent days, newest first, as `patrol registration --venue` lists them.
        let days = try #require(try fixture.store.registration(venue: "V0001").days)
        #expect(days.map(\.day) == (1...4).reversed().map(Self.day))
        #expect(days.allSatisfy { $0.verdict == .failed && $0.reason.hasPrefix("uploads stuck since 2026-11-10 03:00") || $0.day == Self.day(1) })
        #expect(try fixture.store.registration().days == nil)
        #expect(try fixture.store.verifyLedger(policy: LadderPolicy()).ok)
    }

    @Test("video and registration failing on different days: order on registration, rectified, relapse on video")
    func differentDays() throws {
        // Day 1: HTL-0003 offline all day; day 2: all well; day 4: C00008 (V0003) frozen.
        try platform(day: 1) { system, at in
            var sample = Self.healthy(system, at: at)
            sample.online = system != "HTL-0003"
            return sample
        }
        try probe(day: 1)
        for number in 2...4 {
            try platform(day: number)
            try probe(day: number) { number == 4 && $0 == "C00008" ? .frozen : .online }
        }
        try patrol.runDue(now: morning(of: 5))
        #expect(try steps("V0003") == ["2026-11-10 order 2026-11-13", "2026-11-11 rectified", "2026-11-13 relapse",
                                       "2026-11-13 tier_changed", "2026-11-13 warning 2026-11-15"])
        let entries = try fixture.store.ledger(venue: "V0003")
        #expect(entries[0].reason.contains("registration: HTL-0003 offline for 1440 min (online 0% of 24.0 h seen, needs 95%)"))
        #expect(entries[2].reason.contains("video: 1 of 2 interior cameras failed: C00008"))
        #expect(entries[2].evidence.contains(#""failed":["video"]"#))
        #expect(try fixture.store.verifyLedger(policy: LadderPolicy()).ok)
    }

    @Test("the platform down for a day: registration unknown, nobody's day failed for it, deadlines extended")
    func platformOutage() throws {
        try platform(day: 1) { system, at in
            var sample = Self.healthy(system, at: at)
            sample.online = system != "HTL-0002"
            return sample
        }
        try probe(day: 1)
        try platformDown(day: 2)
        try probe(day: 2)
        let reports = try patrol.runDue(now: morning(of: 3))
        #expect(reports[1].registration == [.unknown: 3])
        #expect(reports[1].venues == [.unknown: 3, .compliant: 1])
        #expect(try steps("V0002") == ["2026-11-10 order 2026-11-13", "2026-11-11 deadline_extended 2026-11-14"])
        #expect(try steps("V0001").isEmpty)
        let reason = try fixture.store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT reason FROM venue_day WHERE venue_id = 'V0001' AND day = '2026-11-11'")
        }
        #expect(reason == "registration: HTL-0001 registration platform read for 0.0 h of 24.0 h; not enough to judge")
    }

    @Test("a partial answer: the systems left out are not offline, and their day is unknown if they stay out")
    func missingFromAnswer() throws {
        try platform(day: 1) { system, at in system == "HTL-0002" ? nil : Self.healthy(system, at: at) }
        try probe(day: 1)
        try patrol.runDue(now: morning(of: 2))
        #expect(try steps("V0002").isEmpty)
        let verdicts = try fixture.store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT system_id, verdict FROM registration_day ORDER BY system_id").map { "\($0[0] as String) \($0[1] as String)" }
        }
        #expect(verdicts == ["HTL-0001 compliant", "HTL-0002 unknown", "HTL-0003 compliant"])
        let read = try fixture.store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT missing_systems, error FROM registration_read ORDER BY id DESC LIMIT 1")
        }
        #expect(read?["missing_systems"] == 1)
        #expect((read?["error"] as String?)?.contains("HTL-0002") == true)
        // Never in an answer: listed as unseen, not offline.
        #expect(try fixture.store.registration(downOnly: true).systems.map { "\($0.systemID) \($0.state)" } == ["HTL-0002 unseen"])
    }

    @Test("the day's seal covers its registration verdicts: one edited behind Patrol's back fails the check")
    func sealed() throws {
        let sealed = try TemporaryStore(sealed: true)
        let small = try TestDistrict.small(venues: 1)
        var venue = small.venues[0]
        venue.registration = .systems(["HTL-0001"])
        try sealed.seed(Inventory(venues: [venue], cameras: small.cameras), since: Self.day1.start(in: Self.zone).addingTimeInterval(-86_400))
        let start = Self.day(1).start(in: Self.zone)
        for quarter in 0..<96 {
            let at = start.addingTimeInterval(Double(quarter) * 900)
            var sample = Self.healthy("HTL-0001", at: at)
            sample.online = quarter < 48
            try sealed.store.recordRegistration(RegistrationReading(at: at, source: .platform, samples: [sample]), heartbeatTimeout: 900)
        }
        try sealed.probe(Self.day(1), in: Self.zone, cameras: 3)
        var settings = DailyPatrolSettings()
        settings.registration = Self.judging
        try DailyPatrol(store: sealed.store, settings: settings).runDue(now: morning(of: 2))
        #expect(try sealed.store.verifyLedger(policy: LadderPolicy()).ok)
        // registration_day is append-only: an UPDATE through Patrol's own connection is refused…
        #expect(throws: DatabaseError.self) {
            try sealed.store.pool.write { try $0.execute(sql: "UPDATE registration_day SET verdict = 'compliant'") }
        }
        // …and one made with the trigger dropped, as sqlite3 could, breaks the day's seal.
        try sealed.store.pool.write { db in
            try db.execute(sql: """
                DROP TRIGGER registration_day_no_update;
                UPDATE registration_day SET verdict = 'compliant', reason = 'online 100% of 24.0 h seen; 12 records uploaded'
                """)
        }
        let check = try sealed.store.verifyLedger(policy: LadderPolicy())
        #expect(!check.ok)
        #expect(check.problem?.contains("2026-11-10") == true)
    }
}
