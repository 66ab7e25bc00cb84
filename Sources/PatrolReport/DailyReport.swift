import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolStore

/// Everything the daily compliance report says about one patrol day, read from the store in
/// one transaction once the day has been patrolled. The renderers (text, HTML, CSV) only format.
public struct DailyReport: Sendable, Equatable {
    /// Cameras counted by their verdict for a day, perimeter beside interior.
    public struct Figures: Sendable, Equatable {
        public var interior: [Verdict: Int] = [:]
        public var perimeter: [Verdict: Int] = [:]
        /// Failed cameras by the failure seen longest (`timeout`, `black`, …).
        public var failedBy: [String: Int] = [:]

        public init() {}

        public func count(_ verdict: Verdict) -> Int { (interior[verdict] ?? 0) + (perimeter[verdict] ?? 0) }
        public var total: Int { interior.values.reduce(0, +) + perimeter.values.reduce(0, +) }

        /// Compliant interior cameras among those judged (compliant or failed); nil when none was.
        public var interiorCompliance: Double? {
            let judged = (interior[.compliant] ?? 0) + (interior[.failed] ?? 0)
            return judged == 0 ? nil : Double(interior[.compliant] ?? 0) / Double(judged)
        }
    }

    /// A venue as the report names it.
    public struct VenueName: Sendable, Equatable, Hashable {
        public var id: String
        public var name: String
        public var tier: Tier
        public var supervisor: String?
    }

    /// One ledger entry recorded since the previous patrol, with its evidence in one line.
    public struct Event: Sendable, Equatable {
        public var seq: Int
        public var kind: EntryKind
        /// Nil for a waiver over the whole district.
        public var venue: VenueName?
        public var day: PatrolDay
        public var deadline: PatrolDay?
        public var actor: String
        public var line: String
    }

    /// An order, warning or suspension whose deadline is today or tomorrow.
    public struct Due: Sendable, Equatable {
        public var venue: VenueName
        public var kind: EntryKind
        public var opened: PatrolDay
        public var deadline: PatrolDay
    }

    /// A perimeter camera down, for the city's maintenance team.
    public struct MaintenanceItem: Sendable, Equatable {
        public var cameraID: String
        public var venue: VenueName
        public var address: String
        public var reason: String
        /// Since when the camera has been failing, as far as the store knows.
        public var since: Date?
    }

    public struct Offender: Sendable, Equatable {
        public var venue: VenueName
        public var failures: Int
        public var standing: Standing
    }

    /// One camera's day, for the CSV attachment.
    public struct CameraRow: Sendable, Equatable {
        public var cameraID: String
        public var venue: VenueName
        public var placement: Placement
        public var verdict: Verdict
        public var reason: String
        public var onlinePercent: Double
        public var frozenOrBlackMinutes: Int
        public var watchedHours: Double
        public var probes: Int
        public var mainFailure: String?
    }

    /// One venue's day and standing, for the CSV attachment.
    public struct VenueRow: Sendable, Equatable {
        public var venue: VenueName
        public var kind: String
        public var verdict: Verdict?
        public var reason: String
        public var standing: Standing
        public var deadline: PatrolDay?
    }

    public var day: PatrolDay
    public var figures: Figures
    /// The day before, for the change; nil when it was not patrolled.
    public var previous: Figures?
    public var standings: [Standing: Int]
    public var events: [Event]
    public var due: [Due]
    /// Priority venues and who supervises them.
    public var priority: [VenueName]
    public var maintenance: [MaintenanceItem]
    public var repeatOffenders: [Offender]
    /// Venues commended (90 clean days in a row) in the last 90 days.
    public var commendations: [VenueName]
    public var integrity: LedgerCheck
    public var cameras: [CameraRow]
    public var venues: [VenueRow]

    /// The report is sent the morning after the day: "today" is the day after.
    public var today: PatrolDay { day.adding(1) }
}

public enum ReportError: Error, CustomStringConvertible, Equatable {
    case notPatrolled(PatrolDay)

    public var description: String {
        switch self {
        case .notPatrolled(let day): "\(day) has not been patrolled yet: there is no report for it"
        }
    }
}

