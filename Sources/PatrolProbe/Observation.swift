import PatrolSettings

/// What a probe saw of a stream that opened, and what it concludes from it.
///
/// Pure bookkeeping: the probe feeds it packets and decoded pictures, asks it what to do
/// next, and finally asks for the verdict. No clock, no I/O; times are nanoseconds since
/// the probe started, given by the caller.
///
/// Three facts of RTP and of the codecs shape it:
/// - A picture (an access unit) may reach the probe as several packets: slices, parameter
///   sets in front of a keyframe. They share one timestamp (RFC 3550: the sampling instant),
///   so packets with the timestamp of the unit before them belong to it. Frames are counted,
///   and pictures decoded, as whole units.
/// - A frame arrived when its bytes did. A read ended by the probe's stop time may still hand
///   over a frame the demuxer's parser held back: its bytes came earlier, so it moves no clock.
/// - Live video arrives in step with its timestamps. A media server replaying its cache sends
///   seconds of old pictures within milliseconds; only frames that keep arriving at the pace
///   of their timestamps prove that a camera is sending now.
struct Observation {
    struct Packet {
        var isVideo: Bool
        var isAudio: Bool
        var isKey: Bool
        var size: Int
        /// Bytes of coded picture data (slices only: no filler, SEI or parameter sets).
        var codedSize: Int
        /// Presentation time in seconds, when the stream gives one.
        var time: Double?
        var arrival: Int64
        /// Handed over by a read the stop time ended: its bytes arrived before `arrival`.
        var flushed = false
        /// For a keyframe packet, a hash of its coded bytes (0: none).
        var codedHash: UInt64 = 0

        init(isVideo: Bool, isAudio: Bool, isKey: Bool, size: Int, codedSize: Int? = nil, time: Double?,
             arrival: Int64, flushed: Bool = false, codedHash: UInt64 = 0) {
            self.codedHash = codedHash
            self.isVideo = isVideo
            self.isAudio = isAudio
            self.isKey = isKey
            self.size = size
            self.codedSize = codedSize ?? size
            self.time = time
            self.arrival = arrival
            self.flushed = flushed
        }
    }

    struct Picture {
        var stats: PictureStats
        var fingerprint: Fingerprint
        var keyframeSize: Int
        var time: Double?
        var decodeErrors: Int
        var flaggedCorrupt: Bool
        /// The picture's scene at the fixed small size, when it could be made.
        var scene: SceneSignature? = nil

        var isClean: Bool { decodeErrors == 0 && !flaggedCorrupt }

        /// What was wrong with it, in the words of the verdict.
        var damage: String {
            decodeErrors == 0
                ? "the decoder flagged it damaged"
                : "the decoder reported \(decodeErrors) error\(decodeErrors == 1 ? "" : "s")"
        }
    }

    /// One picture's packets: everything sharing its timestamp.
    struct Unit {
        var time: Double?
        /// When its first bytes arrived; nil when only a flushed packet brought it.
        var arrival: Int64?
        var isKey: Bool
        var size: Int
        var codedSize: Int
        /// The keyframe packets' hashes combined, in order; nil for a picture without any.
        var hash: UInt64?

        mutating func combine(_ packetHash: UInt64) {
            guard packetHash != 0 else { return }
            hash = hash.map { ($0 ^ packetHash) &* 0x100_0000_01b3 } ?? packetHash
        }
    }

    enum Ending: Equatable {
        /// Enough was seen; the probe stopped early.
        case enough
        /// The window (or the extension past it) ran out.
        case timeUp
        /// The far end ended the stream or a read failed.
        case streamEnded(String)
    }

    /// What `record(_:)` did with a video packet.
    enum Placement: Equatable {
        /// It begins a new picture.
        case newUnit
        /// It belongs to the picture before it.
        case sameUnit
        case notVideo
    }

