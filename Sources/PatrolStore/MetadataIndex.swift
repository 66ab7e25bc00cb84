import Foundation
import GRDB
import PatrolProbe

/// The metadata index: each camera's current stream parameters, and a history of changes to
/// the ones that matter (codec, profile, resolution, nominal frame rate, keyframe interval,
/// transport, audio), so "which cameras dropped from 1080p to 360p this week" is one query:
///
///     SELECT camera_id, at FROM metadata_change
///     WHERE field = 'height' AND old_value = '1080' AND new_value = '360' AND at >= ?
///
/// Bitrate is indexed but has no history: it moves with every scene.
enum MetadataIndex {
    /// The tracked fields as text, nil where unknown. Nominal values: a measured 24.7 and 25.2
    /// fps are both 25; a GOP is kept to the half second.
    static func trackedFields(codec: String?, profile: String?, width: Int?, height: Int?, fps: Double?,
                              keyframeInterval: Double?, transport: String?, hasAudio: Bool?) -> [(String, String?)] {
        [
            ("codec", codec), ("profile", profile),
            ("width", width.map(String.init)), ("height", height.map(String.init)),
            ("fps", fps.map { String(Int($0.rounded())) }),
            ("keyframe_interval", keyframeInterval.map { String(format: "%.1f", ($0 * 2).rounded() / 2) }),
            ("transport", transport), ("has_audio", hasAudio.map { $0 ? "true" : "false" }),
        ]
    }

    /// Each tracked field known before and after whose value differs.
    static func changes(from before: [(String, String?)], to after: [(String, String?)]) -> [(field: String, old: String, new: String)] {
        zip(before, after).compactMap { (before, after) in
            guard let old = before.1, let value = after.1, old != value else { return nil }
            return (before.0, old, value)
        }
    }

    /// Records each tracked field known before and after whose value differs; returns how many.
    static func recordChanges(cameraID: String, at date: Date, from before: [(String, String?)], to after: [(String, String?)],
                              db: Database) throws -> Int {
        let changes = changes(from: before, to: after)
        for change in changes {
            try record(MetadataChange(at: date, field: change.field, oldValue: change.old, newValue: change.new),
                       cameraID: cameraID, db: db)
        }
        return changes.count
    }

    static func record(_ change: MetadataChange, cameraID: String, db: Database) throws {
        try db.execute(sql: "INSERT INTO metadata_change (camera_id, at, field, old_value, new_value) VALUES (?, ?, ?, ?, ?)",
                       arguments: [cameraID, change.at, change.field, change.oldValue, change.newValue])
    }

    /// Updates the index from a result that decoded a picture; returns the number of changes
    /// recorded. Results without a decoded picture (failures) leave the index alone.
    static func update(cameraID: String, with result: ProbeResult, db: Database) throws -> Int {
        guard result.picture != nil, result.stream.width != nil else { return 0 }
        let current = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM stream_metadata WHERE camera_id = ?"), arguments: [cameraID])
        var changes = 0
        let s = result.stream, m = result.measurements
        if let current {
            let before = trackedFields(
                codec: current["codec"], profile: current["profile"], width: current["width"], height: current["height"],
                fps: current["fps"], keyframeInterval: current["keyframe_interval"], transport: current["transport"],
                hasAudio: current["has_audio"])
            let after = trackedFields(codec: s.codec, profile: s.profile, width: s.width, height: s.height, fps: m.fps,
                                      keyframeInterval: m.keyframeInterval, transport: s.transport, hasAudio: s.hasAudio)
            changes = try recordChanges(cameraID: cameraID, at: result.startedAt, from: before, to: after, db: db)
        }
        try db.cachedStatement(sql: """
            INSERT INTO stream_metadata (camera_id, codec, profile, level, width, height, pixel_format, fps, bitrate_kbps,
                                         keyframe_interval, transport, has_audio, audio_codec, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (camera_id) DO UPDATE SET
                codec = excluded.codec, profile = excluded.profile, level = excluded.level, width = excluded.width,
                height = excluded.height, pixel_format = excluded.pixel_format,
                fps = coalesce(excluded.fps, fps), bitrate_kbps = coalesce(excluded.bitrate_kbps, bitrate_kbps),
                keyframe_interval = coalesce(excluded.keyframe_interval, keyframe_interval),
                transport = excluded.transport, has_audio = excluded.has_audio, audio_codec = excluded.audio_codec,
                updated_at = excluded.updated_at
            """).execute(arguments: [cameraID, s.codec, s.profile, s.level, s.width, s.height, s.pixelFormat, m.fps, m.bitrateKbps,
                             m.keyframeInterval, s.transport, s.hasAudio, s.audioCodec, result.startedAt.stored])
        return changes
    }
}
