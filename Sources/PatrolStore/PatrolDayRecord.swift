import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings

/// Everything the store knows about one patrolled day, read in one snapshot: what the daily
/// report is made of. Plain values; the report decides what to say with them.
public struct PatrolDayRecord: Sendable {
    /// A venue as the inventory registered it (the ladder's tier and supervisor are in `states`).
    public struct Venue: Sendable, Equatable {
        public var id: String
        public var name: String
        public var kind: String
        public var tier: Tier
        public var supervisor: String?
        public var address: String
    }

    /// One venue's verdict for the day.
    public struct VenueVerdict: Sendable, Equatable {
        public var verdict: Verdict?
        public var reason: String
    }

    /// A perimeter camera that failed the day, and since when it has been down (`Store.downSince`):
    /// never after the day's end, and always known, since a failed day is a day Patrol watched.
    public struct FailedPerimeterCamera: Sendable, Equatable {
        public var cameraID: String
        public var venueID: String
        public var reason: String
        public var since: Date
    }

    /// One patrolled day of the trend: its interior cameras by verdict, and the venues judged
    /// that day by their place on the ladder at its end.
    public struct TrendDay: Sendable, Equatable {
        public var day: PatrolDay
        public var interior: [Verdict: Int]
        public var standings: [Standing: Int]

        public init(day: PatrolDay, interior: [Verdict: Int], standings: [Standing: Int]) {
            self.day = day
            self.interior = interior
            self.standings = standings
        }
    }

    /// A camera's clock as its RTCP sender reports last gave it.
    public struct CameraClock: Sendable, Equatable {
        public var cameraID: String
        public var venueID: String
        /// The camera's clock minus Patrol's, seconds.
        public var offset: Double
        public var at: Date
    }

    /// A registration system's day as judged, and the name of its venue.
    public struct RegistrationSystemDay: Sendable, Equatable {
        public var day: RegistrationDay
        public var venueName: String
    }

    public var day: PatrolDay
    /// The ledger's head once the day was patrolled.
    public var headSeq: Int
    public var venues: [Venue]
    /// The day's camera verdicts, by camera.
    public var cameras: [CameraDay]
    /// The day before's, for the change; empty when that day was not patrolled.
    public var camerasBefore: [CameraDay]
    /// Every ledger entry since the previous patrolled day's head, through this day's.
    public var entries: [LedgerEntry]
    /// Where each venue stands on the ladder now.
    public var states: [String: VenueState]
    /// Venues commended in the 90 days up to the day.
    public var commended: [String]
    /// The day's failed perimeter cameras, by venue.
    public var failedPerimeter: [FailedPerimeterCamera]
    public var venueVerdicts: [String: VenueVerdict]
    /// Each camera's clock as last read (when the report is made), by camera; cameras without
    /// RTCP sender reports have none.
    public var clocks: [CameraClock] = []
    /// The day's registration systems, by venue and system; empty when the day patrolled none
    /// (no platform configured, or no venue declaring a system).
    public var registration: [RegistrationSystemDay] = []
    /// `patrol ledger verify`'s answer, for the day reported (its sealed verdicts) and the chain.
    public var integrity: LedgerCheck
    /// The last patrolled days up to this one (at most `Store.trendDays`), oldest first.
    public var trend: [TrendDay] = []
}

