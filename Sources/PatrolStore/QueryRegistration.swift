import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolSettings

/// One registration system as the operator sees it: online or not and since when, and what
/// the platform said at its last read.
public struct RegistrationSystemStatus: Sendable, Equatable, Codable {
    public var systemID: String
    public var venueID: String
    public var venueName: String
    public var kind: VenueKind
    public var tier: Tier
    /// Nil when the platform never listed it.
    public var online: Bool?
    public var since: Date?
    /// The last read that listed it, and what it said then.
    public var sampleAt: Date?
    public var lastHeartbeat: Date?
    public var lastUpload: Date?
    public var uploadedToday: Int?
    public var waiting: Int?
    public var oldestWaiting: Date?
    public var uploadErrors: Int?
    public var lastError: String?
    /// Records have waited longer than the judging allows.
    public var stuck: Bool

    /// Offline, uploads stuck, or never seen on the platform.
    public var isDown: Bool { online != true || stuck }

    /// In a word, for tables: online, offline, stuck, unseen.
    public var state: String {
        guard let online else { return "unseen" }
        if !online { return "offline" }
        return stuck ? "stuck" : "online"
    }
}

/// How the reads of the platform went.
public struct RegistrationPlatformStatus: Sendable, Equatable, Codable {
    public var lastRead: Date?
    public var lastGoodRead: Date?
    /// The last failed read, and why, when it came after the last good one.
    public var failingSince: Date?
    public var lastError: String?
    /// Reads in the last 24 hours, and how many of them failed.
    public var readsLastDay: Int
    public var failedLastDay: Int
    /// The platform's clock minus Patrol's at the last good read, in seconds.
    public var clockOffset: Double?
}

/// The registration side of the district: each system, the venues without one, the platform.
public struct RegistrationOverview: Sendable, Equatable, Codable {
    public var systems: [RegistrationSystemStatus]
    /// Venues in service that declare no registration system (`none`), and those whose
    /// registration the inventory does not declare at all.
    public var venuesWithout: Int
    public var venuesUndeclared: Int
    public var platform: RegistrationPlatformStatus
    /// For one venue: its systems' recent days, newest first.
    public var days: [RegistrationDayRecord]?

    public var online: Int { systems.filter { $0.online == true && !$0.stuck }.count }
    public var offline: Int { systems.filter { $0.online == false }.count }
    public var stuck: Int { systems.filter { $0.online == true && $0.stuck }.count }
    public var unseen: Int { systems.filter { $0.online == nil }.count }
}

/// One registration system's day as judged.
public struct RegistrationDayRecord: Sendable, Equatable, Codable {
    public var day: PatrolDay
    public var systemID: String
    public var verdict: Verdict
    public var reason: String
    public var quiet: Bool
}

/// The registration side in figures, for `patrol status`.
public struct RegistrationCounts: Sendable, Equatable, Codable {
    public var systems: Int
    public var online: Int
    public var offline: Int
    public var stuck: Int
    public var unseen: Int
    public var venuesWithout: Int
    public var venuesUndeclared: Int
    public var platform: RegistrationPlatformStatus

    public init(_ overview: RegistrationOverview) {
        systems = overview.systems.count
        online = overview.online
        offline = overview.offline
        stuck = overview.stuck
        unseen = overview.unseen
        venuesWithout = overview.venuesWithout
        venuesUndeclared = overview.venuesUndeclared
        platform = overview.platform
    }
}