    let settings: ProbeSettings
    let declaresVideo: Bool
    let streamsAreDynamic: Bool
    /// When the stream opened: the earliest a frame the probe cannot date can have arrived.
    let openedAt: Int64
    /// Whether frames must be seen arriving at the pace of their timestamps. A server that
    /// pushes (RTSP, RTMP, HTTP streams) sends a live camera's frames as they are made; a
    /// segmented stream (HLS) is fetched a segment at a time, as fast as the network allows,
    /// and its liveness is its playlist's growth instead.
    let requiresPace: Bool
    /// The codec's pictures may be split by parameter sets between their slices (H.264, H.265).
    let splitPictures: Bool
    /// What the camera's coded stream looked like at its last probe, for the signs that make a
    /// picture check due at once.
    let history: CodedHistory?

    private(set) var units: [Unit] = []
    private(set) var videoBytes = 0
    private(set) var audioPackets = 0
    private(set) var firstFrameAt: Int64?
    private(set) var firstKeyframeAt: Int64?
    /// When the newest bytes of video arrived.
    private(set) var lastFrameAt: Int64?
    private var timedPackets = 0
    private(set) var keyframes = 0
    /// The distinct timestamps of the last 33 pictures, in order.
    private var recentTimes: [Double] = []
    private var datedUnits = 0
    /// Since when pictures have kept coming without a break of more than a quarter second.
    private var flowStart: Int64?
    private var lastDatedArrival: Int64?
    /// Non-key pictures whose packets are all in, and those of them that carry (almost) no
    /// coded picture data beside the first clean keyframe.
    private var closedNonKey = 0
    private var closedNearEmpty = 0
    /// The picture is to be checked: the probe was asked to, or a sign in the coded stream made
    /// it due. Otherwise the probe stops once frames arrive live, and decodes nothing.
    private(set) var pictureWanted: Bool
    /// The sign that made the picture due, when the probe was not asked to check it.
    private(set) var sign: CodedSign?
    /// Coded sizes of the last non-key pictures whose packets are all in (33 at most).
    private var nonKeySizes: [Int] = []
    /// Non-key pictures near empty beside the newest keyframe seen (or the camera's last one).
    private var nearEmptyForSign = 0
    /// The newest keyframe whose packets are all in: its coded size and hash.
    private(set) var lastKeyframe: (bytes: Int, hash: UInt64?)?
    private var keyframeHashes: Set<UInt64> = []

    private(set) var first: Picture?
    /// The first damaged picture, while no clean one has come.
    private(set) var damaged: Picture?
    private(set) var laterDifference: Double?
    private(set) var decodeAttempts = 0
    private(set) var damagedPictures = 0
    private(set) var decodeFailure: String?
    private(set) var decodeFailureIsFinal = false
    /// Why a keyframe that came was not decoded at all (no decode turn before the deadline).
    private(set) var decodeSkipped: String?
    /// Frames have been seen arriving at the pace of their timestamps.
    private(set) var paceProven = false
    /// The picture whose arrival proved the pace.
    private var provedBy: Int?
    /// Pictures in a row that kept pace. One is not enough: a server that ends the stream makes
    /// the demuxer hand over the picture its parser held, late, and alone.
    private var pacedInARow = 0

    /// - Parameters:
    ///   - checkPicture: whether the picture is to be decoded and checked; when not, the probe
    ///     stops once enough whole frames arrived at live pace, unless a sign in the coded stream
    ///     (read against `history`) makes the check due.
    init(settings: ProbeSettings, declaresVideo: Bool, streamsAreDynamic: Bool, openedAt: Int64 = 0,
         requiresPace: Bool = true, splitPictures: Bool = true, checkPicture: Bool = true, history: CodedHistory? = nil) {
        self.splitPictures = splitPictures
        self.pictureWanted = checkPicture
        self.history = history
        self.settings = settings
        self.declaresVideo = declaresVideo
        self.streamsAreDynamic = streamsAreDynamic
        self.openedAt = openedAt
        self.requiresPace = requiresPace
        self.paceProven = !requiresPace
        recentTimes.reserveCapacity(34)
    }

    var frames: Int { units.count }

    // MARK: Feeding

