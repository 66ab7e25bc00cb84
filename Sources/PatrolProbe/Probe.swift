import Foundation
import PatrolAV
import PatrolSettings

/// What a probe is asked to do with the picture it decodes, beyond judging it.
public struct PictureRequest: Sendable, Equatable {
    public enum Keep: Sendable, Equatable {
        /// No snapshot: the JPEG is never encoded.
        case never
        /// A snapshot of the first clean picture.
        case always
        /// A snapshot when the picture's own outcome (black, frozen against `previousFingerprint`,
        /// a scene fault against `reference`, or online) is not the camera's last one.
        case onChange(from: Outcome?)
    }

    public var keep: Keep
    public var snapshot: SnapshotSettings
    /// The camera's reference scene, for the snapshot's decision (the verdict against it is the judge's).
    public var reference: SceneSignature?
    /// The picture of the camera's previous probe.
    public var previousFingerprint: Fingerprint?
    /// Seconds after the stream opened that a probe which has seen enough goes on reading for the
    /// camera's first RTCP sender report (its clock); 0 reads the clock only if it came anyway.
    /// Never past the window.
    public var clockWait: Double
    /// Whether the picture is to be decoded and checked. When not, the probe stops as soon as
    /// frames arrive whole and live, without waiting for a keyframe, and decodes nothing, unless
    /// a sign in the coded stream (read against `history`) makes the check due at once.
    public var checkPicture: Bool
    /// What the camera's coded stream looked like at its previous probe.
    public var history: CodedHistory?

    public init(keep: Keep = .never, snapshot: SnapshotSettings = SnapshotSettings(), reference: SceneSignature? = nil,
                previousFingerprint: Fingerprint? = nil, clockWait: Double = 0, checkPicture: Bool = true,
                history: CodedHistory? = nil) {
        self.checkPicture = checkPicture
        self.history = history
        self.keep = keep
        self.snapshot = snapshot
        self.reference = reference
        self.previousFingerprint = previousFingerprint
        self.clockWait = clockWait
    }
}

/// Probing one stream: one function of (stream URL, settings) returning one `ProbeResult`.
///
/// It blocks its thread for at most the deadline (plus the time to close), so callers run
/// it on threads of their own, never on Swift's cooperative pool.
public enum Probe {
    /// - Parameter onOpen: called once the stream is open and media may flow (schedulers use it
    ///   to tell a probe exchanging data from one waiting on a silent camera).
    ///   - picture: whether to keep a JPEG of the picture (encoded only when kept).
    public static func run(_ url: StreamURL, settings requested: ProbeSettings = ProbeSettings(),
                           picture request: PictureRequest = PictureRequest(),
                           onOpen: (() -> Void)? = nil) -> ProbeResult {
        let settings = requested.applying(host: url.host)
        let startedAt = Date()
        let start = pav_now_ns()
        let deadline = start + settings.deadline.nanoseconds
        var result = ProbeResult(
            outcome: .timeout, detail: "", statusCode: nil, url: url.redacted, startedAt: startedAt,
            timings: .init(openMs: nil, firstFrameMs: nil, firstKeyframeMs: nil, totalMs: 0),
            measurements: .init(frames: 0, keyframes: 0, videoBytes: 0, fps: nil, bitrateKbps: nil, keyframeInterval: nil),
            stream: .init(format: nil, transport: url.isRTSP ? settings.transport.order[0].rawValue : url.scheme.rawValue,
                          codec: nil, profile: nil, level: nil, width: nil, height: nil, pixelFormat: nil,
                          declaredFps: nil, hasAudio: false, audioCodec: nil),
            picture: nil)
        observe(url, settings: settings, request: request, start: start, deadline: deadline, onOpen: onOpen, into: &result)
        result.timings.totalMs = milliseconds(pav_now_ns() - start)
        result.detail = Redaction.scrub(result.detail, secrets: url.secrets)
        return result
    }