extension Store {
    /// The record of a patrolled day, in one snapshot; nil when the day has not been patrolled.
    /// The ledger check recomputes the sealed verdicts of that day, not of every day before: the
    /// report stays as fast in the ledger's fifth year as in its first.
    /// - Parameter trusted: the ledger's public key (hex) its seals are checked against.
    /// - Parameter timeZone: the patrol's, whose calendar days the verdicts are for.
    public func patrolDayRecord(_ day: PatrolDay, policy: LadderPolicy, trusted: String? = nil,
                                timeZone: TimeZone = DailyPatrolSettings().timeZone) throws -> PatrolDayRecord? {
        try pool.read { db in
            guard let head = try Int.fetchOne(db, sql: "SELECT head_seq FROM patrol_day WHERE day = ?", arguments: [day.description])
            else { return nil }
            let venues = try Row.fetchAll(db, sql: "SELECT id, name, kind, tier, supervisor, address FROM venue ORDER BY id").map { row in
                PatrolDayRecord.Venue(id: row["id"], name: row["name"], kind: row["kind"], tier: Tier(rawValue: row["tier"]) ?? .general,
                                      supervisor: row["supervisor"], address: row["address"])
            }
            let since = try Int.fetchOne(db, sql: "SELECT head_seq FROM patrol_day WHERE day < ? ORDER BY day DESC LIMIT 1",
                                         arguments: [day.description]) ?? 0
            let commended = try String.fetchAll(db, sql: """
                SELECT DISTINCT venue_id FROM ledger WHERE kind = 'commended' AND day > ? AND day <= ? ORDER BY venue_id
                """, arguments: [day.adding(-90).description, day.description])
            let failedPerimeter = try Row.fetchAll(db, sql: """
                SELECT camera_id, venue_id, reason FROM camera_day
                WHERE day = ? AND placement = 'perimeter' AND verdict = 'failed' ORDER BY venue_id, camera_id
                """, arguments: [day.description]).map { row in
                PatrolDayRecord.FailedPerimeterCamera(cameraID: row["camera_id"], venueID: row["venue_id"], reason: row["reason"],
                                                      since: try Self.downSince(db, camera: row["camera_id"], failed: day, in: timeZone))
            }
            let venueVerdicts = try Row.fetchAll(db, sql: "SELECT venue_id, verdict, reason FROM venue_day WHERE day = ?",
                                                 arguments: [day.description])
                .reduce(into: [String: PatrolDayRecord.VenueVerdict]()) {
                    $0[$1["venue_id"]] = .init(verdict: Verdict(rawValue: $1["verdict"]), reason: $1["reason"])
                }
            let clocks = try Row.fetchAll(db, sql: """
                SELECT s.camera_id, c.venue_id, s.clock_offset, s.clock_offset_at FROM camera_state s
                JOIN camera c ON c.id = s.camera_id
                WHERE s.clock_offset IS NOT NULL AND c.retired_at IS NULL ORDER BY s.camera_id
                """).map {
                PatrolDayRecord.CameraClock(cameraID: $0["camera_id"], venueID: $0["venue_id"], offset: $0["clock_offset"],
                                            at: $0["clock_offset_at"])
            }
            return PatrolDayRecord(
                day: day, headSeq: head, venues: venues, cameras: try Self.cameraVerdicts(db, day: day),
                camerasBefore: try Self.cameraVerdicts(db, day: day.adding(-1)),
                entries: try Store.ledger(in: db, after: since, through: head),
                states: try Store.ladder(in: db, policy: policy), commended: commended, failedPerimeter: failedPerimeter,
                venueVerdicts: venueVerdicts, clocks: clocks, registration: try Self.registrationDays(db, day: day),
                integrity: try Store.verifyLedger(in: db, policy: policy, trusted: trusted, verdictsFrom: day),
                trend: try Self.trend(db, through: day))
        }
    }

