import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolProbe

/// Which cameras in service to list; every criterion given must hold.
public struct CameraFilter: Sendable, Equatable {
    public var venueID: String?
    /// The outcome of the camera's latest probe.
    public var outcome: Outcome?
    /// The debounced status (`down` for the cameras declared down).
    public var status: CameraStatus?
    public var placement: Placement?
    public var tier: Tier?
    /// The codec as FFmpeg names it (`h264`, `hevc`), any case.
    public var codec: String?
    public var minHeight: Int?
    /// Cameras whose metadata (codec, profile, resolution, frame rate, GOP, transport, audio)
    /// changed at or after this instant.
    public var changedSince: Date?

    public init() {}
}

/// One camera in service as an operator lists it: where it is, its status and since when,
/// the last outcome and the picture format.
public struct CameraSummary: Sendable, Equatable, Codable {
    public var id: String
    public var venueID: String
    public var venueName: String
    public var tier: Tier
    public var placement: Placement
    public var status: CameraStatus
    /// When the current status began (a down camera: its first failure).
    public var since: Date?
    /// Why it is down: the outcome of the first failure of the run (the last outcome otherwise).
    public var reason: Outcome?
    public var lastOutcome: Outcome?
    public var lastProbeAt: Date?
    public var codec: String?
    public var width: Int?
    public var height: Int?

    init(row: Row) {
        id = row["id"]
        venueID = row["venue_id"]
        venueName = row["venue_name"]
        tier = Tier(rawValue: row["tier"]) ?? .general
        placement = Placement(rawValue: row["placement"]) ?? .interior
        status = (row["status"] as String?).flatMap(CameraStatus.init(rawValue:)) ?? .unknown
        since = row["status_since"]
        reason = (row["reason"] as String?).flatMap(Outcome.init(rawValue:))
        lastOutcome = (row["last_outcome"] as String?).flatMap(Outcome.init(rawValue:))
        lastProbeAt = row["last_probe_at"]
        codec = row["codec"]
        width = row["width"]
        height = row["height"]
    }

    /// The query behind a summary; `extra` adds columns.
    static func selection(extra: String = "") -> String {
        """
        SELECT c.id, c.venue_id, v.name AS venue_name, v.tier, c.placement,
               s.status, s.status_since, s.reason, s.last_outcome, s.last_probe_at,
               m.codec, m.width, m.height\(extra)
        FROM camera c
        JOIN venue v ON v.id = c.venue_id
        LEFT JOIN camera_state s ON s.camera_id = c.id
        LEFT JOIN stream_metadata m ON m.camera_id = c.id
        """
    }
}

extension Store {
    /// The cameras in service matching `filter`, by id.
    public func cameras(matching filter: CameraFilter = CameraFilter()) throws -> [CameraSummary] {
        var conditions = ["c.retired_at IS NULL"]
        var arguments = StatementArguments()
        func require(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
            guard let value else { return }
            conditions.append(condition)
            arguments += [value]
        }
        require("c.venue_id = ?", filter.venueID)
        require("s.last_outcome = ?", filter.outcome?.rawValue)
        require("coalesce(s.status, 'unknown') = ?", filter.status?.rawValue)
        require("c.placement = ?", filter.placement?.rawValue)
        require("v.tier = ?", filter.tier?.rawValue)
        require("lower(m.codec) = lower(?)", filter.codec)
        require("m.height >= ?", filter.minHeight)
        require("c.id IN (SELECT camera_id FROM metadata_change WHERE at >= ?)", filter.changedSince)
        let sql = CameraSummary.selection() + "\nWHERE " + conditions.joined(separator: " AND ") + "\nORDER BY c.id"
        return try pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(CameraSummary.init(row:))
        }
    }

    /// The cameras in service counted by status, placement and tier, each group with its oldest
    /// and newest last probe: what `/metrics` says of them, counted by SQLite rather than listed
    /// (a 15,800-camera district listed at each scrape cost 135 ms).
    public func cameraCounts() throws -> [CameraCount] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT coalesce(s.status, 'unknown') AS status, c.placement, v.tier, count(*) AS cameras,
                       min(s.last_probe_at) AS oldest, max(s.last_probe_at) AS newest
                FROM camera c
                JOIN venue v ON v.id = c.venue_id
                LEFT JOIN camera_state s ON s.camera_id = c.id
                WHERE c.retired_at IS NULL
                GROUP BY 1, 2, 3
                """).compactMap { row in
                guard let status = CameraStatus(rawValue: row[0]), let placement = Placement(rawValue: row[1]),
                      let tier = Tier(rawValue: row[2]) else { return nil }
                return CameraCount(status: status, placement: placement, tier: tier, cameras: row[3], oldestProbeAt: row[4],
                                   newestProbeAt: row[5])
            }
        }
    }

    /// The id of the camera (retired ones included) that `id` names: itself, or the one whose
    /// id differs from it in case alone (`c00412` finds `C00412`); nil when none does, or several.
    public func cameraID(matching id: String) throws -> String? {
        try pool.read { db in try Self.id(matching: id, in: "camera", db) }
    }

    /// The ids of the cameras in service that start with `prefix` (in any case), by id.
    public func cameraIDs(startingWith prefix: String, limit: Int = 2000) throws -> [String] {
        try pool.read { db in try Self.ids(startingWith: prefix, in: "camera", limit: limit, db) }
    }

    /// Everything known about one camera (retired ones included), or nil when there is none:
    /// the latest `probes` raw results, status changes and metadata changes (`changes` of each),
    /// uptime over 1, 7 and 30 days from the roll-ups, the current stream metadata.
    public func camera(id: String, probes: Int = 10, changes: Int = 20, now: Date = Date()) throws -> CameraDetail? {
        try pool.read { db in
            let sql = CameraSummary.selection(extra: """
                , c.url, c.has_credentials, c.retired_at,
                       s.last_detail, s.consecutive_failures, s.failing_since, s.clock_offset, s.clock_offset_at
                """) + "\nWHERE c.id = ?"
            guard let row = try Row.fetchOne(db, sql: sql, arguments: [id]) else { return nil }
            let stored: String = row["url"]
            return CameraDetail(
                camera: CameraSummary(row: row),
                url: (try? StreamURL(stored).description) ?? Redaction.scrubURLs(in: stored),
                hasCredentials: row["has_credentials"],
                retiredAt: row["retired_at"],
                lastDetail: (row["last_detail"] as String?).map { Redaction.scrubURLs(in: $0) },
                consecutiveFailures: row["consecutive_failures"] ?? 0,
                failingSince: row["failing_since"],
                probes: try ProbeRecord.latest(of: id, count: probes, db: db),
                uptime: try [1, 7, 30].map { try Uptime.of(id, days: $0, now: now, db: db) },
                metadata: try IndexedMetadata.of(id, db: db),
                metadataChanges: try MetadataChange.latest(of: id, count: changes, db: db),
                statusChanges: try StatusEvent.latest(of: id, count: changes, db: db),
                latestSnapshot: try snapshots(of: id, limit: 1, db: db).first,
                reference: try reference(of: id, db: db),
                clockOffset: row["clock_offset"], clockOffsetAt: row["clock_offset_at"])
        }
    }
}

/// One group of `Store.cameraCounts()`: the cameras in service of a status, placement and tier.
public struct CameraCount: Sendable, Equatable {
    public var status: CameraStatus
    public var placement: Placement
    public var tier: Tier
    public var cameras: Int
    /// The oldest and newest last probe among them (nil when none was probed).
    public var oldestProbeAt: Date?
    public var newestProbeAt: Date?
}