    private static func observe(_ url: StreamURL, settings: ProbeSettings, request: PictureRequest, start: Int64,
                                deadline: Int64, onOpen: (() -> Void)?, into result: inout ProbeResult) {

        // 1. Name resolution, bounded like everything else.
        var numericHost: String?
        if !HostResolver.isNumeric(url.host) {
            switch HostResolver.resolve(url.host, within: .nanoseconds(deadline - pav_now_ns())) {
            case .success(let address):
                // RTSP and RTMP carry no host name that matters; HTTP(S) keeps it for TLS and
                // virtual hosts and resolves again.
                if url.isRTSP || url.scheme == .rtmp { numericHost = address }
            case .failure(.timedOut):
                (result.outcome, result.detail) = (.timeout, "the camera's name did not resolve within the deadline")
                return
            case .failure(.unresolvable(let why)):
                (result.outcome, result.detail) = (.refused, "the camera's name does not resolve: \(why)")
                return
            }
        }

        // 2. Open: for RTSP, OPTIONS, DESCRIBE, SETUP and PLAY, all under the deadline; over
        //    the next transport when the server refuses the one asked for at SETUP.
        guard let session = pav_session_create() else {
            (result.outcome, result.detail) = (.timeout, "out of memory")
            return
        }
        defer { pav_session_release(session) }
        let transports: [ProbeSettings.Transport?] = url.isRTSP ? settings.transport.order : [nil]
        var refusedTransports: [(ProbeSettings.Transport, Int?)] = []
        for (index, transport) in transports.enumerated() {
            pav_set_stop_at(session, deadline)
            var status = pav_status()
            let opened = open(session, url: url, numericHost: numericHost, transport: transport, settings: settings,
                              status: &status)
            if opened >= 0 {
                if let transport { result.stream.transport = string(pav_rtsp_lower_transport(session)) ?? transport.rawValue }
                break
            }
            let deadlineReached = status.interrupted != 0 || pav_now_ns() >= deadline
            if let transport, status.setup_refused != 0, status.redirected == 0, !deadlineReached,
               index + 1 < transports.count {
                refusedTransports.append((transport, status.status_code > 0 ? Int(status.status_code) : nil))
                continue
            }
            var failure = OpenFailure.classify(
                averror: opened, osErrno: status.os_errno, statusCode: status.status_code,
                deadlineReached: deadlineReached, message: message(of: status), budget: settings.deadline,
                method: text(of: status.method), request: text(of: status.request), setupRefused: status.setup_refused != 0,
                redirectTarget: status.redirected != 0 ? text(of: status.redirect_target) : nil,
                notRTSP: status.not_rtsp != 0 ? text(of: status.answer) : nil)
            if let transport, !refusedTransports.isEmpty {
                let before = refusedTransports.map { "\($0.0.rawValue) refused (\($0.1.map(String.init) ?? "no status"))" }
                failure.detail += "; asked over \(transport.rawValue) after " + before.joined(separator: ", ")
            }
            (result.outcome, result.statusCode, result.detail) = (failure.outcome, failure.statusCode, failure.detail)
            if let transport { result.stream.transport = transport.rawValue }
            return
        }
        let openedAt = pav_now_ns()
        result.timings.openMs = milliseconds(openedAt - start)
        onOpen?()

        var streams = pav_streams()
        pav_describe_streams(session, &streams)
        describe(streams, into: &result)

        // 3. Watch frames over the window; decode whole pictures, only the keyframes the
        //    verdict needs.
        var observation = Observation(settings: settings, declaresVideo: streams.video_streams > 0,
                                      streamsAreDynamic: streams.streams_are_dynamic != 0, openedAt: openedAt - start,
                                      requiresPace: result.stream.format != "hls",
                                      splitPictures: ["h264", "hevc"].contains(result.stream.codec ?? "h264"),
                                      checkPicture: request.checkPicture, history: request.history)
        let windowEnd = min(openedAt + settings.window.nanoseconds, deadline)
        let extendedEnd = max(windowEnd, deadline - settings.closeMargin.nanoseconds)
        var ending = Observation.Ending.timeUp
        // The keyframe whose packets the session is gathering for a decode: a picture of the
        // observation's, decoded once the next one begins (or reading ends).
        var pendingKeyframe: Int?
        // The newest video frame's timestamp and arrival, to read the camera's clock against ours.
        var newestFrame: (time: Double, arrival: Int64)?
        let mustRead = streams.video_streams > 0 || streams.streams_are_dynamic != 0
        reading: while mustRead {
            // The stop time is set before each read, never moved while FFmpeg reads: an interrupt
            // in the middle of an interleaved RTP frame leaves the RTSP demuxer out of step, so
            // the probe only lets it fire where it will stop reading anyway.
            // Past the window, reading goes on only while something can still change the verdict:
            // a silence long enough to call the stream stalled ends it.
            let stopAt = observation.wantsExtension
                ? min(extendedEnd, max(windowEnd, observation.silenceDecidesAt.map { start + $0 } ?? extendedEnd))
                : windowEnd
            pav_set_stop_at(session, stopAt)
            var packet = pav_packet()
            var status = pav_status()
            let read = pav_read(session, &packet, &status)
            if read < 0 {
                ending = status.interrupted != 0 || pav_now_ns() >= stopAt
                    ? .timeUp
                    : .streamEnded(read == pav_error_eof() ? "end of stream" : message(of: status))
                if ending != .timeUp { observation.streamEnded() }
                break reading
            }
            let time: Double? = packet.pts != Int64.min
                ? Double(packet.pts) * packet.time_base
                : (packet.dts != Int64.min ? Double(packet.dts) * packet.time_base : nil)
            let placement = observation.record(Observation.Packet(
                isVideo: packet.media == PAV_MEDIA_VIDEO, isAudio: packet.media == PAV_MEDIA_AUDIO, isKey: packet.key != 0,
                size: Int(packet.size), codedSize: Int(packet.coded_size), time: time,
                arrival: packet.arrival_ns - start, flushed: packet.flushed != 0, codedHash: packet.coded_hash))
            if packet.media == PAV_MEDIA_AUDIO { result.stream.hasAudio = true }
            if packet.media == PAV_MEDIA_VIDEO, packet.flushed == 0, let time { newestFrame = (time, packet.arrival_ns) }
            switch placement {
            case .sameUnit where pendingKeyframe != nil:
                pav_unit_take(session, 1)
            case .newUnit:
                // A keyframe gathered by a probe not checking the picture is decoded only when a
                // sign (its own close among them) made the check due.
                if let pending = pendingKeyframe {
                    if observation.pictureWanted {
                        decode(session, unit: pending, request: request, deadline: deadline, into: &observation, result: &result)
                    }
                    pendingKeyframe = nil
                }
                if packet.key != 0, observation.wantsKeyframe(at: time), pav_unit_take(session, 0) >= 0 {
                    pendingKeyframe = observation.frames - 1
                }
            default:
                break
            }
            // Done, unless the camera's clock is wanted and its first RTCP sender report may still come.
            if pendingKeyframe == nil, observation.isComplete,
               request.clockWait <= 0 || pav_stream_realtime_origin_us(session) != Int64.min
                || pav_now_ns() >= openedAt + Int64(request.clockWait * 1e9) {
                ending = .enough
                break reading
            }
            let now = pav_now_ns()
            if now >= extendedEnd || (now >= windowEnd && !observation.wantsExtension) { break reading }
        }
        if let pending = pendingKeyframe, observation.pictureWanted {
            decode(session, unit: pending, request: request, deadline: deadline, into: &observation, result: &result)
        }
        let origin = pav_stream_realtime_origin_us(session)
        if origin != Int64.min, let newestFrame {
            let cameraTime = Double(origin) / 1e6 + newestFrame.time
            let ourTime = result.startedAt.timeIntervalSince1970 + Double(newestFrame.arrival - start) / 1e9
            result.clockOffset = ((cameraTime - ourTime) * 1000).rounded() / 1000
        }

        // Containers that add streams while reading (MPEG-TS in RTP, FLV) name them only now.
        pav_describe_streams(session, &streams)
        describe(streams, into: &result)

        // 4. The verdict.
        (result.outcome, result.detail) = observation.verdict(ending: ending, now: pav_now_ns() - start)
        result.pictureChecked = observation.pictureWanted
        result.pictureSign = observation.sign
        if let sign = observation.sign { result.detail += "; picture checked for \(sign.description)" }
        result.coded = observation.codedHistory
        result.timings.firstFrameMs = observation.firstFrameAt.map(milliseconds)
        result.timings.firstKeyframeMs = observation.firstKeyframeAt.map(milliseconds)
        result.measurements = .init(
            frames: observation.frames, keyframes: observation.keyframes, videoBytes: observation.videoBytes,
            fps: observation.measuredFps, bitrateKbps: observation.bitrateKbps,
            keyframeInterval: observation.keyframeInterval)
        if let shown = observation.first ?? observation.damaged {
            result.picture = .init(
                lumaMean: shown.stats.lumaMean, lumaSpread: shown.stats.lumaSpread,
                blackFraction: shown.stats.blackFraction, fingerprint: shown.fingerprint,
                decodeErrors: shown.decodeErrors, damaged: !shown.isClean,
                laterDifference: observation.laterDifference)
            result.picture?.scene = shown.scene
        }
    }

