import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings

/// A made-up but realistic history of the inventory's cameras, to measure the command line
/// against a database the size the daemon keeps (`patrol bench-history`) and to give tests a
/// past: raw probe results for the retained days at each tier's cadence, hourly and daily
/// roll-ups for the whole period, status changes through the real debouncing, the metadata
/// index and its changes. Deterministic: the same seed gives the same history.
public struct SyntheticHistory: Sendable {
    /// The picture format a camera streams.
    public struct Profile: Sendable, Equatable {
        public var codec: String
        public var profile: String
        public var width: Int
        public var height: Int
        public var fps: Double
        public var keyframeInterval: Double
        public var bitrateKbps: Double

        public init(codec: String, profile: String, width: Int, height: Int, fps: Double, keyframeInterval: Double,
                    bitrateKbps: Double) {
            self.codec = codec
            self.profile = profile
            self.width = width
            self.height = height
            self.fps = fps
            self.keyframeInterval = keyframeInterval
            self.bitrateKbps = bitrateKbps
        }

        public static let hd720 = Profile(codec: "h264", profile: "Main", width: 1280, height: 720, fps: 25,
                                          keyframeInterval: 2, bitrateKbps: 2000)
        /// A district's mix by a camera's position: mostly 720p, 10 % 1080p, 10 % 360p, 2 % H.265.
        public static func districtMix(_ position: Int) -> Profile {
            let n = position + 1
            if n % 50 == 0 {
                return Profile(codec: "hevc", profile: "Main", width: 1920, height: 1080, fps: 25, keyframeInterval: 2,
                               bitrateKbps: 2500)
            }
            switch n % 10 {
            case 3: return Profile(codec: "h264", profile: "High", width: 1920, height: 1080, fps: 25, keyframeInterval: 4,
                                   bitrateKbps: 4000)
            case 7: return Profile(codec: "h264", profile: "Baseline", width: 640, height: 360, fps: 15, keyframeInterval: 1,
                                   bitrateKbps: 600)
            default: return hd720
            }
        }

        /// The format a camera streamed before it dropped to this one.
        var before: Profile {
            var higher = self
            (higher.width, higher.height) = height >= 1080 ? (2560, 1440) : (width * 3 / 2, height * 3 / 2)
            return higher
        }

        var tracked: [(String, String?)] {
            MetadataIndex.trackedFields(codec: codec, profile: profile, width: width, height: height, fps: fps,
                                        keyframeInterval: keyframeInterval, transport: "tcp", hasAudio: false)
        }
    }

    /// The history ends here (the last probe is before it).
    public var until: Date
    /// Days of roll-ups (and of status history).
    public var days = 30
    /// Days of raw probe results, the newest ones (the daemon's retention).
    public var rawDays = 7
    public var seed: UInt64 = 1
    /// Seconds between probes of a camera, by its venue's tier.
    public var cadence = PerTier<Double>(general: 900, watch: 300, priority: 60)
    /// Share of cameras down at `until`: an outage that began within the last three days.
    public var downShare = 0.047
    /// Share of cameras whose picture format dropped during the period (a metadata change).
    public var changedShare = 0.05
    /// What each camera streams, by its position in id order (from 0).
    public var profile: @Sendable (Int) -> Profile = Profile.districtMix
    public var debounce = DebounceSettings()

    public init(until: Date) { self.until = until }
}

/// What the generator wrote.
public struct SyntheticHistoryReport: Sendable, Equatable {
    public var cameras = 0
    public var probes = 0
    public var rawResults = 0
    public var rollups = 0
    public var statusChanges = 0
    /// Cameras down at the end, by id.
    public var down: [String] = []
    /// Cameras whose format changed, with when.
    public var metadataChanges: [String: Date] = [:]
}

extension Store {
    public struct HistoryExists: Error, CustomStringConvertible {
        public var description: String {
            "the database already holds probe history; generate into a fresh database with only an inventory"
        }
    }

    /// Writes `history` for every camera in service. Refuses a database that already holds
    /// probe results or roll-ups: it is for fresh databases only.
    @discardableResult
    public func fill(_ history: SyntheticHistory) throws -> SyntheticHistoryReport {
        let cameras = try cameras()
        let existing = try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM probe_result) OR EXISTS (SELECT 1 FROM rollup)") ?? false
        }
        if existing { throw HistoryExists() }
        var report = SyntheticHistoryReport()
        let chunk = 32
        for first in stride(from: 0, to: cameras.count, by: chunk) {
            try pool.write { db in
                for position in first..<min(first + chunk, cameras.count) {
                    var camera = SyntheticCamera(history, camera: cameras[position], position: position)
                    try camera.write(db, into: &report)
                }
            }
        }
        report.down.sort()
        return report
    }
}

