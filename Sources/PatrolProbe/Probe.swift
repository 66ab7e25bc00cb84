import Foundation
import PatrolAV

/// Probing one stream: one function of (stream URL, settings) returning one `ProbeResult`.
///
/// It blocks its thread for at most the deadline (plus the time to close), so callers run
/// it on threads of their own, never on Swift's cooperative pool.
public enum Probe {
    /// - Parameter onOpen: called once the stream is open and media may flow (schedulers use it
    ///   to tell a probe exchanging data from one waiting on a silent camera).
    public static func run(_ url: StreamURL, settings: ProbeSettings = ProbeSettings(),
                           onOpen: (() -> Void)? = nil) -> ProbeResult {
        let startedAt = Date()
        let start = pav_now_ns()
        let deadline = start + settings.deadline.nanoseconds
        var result = ProbeResult(
            outcome: .timeout, detail: "", statusCode: nil, url: url.redacted, startedAt: startedAt,
            timings: .init(openMs: nil, firstFrameMs: nil, firstKeyframeMs: nil, totalMs: 0),
            measurements: .init(frames: 0, keyframes: 0, videoBytes: 0, fps: nil, bitrateKbps: nil, keyframeInterval: nil),
            stream: .init(format: nil, transport: transportName(url, settings), codec: nil, profile: nil, level: nil,
                          width: nil, height: nil, pixelFormat: nil, declaredFps: nil, hasAudio: false, audioCodec: nil),
            picture: nil)
        observe(url, settings: settings, start: start, deadline: deadline, onOpen: onOpen, into: &result)
        result.timings.totalMs = milliseconds(pav_now_ns() - start)
        result.detail = Redaction.scrub(result.detail, secrets: url.secrets)
        return result
    }