    private static func open(_ session: OpaquePointer, url: StreamURL, numericHost: String?,
                             transport: ProbeSettings.Transport?, settings: ProbeSettings,
                             status: inout pav_status) -> Int32 {
        url.ffmpegURL(hostOverride: numericHost).withCString { cURL in
            (transport?.rawValue ?? "").withCString { cTransport in
                settings.userAgent.withCString { cAgent in
                    var params = pav_open_params(
                        url: cURL, rtsp_transport: transport == nil ? nil : cTransport,
                        // A backstop only: the deadline (interrupt callback) must be what ends a wait.
                        io_timeout_us: settings.deadline.nanoseconds / 1000 + 1_000_000, user_agent: cAgent)
                    return pav_open(session, &params, &status)
                }
            }
        }
    }

    /// What the container declares: codecs, tracks, frame rate. Later calls fill in what
    /// earlier ones could not name.
    private static func describe(_ streams: pav_streams, into result: inout ProbeResult) {
        result.stream.format = result.stream.format ?? string(streams.format_name)
        if result.stream.codec == nil || result.stream.codec == "none" { result.stream.codec = named(streams.video_codec) }
        if result.stream.audioCodec == nil { result.stream.audioCodec = named(streams.audio_codec) }
        if streams.audio_streams > 0 { result.stream.hasAudio = true }
        if result.stream.declaredFps == nil, streams.declared_fps > 0 { result.stream.declaredFps = streams.declared_fps }
    }

