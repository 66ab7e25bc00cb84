import Foundation
import GRDB
import PatrolProbe

/// Everything the store knows about one camera, for `patrol camera ID`.
public struct CameraDetail: Sendable, Equatable, Codable {
    public var camera: CameraSummary
    /// The stream's address; credentials are never stored here (they live in the vault).
    public var url: String
    public var hasCredentials: Bool
    public var retiredAt: Date?
    public var lastDetail: String?
    public var consecutiveFailures: Int
    public var failingSince: Date?
    /// The latest raw probe results, newest first.
    public var probes: [ProbeRecord]
    /// Share of online probes over the last 1, 7 and 30 days.
    public var uptime: [Uptime]
    public var metadata: StreamMetadata?
    /// The latest changes of the indexed metadata, newest first.
    public var metadataChanges: [MetadataChange]
    /// The latest status changes, newest first.
    public var statusChanges: [StatusEvent]
}

/// One raw probe result as stored.
public struct ProbeRecord: Sendable, Equatable, Codable, FetchableRecord {
    public var at: Date
    public var outcome: Outcome
    public var statusCode: Int?
    public var detail: String
    public var openMs: Double?
    public var firstFrameMs: Double?
    public var totalMs: Double
    public var frames: Int
    public var fps: Double?
    public var bitrateKbps: Double?
    public var keyframeInterval: Double?
    public var lumaMean: Double?

    public init(at: Date, outcome: Outcome, statusCode: Int? = nil, detail: String, openMs: Double?, firstFrameMs: Double?,
                totalMs: Double, frames: Int, fps: Double?, bitrateKbps: Double?, keyframeInterval: Double?, lumaMean: Double?) {
        self.at = at
        self.outcome = outcome
        self.statusCode = statusCode
        self.detail = detail
        self.openMs = openMs
        self.firstFrameMs = firstFrameMs
        self.totalMs = totalMs
        self.frames = frames
        self.fps = fps
        self.bitrateKbps = bitrateKbps
        self.keyframeInterval = keyframeInterval
        self.lumaMean = lumaMean
    }

    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    static func latest(of camera: String, count: Int, db: Database) throws -> [ProbeRecord] {
        try fetchAll(db, sql: "SELECT * FROM probe_result WHERE camera_id = ? ORDER BY at DESC LIMIT ?",
                     arguments: [camera, count]).map {
            var record = $0
            record.detail = Redaction.scrubURLs(in: record.detail)
            return record
        }
    }
}

/// The share of a camera's probes that found it online over a window, from the roll-ups:
/// the last 24 hourly roll-ups for one day, the last N daily roll-ups (today's included) for N days.
public struct Uptime: Sendable, Equatable, Codable {
    public var days: Int
    /// Start of the window (UTC hour or day).
    public var from: Date
    public var probes: Int
    public var online: Int
    /// online / probes; nil when there was no probe.
    public var ratio: Double?

    public init(days: Int, from: Date, probes: Int, online: Int) {
        self.days = days
        self.from = from
        self.probes = probes
        self.online = online
        ratio = probes > 0 ? Double(online) / Double(probes) : nil
    }

    static func of(_ camera: String, days: Int, now: Date, db: Database) throws -> Uptime {
        let (hour, day) = Rollup.periodStarts(of: now)
        let (period, from) = days == 1
            ? ("hour", hour.addingTimeInterval(-23 * 3600))
            : ("day", day.addingTimeInterval(-Double(days - 1) * 86_400))
        let row = try Row.fetchOne(db, sql: """
            SELECT coalesce(sum(probes), 0) AS probes, coalesce(sum(n_online), 0) AS online
            FROM rollup WHERE camera_id = ? AND period = ? AND start >= ?
            """, arguments: [camera, period, from])
        return Uptime(days: days, from: from, probes: row?["probes"] ?? 0, online: row?["online"] ?? 0)
    }
}

/// A camera's current entry in the metadata index.
public struct StreamMetadata: Sendable, Equatable, Codable, FetchableRecord, TableRecord {
    public static let databaseTableName = "stream_metadata"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    public var codec: String?
    public var profile: String?
    public var level: Int?
    public var width: Int?
    public var height: Int?
    public var pixelFormat: String?
    public var fps: Double?
    public var bitrateKbps: Double?
    public var keyframeInterval: Double?
    public var transport: String?
    public var hasAudio: Bool?
    public var audioCodec: String?
    public var updatedAt: Date

    public init(codec: String?, profile: String?, level: Int? = nil, width: Int?, height: Int?, pixelFormat: String?,
                fps: Double?, bitrateKbps: Double?, keyframeInterval: Double?, transport: String?, hasAudio: Bool?,
                audioCodec: String? = nil, updatedAt: Date) {
        self.codec = codec
        self.profile = profile
        self.level = level
        self.width = width
        self.height = height
        self.pixelFormat = pixelFormat
        self.fps = fps
        self.bitrateKbps = bitrateKbps
        self.keyframeInterval = keyframeInterval
        self.transport = transport
        self.hasAudio = hasAudio
        self.audioCodec = audioCodec
        self.updatedAt = updatedAt
    }
}

/// One change of an indexed metadata field.
public struct MetadataChange: Sendable, Equatable, Codable, FetchableRecord {
    public var at: Date
    public var field: String
    public var oldValue: String?
    public var newValue: String?

    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    static func latest(of camera: String, count: Int, db: Database) throws -> [MetadataChange] {
        try fetchAll(db, sql: "SELECT * FROM metadata_change WHERE camera_id = ? ORDER BY at DESC, id DESC LIMIT ?",
                     arguments: [camera, count])
    }
}

/// One change of a camera's debounced status, with the outcome behind it.
public struct StatusEvent: Sendable, Equatable, Codable, FetchableRecord {
    public var at: Date
    public var from: CameraStatus
    public var to: CameraStatus
    public var outcome: Outcome
    public var detail: String

    enum CodingKeys: String, CodingKey {
        case at, from = "from_status", to = "to_status", outcome, detail
    }

    public init(at: Date, from: CameraStatus, to: CameraStatus, outcome: Outcome, detail: String) {
        self.at = at
        self.from = from
        self.to = to
        self.outcome = outcome
        self.detail = detail
    }

    static func latest(of camera: String, count: Int, db: Database) throws -> [StatusEvent] {
        try fetchAll(db, sql: "SELECT * FROM state_event WHERE camera_id = ? ORDER BY at DESC, id DESC LIMIT ?",
                     arguments: [camera, count]).map {
            var event = $0
            event.detail = Redaction.scrubURLs(in: event.detail)
            return event
        }
    }
}
