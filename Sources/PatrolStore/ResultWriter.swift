import Foundation
import GRDB
import PatrolLedger
import PatrolProbe

/// What the writer did with one batch, for logs and the sweep summary.
public struct BatchReport: Sendable, Equatable {
    public var results = 0
    public var statusChanges: [StatusChange] = []
    public var metadataChanges = 0
    /// Probes found online by themselves but showing the same picture as the camera's previous probe.
    public var frozenAcrossProbes = 0
}

public struct StatusChange: Sendable, Equatable {
    public var cameraID: String
    public var from: CameraStatus
    public var to: CameraStatus
    public var outcome: Outcome
    public var at: Date
}

/// Settings the writer applies to every batch.
public struct WriterSettings: Sendable, Equatable {
    public var debounce = DebounceSettings()
    public var thresholds = PictureThresholds()
    public init() {}
}

extension Store {
    /// Writes probe results in one transaction: the raw results, each camera's debounced state
    /// and its changes, the hourly and daily roll-ups and the metadata index. A probe that
    /// looks online but shows the very picture of the camera's previous probe is recorded as
    /// `frozen`. Results for cameras no longer in the inventory are dropped.
    @discardableResult
    public func write(_ batch: [(cameraID: String, result: ProbeResult)], settings: WriterSettings = WriterSettings()) throws -> BatchReport {
        guard !batch.isEmpty else { return BatchReport() }
        return try pool.write { db in
            var report = BatchReport()
            for (cameraID, original) in batch {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM camera WHERE id = ?", arguments: [cameraID]) == true
                else { continue }
                var result = original
                var state = try CameraStateRow.fetchOne(db, key: cameraID) ?? CameraStateRow(cameraID: cameraID)
                if result.outcome == .online, let picture = result.picture, !picture.damaged,
                   let previous = state.fingerprint.flatMap({ Fingerprint(samples: [UInt8]($0)) }),
                   settings.thresholds.isFrozen(previous, picture.fingerprint) {
                    result.outcome = .frozen
                    let age = state.fingerprintAt.map { String(format: " %.0f s earlier", result.startedAt.timeIntervalSince($0)) } ?? ""
                    result.detail = "the picture is identical to the previous probe's\(age)"
                    report.frozenAcrossProbes += 1
                }
                try ProbeResultRow(cameraID: cameraID, result: result).insert(db)
                if let change = state.apply(result, settings: settings.debounce) {
                    try db.execute(sql: """
                        INSERT INTO state_event (camera_id, at, from_status, to_status, outcome, detail)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: [cameraID, change.at, change.from.rawValue, change.to.rawValue,
                                         change.outcome.rawValue, result.detail])
                    report.statusChanges.append(change)
                }
                try state.save(db)
                try Rollup.add(result, cameraID: cameraID, db: db)
                report.metadataChanges += try MetadataIndex.update(cameraID: cameraID, with: result, db: db)
                report.results += 1
            }
            return report
        }
    }

    /// Deletes raw probe results older than `rawDays` and roll-ups older than `rollupDays`.
    public func prune(now: Date = Date(), rawDays: Int = 7, rollupDays: Int = 730) throws -> (results: Int, rollups: Int) {
        try pool.write { db in
            // Raw results stay until the daily patrol has judged their day (two days' margin
            // covers any time zone and a probe's coverage into the next day).
            var cutoff = now.addingTimeInterval(-Double(rawDays) * 86_400)
            if let judged = try String.fetchOne(db, sql: "SELECT max(day) FROM patrol_day").flatMap(PatrolDay.init) {
                cutoff = min(cutoff, judged.start(in: TimeZone(identifier: "UTC")!).addingTimeInterval(-86_400))
            } else {
                cutoff = min(cutoff, try Date.fetchOne(db, sql: "SELECT min(at) FROM probe_result") ?? cutoff)
            }
            try db.execute(sql: "DELETE FROM probe_result WHERE at < ?", arguments: [cutoff])
            let results = db.changesCount
            try db.execute(sql: "DELETE FROM rollup WHERE start < ?", arguments: [now.addingTimeInterval(-Double(rollupDays) * 86_400)])
            return (results, db.changesCount)
        }
    }
}

/// A camera's current state, one row per camera.
struct CameraStateRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "camera_state"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var cameraID: String
    var status = CameraStatus.unknown.rawValue
    var statusSince: Date?
    var reason: String?
    var lastOutcome: String?
    var lastDetail: String?
    var lastProbeAt: Date?
    var consecutiveFailures = 0
    var consecutiveSuccesses = 0
    var failingSince: Date?
    var fingerprint: Data?
    var fingerprintAt: Date?

    enum CodingKeys: String, CodingKey {
        case cameraID = "cameraId", status, statusSince, reason, lastOutcome, lastDetail, lastProbeAt,
             consecutiveFailures, consecutiveSuccesses, failingSince, fingerprint, fingerprintAt
    }

    init(cameraID: String) { self.cameraID = cameraID }

    var tracker: StatusTracker {
        get {
            StatusTracker(status: CameraStatus(rawValue: status) ?? .unknown, since: statusSince,
                          consecutiveFailures: consecutiveFailures, consecutiveSuccesses: consecutiveSuccesses,
                          failingSince: failingSince, reason: reason.flatMap(Outcome.init(rawValue:)))
        }
        set {
            status = newValue.status.rawValue
            statusSince = newValue.since
            consecutiveFailures = newValue.consecutiveFailures
            consecutiveSuccesses = newValue.consecutiveSuccesses
            failingSince = newValue.failingSince
            reason = newValue.reason?.rawValue
        }
    }

    /// Folds one probe into the state; returns the status change it caused, if any.
    mutating func apply(_ result: ProbeResult, settings: DebounceSettings) -> StatusChange? {
        var tracker = self.tracker
        let from = tracker.record(result.outcome, at: result.startedAt, settings: settings)
        self.tracker = tracker
        lastOutcome = result.outcome.rawValue
        lastDetail = result.detail
        lastProbeAt = result.startedAt
        if let picture = result.picture, !picture.damaged {
            fingerprint = Data(picture.fingerprint.samples)
            fingerprintAt = result.startedAt
        }
        guard let from else { return nil }
        return StatusChange(cameraID: cameraID, from: from, to: tracker.status,
                            outcome: tracker.reason ?? result.outcome, at: result.startedAt)
    }
}

/// One raw probe result.
struct ProbeResultRow: Codable, PersistableRecord {
    static let databaseTableName = "probe_result"
    var cameraID: String
    var at: Date
    var outcome: String
    var statusCode: Int?
    var detail: String
    var openMs: Double?
    var firstFrameMs: Double?
    var totalMs: Double
    var frames: Int
    var fps: Double?
    var bitrateKbps: Double?
    var keyframeInterval: Double?
    var lumaMean: Double?

    enum CodingKeys: String, CodingKey {
        case cameraID = "camera_id", at, outcome, statusCode = "status_code", detail, openMs = "open_ms",
             firstFrameMs = "first_frame_ms", totalMs = "total_ms", frames, fps, bitrateKbps = "bitrate_kbps",
             keyframeInterval = "keyframe_interval", lumaMean = "luma_mean"
    }

    init(cameraID: String, result: ProbeResult) {
        self.cameraID = cameraID
        at = result.startedAt
        outcome = result.outcome.rawValue
        statusCode = result.statusCode
        detail = result.detail
        openMs = result.timings.openMs
        firstFrameMs = result.timings.firstFrameMs
        totalMs = result.timings.totalMs
        frames = result.measurements.frames
        fps = result.measurements.fps
        bitrateKbps = result.measurements.bitrateKbps
        keyframeInterval = result.measurements.keyframeInterval
        lumaMean = result.picture?.lumaMean
    }
}

/// Hourly and daily roll-ups, kept up to date with every batch (UTC periods).
enum Rollup {
    static func periodStarts(of date: Date) -> (hour: Date, day: Date) {
        let seconds = floor(date.timeIntervalSince1970)
        return (Date(timeIntervalSince1970: seconds - seconds.truncatingRemainder(dividingBy: 3600)),
                Date(timeIntervalSince1970: seconds - seconds.truncatingRemainder(dividingBy: 86_400)))
    }

    static func add(_ result: ProbeResult, cameraID: String, db: Database) throws {
        let column = RollupCounts.column(result.outcome.rawValue)
        let (hour, day) = periodStarts(of: result.startedAt)
        let fps = result.measurements.fps, bitrate = result.measurements.bitrateKbps
        for (period, start) in [("hour", hour), ("day", day)] {
            try db.execute(sql: """
                INSERT INTO rollup (camera_id, period, start, probes, \(column), fps_sum, fps_count, bitrate_sum, bitrate_count)
                VALUES (?, ?, ?, 1, 1, ?, ?, ?, ?)
                ON CONFLICT (camera_id, period, start) DO UPDATE SET
                    probes = probes + 1, \(column) = \(column) + 1,
                    fps_sum = fps_sum + excluded.fps_sum, fps_count = fps_count + excluded.fps_count,
                    bitrate_sum = bitrate_sum + excluded.bitrate_sum, bitrate_count = bitrate_count + excluded.bitrate_count
                """, arguments: [cameraID, period, start, fps ?? 0, fps == nil ? 0 : 1, bitrate ?? 0, bitrate == nil ? 0 : 1])
        }
    }
}