/// One camera's synthetic past.
private struct SyntheticCamera {
    struct Outage {
        var from: Date
        var to: Date
        var outcome: Outcome
    }

    let history: SyntheticHistory
    let camera: CameraSummary
    let profile: SyntheticHistory.Profile
    var random: SplitMix64
    var outages: [Outage] = []
    var changedAt: Date?

    static let failures: [(Outcome, Double)] = [(.timeout, 0.30), (.refused, 0.20), (.black, 0.15), (.frozen, 0.15),
                                                 (.stalled, 0.08), (.notFound, 0.05), (.unauthorized, 0.04), (.corrupt, 0.03)]

    init(_ history: SyntheticHistory, camera: CameraSummary, position: Int) {
        self.history = history
        self.camera = camera
        profile = history.profile(position)
        random = SplitMix64(seed: history.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(position))
        let start = history.until.addingTimeInterval(-Double(history.days) * 86_400)
        let period = history.until.timeIntervalSince(start)
        for _ in 0..<(random.unit() < 0.5 ? 0 : 1 + Int(random.unit() * 3)) {
            let from = start.addingTimeInterval(random.unit() * period)
            let hours = max(1.0 / 6, -log(1 - random.unit()) * 4)
            outages.append(Outage(from: from, to: from.addingTimeInterval(hours * 3600), outcome: randomFailure()))
        }
        if random.unit() < history.downShare {
            outages.append(Outage(from: history.until.addingTimeInterval(-random.unit() * 72 * 3600), to: .distantFuture,
                                  outcome: randomFailure()))
        }
        if random.unit() < history.changedShare {
            changedAt = start.addingTimeInterval(random.unit() * period)
        }
    }

    mutating func randomFailure() -> Outcome {
        var pick = random.unit()
        for (outcome, share) in Self.failures {
            pick -= share
            if pick < 0 { return outcome }
        }
        return .timeout
    }

    static func detail(_ outcome: Outcome, fps: Double?) -> String {
        switch outcome {
        case .online: String(format: "%.1f fps, picture live", fps ?? 0)
        case .refused: "connection refused"
        case .timeout: "no answer within 8 s"
        case .unauthorized: "401 Unauthorized"
        case .notFound: "404 Not Found"
        case .rtspError: "RTSP 503 Service Unavailable"
        case .noVideo: "no video track"
        case .stalled: "PLAY accepted but no video frame within 2 s"
        case .frozen: "the picture is identical to the previous probe's"
        case .black: "the picture is black or covered"
        case .corrupt: "frames cannot be decoded"
        }
    }