    /// Since when a camera that failed `day` has been down, as the store knew it at the day's end
    /// (never later, whenever it is asked: the camera's state now may be a later failure, or up):
    /// - when the camera was down at the day's end, since it went down and stayed down: the first
    ///   failed probe of the run that took it down (a status is declared down a few probes after
    ///   that; when the raw results are past their retention, that declaration's time);
    /// - otherwise (up again, or failing on and off without going down), since its failing began
    ///   in the run of failed days that ends on `day`: the first time it went down in that run, or
    ///   was already down as the run began; else its first failed probe in the run (raw results,
    ///   kept a week), else the first hour with a failed probe (the hourly roll-ups, kept two
    ///   years), else the start of the run's first day.
    static func downSince(_ db: Database, camera: String, failed day: PatrolDay, in zone: TimeZone) throws -> Date {
        let end = day.adding(1).start(in: zone)
        let last = try Row.fetchOne(db, sql: """
            SELECT at, to_status FROM state_event WHERE camera_id = ? AND at < ? ORDER BY at DESC, id DESC LIMIT 1
            """, arguments: [camera, end])
        if let last, last["to_status"] == CameraStatus.down.rawValue { return try wentDown(db, camera: camera, declared: last["at"]) }

        // The run of failed days that ends on the day.
        var first = day
        let days = try String.fetchAll(db, sql: """
            SELECT day FROM camera_day WHERE camera_id = ? AND day < ? AND verdict = 'failed' ORDER BY day DESC
            """, arguments: [camera, day.description])
        for earlier in days.compactMap(PatrolDay.init) {
            guard earlier == first.adding(-1) else { break }
            first = earlier
        }
        let start = first.start(in: zone)
        let before = try Row.fetchOne(db, sql: """
            SELECT at, to_status FROM state_event WHERE camera_id = ? AND at < ? ORDER BY at DESC, id DESC LIMIT 1
            """, arguments: [camera, start])
        if let before, before["to_status"] == CameraStatus.down.rawValue {
            return try wentDown(db, camera: camera, declared: before["at"])
        }
        let arguments: StatementArguments = [camera, start, end]
        if let down = try Date.fetchOne(db, sql: """
            SELECT min(at) FROM state_event WHERE camera_id = ? AND to_status = 'down' AND at >= ? AND at < ?
            """, arguments: arguments) { return try wentDown(db, camera: camera, declared: down) }
        if let probe = try Date.fetchOne(db, sql: """
            SELECT min(at) FROM probe_result WHERE camera_id = ? AND at >= ? AND at < ? AND outcome != 'online'
            """, arguments: arguments) { return probe }
        if let hour = try Date.fetchOne(db, sql: """
            SELECT min(start) FROM rollup WHERE camera_id = ? AND period = 'hour' AND start >= ? AND start < ? AND probes > n_online
            """, arguments: arguments) { return hour }
        return start
    }

    /// The first failed probe of the run that made a camera's status go down at `declared`; the
    /// declaration's own time when the raw results are gone.
    static func wentDown(_ db: Database, camera: String, declared: Date) throws -> Date {
        let good = try Date.fetchOne(db, sql: """
            SELECT max(at) FROM probe_result WHERE camera_id = ? AND at < ? AND outcome = 'online'
            """, arguments: [camera, declared])
        var arguments: StatementArguments = [camera, declared]
        if let good { arguments += [good] }
        let first = try Date.fetchOne(db, sql: """
            SELECT min(at) FROM probe_result WHERE camera_id = ? AND at <= ? AND outcome != 'online'\(good == nil ? "" : " AND at > ?")
            """, arguments: arguments)
        return first ?? declared
    }

    /// How many patrolled days the report's trend covers.
    public static let trendDays = 30