extension DailyReport {
    /// Reads the report for `day` from the store, in one snapshot.
    /// - Parameter trusted: the ledger's public key (hex) its seals are checked against.
    public static func build(from store: Store, day: PatrolDay, policy: LadderPolicy, trusted: String? = nil) throws -> DailyReport {
        try store.pool.read { db in try build(db, day: day, policy: policy, trusted: trusted) }
    }

    /// The same inside a transaction the caller holds (the daily patrol's, for the outbox). The
    /// ledger check recomputes the sealed verdicts of the day reported, not of every day before:
    /// the daily patrol stays as fast in its fifth year as in its first.
    public static func build(_ db: Database, day: PatrolDay, policy: LadderPolicy, trusted: String? = nil) throws -> DailyReport {
        try build(db, day: day, states: try Store.ladder(in: db, policy: policy),
                  integrity: try Store.verifyLedger(in: db, policy: policy, trusted: trusted, verdictsFrom: day), policy: policy)
    }

    static func build(_ db: Database, day: PatrolDay, states: [String: VenueState], integrity: LedgerCheck,
                      policy: LadderPolicy) throws -> DailyReport {
        guard let patrolled = try Row.fetchOne(db, sql: "SELECT position, head_seq FROM patrol_day WHERE day = ?",
                                               arguments: [day.description])
        else { throw ReportError.notPatrolled(day) }
        var names: [String: VenueName] = [:], addresses: [String: String] = [:], kinds: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, name, kind, tier, supervisor, address FROM venue") {
            let id: String = row["id"]
            let state = states[id]
            names[id] = VenueName(id: id, name: row["name"], tier: state?.tier ?? Tier(rawValue: row["tier"]) ?? .general,
                                  supervisor: state?.supervisor ?? row["supervisor"])
            addresses[id] = row["address"]
            kinds[id] = row["kind"]
        }
        func name(_ id: String) -> VenueName { names[id] ?? VenueName(id: id, name: id, tier: .general, supervisor: nil) }

        // The cameras' day, and the day before for the change.
        let cameraRows = try Row.fetchAll(db, sql: "SELECT * FROM camera_day WHERE day = ? ORDER BY camera_id",
                                          arguments: [day.description])
        let cameras: [CameraRow] = cameraRows.compactMap { row in
            guard let placement = Placement(rawValue: row["placement"]), let verdict = Verdict(rawValue: row["verdict"])
            else { return nil }
            let facts = CameraDayFacts(watchedSeconds: row["watched_s"], onlineSeconds: row["online_s"],
                                       frozenOrBlackSeconds: row["frozen_black_s"], probes: row["probes"], mainFailure: nil)
            return CameraRow(cameraID: row["camera_id"], venue: name(row["venue_id"]), placement: placement, verdict: verdict,
                             reason: row["reason"], onlinePercent: facts.onlinePercent,
                             frozenOrBlackMinutes: facts.frozenOrBlackMinutes, watchedHours: facts.watchedHours,
                             probes: facts.probes, mainFailure: row["main_failure"])
        }
        let figures = Figures(cameras)
        let before = try Row.fetchAll(db, sql: "SELECT placement, verdict, main_failure FROM camera_day WHERE day = ?",
                                      arguments: [day.adding(-1).description])
        let previous: Figures? = before.isEmpty ? nil : Figures(before.compactMap { row in
            guard let placement = Placement(rawValue: row["placement"]), let verdict = Verdict(rawValue: row["verdict"]) else { return nil }
            return (placement, verdict, row["main_failure"])
        })

        // What happened: every entry since the previous patrol day's head.
        let since = try Int.fetchOne(db, sql: "SELECT head_seq FROM patrol_day WHERE day < ? ORDER BY day DESC LIMIT 1",
                                     arguments: [day.description]) ?? 0
        let head: Int = patrolled["head_seq"]
        let events = try Store.ledger(in: db, after: since, through: head).map { entry in
            Event(seq: entry.seq, kind: entry.kind, venue: entry.venueID == "*" ? nil : name(entry.venueID), day: entry.day,
                  deadline: entry.deadline, actor: entry.actor, line: entry.reason)
        }

