/// What a probe saw of a stream that opened, and what it concludes from it.
///
/// Pure bookkeeping: the probe feeds it packets and decoded pictures, asks it what to do
/// next, and finally asks for the verdict. No clock, no I/O; times are nanoseconds since
/// the probe started, given by the caller.
struct Observation {
    struct Packet {
        var isVideo: Bool
        var isAudio: Bool
        var isKey: Bool
        var size: Int
        /// Presentation time in seconds, when the stream gives one.
        var time: Double?
        var arrival: Int64
    }

    struct Picture {
        var stats: PictureStats
        var fingerprint: Fingerprint
        var keyframeSize: Int
        var time: Double?
        var decodeErrors: Int
        var flaggedCorrupt: Bool

        var isClean: Bool { decodeErrors == 0 && !flaggedCorrupt }
    }

    enum Ending: Equatable {
        /// Enough was seen; the probe stopped early.
        case enough
        /// The window (or the extension past it) ran out.
        case timeUp
        /// The far end ended the stream or a read failed.
        case streamEnded(String)
    }

    let settings: ProbeSettings
    let declaresVideo: Bool
    let streamsAreDynamic: Bool

    private(set) var frames = 0
    private(set) var keyframes = 0
    private(set) var videoBytes = 0
    private(set) var audioPackets = 0
    private(set) var firstFrameAt: Int64?
    private(set) var firstKeyframeAt: Int64?
    private(set) var lastFrameAt: Int64?
    private var earliestTime: Double?
    private var latestTime: Double?
    private var keyframeTimes: [Double] = []

    private(set) var first: Picture?
    private(set) var laterDifference: Double?
    private(set) var decodeAttempts = 0
    private(set) var decodeFailure: String?
    private var nonKeySizes: [Int] = []

    init(settings: ProbeSettings, declaresVideo: Bool, streamsAreDynamic: Bool) {
        self.settings = settings
        self.declaresVideo = declaresVideo
        self.streamsAreDynamic = streamsAreDynamic
    }

    // MARK: Feeding

    mutating func record(_ packet: Packet) {
        if packet.isAudio { audioPackets += 1 }
        guard packet.isVideo else { return }
        frames += 1
        videoBytes += packet.size
        if firstFrameAt == nil { firstFrameAt = packet.arrival }
        lastFrameAt = packet.arrival
        if let time = packet.time {
            earliestTime = min(earliestTime ?? time, time)
            latestTime = max(latestTime ?? time, time)
        }
        if packet.isKey {
            keyframes += 1
            if firstKeyframeAt == nil { firstKeyframeAt = packet.arrival }
            if let time = packet.time, keyframeTimes.last.map({ time > $0 }) ?? true { keyframeTimes.append(time) }
        }
        if !packet.isKey { nonKeySizes.append(packet.size) }
    }

    /// Whether the keyframe just recorded should be decoded.
    func wantsDecode(ofKeyframeAt time: Double?) -> Bool {
        guard let first, first.isClean else { return decodeAttempts < 2 }
        guard needsSecondPicture else { return false }
        guard let time, let firstTime = first.time else { return true }
        return time - firstTime >= settings.freezeSpan.seconds
    }

    mutating func record(_ picture: Picture) {
        decodeAttempts += 1
        guard let current = first else {
            first = picture
            return
        }
        if !current.isClean {
            // A damaged keyframe followed by a clean one: a transient loss, not a broken coder.
            if picture.isClean { first = picture }
            return
        }
        laterDifference = current.fingerprint.difference(from: picture.fingerprint)
    }

    mutating func recordDecodeFailure(_ reason: String, final: Bool) {
        decodeAttempts = final ? max(decodeAttempts + 1, 2) : decodeAttempts + 1
        decodeFailure = reason
    }

    // MARK: Deciding what to do next