    /// The last `trendDays` patrolled days up to `day`, oldest first: interior cameras by verdict,
    /// and the venues judged each day by their place on the ladder at its end, as the ledger in
    /// force today has it (an entry revoked since does not count; a step worked out again counts
    /// on its day).
    static func trend(_ db: Database, through day: PatrolDay) throws -> [PatrolDayRecord.TrendDay] {
        let days = try String.fetchAll(db, sql: "SELECT day FROM patrol_day WHERE day <= ? ORDER BY day DESC LIMIT ?",
                                       arguments: [day.description, trendDays]).compactMap(PatrolDay.init).reversed()
        guard let first = days.first else { return [] }
        let range: StatementArguments = [first.description, day.description]
        var interior: [PatrolDay: [Verdict: Int]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT day, verdict, count(*) AS n FROM camera_day WHERE day >= ? AND day <= ? AND placement = 'interior'
            GROUP BY day, verdict
            """, arguments: range) {
            guard let judged = PatrolDay(row["day"]), let verdict = Verdict(rawValue: row["verdict"]) else { continue }
            interior[judged, default: [:]][verdict] = row["n"]
        }
        var judged: [PatrolDay: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT day, venue_id FROM venue_day WHERE day >= ? AND day <= ?", arguments: range) {
            if let on = PatrolDay(row["day"]) { judged[on, default: []].append(row["venue_id"]) }
        }
        // The steps that move a venue on the ladder, in force, by venue and in the order of their days.
        let kinds: [EntryKind] = [.order, .warning, .suspension, .closure, .rectified, .reinstated, .revoked]
        let entries = try Row.fetchAll(db, sql: """
            SELECT \(LedgerEntry.columns) FROM ledger WHERE kind IN (\(placeholders(kinds.count))) AND day <= ? ORDER BY seq
            """, arguments: StatementArguments(kinds.map(\.rawValue) + [day.description])).map(LedgerEntry.init(row:))
        var steps = Dictionary(grouping: LedgerView(entries).effective.filter { $0.kind != .revoked }, by: \.venueID)
            .mapValues { $0.sorted { ($0.day, $0.seq) < ($1.day, $1.seq) }[...] }
        var ladders: [String: LadderSteps] = [:]
        return days.map { trendDay in
            var standings: [Standing: Int] = [:]
            for venue in judged[trendDay] ?? [] {
                var ladder = ladders[venue] ?? LadderSteps()
                while let next = steps[venue]?.first, next.day <= trendDay {
                    ladder.apply(next.kind)
                    steps[venue]?.removeFirst()
                }
                ladders[venue] = ladder
                standings[ladder.standing, default: 0] += 1
            }
            return PatrolDayRecord.TrendDay(day: trendDay, interior: interior[trendDay] ?? [:], standings: standings)
        }
    }

    static func registrationDays(_ db: Database, day: PatrolDay) throws -> [PatrolDayRecord.RegistrationSystemDay] {
        try Row.fetchAll(db, sql: """
            SELECT r.*, v.name AS venue_name FROM registration_day r LEFT JOIN venue v ON v.id = r.venue_id
            WHERE r.day = ? ORDER BY r.venue_id, r.system_id
            """, arguments: [day.description]).compactMap { row in
            guard let verdict = Verdict(rawValue: row["verdict"]) else { return nil }
            let facts = RegistrationDayFacts(
                readSeconds: row["read_s"], seenSeconds: row["seen_s"], onlineSeconds: row["online_s"],
                longestWaitSeconds: row["longest_wait_s"], waitingAtLongest: row["waiting"], stuckSince: row["stuck_since"],
                errorsWhileOnline: row["upload_errors"], lastError: row["last_error"], uploaded: row["uploaded"], samples: row["samples"])
            return PatrolDayRecord.RegistrationSystemDay(
                day: RegistrationDay(systemID: row["system_id"], venueID: row["venue_id"], verdict: verdict, reason: row["reason"],
                                     facts: facts, quiet: row["quiet"]),
                venueName: (row["venue_name"] as String?) ?? row["venue_id"])
        }
    }

    static func cameraVerdicts(_ db: Database, day: PatrolDay) throws -> [CameraDay] {
        try Row.fetchAll(db, sql: "SELECT * FROM camera_day WHERE day = ? ORDER BY camera_id", arguments: [day.description])
            .compactMap { row in
                guard let placement = Placement(rawValue: row["placement"]), let verdict = Verdict(rawValue: row["verdict"])
                else { return nil }
                return CameraDay(
                    cameraID: row["camera_id"], venueID: row["venue_id"], placement: placement, verdict: verdict,
                    reason: row["reason"],
                    facts: CameraDayFacts(watchedSeconds: row["watched_s"], onlineSeconds: row["online_s"],
                                          frozenOrBlackSeconds: row["frozen_black_s"], probes: row["probes"],
                                          mainFailure: (row["main_failure"] as String?).flatMap(Outcome.init(rawValue:))),
                    pictures: (try? JSONDecoder().decode([String].self, from: Data((row["pictures"] as String).utf8))) ?? [])
            }
    }
}

/// A venue's place on the ladder as its steps in the ledger move it, the way `VenueState.standing`
/// reads the state the ladder derives: closed for good, suspended until reinstated (a suspension
/// rectified stays suspended), else the step still open.
struct LadderSteps {
    var open: EntryKind?
    var suspended = false
    var closed = false

    mutating func apply(_ kind: EntryKind) {
        switch kind {
        case .order, .warning: open = kind
        case .suspension: (open, suspended) = (kind, true)
        case .closure: (open, closed) = (nil, true)
        case .rectified: open = nil
        case .reinstated: suspended = false
        default: break
        }
    }

    var standing: Standing {
        if closed { return .closed }
        if suspended { return .suspended }
        switch open {
        case .warning?: return .warned
        case .some: return .ordered
        case nil: return .clean
        }
    }
}