        // Where each venue stands now.
        var standings: [Standing: Int] = [:]
        var due: [Due] = [], offenders: [Offender] = []
        for (id, state) in states.sorted(by: { $0.key < $1.key }) where names[id] != nil {
            standings[state.standing, default: 0] += 1
            if let open = state.open, open.deadline <= day.adding(2), open.deadline >= day.adding(1) {
                due.append(Due(venue: name(id), kind: open.kind, opened: open.opened, deadline: open.deadline))
            }
            let failures = state.failures.filter { day - $0 < policy.failureWindowDays }.count
            if failures >= 2 { offenders.append(Offender(venue: name(id), failures: failures, standing: state.standing)) }
        }
        due.sort { ($0.deadline, $0.venue.id) < ($1.deadline, $1.venue.id) }
        offenders.sort { ($1.failures, $0.venue.id) < ($0.failures, $1.venue.id) }
        let commended = try String.fetchAll(db, sql: """
            SELECT DISTINCT venue_id FROM ledger WHERE kind = 'commended' AND day > ? AND day <= ? ORDER BY venue_id
            """, arguments: [day.adding(-90).description, day.description])

        // The city's list: perimeter cameras that failed the day, and since when.
        let maintenance = try Row.fetchAll(db, sql: """
            SELECT d.camera_id, d.venue_id, d.reason, s.failing_since, s.status_since, s.status FROM camera_day d
            LEFT JOIN camera_state s ON s.camera_id = d.camera_id
            WHERE d.day = ? AND d.placement = 'perimeter' AND d.verdict = 'failed' ORDER BY d.venue_id, d.camera_id
            """, arguments: [day.description]).map { row in
            let status: String? = row["status"]
            let since: Date? = row["failing_since"] ?? (status == "down" ? row["status_since"] : nil)
            return MaintenanceItem(cameraID: row["camera_id"], venue: name(row["venue_id"]),
                                   address: addresses[row["venue_id"]] ?? "", reason: row["reason"], since: since)
        }

        let verdicts = try Row.fetchAll(db, sql: "SELECT venue_id, verdict, reason FROM venue_day WHERE day = ?",
                                        arguments: [day.description])
            .reduce(into: [String: (Verdict?, String)]()) { $0[$1["venue_id"]] = (Verdict(rawValue: $1["verdict"]), $1["reason"]) }
        let venues: [VenueRow] = names.keys.sorted().map { id in
            let state = states[id] ?? VenueState(tier: name(id).tier, supervisor: name(id).supervisor)
            let judged = verdicts[id]
            return VenueRow(venue: name(id), kind: kinds[id] ?? "", verdict: judged?.0, reason: judged?.1 ?? "not judged",
                            standing: state.standing, deadline: state.open?.deadline)
        }

        return DailyReport(
            day: day, figures: figures, previous: previous, standings: standings, events: events, due: due,
            priority: names.values.filter { $0.tier == .priority && states[$0.id]?.closed != true }.sorted { $0.id < $1.id },
            maintenance: maintenance, repeatOffenders: offenders, commendations: commended.map(name), integrity: integrity,
            cameras: cameras, venues: venues)
    }
}

extension DailyReport.Figures {
    init(_ rows: [DailyReport.CameraRow]) {
        self.init(rows.map { ($0.placement, $0.verdict, $0.mainFailure) })
    }

    init(_ rows: [(Placement, Verdict, String?)]) {
        self.init()
        for (placement, verdict, failure) in rows {
            if placement == .interior { interior[verdict, default: 0] += 1 } else { perimeter[verdict, default: 0] += 1 }
            if verdict == .failed { failedBy[failure ?? "other", default: 0] += 1 }
        }
    }
}

extension DailyReport {
    /// The report as one supervisor needs it: only the venues they supervise.
    public func forSupervisor(_ supervisor: String) -> DailyReport {
        func mine(_ venue: VenueName?) -> Bool { venue?.supervisor == supervisor }
        var report = self
        report.events = events.filter { mine($0.venue) || $0.venue == nil }
        report.due = due.filter { mine($0.venue) }
        report.priority = priority.filter(mine)
        report.maintenance = []
        report.repeatOffenders = repeatOffenders.filter { mine($0.venue) }
        report.commendations = commendations.filter(mine)
        report.cameras = cameras.filter { mine($0.venue) }
        report.venues = venues.filter { mine($0.venue) }
        return report
    }

    /// Every supervisor named on a venue, for sending each their part.
    public var supervisors: [String] { Set(venues.compactMap(\.venue.supervisor)).sorted() }
}
