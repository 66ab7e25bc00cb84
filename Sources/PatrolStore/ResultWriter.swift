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
    /// Pictures kept, and pictures the policy wanted that could not be written (a full disk).
    public var snapshotsKept = 0
    public var snapshotsLost = 0
}

extension Store {
    /// Writes probe results in one transaction: the raw results, each camera's state and its
    /// changes, the hourly and daily roll-ups and the metadata index. What a result means (the
    /// frozen-across-probes comparison, debouncing) is `judge`'s to say, from the camera's
    /// memory read in the same transaction; the writer records what it returns. Results for
    /// cameras no longer in the inventory are dropped.
    @discardableResult
    public func write(_ batch: [(cameraID: String, result: ProbeResult)], judge: ProbeJudge = ProbeJudge(),
                      snapshots policy: SnapshotPolicy = SnapshotPolicy()) throws -> BatchReport {
        guard !batch.isEmpty else { return BatchReport() }
        return try pool.write { db in
            var report = BatchReport()
            for (cameraID, probe) in batch {
                // Every statement of the loop is prepared once per connection (cachedStatement): a
                // batch runs each of them hundreds of times.
                guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM camera WHERE id = ?"), arguments: [cameraID]) == true
                else { continue }
                var state = try CameraStateRow.fetch(cameraID, db: db) ?? CameraStateRow(cameraID: cameraID)
                var memory = state.memory
                memory.reference = try Self.referenceScene(of: cameraID, db: db)
                let judged = judge.judge(probe, of: cameraID, after: memory)
                let result = judged.result
                if judged.frozenAcrossProbes { report.frozenAcrossProbes += 1 }
                var kept: String?
                do {
                    kept = try keepSnapshot(judged, of: cameraID, previousOutcome: state.lastOutcome.flatMap(Outcome.init(rawValue:)),
                                            policy: policy, db: db)
                    if kept != nil { report.snapshotsKept += 1 }
                } catch let error as DatabaseError {
                    throw error
                } catch {
                    // A picture that cannot be written (a full disk) never costs the probe result.
                    report.snapshotsLost += 1
                }
                state.record(result, memory: judged.memory)
                var row = ProbeResultRow(cameraID: cameraID, result: result)
                row.snapshot = kept
                try row.insert(db: db)
                if let change = judged.change {
                    try db.cachedStatement(sql: """
                        INSERT INTO state_event (camera_id, at, from_status, to_status, outcome, detail)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """).execute(arguments: [cameraID, change.at.stored, change.from.rawValue, change.to.rawValue,
                                         change.outcome.rawValue, result.detail])
                    report.statusChanges.append(change)
                }
                try state.save(db: db)
                try Rollup.add(result, cameraID: cameraID, db: db)
                report.metadataChanges += try MetadataIndex.update(cameraID: cameraID, with: result, db: db)
                report.results += 1
            }
            return report
        }
    }

    /// Deletes raw probe results and the registration platform's samples older than `rawDays`,
    /// and roll-ups older than `rollupDays`.
    public func prune(now: Date = Date(), rawDays: Int = 7, rollupDays: Int = 730) throws -> (results: Int, rollups: Int, registration: Int) {
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
            // The registration samples go with them; a file's read stays, so the same file dropped
            // again later is still known as applied.
            try db.execute(sql: "DELETE FROM registration_sample WHERE at < ?", arguments: [cutoff])
            let samples = db.changesCount
            try db.execute(sql: "DELETE FROM registration_read WHERE at < ? AND source = 'http'", arguments: [cutoff])
            try db.execute(sql: "DELETE FROM rollup WHERE start < ?", arguments: [now.addingTimeInterval(-Double(rollupDays) * 86_400)])
            return (results, db.changesCount, samples)
        }
    }
}

/// A camera's current state, one row per camera. Read and written column by column through
/// prepared statements: the writer does it for every probe.
struct CameraStateRow {
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
    /// The camera's clock minus Patrol's, seconds, as last read from its RTCP sender reports.
    var clockOffset: Double?
    var clockOffsetAt: Date?

    private static let columns = "camera_id, status, status_since, reason, last_outcome, last_detail, last_probe_at, "
        + "consecutive_failures, consecutive_successes, failing_since, fingerprint, fingerprint_at, clock_offset, clock_offset_at"