    /// Decodes the access unit the session took (the observation's picture `unit`) and hands
    /// its picture to the observation, within one of the process's decode turns (DecodeGate).
    private static func decode(_ session: OpaquePointer, unit index: Int, request: PictureRequest, deadline: Int64,
                               into observation: inout Observation, result: inout ProbeResult) {
        let decoded: Void? = DecodeGate.withTurn(until: deadline) {
            decodeInTurn(session, unit: index, request: request, into: &observation, result: &result)
        }
        if decoded == nil {
            observation.recordDecodeSkipped("no decode turn was free before the deadline (the host is overloaded)")
        }
    }

    private static func decodeInTurn(_ session: OpaquePointer, unit index: Int, request: PictureRequest,
                                     into observation: inout Observation, result: inout ProbeResult) {
        let unit = observation.units[index]
        var picture = pav_picture()
        var status = pav_status()
        let decoded = pav_decode_unit(session, &picture, &status)
        defer { pav_release_decoder(session) }
        guard decoded >= 0, let luma = picture.luma, picture.width > 0, picture.height > 0 else {
            let noDecoder = decoded == pav_error_decoder_not_found()
            let reason = noDecoder ? "no decoder for codec \(result.stream.codec ?? "?")" : message(of: status)
            observation.recordDecodeFailure(reason, final: noDecoder)
            return
        }
        let plane = LumaPlane(
            base: UnsafeRawPointer(luma), bytesPerRow: Int(picture.linesize), width: Int(picture.width),
            height: Int(picture.height), bytesPerSample: Int(picture.bytes_per_sample),
            bitDepth: Int(picture.bit_depth), fullRange: picture.full_range != 0)
        var seen = Observation.Picture(
            stats: PictureStats.measure(plane, blackPixel: observation.settings.thresholds.blackPixel),
            fingerprint: Fingerprint(plane), keyframeSize: unit.codedSize, time: unit.time,
            decodeErrors: Int(picture.decode_errors), flaggedCorrupt: picture.corrupt_flag != 0)
        // Only the first clean picture's scene is compared or kept: no other is measured.
        let hadFirst = observation.first != nil
        if !hadFirst, seen.isClean { seen.scene = SceneSignature(session, picture: picture) }
        observation.record(seen)
        if !hadFirst, let first = observation.first, request.wantsSnapshot(of: first, settings: observation.settings) {
            result.snapshot = snapshot(session, settings: request.snapshot)
        }
        result.stream.codec = string(picture.codec) ?? result.stream.codec
        result.stream.profile = string(picture.profile)
        result.stream.level = picture.level > 0 ? Int(picture.level) : nil
        result.stream.width = Int(picture.width)
        result.stream.height = Int(picture.height)
        result.stream.pixelFormat = string(picture.pix_fmt)
        if result.stream.declaredFps == nil, picture.declared_fps > 0 { result.stream.declaredFps = picture.declared_fps }
    }

