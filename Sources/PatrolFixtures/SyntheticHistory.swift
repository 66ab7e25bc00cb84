import Foundation
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolStore

/// A made-up but realistic history of the inventory's cameras, to measure the command line
/// against a database the size the daemon keeps (`patrol-bench history`) and to give tests a
/// past: raw probe results for the retained days at each tier's cadence, hourly and daily
/// roll-ups for the whole period, status changes through the real debouncing, the metadata
/// index and its changes. Plain values, written through `Store.appendHistory`. Deterministic:
/// the same seed gives the same history.
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

        /// The metadata index's entry for a camera streaming this.
        func metadata(at time: Date) -> IndexedMetadata {
            IndexedMetadata(
                stream: ProbeResult.StreamMetadata(format: nil, transport: "tcp", codec: codec, profile: profile, level: nil,
                                                   width: width, height: height, pixelFormat: "yuv420p", declaredFps: nil,
                                                   hasAudio: false, audioCodec: nil),
                fps: fps, bitrateKbps: bitrateKbps, keyframeInterval: keyframeInterval, updatedAt: time)
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

    /// The past of the camera `id`, of a venue of `tier`, at `position` in id order (from 0).
    public func camera(_ id: String, tier: Tier, position: Int) -> CameraHistory {
        var camera = SyntheticCamera(self, position: position)
        return camera.history(id, cadence: cadence[tier] ?? 900)
    }
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

    public init() {}

    mutating func add(_ camera: CameraHistory) {
        cameras += 1
        probes += camera.probes
        rawResults += camera.results.count
        rollups += camera.rollups.count
        statusChanges += camera.statusChanges.count
        if camera.status.status == .down { down.append(camera.cameraID) }
        if let changed = camera.metadataChanges.first { metadataChanges[camera.cameraID] = changed.at }
    }
}

extension Store {
    public struct HistoryExists: Error, CustomStringConvertible {
        public var description: String {
            "the database already holds probe history; generate into a fresh database with only an inventory"
        }
    }

    /// Writes `history` for every camera in service, 32 cameras a transaction. Refuses a
    /// database that already holds probe results or roll-ups: it is for fresh databases only.
    @discardableResult
    public func fill(_ history: SyntheticHistory) throws -> SyntheticHistoryReport {
        let cameras = try cameras()
        if try holdsProbeHistory() { throw HistoryExists() }
        var report = SyntheticHistoryReport()
        let chunk = 32
        for first in stride(from: 0, to: cameras.count, by: chunk) {
            let past = (first..<min(first + chunk, cameras.count)).map { position in
                history.camera(cameras[position].id, tier: cameras[position].tier, position: position)
            }
            try appendHistory(past)
            past.forEach { report.add($0) }
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
    let profile: SyntheticHistory.Profile
    var random: SplitMix64
    var outages: [Outage] = []
    var changedAt: Date?

    static let failures: [(Outcome, Double)] = [(.timeout, 0.30), (.refused, 0.20), (.black, 0.15), (.frozen, 0.15),
                                                 (.stalled, 0.08), (.notFound, 0.05), (.unauthorized, 0.04), (.corrupt, 0.03)]

    init(_ history: SyntheticHistory, position: Int) {
        self.history = history
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
        case .moved: "the scene is not the approved one: 10% of its detailed regions match the reference"
        case .obstructed: "45% of the picture's detailed regions are covered; the rest matches the reference"
        case .blurred: "the picture is blurred: sharpness 20% of the reference's"
        }
    }

    /// Probes the camera every `cadence` seconds over the period, in time order.
    mutating func history(_ id: String, cadence: Double) -> CameraHistory {
        let start = history.until.addingTimeInterval(-Double(history.days) * 86_400)
        let rawFrom = history.until.addingTimeInterval(-Double(history.rawDays) * 86_400)
        var past = CameraHistory(cameraID: id)
        var rollups = RollupBuckets()
        var time = start.addingTimeInterval(random.unit() * cadence)
        while time < history.until {
            let outcome = outages.first { $0.from <= time && time < $0.to }?.outcome
                ?? (random.unit() < 0.002 ? .timeout : .online)
            let decoded = outcome == .online || outcome == .black || outcome == .frozen
            let fps = decoded ? profile.fps * (0.97 + 0.06 * random.unit()) : nil
            let bitrate = decoded ? profile.bitrateKbps * (0.8 + 0.4 * random.unit()) : nil
            let detail = Self.detail(outcome, fps: fps)
            if time >= rawFrom {
                past.results.append(ProbeRecord(
                    at: time, outcome: outcome, detail: detail, openMs: decoded ? 40 + 30 * random.unit() : nil,
                    firstFrameMs: decoded ? 90 + 60 * random.unit() : nil, totalMs: decoded ? 2100 + 200 * random.unit() : 8000,
                    frames: decoded ? Int(2 * profile.fps) : 0, fps: fps, bitrateKbps: bitrate,
                    keyframeInterval: decoded ? profile.keyframeInterval : nil,
                    lumaMean: decoded ? (outcome == .black ? 0.05 : 0.35 + 0.2 * random.unit()) : nil))
            }
            rollups.add(outcome, at: time, fps: fps, bitrate: bitrate, into: &past.rollups)
            if let from = past.status.record(outcome, at: time, settings: history.debounce) {
                past.statusChanges.append(StatusEvent(at: time, from: from, to: past.status.status,
                                                      outcome: past.status.reason ?? outcome, detail: detail))
            }
            past.lastOutcome = outcome
            past.lastDetail = detail
            past.lastProbeAt = time
            time.addTimeInterval(cadence)
        }
        rollups.flush(into: &past.rollups)
        // A picture fingerprint, as the daemon keeps one per camera: noise, so that the next
        // real probe never looks frozen against it.
        past.fingerprint = Fingerprint(samples: (0..<Fingerprint.columns * Fingerprint.rows).map { _ in
            UInt8(truncatingIfNeeded: random.next())
        })
        past.fingerprintAt = past.lastProbeAt
        past.metadata = profile.metadata(at: history.until)
        if let changedAt {
            past.metadataChanges = MetadataChange.between(profile.before.metadata(at: changedAt), profile.metadata(at: changedAt),
                                                          at: changedAt)
        }
        return past
    }
}

/// Hourly and daily roll-ups of one camera's probes, in time order, each done as its period ends.
private struct RollupBuckets {
    var hour: RollupRecord?
    var day: RollupRecord?

    /// Adds one probe; the periods it ends go to `done`, the hour's first.
    mutating func add(_ outcome: Outcome, at time: Date, fps: Double?, bitrate: Double?, into done: inout [RollupRecord]) {
        let (hourStart, dayStart) = RollupRecord.periodStarts(of: time)
        if let current = hour, current.start != hourStart { done.append(current); hour = nil }
        if let current = day, current.start != dayStart { done.append(current); day = nil }
        hour = hour ?? RollupRecord(period: .hour, start: hourStart)
        day = day ?? RollupRecord(period: .day, start: dayStart)
        hour?.add(outcome, fps: fps, bitrateKbps: bitrate)
        day?.add(outcome, fps: fps, bitrateKbps: bitrate)
    }

    mutating func flush(into done: inout [RollupRecord]) {
        done += [hour, day].compactMap { $0 }
        hour = nil
        day = nil
    }
}

/// A small, fast, deterministic random number generator (Vigna's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
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