    /// Records a packet; for video, says whether it begins a picture or continues one.
    @discardableResult
    mutating func record(_ packet: Packet) -> Placement {
        if packet.isAudio { audioPackets += 1 }
        guard packet.isVideo else { return .notVideo }
        videoBytes += packet.size
        let arrival: Int64? = packet.flushed ? nil : packet.arrival
        if let arrival { lastFrameAt = max(lastFrameAt ?? arrival, arrival) }
        if packet.time != nil { timedPackets += 1 }

        if var unit = units.last, continues(unit, with: packet) {
            if packet.isKey, !unit.isKey { keyframes += 1 }
            unit.isKey = unit.isKey || packet.isKey
            unit.size += packet.size
            unit.codedSize += packet.codedSize
            unit.combine(packet.codedHash)
            if unit.arrival == nil, let arrival {
                unit.arrival = arrival
                noteDated(arrival)
            }
            if unit.time == nil, let time = packet.time {
                unit.time = time
                noteTime(time)
            }
            units[units.count - 1] = unit
            if packet.isKey, firstKeyframeAt == nil { firstKeyframeAt = arrival ?? datedBefore }
            return .sameUnit
        }
        // A frame that only a flushed read brought arrived no later than the newest bytes
        // before it, and no earlier than the open.
        let dated = arrival ?? datedBefore
        if firstFrameAt == nil { firstFrameAt = dated }
        if lastFrameAt == nil { lastFrameAt = dated }
        if packet.isKey, firstKeyframeAt == nil { firstKeyframeAt = dated }
        if let closed = units.last { close(closed) }
        var unit = Unit(time: packet.time, arrival: arrival, isKey: packet.isKey, size: packet.size, codedSize: packet.codedSize)
        unit.combine(packet.codedHash)
        units.append(unit)
        if packet.isKey { keyframes += 1 }
        if let arrival { noteDated(arrival) }
        if let time = packet.time { noteTime(time) }
        if !paceProven {
            pacedInARow = pacedNow ? pacedInARow + 1 : 0
            if pacedInARow >= 2 {
                paceProven = true
                provedBy = units.count - 1
            }
        }
        return .newUnit
    }

    private mutating func noteDated(_ arrival: Int64) {
        datedUnits += 1
        if flowStart == nil || arrival - (lastDatedArrival ?? arrival) > 250_000_000 { flowStart = arrival }
        lastDatedArrival = max(lastDatedArrival ?? arrival, arrival)
    }

    private mutating func noteTime(_ time: Double) {
        if let last = recentTimes.last, time > last {
            recentTimes.append(time)
        } else if let at = recentTimes.firstIndex(where: { $0 >= time }) {
            guard recentTimes[at] != time else { return }
            recentTimes.insert(time, at: at)
        } else {
            recentTimes.append(time)
        }
        if recentTimes.count > 33 { recentTimes.removeFirst() }
    }

    /// A picture whose packets are all in: counted for the static check, kept for the camera's
    /// next probe, and read for the signs of a black or frozen picture.
    private mutating func close(_ unit: Unit) {
        let thresholds = settings.thresholds
        if unit.isKey {
            let repeated = unit.hash.map { keyframeHashes.contains($0) || $0 == history?.keyframeHash } ?? false
            if let hash = unit.hash { keyframeHashes.insert(hash) }
            lastKeyframe = (unit.codedSize, unit.hash)
            if repeated {
                noteSign(.keyframeRepeated)
            } else if let before = history?.keyframeBytes,
                      Double(unit.codedSize) < thresholds.keyframeCollapseRatio * Double(before) {
                noteSign(.keyframeCollapsed)
            }
            return
        }
        closedNonKey += 1
        if let limit = nearEmptyLimit, Double(unit.codedSize) <= limit { closedNearEmpty += 1 }
        nonKeySizes.append(unit.codedSize)
        if nonKeySizes.count > 33 { nonKeySizes.removeFirst() }
        if let keyframe = lastKeyframe?.bytes ?? history?.keyframeBytes,
           Double(unit.codedSize) <= thresholds.staticFrameRatio * Double(keyframe) {
            nearEmptyForSign += 1
            if nearEmptyForSign >= 2 { noteSign(.nearEmptyFrames) }
        }
        if nonKeySizes.count >= 3, let before = history?.frameBytes, let median = medianFrameBytes,
           Double(median) < thresholds.frameCollapseRatio * Double(before) {
            noteSign(.framesCollapsed)
        }
    }