    /// The camera's row, nil when it has none yet.
    static func fetch(_ cameraID: String, db: Database) throws -> CameraStateRow? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM camera_state WHERE camera_id = ?"),
                                         arguments: [cameraID]) else { return nil }
        var state = CameraStateRow(cameraID: cameraID)
        state.status = row[1]
        state.statusSince = row[2]
        state.reason = row[3]
        state.lastOutcome = row[4]
        state.lastDetail = row[5]
        state.lastProbeAt = row[6]
        state.consecutiveFailures = row[7]
        state.consecutiveSuccesses = row[8]
        state.failingSince = row[9]
        state.fingerprint = row[10]
        state.fingerprintAt = row[11]
        state.clockOffset = row[12]
        state.clockOffsetAt = row[13]
        return state
    }

    /// Inserts the row, or replaces every column of the camera's.
    func save(db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO camera_state (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (camera_id) DO UPDATE SET
                status = excluded.status, status_since = excluded.status_since, reason = excluded.reason,
                last_outcome = excluded.last_outcome, last_detail = excluded.last_detail, last_probe_at = excluded.last_probe_at,
                consecutive_failures = excluded.consecutive_failures, consecutive_successes = excluded.consecutive_successes,
                failing_since = excluded.failing_since, fingerprint = excluded.fingerprint, fingerprint_at = excluded.fingerprint_at,
                clock_offset = excluded.clock_offset, clock_offset_at = excluded.clock_offset_at
            """).execute(arguments: [cameraID, status, statusSince.stored, reason, lastOutcome, lastDetail, lastProbeAt.stored,
                                     consecutiveFailures, consecutiveSuccesses, failingSince.stored, fingerprint, fingerprintAt.stored,
                                     clockOffset, clockOffsetAt.stored])
    }

    init(cameraID: String) { self.cameraID = cameraID }

    /// What the rules remember of the camera.
    var memory: CameraMemory {
        CameraMemory(
            tracker: StatusTracker(status: CameraStatus(rawValue: status) ?? .unknown, since: statusSince,
                                   consecutiveFailures: consecutiveFailures, consecutiveSuccesses: consecutiveSuccesses,
                                   failingSince: failingSince, reason: reason.flatMap(Outcome.init(rawValue:))),
            fingerprint: fingerprint.flatMap { Fingerprint(samples: [UInt8]($0)) }, fingerprintAt: fingerprintAt,
            lastOutcome: lastOutcome.flatMap(Outcome.init(rawValue:)))
    }

    /// Records a judged probe and what the rules remember after it.
    mutating func record(_ result: ProbeResult, memory: CameraMemory) {
        remember(memory)
        lastOutcome = result.outcome.rawValue
        lastDetail = result.detail
        lastProbeAt = result.startedAt
        if let offset = result.clockOffset {
            clockOffset = offset
            clockOffsetAt = result.startedAt
        }
    }

    /// Keeps what the rules remember of the camera.
    mutating func remember(_ memory: CameraMemory) {
        let tracker = memory.tracker
        status = tracker.status.rawValue
        statusSince = tracker.since
        consecutiveFailures = tracker.consecutiveFailures
        consecutiveSuccesses = tracker.consecutiveSuccesses
        failingSince = tracker.failingSince
        reason = tracker.reason?.rawValue
        fingerprint = memory.fingerprint.map { Data($0.samples) }
        fingerprintAt = memory.fingerprintAt
    }
}

/// One raw probe result.
struct ProbeResultRow {
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
    var snapshot: String?
    var clockOffset: Double?

    func insert(db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO probe_result (camera_id, at, outcome, status_code, detail, open_ms, first_frame_ms, total_ms, frames, fps,
                                      bitrate_kbps, keyframe_interval, luma_mean, snapshot, clock_offset)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [cameraID, at.stored, outcome, statusCode, detail, openMs, firstFrameMs, totalMs, frames, fps,
                                     bitrateKbps, keyframeInterval, lumaMean, snapshot, clockOffset])
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
        clockOffset = result.clockOffset
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
            try db.cachedStatement(sql: """
                INSERT INTO rollup (camera_id, period, start, probes, \(column), fps_sum, fps_count, bitrate_sum, bitrate_count)
                VALUES (?, ?, ?, 1, 1, ?, ?, ?, ?)
                ON CONFLICT (camera_id, period, start) DO UPDATE SET
                    probes = probes + 1, \(column) = \(column) + 1,
                    fps_sum = fps_sum + excluded.fps_sum, fps_count = fps_count + excluded.fps_count,
                    bitrate_sum = bitrate_sum + excluded.bitrate_sum, bitrate_count = bitrate_count + excluded.bitrate_count
                """).execute(arguments: [cameraID, period, start.stored, fps ?? 0, fps == nil ? 0 : 1, bitrate ?? 0, bitrate == nil ? 0 : 1])
        }
    }
}