    private static func observe(_ url: StreamURL, settings: ProbeSettings, start: Int64, deadline: Int64,
                                onOpen: (() -> Void)?, into result: inout ProbeResult) {

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

        // 2. Open: for RTSP, OPTIONS, DESCRIBE, SETUP and PLAY, all under the deadline.
        guard let session = pav_session_create() else {
            (result.outcome, result.detail) = (.timeout, "out of memory")
            return
        }
        defer { pav_session_release(session) }
        pav_set_stop_at(session, deadline)
        var status = pav_status()
        let opened = url.ffmpegURL(hostOverride: numericHost).withCString { cURL in
            settings.transport.rawValue.withCString { cTransport in
                settings.userAgent.withCString { cAgent in
                    var params = pav_open_params(
                        url: cURL, rtsp_transport: url.isRTSP ? cTransport : nil,
                        // A backstop only: the deadline (interrupt callback) must be what ends a wait.
                        io_timeout_us: settings.deadline.nanoseconds / 1000 + 1_000_000, user_agent: cAgent)
                    return pav_open(session, &params, &status)
                }
            }
        }
        guard opened >= 0 else {
            let failure = OpenFailure.classify(
                averror: opened, osErrno: status.os_errno, statusCode: status.status_code,
                deadlineReached: status.interrupted != 0 || pav_now_ns() >= deadline,
                message: message(of: status), budget: settings.deadline)
            (result.outcome, result.statusCode, result.detail) = (failure.outcome, failure.statusCode, failure.detail)
            return
        }
        let openedAt = pav_now_ns()
        result.timings.openMs = milliseconds(openedAt - start)
        onOpen?()

        var streams = pav_streams()
        pav_describe_streams(session, &streams)
        result.stream.format = string(streams.format_name)
        result.stream.codec = string(streams.video_codec)
        result.stream.audioCodec = string(streams.audio_codec)
        result.stream.hasAudio = streams.audio_streams > 0
        if streams.declared_fps > 0 { result.stream.declaredFps = streams.declared_fps }

        // 3. Watch frames over the window; decode only the keyframes the verdict needs.
        var observation = Observation(settings: settings, declaresVideo: streams.video_streams > 0,
                                      streamsAreDynamic: streams.streams_are_dynamic != 0)
        let windowEnd = min(openedAt + settings.window.nanoseconds, deadline)
        let extendedEnd = max(windowEnd, deadline - settings.closeMargin.nanoseconds)
        var ending = Observation.Ending.timeUp
        let mustRead = streams.video_streams > 0 || streams.streams_are_dynamic != 0
        reading: while mustRead {
            // The stop time is set before each read, never moved while FFmpeg reads: an interrupt
            // in the middle of an interleaved RTP frame leaves the RTSP demuxer out of step, so
            // the probe only lets it fire where it will stop reading anyway.
            let stopAt = observation.wantsExtension ? extendedEnd : windowEnd
            pav_set_stop_at(session, stopAt)
            var packet = pav_packet()
            let read = pav_read(session, &packet, &status)
            if read < 0 {
                ending = status.interrupted != 0 || pav_now_ns() >= stopAt
                    ? .timeUp
                    : .streamEnded(read == pav_error_eof() ? "end of stream" : message(of: status))
                break reading
            }
            let time: Double? = packet.pts != Int64.min
                ? Double(packet.pts) * packet.time_base
                : (packet.dts != Int64.min ? Double(packet.dts) * packet.time_base : nil)
            observation.record(Observation.Packet(
                isVideo: packet.media == PAV_MEDIA_VIDEO, isAudio: packet.media == PAV_MEDIA_AUDIO,
                isKey: packet.key != 0, size: Int(packet.size), time: time, arrival: packet.arrival_ns - start))
            if packet.media == PAV_MEDIA_AUDIO { result.stream.hasAudio = true }
            if packet.media == PAV_MEDIA_VIDEO, packet.key != 0, observation.wantsDecode(ofKeyframeAt: time) {
                decode(session, keyframeSize: Int(packet.size), time: time, into: &observation, result: &result)
            }
            if observation.isComplete {
                ending = .enough
                break reading
            }
            let now = pav_now_ns()
            if now >= extendedEnd || (now >= windowEnd && !observation.wantsExtension) { break reading }
        }

        // 4. The verdict.
        (result.outcome, result.detail) = observation.verdict(ending: ending, now: pav_now_ns() - start)
        result.timings.firstFrameMs = observation.firstFrameAt.map(milliseconds)
        result.timings.firstKeyframeMs = observation.firstKeyframeAt.map(milliseconds)
        result.measurements = .init(
            frames: observation.frames, keyframes: observation.keyframes, videoBytes: observation.videoBytes,
            fps: observation.measuredFps, bitrateKbps: observation.bitrateKbps,
            keyframeInterval: observation.keyframeInterval)
        if let first = observation.first {
            result.picture = .init(
                lumaMean: first.stats.lumaMean, lumaSpread: first.stats.lumaSpread,
                blackFraction: first.stats.blackFraction, fingerprint: first.fingerprint,
                decodeErrors: first.decodeErrors, laterDifference: observation.laterDifference)
        }
    }

    /// Decodes the keyframe the session holds and hands its picture to the observation.
    private static func decode(_ session: OpaquePointer, keyframeSize: Int, time: Double?,
                               into observation: inout Observation, result: inout ProbeResult) {
        var picture = pav_picture()
        var status = pav_status()
        let decoded = pav_decode_held(session, &picture, &status)
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
        observation.record(Observation.Picture(
            stats: PictureStats.measure(plane, blackPixel: observation.settings.thresholds.blackPixel),
            fingerprint: Fingerprint(plane), keyframeSize: keyframeSize, time: time,
            decodeErrors: Int(picture.decode_errors), flaggedCorrupt: picture.corrupt_flag != 0))
        result.stream.codec = string(picture.codec) ?? result.stream.codec
        result.stream.profile = string(picture.profile)
        result.stream.level = picture.level > 0 ? Int(picture.level) : nil
        result.stream.width = Int(picture.width)
        result.stream.height = Int(picture.height)
        result.stream.pixelFormat = string(picture.pix_fmt)
        if result.stream.declaredFps == nil, picture.declared_fps > 0 { result.stream.declaredFps = picture.declared_fps }
    }

    private static func transportName(_ url: StreamURL, _ settings: ProbeSettings) -> String {
        url.isRTSP ? settings.transport.rawValue : url.scheme.rawValue
    }

    private static func milliseconds(_ nanoseconds: Int64) -> Double {
        (Double(nanoseconds) / 1e4).rounded() / 100
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func message(of status: pav_status) -> String {
        withUnsafeBytes(of: status.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}
