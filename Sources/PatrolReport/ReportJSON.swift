import Foundation
import PatrolInventory
import PatrolLedger
import PatrolStore

/// The daily report for scripts (`patrol report daily --json`, docs/REPORT.md): what the text
/// and HTML say, for one audience, in a form that does not change with `report.language`:
/// identifiers (`order`, `failed`, `timeout`), numbers, days as `YYYY-MM-DD`, times as dates for
/// the caller's encoder, reasons in the judging's own words. Encoded with snake_case keys.
public struct ReportJSON: Encodable, Sendable {
    /// Raised when a field changes meaning or goes away; fields may be added without it.
    public static let currentSchemaVersion = 1

    public struct Venue: Encodable, Sendable {
        var id: String
        var name: String
        var tier: String
        var supervisor: String?

        init(_ venue: DailyReport.VenueName) {
            (id, name, tier, supervisor) = (venue.id, venue.name, venue.tier.rawValue, venue.supervisor)
        }
    }

    public struct Cameras: Encodable, Sendable {
        /// Cameras by verdict (`compliant`, `failed`, `unknown`, `waived`).
        var interior: [String: Int]
        var perimeter: [String: Int]
        /// Compliant interior cameras among those judged (0–1); nil when none was judged.
        var interiorCompliance: Double?
        /// The same the day before; nil when that day was not patrolled or judged none.
        var interiorComplianceBefore: Double?
        /// Failed cameras by the failure seen longest (`timeout`, `black`…).
        var failedBy: [String: Int]
    }

    public struct Event: Encodable, Sendable {
        var seq: Int
        var kind: String
        /// Nil for a district-wide act (a waiver of every venue).
        var venue: Venue?
        var day: String
        var deadline: String?
        var actor: String
        var reason: String
        var pictures: [String]
    }

    public struct Due: Encodable, Sendable {
        var venue: Venue
        var kind: String
        var opened: String
        var deadline: String
    }

    public struct Maintenance: Encodable, Sendable {
        var cameraID: String
        var venue: Venue
        var address: String
        var downSince: Date
        var reason: String
    }

    public struct Clock: Encodable, Sendable {
        var cameraID: String
        var venue: Venue
        var offsetSeconds: Double
        var at: Date
    }

    public struct Offender: Encodable, Sendable {
        var venue: Venue
        var failures: Int
        var standing: String
    }

    public struct CameraDay: Encodable, Sendable {
        var cameraID: String
        var venueID: String
        var placement: String
        var verdict: String
        var reason: String
        var onlinePercent: Double
        var frozenOrBlackMinutes: Int
        var watchedHours: Double
        var probes: Int
        var mainFailure: String?
        var clockOffsetSeconds: Double?
    }

    public struct VenueDay: Encodable, Sendable {
        var venue: Venue
        var kind: String
        /// Nil when the venue was not judged that day.
        var verdict: String?
        var reason: String
        var standing: String
        var deadline: String?
        var failures: Int
        var commended: Bool
    }

    public struct RegistrationSystem: Encodable, Sendable {
        var systemID: String
        var venue: Venue
        var verdict: String
        var reason: String
        var onlinePercent: Double
        var offlineMinutes: Int
        var longestWaitMinutes: Int
        var waiting: Int
        var stuckSince: Date?
        var uploaded: Int
        var quiet: Bool
        var lastError: String?
    }

    public struct Ledger: Encodable, Sendable {
        var ok: Bool
        /// The check's first problem, in its own words; nil when the ledger holds.
        var problem: String?
        var firstBadEntry: Int?
        var entries: Int
        var patrolDays: Int
        /// `HASH:N`, the ledger's last entry; nil when the ledger is empty.
        var head: String?
        var sealedBy: String?
        var trusted: Bool
    }

    public struct TrendDay: Encodable, Sendable {
        var day: String
        var interior: [String: Int]
        var interiorCompliance: Double?
        var venuesByStanding: [String: Int]
    }

    var schemaVersion = currentSchemaVersion
    var day: String
    /// The morning the report is sent: the day after.
    var sentOn: String
    /// `office`, `supervisor` or `maintenance`.
    var audience: String
    /// The supervisor whose venues these are, for `supervisor`.
    var supervisor: String?
    var ledger: Ledger
    var cameras: Cameras
    /// Venues by standing (`clean`, `ordered`, `warned`, `suspended`, `closed`).
    var venuesByStanding: [String: Int]
    var events: [Event]
    var due: [Due]
    var priorityVenues: [Venue]
    var maintenance: [Maintenance]
    var clocks: [Clock]
    var repeatOffenders: [Offender]
    var commendations: [Venue]
    /// Nil on a day whose registration systems were not patrolled.
    var registration: [RegistrationSystem]?
    var trend: [TrendDay]
    var cameraDays: [CameraDay]
    var venueDays: [VenueDay]