    /// The encoder itself says nothing changes: some frames between keyframes are near
    /// empty (all blocks skipped), or every frame is a keyframe. A live camera's sensor
    /// noise never codes to an empty frame; a frozen picture does, once the coder has
    /// settled. Then the picture is worth a second, independent look.
    var staticSuspected: Bool {
        guard let first, first.isClean, settings.thresholds.fault(of: first.stats) == nil else { return false }
        if nonKeySizes.isEmpty { return frames >= 4 }
        let limit = settings.thresholds.staticFrameRatio * Double(first.keyframeSize)
        return nonKeySizes.lazy.filter { Double($0) <= limit }.count >= 2
    }

    var needsSecondPicture: Bool { staticSuspected && laterDifference == nil && decodeAttempts < 4 }

    /// A picture was decoded, or decoding has been tried as often as it is worth.
    var pictureSettled: Bool { first?.isClean == true || decodeAttempts >= 2 }

    var isComplete: Bool { frames >= settings.enoughFrames && pictureSettled && !needsSecondPicture }

    /// At the end of the window: whether to keep reading (up to the deadline) for a
    /// keyframe still needed.
    var wantsExtension: Bool { frames > 0 && (!pictureSettled || needsSecondPicture) }

    // MARK: Measurements

    var measuredFps: Double? {
        guard frames >= 2, let earliestTime, let latestTime, latestTime > earliestTime else { return nil }
        return Double(frames - 1) / (latestTime - earliestTime)
    }

    var bitrateKbps: Double? {
        guard let fps = measuredFps, frames > 0 else { return nil }
        return Double(videoBytes) * 8 * fps / Double(frames) / 1000
    }

    var keyframeInterval: Double? {
        guard keyframeTimes.count >= 2 else { return nil }
        return keyframeTimes[1] - keyframeTimes[0]
    }

    // MARK: The verdict

    /// The one outcome, and a line saying why. `now` is when reading stopped.
    func verdict(ending: Ending, now: Int64) -> (Outcome, String) {
        let thresholds = settings.thresholds
        if !declaresVideo && frames == 0 && (!streamsAreDynamic || audioPackets > 0) {
            return (.noVideo, "the stream has no video track")
        }
        guard let lastFrameAt, let firstFrameAt else {
            if case .streamEnded(let why) = ending { return (.stalled, "opened, stream ended before any video frame: \(why)") }
            return (.stalled, "opened, but no video frame arrived")
        }
        if ending == .timeUp {
            let interval = frames >= 2 ? Double(lastFrameAt - firstFrameAt) / 1e9 / Double(frames - 1) : 0
            let silence = Double(now - lastFrameAt) / 1e9
            if silence > max(1.0, 4 * interval) {
                return (.stalled, String(format: "frames stopped arriving: none for the last %.1f s", silence))
            }
        }
        guard let first else {
            if let decodeFailure { return (.corrupt, "keyframe undecodable: \(decodeFailure)") }
            return (.online, "frames arrive; no keyframe within the deadline, picture not checked")
        }
        guard first.isClean else {
            return (.corrupt, "the decoder reported \(max(1, first.decodeErrors)) error(s) on every keyframe it was given")
        }
        switch thresholds.fault(of: first.stats) {
        case .black:
            return (.black, String(format: "%.0f%% of the picture is black (mean brightness %.3f)",
                                   first.stats.blackFraction * 100, first.stats.lumaMean))
        case .uniform:
            return (.black, String(format: "uniform picture, lens covered or blinded (brightness %.3f, spread %.4f)",
                                   first.stats.lumaMean, first.stats.lumaSpread))
        case nil:
            break
        }
        if let laterDifference, laterDifference < thresholds.frozenDifference {
            return (.frozen, String(format: "two keyframes decode to the same picture (difference %.5f)", laterDifference))
        }
        if let fps = measuredFps {
            return (.online, String(format: "%d frames at %.1f fps", frames, fps))
        }
        return (.online, "\(frames) frame(s)")
    }
}
