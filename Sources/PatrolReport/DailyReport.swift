import Foundation
import PatrolInventory
import PatrolLedger
import PatrolSettings
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

        public init(id: String, name: String, tier: Tier, supervisor: String?) {
            self.id = id
            self.name = name
            self.tier = tier
            self.supervisor = supervisor
        }
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
        /// SHA-256 of the pictures the entry's evidence cites (a faulty picture's), in order.
        public var pictures: [String] = []

        public init(seq: Int, kind: EntryKind, venue: VenueName?, day: PatrolDay, deadline: PatrolDay?, actor: String, line: String,
                    pictures: [String] = []) {
            self.seq = seq
            self.kind = kind
            self.venue = venue
            self.day = day
            self.deadline = deadline
            self.actor = actor
            self.line = line
            self.pictures = pictures
        }
    }

    /// An order, warning or suspension whose deadline is today or tomorrow.
    public struct Due: Sendable, Equatable {
        public var venue: VenueName
        public var kind: EntryKind
        public var opened: PatrolDay
        public var deadline: PatrolDay

        public init(venue: VenueName, kind: EntryKind, opened: PatrolDay, deadline: PatrolDay) {
            self.venue = venue
            self.kind = kind
            self.opened = opened
            self.deadline = deadline
        }
    }

    /// A perimeter camera down, for the city's maintenance team.
    public struct MaintenanceItem: Sendable, Equatable {
        public var cameraID: String
        public var venue: VenueName
        public var address: String
        public var reason: String
        /// Since when the camera has been down, never after the day's end (`Store.downSince`).
        public var since: Date

        public init(cameraID: String, venue: VenueName, address: String, reason: String, since: Date) {
            self.cameraID = cameraID
            self.venue = venue
            self.address = address
            self.reason = reason
            self.since = since
        }
    }

    /// A camera whose clock is off by more than the tolerance.
    public struct ClockItem: Sendable, Equatable {
        public var cameraID: String
        public var venue: VenueName
        /// The camera's clock minus Patrol's, seconds.
        public var offset: Double
        public var at: Date
    }

    public struct Offender: Sendable, Equatable {
        public var venue: VenueName
        public var failures: Int
        public var standing: Standing

        public init(venue: VenueName, failures: Int, standing: Standing) {
            self.venue = venue
            self.failures = failures
            self.standing = standing
        }
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
        /// The camera's clock minus Patrol's as last read, seconds; nil when the camera never gave it.
        public var clockOffset: Double?

        public init(cameraID: String, venue: VenueName, placement: Placement, verdict: Verdict, reason: String, onlinePercent: Double,
                    frozenOrBlackMinutes: Int, watchedHours: Double, probes: Int, mainFailure: String?, clockOffset: Double? = nil) {
            self.cameraID = cameraID
            self.venue = venue
            self.placement = placement
            self.verdict = verdict
            self.reason = reason
            self.onlinePercent = onlinePercent
            self.frozenOrBlackMinutes = frozenOrBlackMinutes
            self.watchedHours = watchedHours
            self.probes = probes
            self.mainFailure = mainFailure
            self.clockOffset = clockOffset
        }
    }

    /// One venue's day and standing, for the CSV attachment.
    public struct VenueRow: Sendable, Equatable {
        public var venue: VenueName
        public var kind: String
        public var verdict: Verdict?
        public var reason: String
        public var standing: Standing
        public var deadline: PatrolDay?
        /// Failures (missed deadlines, relapses) within the failure window.
        public var failures: Int
        /// Commended within the last 90 days.
        public var commended: Bool

        public init(venue: VenueName, kind: String, verdict: Verdict?, reason: String, standing: Standing, deadline: PatrolDay?,
                    failures: Int = 0, commended: Bool = false) {
            self.venue = venue
            self.kind = kind
            self.verdict = verdict
            self.reason = reason
            self.standing = standing
            self.deadline = deadline
            self.failures = failures
            self.commended = commended
        }
    }

    /// One registration system's day: the venue's real-name registration terminal as the
    /// registration platform reported it.
    public struct RegistrationRow: Sendable, Equatable {
        public var systemID: String
        public var venue: VenueName
        public var verdict: Verdict
        public var reason: String
        /// Online share of the time the system was in the platform's answers.
        public var onlinePercent: Double
        public var offlineMinutes: Int
        /// The longest any record waited to upload at a read, and how many waited then.
        public var longestWaitMinutes: Int
        public var waiting: Int
        /// When the record that waited too long began waiting; nil when none did.
        public var stuckSince: Date?
        /// Records the platform counted as uploaded that day.
        public var uploaded: Int
        /// Compliant, yet no record uploaded all day.
        public var quiet: Bool
        /// Whether the platform reported failed uploads while the terminal was online and records
        /// waited, and its words for the last one.
        public var uploadErrors: Bool
        public var lastError: String?

        public init(systemID: String, venue: VenueName, verdict: Verdict, reason: String, onlinePercent: Double, offlineMinutes: Int,
                    longestWaitMinutes: Int, waiting: Int, stuckSince: Date?, uploaded: Int, quiet: Bool, uploadErrors: Bool,
                    lastError: String?) {
            self.systemID = systemID
            self.venue = venue
            self.verdict = verdict
            self.reason = reason
            self.onlinePercent = onlinePercent
            self.offlineMinutes = offlineMinutes
            self.longestWaitMinutes = longestWaitMinutes
            self.waiting = waiting
            self.stuckSince = stuckSince
            self.uploaded = uploaded
            self.quiet = quiet
            self.uploadErrors = uploadErrors
            self.lastError = lastError
        }

        /// Why a failed system failed, in one word; nil unless it failed.
        public enum Failure: Sendable, Equatable {
            /// Offline too long (its uploads may be stuck too: the terminal's connection comes first).
            case offline
            /// Online enough, but records waited to upload too long.
            case uploadsStuck
        }

        /// Why a system was not judged; nil unless unknown.
        public enum NotJudged: Sendable, Equatable {
            /// The platform itself was read too little that day: it says nothing about the venue.
            case platformUnread
            /// The platform was read, but its answers left the system out too often.
            case missing
        }

        public var failure: Failure? {
            guard verdict == .failed else { return nil }
            return reason.hasPrefix(Self.offlineReason) || stuckSince == nil ? .offline : .uploadsStuck
        }

        public var notJudged: NotJudged? {
            guard verdict == .unknown else { return nil }
            return reason.hasPrefix(Self.platformUnreadReason) ? .platformUnread : .missing
        }

        /// How the day's judging begins a reason (PatrolLedger's RegistrationDay): a failed
        /// system's first problem, and an unknown day for want of reads of the platform.
        static let offlineReason = "offline for "
        static let platformUnreadReason = "registration platform read for "
    }

    /// The registration systems counted by their verdict, the failed ones by why.
    public struct RegistrationFigures: Sendable, Equatable {
        public var compliant = 0
        public var failed = 0
        public var unknown = 0
        /// Of the failed: offline, or online with uploads stuck.
        public var offline = 0
        public var uploadsStuck = 0
        /// Of the compliant: no record uploaded all day.
        public var quiet = 0
        /// Of the unknown: the platform read too little that day.
        public var platformUnread = 0
        /// The venues the systems belong to.
        public var venues = 0

        public init() {}

        public init(_ rows: [RegistrationRow]) {
            for row in rows {
                switch row.verdict {
                case .compliant: compliant += 1
                case .failed: failed += 1
                default: unknown += 1
                }
                switch row.failure {
                case .offline: offline += 1
                case .uploadsStuck: uploadsStuck += 1
                case nil: break
                }
                if row.quiet { quiet += 1 }
                if row.notJudged == .platformUnread { platformUnread += 1 }
            }
            venues = Set(rows.map(\.venue.id)).count
        }

        public var total: Int { compliant + failed + unknown }

        /// Compliant systems among those judged (compliant or failed); nil when none was.
        public var compliance: Double? {
            compliant + failed == 0 ? nil : Double(compliant) / Double(compliant + failed)
        }

        /// Most systems not judged because the platform could not be read for most of the day.
        public var platformMostlyUnread: Bool { platformUnread * 2 > total }
    }

    /// One patrolled day of the trend (`Store.trend`).
    public typealias TrendDay = PatrolDayRecord.TrendDay

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
    /// Cameras whose clock is off by more than the tolerance, worst first.
    public var clocks: [ClockItem] = []
    /// The tolerance it was judged by, seconds.
    public var clockTolerance: Double = DailyPatrolSettings().clockTolerance
    public var repeatOffenders: [Offender]
    /// Venues commended (90 clean days in a row) in the last 90 days.
    public var commendations: [VenueName]
    public var integrity: LedgerCheck
    public var cameras: [CameraRow]
    public var venues: [VenueRow]
    /// The day's registration systems, by venue and system; empty when the day patrolled none.
    public var registration: [RegistrationRow] = []
    /// The district over the last patrolled days up to this one, oldest first.
    public var trend: [TrendDay] = []

    /// The registration systems in figures.
    public var registrationFigures: RegistrationFigures { RegistrationFigures(registration) }

    public init(day: PatrolDay, figures: Figures, previous: Figures?, standings: [Standing: Int], events: [Event], due: [Due],
                priority: [VenueName], maintenance: [MaintenanceItem], clocks: [ClockItem] = [],
                clockTolerance: Double = DailyPatrolSettings().clockTolerance, repeatOffenders: [Offender],
                commendations: [VenueName], integrity: LedgerCheck, cameras: [CameraRow], venues: [VenueRow],
                registration: [RegistrationRow] = [], trend: [TrendDay] = []) {
        self.day = day
        self.figures = figures
        self.previous = previous
        self.standings = standings
        self.events = events
        self.due = due
        self.priority = priority
        self.maintenance = maintenance
        self.clocks = clocks
        self.clockTolerance = clockTolerance
        self.repeatOffenders = repeatOffenders
        self.commendations = commendations
        self.integrity = integrity
        self.cameras = cameras
        self.venues = venues
        self.registration = registration
        self.trend = trend
    }

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
    /// - Parameter timeZone: the patrol's, whose calendar days are judged.
    public static func build(from store: Store, day: PatrolDay, policy: LadderPolicy, trusted: String? = nil,
                             clockTolerance: Double = DailyPatrolSettings().clockTolerance,
                             timeZone: TimeZone = DailyPatrolSettings().timeZone) throws -> DailyReport {
        guard let record = try store.patrolDayRecord(day, policy: policy, trusted: trusted, timeZone: timeZone)
        else { throw ReportError.notPatrolled(day) }
        return build(record, policy: policy, clockTolerance: clockTolerance)
    }

    /// The report a patrolled day's record makes.
    public static func build(_ record: PatrolDayRecord, policy: LadderPolicy,
                             clockTolerance: Double = DailyPatrolSettings().clockTolerance) -> DailyReport {
        let day = record.day, states = record.states
        var names: [String: VenueName] = [:], addresses: [String: String] = [:], kinds: [String: String] = [:]
        for venue in record.venues {
            let state = states[venue.id]
            names[venue.id] = VenueName(id: venue.id, name: venue.name, tier: state?.tier ?? venue.tier,
                                        supervisor: state?.supervisor ?? venue.supervisor)
            addresses[venue.id] = venue.address
            kinds[venue.id] = venue.kind
        }
        func name(_ id: String) -> VenueName { names[id] ?? VenueName(id: id, name: id, tier: .general, supervisor: nil) }

        // The cameras' day, and the day before for the change.
        let offsets = Dictionary(record.clocks.map { ($0.cameraID, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let cameras: [CameraRow] = record.cameras.map { camera in
            CameraRow(cameraID: camera.cameraID, venue: name(camera.venueID), placement: camera.placement, verdict: camera.verdict,
                      reason: camera.reason, onlinePercent: camera.facts.onlinePercent,
                      frozenOrBlackMinutes: camera.facts.frozenOrBlackMinutes, watchedHours: camera.facts.watchedHours,
                      probes: camera.facts.probes, mainFailure: camera.facts.mainFailure?.rawValue, clockOffset: offsets[camera.cameraID])
        }
        let figures = Figures(cameras)
        let previous: Figures? = record.camerasBefore.isEmpty ? nil
            : Figures(record.camerasBefore.map { ($0.placement, $0.verdict, $0.facts.mainFailure?.rawValue) })

        // What happened: every entry since the previous patrol day's head.
        let events = record.entries.map { entry in
            Event(seq: entry.seq, kind: entry.kind, venue: entry.venueID == "*" ? nil : name(entry.venueID), day: entry.day,
                  deadline: entry.deadline, actor: entry.actor, line: entry.reason, pictures: Evidence.pictures(in: entry.evidence))
        }

        // Where each venue stands now.
        var standings: [Standing: Int] = [:]
        var due: [Due] = [], offenders: [Offender] = []
        for (id, state) in states.sorted(by: { $0.key < $1.key }) where names[id] != nil {
            standings[state.standing, default: 0] += 1
            // Read the morning after: due that day or the next.
            if let open = state.open, state.isDue(on: day.adding(1)) {
                due.append(Due(venue: name(id), kind: open.kind, opened: open.opened, deadline: open.deadline))
            }
            let failures = policy.recentFailures(state.failures, on: day)
            if failures >= 2 { offenders.append(Offender(venue: name(id), failures: failures, standing: state.standing)) }
        }
        due.sort { ($0.deadline, $0.venue.id) < ($1.deadline, $1.venue.id) }
        offenders.sort { ($1.failures, $0.venue.id) < ($0.failures, $1.venue.id) }

        // The city's list: perimeter cameras that failed the day, and since when.
        let maintenance = record.failedPerimeter.map { camera in
            MaintenanceItem(cameraID: camera.cameraID, venue: name(camera.venueID), address: addresses[camera.venueID] ?? "",
                            reason: camera.reason, since: camera.since)
        }
        let commended = Set(record.commended)
        let venues: [VenueRow] = names.keys.sorted().map { id in
            let state = states[id] ?? VenueState(tier: name(id).tier, supervisor: name(id).supervisor)
            let judged = record.venueVerdicts[id]
            return VenueRow(venue: name(id), kind: kinds[id] ?? "", verdict: judged?.verdict, reason: judged?.reason ?? "not judged",
                            standing: state.standing, deadline: state.open?.deadline,
                            failures: policy.recentFailures(state.failures, on: day), commended: commended.contains(id))
        }

        // The venues' registration systems, as the platform reported them.
        let registration = record.registration.map { system in
            let day = system.day, facts = system.day.facts
            var venue = name(day.venueID)
            if names[day.venueID] == nil { venue.name = system.venueName }
            return RegistrationRow(
                systemID: day.systemID, venue: venue, verdict: day.verdict, reason: day.reason,
                onlinePercent: (facts.onlineShare * 1000).rounded(.down) / 10, offlineMinutes: Int((facts.offlineSeconds / 60).rounded()),
                longestWaitMinutes: Int((facts.longestWaitSeconds / 60).rounded()), waiting: facts.waitingAtLongest,
                stuckSince: facts.stuckSince, uploaded: facts.uploaded, quiet: day.quiet, uploadErrors: facts.errorsWhileOnline,
                lastError: facts.lastError)
        }

        // Cameras whose clock is off: a maintenance ticket, whoever owns the camera.
        let clocks = record.clocks.filter { abs($0.offset) > clockTolerance }
            .sorted { (abs($1.offset), $0.cameraID) < (abs($0.offset), $1.cameraID) }
            .map { ClockItem(cameraID: $0.cameraID, venue: name($0.venueID), offset: $0.offset, at: $0.at) }

        return DailyReport(
            day: day, figures: figures, previous: previous, standings: standings, events: events, due: due,
            priority: names.values.filter { $0.tier == .priority && states[$0.id]?.closed != true }.sorted { $0.id < $1.id },
            maintenance: maintenance, clocks: clocks, clockTolerance: clockTolerance, repeatOffenders: offenders,
            commendations: record.commended.map(name), integrity: record.integrity, cameras: cameras, venues: venues,
            registration: registration, trend: record.trend)
    }
}

extension DailyReport.TrendDay {
    /// Compliant interior cameras among those judged that day; nil when none was.
    public var interiorCompliance: Double? {
        let judged = (interior[.compliant] ?? 0) + (interior[.failed] ?? 0)
        return judged == 0 ? nil : Double(interior[.compliant] ?? 0) / Double(judged)
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
        report.registration = registration.filter { mine($0.venue) }
        return report
    }

    /// Every supervisor named on a venue, for sending each their part.
    public var supervisors: [String] { Set(venues.compactMap(\.venue.supervisor)).sorted() }
}