    /// A sign of a black or frozen picture: a probe not asked to check the picture checks it now.
    private mutating func noteSign(_ found: CodedSign) {
        guard !pictureWanted else { return }
        pictureWanted = true
        sign = found
    }

    /// The median coded size of the non-key pictures seen whole.
    var medianFrameBytes: Int? {
        guard !nonKeySizes.isEmpty else { return nil }
        return nonKeySizes.sorted()[nonKeySizes.count / 2]
    }

    /// What this probe saw of the coded stream, for the camera's next probe.
    var codedHistory: CodedHistory {
        CodedHistory(keyframeBytes: lastKeyframe?.bytes, keyframeHash: lastKeyframe?.hash,
                     frameBytes: nonKeySizes.count >= 3 ? medianFrameBytes : nil)
    }

    /// Whether a keyframe that just began should be gathered: to be decoded, or, in a probe not
    /// (yet) checking the picture, in case its own close makes the check due. Only the probe's
    /// first keyframe is gathered so: a gathered keyframe holds the probe until it closes, and in
    /// an all-intra stream (MJPEG) every frame is one.
    func wantsKeyframe(at time: Double?) -> Bool {
        pictureWanted ? wantsDecode(ofKeyframeAt: time) : lastKeyframe == nil
    }

    /// Coded bytes below which a non-key picture carries no change: a share of the first clean
    /// keyframe's.
    private var nearEmptyLimit: Double? {
        first.map { settings.thresholds.staticFrameRatio * Double($0.keyframeSize) }
    }

    private var datedBefore: Int64 { lastFrameAt ?? openedAt }

    /// Packets of one picture share its timestamp. A packet without one belongs to the
    /// picture before it when the stream otherwise carries timestamps; in a stream that has
    /// none, every packet is a picture.
    ///
    /// One exception: FFmpeg's RTSP demuxer gives the very first packet of a stream no timestamp.
    /// When it is a part of an H.264/H.265 keyframe that parameter sets split (SPS/PPS repeated
    /// before each slice), the rest of that keyframe follows with the first timestamp; the two
    /// parts are one picture.
    private func continues(_ unit: Unit, with packet: Packet) -> Bool {
        switch (unit.time, packet.time) {
        case let (unitTime?, time?): return unitTime == time
        case (_?, nil): return true
        case (nil, _?): return splitPictures && units.count == 1 && timedPackets == 1 && unit.isKey && packet.isKey
        case (nil, nil): return false
        }
    }

    /// Whether the keyframe that just began a picture should be decoded.
    func wantsDecode(ofKeyframeAt time: Double?) -> Bool {
        guard pictureWanted else { return false }
        guard let first else { return !decodeFailureIsFinal && damagedPictures < 2 }
        guard needsSecondPicture else { return false }
        guard let time, let firstTime = first.time else { return true }
        return time - firstTime >= settings.freezeSpan.seconds
    }

    mutating func record(_ picture: Picture) {
        decodeAttempts += 1
        guard picture.isClean else {
            damagedPictures += 1
            if first == nil, damaged == nil { damaged = picture }
            return
        }
        guard let current = first else {
            first = picture
            // Count the pictures that came before it against its size.
            let limit = settings.thresholds.staticFrameRatio * Double(picture.keyframeSize)
            closedNearEmpty = units.dropLast().lazy.filter { !$0.isKey && Double($0.codedSize) <= limit }.count
            return
        }
        laterDifference = current.fingerprint.difference(from: picture.fingerprint)
    }

    /// The stream ended (end of file, a closed connection). The demuxer's parser then hands over
    /// the picture it held, as when the stop time ends a read: the last picture's bytes arrived
    /// before the end, so it dates nothing, and proves no pace.
    mutating func streamEnded() {
        guard let last = units.indices.last, units[last].arrival != nil else { return }
        units[last].arrival = nil
        lastFrameAt = units[..<last].last(where: { $0.arrival != nil })?.arrival ?? openedAt
        if provedBy == last {
            paceProven = !requiresPace
            provedBy = nil
        }
    }

    /// A keyframe came but was not decoded, through no fault of the stream.
    mutating func recordDecodeSkipped(_ reason: String) {
        decodeSkipped = reason
    }

