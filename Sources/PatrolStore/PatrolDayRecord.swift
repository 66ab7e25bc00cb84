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

    /// A perimeter camera that failed the day, and since when it has been failing or down.
    public struct FailedPerimeterCamera: Sendable, Equatable {
        public var cameraID: String
        public var venueID: String
        public var reason: String
        public var since: Date?
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
}

extension Store {
    /// The record of a patrolled day, in one snapshot; nil when the day has not been patrolled.
    /// The ledger check recomputes the sealed verdicts of that day, not of every day before: the
    /// report stays as fast in the ledger's fifth year as in its first.
    /// - Parameter trusted: the ledger's public key (hex) its seals are checked against.
    public func patrolDayRecord(_ day: PatrolDay, policy: LadderPolicy, trusted: String? = nil) throws -> PatrolDayRecord? {
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
                SELECT d.camera_id, d.venue_id, d.reason, s.failing_since, s.status_since, s.status FROM camera_day d
                LEFT JOIN camera_state s ON s.camera_id = d.camera_id
                WHERE d.day = ? AND d.placement = 'perimeter' AND d.verdict = 'failed' ORDER BY d.venue_id, d.camera_id
                """, arguments: [day.description]).map { row in
                let status: String? = row["status"]
                let since: Date? = row["failing_since"] ?? (status == CameraStatus.down.rawValue ? row["status_since"] : nil)
                return PatrolDayRecord.FailedPerimeterCamera(cameraID: row["camera_id"], venueID: row["venue_id"],
                                                             reason: row["reason"], since: since)
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
                integrity: try Store.verifyLedger(in: db, policy: policy, trusted: trusted, verdictsFrom: day))
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
