import Foundation
import GRDB
import PatrolLedger
import PatrolProbe

/// One camera's past as plain values: what the writer would have left behind probe after probe
/// (the raw results still kept, the roll-ups of every probe, the status changes, the camera's
/// state after its last probe and its metadata index). `Store.appendHistory` writes it in bulk.
public struct CameraHistory: Sendable, Equatable {
    public var cameraID: String
    /// The raw probe results kept, oldest first.
    public var results: [ProbeRecord] = []
    /// Hourly and daily roll-ups of every probe, kept or not, in the order their periods ended.
    public var rollups: [RollupRecord] = []
    /// Changes of the debounced status, oldest first.
    public var statusChanges: [StatusEvent] = []
    /// The debounced status after the last probe.
    public var status = StatusTracker()
    public var lastOutcome: Outcome?
    public var lastDetail: String?
    public var lastProbeAt: Date?
    /// The picture the next probe is compared with (a frozen picture across probes), and when it was taken.
    public var fingerprint: Fingerprint?
    public var fingerprintAt: Date?
    /// The camera's entry in the metadata index, and the changes of its tracked fields, oldest first.
    public var metadata: IndexedMetadata?
    public var metadataChanges: [MetadataChange] = []

    public init(cameraID: String) { self.cameraID = cameraID }

    /// Probes counted by the daily roll-ups: every probe of the period.
    public var probes: Int { rollups.lazy.filter { $0.period == .day }.map(\.probes).reduce(0, +) }
}

/// One hourly or daily roll-up of a camera's probes, over a UTC hour or day.
public struct RollupRecord: Sendable, Equatable {
    public enum Period: String, Sendable, CaseIterable {
        case hour, day
    }

    public var period: Period
    public var start: Date
    public var probes = 0
    public var outcomes: [Outcome: Int] = [:]
    public var fpsSum = 0.0
    public var fpsCount = 0
    public var bitrateSum = 0.0
    public var bitrateCount = 0

    public init(period: Period, start: Date) {
        self.period = period
        self.start = start
    }

    /// Where the hour and the day holding `date` start.
    public static func periodStarts(of date: Date) -> (hour: Date, day: Date) { Rollup.periodStarts(of: date) }

    /// Counts one probe of the period.
    public mutating func add(_ outcome: Outcome, fps: Double?, bitrateKbps: Double?) {
        probes += 1
        outcomes[outcome, default: 0] += 1
        if let fps { fpsSum += fps; fpsCount += 1 }
        if let bitrateKbps { bitrateSum += bitrateKbps; bitrateCount += 1 }
    }
}

extension IndexedMetadata {
    /// The fields the metadata index keeps a history of, as text.
    var tracked: [(String, String?)] {
        MetadataIndex.trackedFields(codec: stream.codec, profile: stream.profile, width: stream.width, height: stream.height,
                                    fps: fps, keyframeInterval: keyframeInterval, transport: stream.transport,
                                    hasAudio: stream.hasAudio)
    }
}

extension MetadataChange {
    /// The changes the metadata index records when a stream's parameters go from `before` to
    /// `after` at `at`: one for each tracked field known on both sides whose value differs.
    public static func between(_ before: IndexedMetadata, _ after: IndexedMetadata, at: Date) -> [MetadataChange] {
        MetadataIndex.changes(from: before.tracked, to: after.tracked).map {
            MetadataChange(at: at, field: $0.field, oldValue: $0.old, newValue: $0.new)
        }
    }
}

extension Store {
    /// Whether the database holds any probe history: raw results or roll-ups.
    public func holdsProbeHistory() throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM probe_result) OR EXISTS (SELECT 1 FROM rollup)") ?? false
        }
    }

    /// Appends the past of `cameras` in one transaction, for cameras without history of their
    /// own: a roll-up of a period already stored is refused, and the transaction rolled back.
    /// Each camera's state and metadata index entry are replaced by the history's.
    public func appendHistory(_ cameras: [CameraHistory]) throws {
        guard !cameras.isEmpty else { return }
        try pool.write { db in
            let result = try db.cachedStatement(sql: """
                INSERT INTO probe_result (camera_id, at, outcome, status_code, detail, open_ms, first_frame_ms, total_ms, frames,
                                          fps, bitrate_kbps, keyframe_interval, luma_mean)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let rollup = try db.cachedStatement(sql: """
                INSERT INTO rollup (camera_id, period, start, probes, \(RollupCounts.columns.joined(separator: ", ")),
                                    fps_sum, fps_count, bitrate_sum, bitrate_count)
                VALUES (?, ?, ?, ?, \(RollupCounts.columns.map { _ in "?" }.joined(separator: ", ")), ?, ?, ?, ?)
                """)
            let event = try db.cachedStatement(sql: """
                INSERT INTO state_event (camera_id, at, from_status, to_status, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for camera in cameras {
                let id = camera.cameraID
                for r in camera.results {
                    try result.execute(arguments: [id, r.at, r.outcome.rawValue, r.statusCode, r.detail, r.openMs, r.firstFrameMs,
                                                   r.totalMs, r.frames, r.fps, r.bitrateKbps, r.keyframeInterval, r.lumaMean])
                }
                for r in camera.rollups {
                    var arguments: StatementArguments = [id, r.period.rawValue, r.start, r.probes]
                    arguments += StatementArguments(Outcome.allCases.map { r.outcomes[$0] ?? 0 })
                    arguments += [r.fpsSum, r.fpsCount, r.bitrateSum, r.bitrateCount]
                    try rollup.execute(arguments: arguments)
                }
                for e in camera.statusChanges {
                    try event.execute(arguments: [id, e.at, e.from.rawValue, e.to.rawValue, e.outcome.rawValue, e.detail])
                }
                var state = CameraStateRow(cameraID: id)
                state.remember(CameraMemory(tracker: camera.status, fingerprint: camera.fingerprint,
                                            fingerprintAt: camera.fingerprintAt))
                state.lastOutcome = camera.lastOutcome?.rawValue
                state.lastDetail = camera.lastDetail
                state.lastProbeAt = camera.lastProbeAt
                try state.save(db: db)
                if let m = camera.metadata {
                    let s = m.stream
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO stream_metadata (camera_id, codec, profile, level, width, height, pixel_format, fps,
                                                                bitrate_kbps, keyframe_interval, transport, has_audio, audio_codec,
                                                                updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, s.codec, s.profile, s.level, s.width, s.height, s.pixelFormat, m.fps, m.bitrateKbps,
                                         m.keyframeInterval, s.transport, s.hasAudio, s.audioCodec, m.updatedAt])
                }
                for change in camera.metadataChanges {
                    try MetadataIndex.record(change, cameraID: id, db: db)
                }
            }
        }
    }
}
