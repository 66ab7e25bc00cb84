import Foundation
import GRDB
import PatrolLedger
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
    public var metadata: IndexedMetadata?
    /// The latest changes of the indexed metadata, newest first.
    public var metadataChanges: [MetadataChange]
    /// The latest status changes, newest first.
    public var statusChanges: [StatusEvent]
    /// The newest picture kept of the camera, and the scene it is compared with.
    public var latestSnapshot: SnapshotRecord?
    public var reference: ReferenceRecord?
    /// The camera's clock minus Patrol's, seconds, as last read from its RTCP sender reports, and when.
    public var clockOffset: Double?
    public var clockOffsetAt: Date?
}

/// One raw probe result as stored.
public struct ProbeRecord: Sendable, Equatable, Codable {
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
    /// SHA-256 of the picture kept of this probe, if one was.
    public var snapshot: String?
    /// The camera's clock minus Patrol's, seconds, when its RTCP sender reports said.
    public var clockOffset: Double?

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

    /// A `probe_result` row, its detail scrubbed of any URL.
    init(row: Row) throws {
        at = row["at"]
        outcome = try UnknownStoredValue.decode(row, "outcome")
        statusCode = row["status_code"]
        detail = Redaction.scrubURLs(in: row["detail"])
        openMs = row["open_ms"]
        firstFrameMs = row["first_frame_ms"]
        totalMs = row["total_ms"]
        frames = row["frames"]
        fps = row["fps"]
        bitrateKbps = row["bitrate_kbps"]
        keyframeInterval = row["keyframe_interval"]
        lumaMean = row["luma_mean"]
        snapshot = row["snapshot"]
        clockOffset = row["clock_offset"]
    }

    static func latest(of camera: String, count: Int, db: Database) throws -> [ProbeRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM probe_result WHERE camera_id = ? ORDER BY at DESC LIMIT ?",
                         arguments: [camera, count]).map { try ProbeRecord(row: $0) }
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

/// A camera's entry in the metadata index: the stream as its latest decoded probe found it
/// (the probe's own `ProbeResult.StreamMetadata`), with the measured rates of the last probe
/// that measured them. In JSON, one flat object: the stream's keys beside the rates'.
public struct IndexedMetadata: Sendable, Equatable, Codable {
    public var stream: ProbeResult.StreamMetadata
    public var fps: Double?
    public var bitrateKbps: Double?
    public var keyframeInterval: Double?
    public var updatedAt: Date

    public init(stream: ProbeResult.StreamMetadata, fps: Double?, bitrateKbps: Double?, keyframeInterval: Double?,
                updatedAt: Date) {
        self.stream = stream
        self.fps = fps
        self.bitrateKbps = bitrateKbps
        self.keyframeInterval = keyframeInterval
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case fps, bitrateKbps, keyframeInterval, updatedAt
    }

    public init(from decoder: any Decoder) throws {
        stream = try ProbeResult.StreamMetadata(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fps = try container.decodeIfPresent(Double.self, forKey: .fps)
        bitrateKbps = try container.decodeIfPresent(Double.self, forKey: .bitrateKbps)
        keyframeInterval = try container.decodeIfPresent(Double.self, forKey: .keyframeInterval)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        try stream.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(fps, forKey: .fps)
        try container.encodeIfPresent(bitrateKbps, forKey: .bitrateKbps)
        try container.encodeIfPresent(keyframeInterval, forKey: .keyframeInterval)
        try container.encode(updatedAt, forKey: .updatedAt)
    }

    /// The entry in a `stream_metadata` row.
    init(row: Row) {
        stream = ProbeResult.StreamMetadata(
            format: nil, transport: row["transport"] ?? "", codec: row["codec"], profile: row["profile"], level: row["level"],
            width: row["width"], height: row["height"], pixelFormat: row["pixel_format"], declaredFps: nil,
            hasAudio: row["has_audio"] ?? false, audioCodec: row["audio_codec"])
        fps = row["fps"]
        bitrateKbps = row["bitrate_kbps"]
        keyframeInterval = row["keyframe_interval"]
        updatedAt = row["updated_at"]
    }

    static func of(_ camera: String, db: Database) throws -> IndexedMetadata? {
        try Row.fetchOne(db, sql: "SELECT * FROM stream_metadata WHERE camera_id = ?", arguments: [camera]).map(Self.init(row:))
    }
}

/// One change of an indexed metadata field.
public struct MetadataChange: Sendable, Equatable, Codable {
    public var at: Date
    public var field: String
    public var oldValue: String?
    public var newValue: String?

    static func latest(of camera: String, count: Int, db: Database) throws -> [MetadataChange] {
        try Row.fetchAll(db, sql: "SELECT * FROM metadata_change WHERE camera_id = ? ORDER BY at DESC, id DESC LIMIT ?",
                         arguments: [camera, count]).map {
            MetadataChange(at: $0["at"], field: $0["field"], oldValue: $0["old_value"], newValue: $0["new_value"])
        }
    }
}

/// One change of a camera's debounced status, with the outcome behind it.
public struct StatusEvent: Sendable, Equatable, Codable {
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
        try Row.fetchAll(db, sql: "SELECT * FROM state_event WHERE camera_id = ? ORDER BY at DESC, id DESC LIMIT ?",
                         arguments: [camera, count]).map {
            StatusEvent(at: $0["at"], from: try UnknownStoredValue.decode($0, "from_status"),
                        to: try UnknownStoredValue.decode($0, "to_status"), outcome: try UnknownStoredValue.decode($0, "outcome"),
                        detail: Redaction.scrubURLs(in: $0["detail"]))
        }
    }
}