    mutating func write(_ db: Database, into report: inout SyntheticHistoryReport) throws {
        let cadence = history.cadence[camera.tier]
        let start = history.until.addingTimeInterval(-Double(history.days) * 86_400)
        let rawFrom = history.until.addingTimeInterval(-Double(history.rawDays) * 86_400)
        let insertResult = try db.cachedStatement(sql: """
            INSERT INTO probe_result (camera_id, at, outcome, detail, open_ms, first_frame_ms, total_ms, frames, fps,
                                      bitrate_kbps, keyframe_interval, luma_mean)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertEvent = try db.cachedStatement(sql: """
            INSERT INTO state_event (camera_id, at, from_status, to_status, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)
            """)
        var rollups = RollupBuckets(cameraID: camera.id)
        var state = CameraStateRow(cameraID: camera.id)
        var tracker = StatusTracker()
        var time = start.addingTimeInterval(random.unit() * cadence)
        while time < history.until {
            let outcome = outages.first { $0.from <= time && time < $0.to }?.outcome
                ?? (random.unit() < 0.002 ? .timeout : .online)
            let decoded = outcome == .online || outcome == .black || outcome == .frozen
            let fps = decoded ? profile.fps * (0.97 + 0.06 * random.unit()) : nil
            let bitrate = decoded ? profile.bitrateKbps * (0.8 + 0.4 * random.unit()) : nil
            let detail = Self.detail(outcome, fps: fps)
            if time >= rawFrom {
                try insertResult.execute(arguments: [
                    camera.id, time, outcome.rawValue, detail, decoded ? 40 + 30 * random.unit() : nil,
                    decoded ? 90 + 60 * random.unit() : nil, decoded ? 2100 + 200 * random.unit() : 8000,
                    decoded ? Int(2 * profile.fps) : 0, fps, bitrate, decoded ? profile.keyframeInterval : nil,
                    decoded ? (outcome == .black ? 0.05 : 0.35 + 0.2 * random.unit()) : nil,
                ])
                report.rawResults += 1
            }
            report.rollups += try rollups.add(outcome, at: time, fps: fps, bitrate: bitrate, db: db)
            if let from = tracker.record(outcome, at: time, settings: history.debounce) {
                try insertEvent.execute(arguments: [camera.id, time, from.rawValue, tracker.status.rawValue,
                                                    (tracker.reason ?? outcome).rawValue, detail])
                report.statusChanges += 1
            }
            state.lastOutcome = outcome.rawValue
            state.lastDetail = detail
            state.lastProbeAt = time
            report.probes += 1
            time.addTimeInterval(cadence)
        }
        report.rollups += try rollups.flush(db)
        // A picture fingerprint, as the daemon keeps one per camera: noise, so that the next
        // real probe never looks frozen against it.
        state.remember(CameraMemory(tracker: tracker, fingerprint: Fingerprint(samples: (0..<576).map { _ in
            UInt8(truncatingIfNeeded: random.next())
        }), fingerprintAt: state.lastProbeAt))
        try state.save(db)
        if tracker.status == .down { report.down.append(camera.id) }
        try writeMetadata(db, into: &report)
        report.cameras += 1
    }

    private func writeMetadata(_ db: Database, into report: inout SyntheticHistoryReport) throws {
        let p = profile
        try db.execute(sql: """
            INSERT OR REPLACE INTO stream_metadata (camera_id, codec, profile, width, height, pixel_format, fps, bitrate_kbps,
                                                    keyframe_interval, transport, has_audio, updated_at)
            VALUES (?, ?, ?, ?, ?, 'yuv420p', ?, ?, ?, 'tcp', 0, ?)
            """, arguments: [camera.id, p.codec, p.profile, p.width, p.height, p.fps, p.bitrateKbps, p.keyframeInterval,
                             history.until])
        if let changedAt {
            _ = try MetadataIndex.recordChanges(cameraID: camera.id, at: changedAt, from: p.before.tracked, to: p.tracked, db: db)
            report.metadataChanges[camera.id] = changedAt
        }
    }
}

/// Hourly and daily roll-ups of one camera's probes, in time order, written as each period ends.
private struct RollupBuckets {
    struct Bucket {
        var period: String
        var start: Date
        var counts: [Outcome: Int] = [:]
        var probes = 0
        var fpsSum = 0.0, fpsCount = 0, bitrateSum = 0.0, bitrateCount = 0
    }

    let cameraID: String
    var hour: Bucket?
    var day: Bucket?

    /// Adds one probe; returns the number of roll-up rows written (periods that ended).
    mutating func add(_ outcome: Outcome, at time: Date, fps: Double?, bitrate: Double?, db: Database) throws -> Int {
        let (hourStart, dayStart) = Rollup.periodStarts(of: time)
        var written = 0
        if let current = hour, current.start != hourStart { try insert(current, db); hour = nil; written += 1 }
        if let current = day, current.start != dayStart { try insert(current, db); day = nil; written += 1 }
        for keyPath in [\RollupBuckets.hour, \RollupBuckets.day] {
            var bucket = self[keyPath: keyPath] ?? Bucket(period: keyPath == \.hour ? "hour" : "day",
                                                            start: keyPath == \.hour ? hourStart : dayStart)
            bucket.probes += 1
            bucket.counts[outcome, default: 0] += 1
            if let fps { bucket.fpsSum += fps; bucket.fpsCount += 1 }
            if let bitrate { bucket.bitrateSum += bitrate; bucket.bitrateCount += 1 }
            self[keyPath: keyPath] = bucket
        }
        return written
    }

    mutating func flush(_ db: Database) throws -> Int {
        let open = [hour, day].compactMap { $0 }
        for bucket in open { try insert(bucket, db) }
        hour = nil
        day = nil
        return open.count
    }

    private func insert(_ bucket: Bucket, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO rollup (camera_id, period, start, probes, \(RollupCounts.columns.joined(separator: ", ")),
                                fps_sum, fps_count, bitrate_sum, bitrate_count)
            VALUES (?, ?, ?, ?, \(RollupCounts.columns.map { _ in "?" }.joined(separator: ", ")), ?, ?, ?, ?)
            """)
        var arguments: StatementArguments = [cameraID, bucket.period, bucket.start, bucket.probes]
        arguments += StatementArguments(Outcome.allCases.map { bucket.counts[$0] ?? 0 })
        arguments += [bucket.fpsSum, bucket.fpsCount, bucket.bitrateSum, bucket.bitrateCount]
        try statement.execute(arguments: arguments)
    }
}

/// A small, fast, deterministic random number generator (Vigna's SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