    public init(_ full: DailyReport, for audience: ReportAudience = .office) {
        let report = audience.scope(full)
        let forVenues = audience != .maintenance
        func verdicts(_ counts: [Verdict: Int]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: Verdict.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        }
        func standings(_ counts: [Standing: Int]) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: Standing.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        }
        day = report.day.description
        sentOn = report.today.description
        switch audience {
        case .office: self.audience = "office"
        case .supervisor(let name): (self.audience, supervisor) = ("supervisor", name)
        case .maintenance: self.audience = "maintenance"
        }
        let check = report.integrity
        ledger = Ledger(ok: check.ok, problem: check.problem, firstBadEntry: check.seq, entries: check.entries, patrolDays: check.days,
                        head: check.head?.description, sealedBy: check.sealedBy, trusted: check.trusted)
        let figures = audience == .office || audience == .maintenance ? report.figures : DailyReport.Figures(report.cameras)
        let before = audience == .office || audience == .maintenance ? report.previous : nil
        cameras = Cameras(interior: forVenues ? verdicts(figures.interior) : [:], perimeter: verdicts(figures.perimeter),
                          interiorCompliance: forVenues ? figures.interiorCompliance : nil,
                          interiorComplianceBefore: forVenues ? before?.interiorCompliance : nil,
                          failedBy: audience == .maintenance
                              ? DailyReport.Figures(report.cameras.filter { $0.placement == .perimeter }).failedBy : figures.failedBy)
        if case .supervisor = audience {
            venuesByStanding = standings(Dictionary(grouping: report.venues, by: \.standing).mapValues(\.count))
        } else {
            venuesByStanding = forVenues ? standings(report.standings) : [:]
        }
        events = !forVenues ? [] : report.events.map { event in
            Event(seq: event.seq, kind: event.kind.rawValue, venue: event.venue.map(Venue.init), day: event.day.description,
                  deadline: event.deadline?.description, actor: event.actor, reason: event.line, pictures: event.pictures)
        }
        due = !forVenues ? [] : report.due.map {
            Due(venue: Venue($0.venue), kind: $0.kind.rawValue, opened: $0.opened.description, deadline: $0.deadline.description)
        }
        priorityVenues = forVenues ? report.priority.map(Venue.init) : []
        maintenance = report.maintenance.map {
            Maintenance(cameraID: $0.cameraID, venue: Venue($0.venue), address: $0.address, downSince: $0.since, reason: $0.reason)
        }
        clocks = report.clocks.map { Clock(cameraID: $0.cameraID, venue: Venue($0.venue), offsetSeconds: $0.offset, at: $0.at) }
        repeatOffenders = !forVenues ? [] : report.repeatOffenders.map {
            Offender(venue: Venue($0.venue), failures: $0.failures, standing: $0.standing.rawValue)
        }
        commendations = forVenues ? report.commendations.map(Venue.init) : []
        registration = !forVenues || full.registration.isEmpty ? nil : report.registration.map { row in
            RegistrationSystem(systemID: row.systemID, venue: Venue(row.venue), verdict: row.verdict.rawValue, reason: row.reason,
                               onlinePercent: row.onlinePercent, offlineMinutes: row.offlineMinutes,
                               longestWaitMinutes: row.longestWaitMinutes, waiting: row.waiting, stuckSince: row.stuckSince,
                               uploaded: row.uploaded, quiet: row.quiet, lastError: row.lastError)
        }
        trend = !forVenues ? [] : full.trend.map { day in
            TrendDay(day: day.day.description, interior: verdicts(day.interior), interiorCompliance: day.interiorCompliance,
                     venuesByStanding: standings(day.standings))
        }
        cameraDays = report.cameras.filter { forVenues || $0.placement == .perimeter }.map { row in
            CameraDay(cameraID: row.cameraID, venueID: row.venue.id, placement: row.placement.rawValue, verdict: row.verdict.rawValue,
                      reason: row.reason, onlinePercent: row.onlinePercent, frozenOrBlackMinutes: row.frozenOrBlackMinutes,
                      watchedHours: row.watchedHours, probes: row.probes, mainFailure: row.mainFailure,
                      clockOffsetSeconds: row.clockOffset)
        }
        venueDays = !forVenues ? [] : report.venues.map { row in
            VenueDay(venue: Venue(row.venue), kind: row.kind, verdict: row.verdict?.rawValue, reason: row.reason,
                     standing: row.standing.rawValue, deadline: row.deadline?.description, failures: row.failures,
                     commended: row.commended)
        }
    }
}