    /// The picture the session decoded last, as a JPEG; nil when it cannot be encoded.
    private static func snapshot(_ session: OpaquePointer, settings: SnapshotSettings) -> Snapshot? {
        var bytes = pav_bytes()
        var status = pav_status()
        guard pav_snapshot_jpeg(session, Int32(settings.maxWidth), Int32(settings.quality), &bytes, &status) >= 0,
              let data = bytes.data else { return nil }
        defer { pav_free(data) }
        return Snapshot(jpeg: Data(bytes: data, count: Int(bytes.size)), width: Int(bytes.width), height: Int(bytes.height))
    }

    private static func milliseconds(_ nanoseconds: Int64) -> Double {
        (Double(nanoseconds) / 1e4).rounded() / 100
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// A codec name FFmpeg gives for a stream it cannot name yet is "none": no name at all.
    private static func named(_ pointer: UnsafePointer<CChar>?) -> String? {
        string(pointer).flatMap { $0 == "none" ? nil : $0 }
    }

    private static func message(of status: pav_status) -> String { text(of: status.message) }

    /// A NUL-terminated C character array of a status, as a String.
    private static func text<T>(of array: T) -> String {
        withUnsafeBytes(of: array) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}

extension PictureRequest {
    /// Whether the first clean picture is to be kept: always, or when its own outcome is not
    /// the camera's last one.
    func wantsSnapshot(of picture: Observation.Picture, settings: ProbeSettings) -> Bool {
        switch keep {
        case .never: return false
        case .always: return true
        case .onChange(let previous): return outcome(of: picture, settings: settings) != previous
        }
    }

    /// What the picture alone says, with the camera's previous picture and reference.
    func outcome(of picture: Observation.Picture, settings: ProbeSettings) -> Outcome {
        if settings.thresholds.fault(of: picture.stats) != nil { return .black }
        return outcome(fingerprint: picture.fingerprint, scene: picture.scene, settings: settings)
    }

    /// What a finished probe's picture says with the camera's previous picture and reference:
    /// its outcome, or `frozen` or a scene fault where the probe alone said online.
    public func outcome(of result: ProbeResult, settings: ProbeSettings) -> Outcome {
        guard result.outcome == .online, let picture = result.picture, !picture.damaged else { return result.outcome }
        return outcome(fingerprint: picture.fingerprint, scene: picture.scene, settings: settings)
    }

    private func outcome(fingerprint: Fingerprint, scene: SceneSignature?, settings: ProbeSettings) -> Outcome {
        if let previousFingerprint, settings.thresholds.isFrozen(previousFingerprint, fingerprint) { return .frozen }
        if let reference, let scene,
           let fault = SceneComparison(scene, reference: reference, thresholds: settings.scene).fault(settings.scene) {
            return fault.outcome
        }
        return .online
    }
}

extension SceneSignature {
    /// The scene of the picture the session's last decode made.
    init?(_ session: OpaquePointer, picture: pav_picture) {
        var picture = picture
        guard let small = pav_small_luma(session, &picture) else { return nil }
        self.init(small: LumaPlane(base: UnsafeRawPointer(small), bytesPerRow: Self.smallWidth, width: Self.smallWidth,
                                   height: Self.smallHeight, fullRange: picture.full_range != 0))
    }
}