extension Store {
    /// Every registration system of the venues in service (of one venue, or only those down),
    /// with the platform's last word on each, at `now`.
    public func registration(venue: String? = nil, downOnly: Bool = false, maxWaiting: TimeInterval = RegistrationJudging().maxWaitingSeconds,
                             now: Date = Date()) throws -> RegistrationOverview {
        try pool.read { db in
            var arguments: StatementArguments = []
            var scope = ""
            if let venue {
                scope = "AND venue.id = ?"
                arguments += [venue]
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT system.system_id, venue.id AS venue_id, venue.name, venue.kind, venue.tier,
                       state.online, state.since, sample.at, sample.last_heartbeat, sample.last_upload, sample.uploaded_today,
                       sample.waiting, sample.oldest_waiting, sample.upload_errors, sample.last_error
                FROM registration_system AS system
                JOIN venue ON venue.id = system.venue_id AND venue.retired_at IS NULL
                LEFT JOIN registration_state AS state ON state.system_id = system.system_id
                LEFT JOIN registration_sample AS sample ON sample.system_id = system.system_id AND sample.at = state.sample_at
                WHERE 1 \(scope)
                GROUP BY system.system_id
                ORDER BY venue.id, system.system_id
                """, arguments: arguments)
            let systems = rows.map { row -> RegistrationSystemStatus in
                let waiting: Int? = row["waiting"], oldest: Date? = row["oldest_waiting"], at: Date? = row["at"]
                let stuck = (waiting ?? 0) > 0 && oldest.map { (at ?? now).timeIntervalSince($0) > maxWaiting } == true
                return RegistrationSystemStatus(
                    systemID: row["system_id"], venueID: row["venue_id"], venueName: row["name"],
                    kind: VenueKind(rawValue: row["kind"]) ?? .hotel, tier: Tier(rawValue: row["tier"]) ?? .general,
                    online: row["online"], since: row["since"], sampleAt: at, lastHeartbeat: row["last_heartbeat"],
                    lastUpload: row["last_upload"], uploadedToday: row["uploaded_today"], waiting: waiting, oldestWaiting: oldest,
                    uploadErrors: row["upload_errors"], lastError: row["last_error"], stuck: stuck)
            }
            let declared = try Row.fetchOne(db, sql: """
                SELECT count(*) FILTER (WHERE registration = 'none'), count(*) FILTER (WHERE registration IS NULL)
                FROM venue WHERE retired_at IS NULL \(venue == nil ? "" : "AND id = ?")
                """, arguments: venue.map { [$0] } ?? [])
            return RegistrationOverview(systems: downOnly ? systems.filter(\.isDown) : systems, venuesWithout: declared?[0] ?? 0,
                                        venuesUndeclared: declared?[1] ?? 0, platform: try Self.registrationPlatform(now: now, in: db),
                                        days: try venue.map { try Self.registrationDays(venue: $0, limit: 14, in: db) })
        }
    }

    static func registrationPlatform(now: Date, in db: Database) throws -> RegistrationPlatformStatus {
        let good = try Row.fetchOne(db, sql: "SELECT at, platform_offset FROM registration_read WHERE ok ORDER BY at DESC LIMIT 1")
        let lastGood: Date? = good?["at"]
        let failing = try Row.fetchOne(db, sql: """
            SELECT min(at) AS since, (SELECT error FROM registration_read WHERE NOT ok AND source = 'http' ORDER BY at DESC LIMIT 1) AS error
            FROM registration_read WHERE NOT ok AND source = 'http' AND at > ?
            """, arguments: [lastGood ?? .distantPast])
        let day = try Row.fetchOne(db, sql: """
            SELECT count(*), count(*) FILTER (WHERE NOT ok) FROM registration_read WHERE at > ? AND (ok OR source = 'http')
            """, arguments: [now.addingTimeInterval(-86_400)])
        return RegistrationPlatformStatus(
            lastRead: try Date.fetchOne(db, sql: "SELECT max(at) FROM registration_read WHERE ok OR source = 'http'"),
            lastGoodRead: lastGood, failingSince: failing?["since"], lastError: (failing?["since"] as Date?) == nil ? nil : failing?["error"],
            readsLastDay: day?[0] ?? 0, failedLastDay: day?[1] ?? 0, clockOffset: good?["platform_offset"])
    }

    /// A venue's registration-day verdicts, newest first.
    public func registrationDays(venue: String, limit: Int = 14) throws -> [RegistrationDayRecord] {
        try pool.read { db in try Self.registrationDays(venue: venue, limit: limit, in: db) }
    }

    static func registrationDays(venue: String, limit: Int, in db: Database) throws -> [RegistrationDayRecord] {
        try Row.fetchAll(db, sql: """
            SELECT day, system_id, verdict, reason, quiet FROM registration_day WHERE venue_id = ? ORDER BY day DESC, system_id LIMIT ?
            """, arguments: [venue, limit]).compactMap { row in
            guard let day = PatrolDay(row["day"] as String), let verdict = Verdict(rawValue: row["verdict"]) else { return nil }
            return RegistrationDayRecord(day: day, systemID: row["system_id"], verdict: verdict, reason: row["reason"], quiet: row["quiet"])
        }
    }
}