    mutating func recordDecodeFailure(_ reason: String, final: Bool) {
        decodeAttempts += 1
        decodeFailure = reason
        if final { decodeFailureIsFinal = true } else { damagedPictures += 1 }
    }

    // MARK: Deciding what to do next

    /// The encoder itself says nothing changes: some frames between keyframes carry (almost)
    /// no coded picture data, or every frame is a keyframe. A live camera's sensor noise never
    /// codes to an empty frame; a frozen picture does, once the coder has settled. Sizes are
    /// of the slices alone: the filler a constant-bitrate encoder pads frames with is no
    /// picture data. Then the picture is worth a second, independent look.
    var staticSuspected: Bool {
        guard let first, settings.thresholds.fault(of: first.stats) == nil else { return false }
        if closedNonKey == 0 && units.last?.isKey != false { return frames >= 4 }
        return closedNearEmpty >= 2
    }

    var needsSecondPicture: Bool { staticSuspected && laterDifference == nil && decodeAttempts < 4 }

    /// A clean picture was decoded, or decoding has been tried as often as it is worth.
    var pictureSettled: Bool { first != nil || damagedPictures >= 2 || decodeFailureIsFinal || decodeSkipped != nil }

    /// Enough was seen. A probe not checking the picture needs `enoughFrames` whole pictures (the
    /// newest may still be arriving) and their live pace, and no keyframe.
    var isComplete: Bool {
        guard pictureWanted else { return frames > settings.enoughFrames && paceProven }
        return frames >= settings.enoughFrames && pictureSettled && !needsSecondPicture && paceProven
    }

    /// At the end of the window: whether to keep reading (up to the deadline) for a keyframe
    /// still needed, or for frames that show the stream is live.
    var wantsExtension: Bool {
        frames > 0 && ((pictureWanted && (!pictureSettled || needsSecondPicture)) || !paceProven)
    }

    /// The newest picture and one at least `paceSpan` of stream time before it arrived at least
    /// half as far apart as their timestamps say, and so did the newest and the one just before
    /// it; or pictures have kept coming, without a break of more than a quarter second, for a
    /// whole second (for `paceSpan` in a stream without timestamps). A second of pictures
    /// arriving in a few milliseconds is a replayed cache, not a camera sending now; and the last
    /// picture of such a burst, which the demuxer's parser hands over only when the next bytes
    /// come (or the stream ends), arrives together with the one after it, not a frame apart.
    private var pacedNow: Bool {
        guard let newest = units.last, let newestArrival = newest.arrival else { return false }
        let span = paceSpan
        let flowing = datedUnits >= 3 ? Double(newestArrival - (flowStart ?? newestArrival)) / 1e9 : 0
        guard let newestTime = newest.time else { return flowing >= span }
        if flowing >= 1 { return true }
        if units.count >= 2, let time = units[units.count - 2].time, let arrival = units[units.count - 2].arrival,
           Double(newestArrival - arrival) / 1e9 < 0.5 * (newestTime - time) {
            return false
        }
        for unit in units.reversed() {
            guard let time = unit.time, let arrival = unit.arrival else { continue }
            let media = newestTime - time
            if media >= span { return Double(newestArrival - arrival) / 1e9 >= 0.5 * media }
        }
        return false
    }

    /// Stream time over which arrival must keep pace: two frame intervals, at least 0.2 s.
    private var paceSpan: Double { max(0.2, 2 * (frameInterval ?? 0)) }

    // MARK: Measurements

    /// The typical time between pictures: the median step between the distinct timestamps of
    /// the last 33 pictures, so that a lost picture or a packet without a timestamp does not
    /// skew it, at a cost that does not grow with the probe (no allocation either).
    var frameInterval: Double? {
        let count = recentTimes.count - 1
        guard count > 0 else { return nil }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { buffer in
            var steps = buffer
            for i in 0..<count { steps[i] = recentTimes[i + 1] - recentTimes[i] }
            steps.sort()
            return steps[count / 2]
        }
    }

    var measuredFps: Double? { frameInterval.map { 1 / $0 } }

    var bitrateKbps: Double? {
        guard let fps = measuredFps, frames > 0 else { return nil }
        return Double(videoBytes) * 8 * fps / Double(frames) / 1000
    }

    var keyframeInterval: Double? {
        var times: [Double] = []
        for unit in units where unit.isKey {
            guard let time = unit.time else { continue }
            if let last = times.last, time <= last { continue }
            times.append(time)
            if times.count == 2 { return times[1] - times[0] }
        }
        return nil
    }

    /// Pictures that arrived together, far faster than their timestamps advance: a burst.
    private var burst: (frames: Int, media: Double, arrival: Double)? {
        let dated = units.filter { $0.time != nil && $0.arrival != nil }
        guard dated.count >= 3, let firstTime = dated.first?.time, let lastTime = dated.last?.time,
              let firstArrival = dated.first?.arrival, let lastArrival = dated.last?.arrival else { return nil }
        let media = lastTime - firstTime
        let arrival = Double(lastArrival - firstArrival) / 1e9
        guard media > 0, arrival < 0.25 * media else { return nil }
        return (dated.count, media, arrival)
    }

    // MARK: The verdict

    /// The one outcome, and a line saying why. `now` is when reading stopped.
    func verdict(ending: Ending, now: Int64) -> (Outcome, String) {
        let thresholds = settings.thresholds
        if !declaresVideo && frames == 0 && (!streamsAreDynamic || audioPackets > 0) {
            return (.noVideo, "the stream has no video track")
        }
        guard let lastFrameAt else {
            if case .streamEnded(let why) = ending { return (.stalled, "opened, stream ended before any video frame: \(why)") }
            return (.stalled, "opened, but no video frame arrived")
        }
        if ending != .enough {
            let silence = Double(now - lastFrameAt) / 1e9
            if ending == .timeUp, silence > silenceLimit {
                return (.stalled, stalledDetail(silence: silence))
            }
            if !paceProven {
                if case .streamEnded(let why) = ending {
                    let what = burst.map { String(format: "a burst of %d frames (%.1f s of video within %.0f ms)", $0.frames,
                                                  $0.media, $0.arrival * 1000) } ?? "\(frames) frame(s)"
                    return (.stalled, "the stream ended after \(what): \(why)")
                }
                return (.stalled, "\(frames) frame(s), never arriving at the pace of their timestamps")
            }
        }
        guard let first else {
            if !pictureWanted {
                let rate = measuredFps.map { String(format: " at %.1f fps", $0) } ?? ""
                return (.online, "\(frames) frames\(rate), live; picture not due, not checked")
            }
            if decodeFailureIsFinal, let decodeFailure { return (.corrupt, "keyframe undecodable: \(decodeFailure)") }
            if damagedPictures >= 2 {
                let what = damaged.map { ": \($0.damage) on the first" } ?? decodeFailure.map { ": \($0)" } ?? ""
                return (.corrupt, "\(damagedPictures) keyframes arrived and none decoded cleanly\(what)")
            }
            if damagedPictures == 1 {
                let what = damaged?.damage ?? decodeFailure ?? "it did not decode"
                return (.online, "frames arrive; the one keyframe received was damaged (\(what)) and no second came "
                    + "within the deadline: picture not checked")
            }
            if let decodeSkipped { return (.online, "frames arrive; a keyframe came but \(decodeSkipped): picture not checked") }
            return (.online, "frames arrive; no keyframe within the deadline, picture not checked")
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

    private func stalledDetail(silence: Double) -> String {
        if let burst {
            return String(format: "a burst of %d frames (%.1f s of video within %.0f ms), then none for %.1f s: "
                + "a server replaying its cache, nothing live behind it", burst.frames, burst.media,
                burst.arrival * 1000, silence)
        }
        return String(format: "frames stopped arriving: none for the last %.1f s", silence)
    }

    /// How long without a picture means the pictures stopped: four frame intervals, at least 1 s.
    var silenceLimit: Double { max(1.0, 4 * (frameInterval ?? 0)) }

    /// When reading past the window may stop: once silence would be decisive, nothing that
    /// could still arrive changes the verdict. Nanoseconds since the start, like the packets.
    var silenceDecidesAt: Int64? {
        lastFrameAt.map { $0 + Int64(silenceLimit * 1e9) }
    }
}
