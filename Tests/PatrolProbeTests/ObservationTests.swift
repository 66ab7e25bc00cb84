import Foundation
import PatrolAV
import PatrolSettings
import Testing
@testable import PatrolProbe

/// The probe's decisions as tables: packets in, outcome out, no network.
@Suite("What a probe concludes from what it saw")
struct ObservationTests {
    let settings = ProbeSettings()
    let ms: Int64 = 1_000_000

    func observation(video: Bool = true, dynamic: Bool = false) -> Observation {
        Observation(settings: settings, declaresVideo: video, streamsAreDynamic: dynamic)
    }

    func packet(_ index: Int, key: Bool, size: Int, fps: Double = 25, arrivalOffset: Int64 = 300) -> Observation.Packet {
        Observation.Packet(isVideo: true, isAudio: false, isKey: key, size: size, time: Double(index) / fps,
                           arrival: arrivalOffset * ms + Int64(Double(index) / fps * 1e9))
    }

    func picture(_ frame: TestFrame, size: Int = 60_000, at time: Double, errors: Int = 0) -> Observation.Picture {
        Observation.Picture(stats: frame.stats, fingerprint: frame.fingerprint, keyframeSize: size, time: time,
                            decodeErrors: errors, flaggedCorrupt: false)
    }

    @Test("a live camera: keyframe, then ordinary frames; the probe stops early and says online")
    func live() {
        var o = observation()
        o.record(packet(0, key: true, size: 60_000))
        #expect(o.wantsDecode(ofKeyframeAt: 0))
        o.record(picture(scene(noise: 2), at: 0))
        for i in 1..<8 { o.record(packet(i, key: false, size: 9_000)) }
        #expect(!o.staticSuspected)
        #expect(o.isComplete)
        let (outcome, _) = o.verdict(ending: .enough, now: 700 * ms)
        #expect(outcome == .online)
        #expect(abs(o.measuredFps! - 25) < 0.01)
        #expect(abs(o.bitrateKbps! - (60_000 + 7 * 9_000) * 8 * 25 / 8 / 1000) < 0.01)
    }

    @Test("nothing after PLAY is stalled; an audio-only stream is no_video")
    func nothing() {
        #expect(observation().verdict(ending: .timeUp, now: 2300 * ms).0 == .stalled)
        #expect(observation(video: false).verdict(ending: .timeUp, now: 300 * ms).0 == .noVideo)
        var dynamic = observation(video: false, dynamic: true)
        dynamic.record(.init(isVideo: false, isAudio: true, isKey: true, size: 200, time: 0, arrival: 10 * ms))
        #expect(dynamic.verdict(ending: .timeUp, now: 2000 * ms).0 == .noVideo)
    }

    @Test("frames that stop arriving are stalled")
    func stopped() {
        var o = observation()
        for i in 0..<5 { o.record(packet(i, key: i == 0, size: 5_000)) }
        // Last frame at 300 ms + 160 ms; the window ends 2.3 s after start.
        #expect(o.verdict(ending: .timeUp, now: 2300 * ms).0 == .stalled)
        // Frames that keep coming until the window ends are fine (no keyframe decoded).
        for i in 5..<10 { o.record(packet(i, key: false, size: 5_000)) }
        #expect(o.paceProven)
        #expect(o.verdict(ending: .timeUp, now: 700 * ms).0 == .online)
    }

    @Test("a frame the demuxer hands over when the stop time ends a read arrived before: it moves no clock")
    func flushedFrame() {
        var o = observation()
        for i in 0..<10 { o.record(packet(i, key: i == 0, size: 5_000)) }
        // Silence from 660 ms; the read ended by the window at 2.3 s returns the frame the
        // parser still held.
        o.record(.init(isVideo: true, isAudio: false, isKey: false, size: 5_000, time: 0.4, arrival: 2300 * ms,
                       flushed: true))
        #expect(o.frames == 11)
        #expect(o.lastFrameAt == 300 * ms + 360 * ms)
        let (outcome, detail) = o.verdict(ending: .timeUp, now: 2300 * ms)
        #expect(outcome == .stalled)
        #expect(detail.contains("none for the last 1.6 s"))

        // A stream whose only frame came out of such a read sent nothing the probe can date.
        var single = observation()
        single.record(.init(isVideo: true, isAudio: false, isKey: true, size: 50_000, time: 0, arrival: 2300 * ms,
                            flushed: true))
        #expect(single.verdict(ending: .timeUp, now: 2300 * ms).0 == .stalled)
    }

    @Test("a server replaying its cache: a second of pictures within milliseconds, then nothing, is stalled")
    func cacheBurst() {
        var o = observation()
        // 25 frames (one GOP's start) arrive within 5 ms of each other, 300 ms after the start.
        for i in 0..<25 {
            o.record(.init(isVideo: true, isAudio: false, isKey: i == 0, size: i == 0 ? 60_000 : 9_000,
                           time: 100 + Double(i) / 25, arrival: 300 * ms + Int64(i) * 200_000))
        }
        o.record(picture(scene(noise: 2), at: 100))
        #expect(!o.paceProven)
        #expect(!o.isComplete)
        #expect(o.wantsExtension)
        let (outcome, detail) = o.verdict(ending: .timeUp, now: 7_750 * ms)
        #expect(outcome == .stalled)
        #expect(detail.contains("burst of 25 frames"))

        // The same burst followed by live frames: a media server with its camera sending.
        var live = o
        for i in 25..<35 {
            live.record(.init(isVideo: true, isAudio: false, isKey: false, size: 9_000, time: 100 + Double(i) / 25,
                              arrival: 305 * ms + Int64(i - 24) * 40 * ms))
        }
        #expect(live.paceProven)
        #expect(live.isComplete)
        #expect(live.verdict(ending: .enough, now: 750 * ms).0 == .online)
    }

    @Test("a replayed cache whose server then closes the stream: the picture handed over at the end proves no pace")
    func burstThenEnd() {
        var o = observation()
        for i in 0..<34 {
            o.record(.init(isVideo: true, isAudio: false, isKey: i == 0, size: i == 0 ? 60_000 : 9_000,
                           time: 100 + Double(i) / 25, arrival: 3 * ms + Int64(i) * 30_000))
        }
        // The server sends one more picture 1 s later and closes the connection: the parser hands
        // over the burst's last picture when that one's bytes arrive, then that one at the end.
        o.record(.init(isVideo: true, isAudio: false, isKey: false, size: 9_000, time: 100 + 34.0 / 25,
                       arrival: 1_070 * ms))
        o.record(.init(isVideo: true, isAudio: false, isKey: false, size: 9_000, time: 100 + 35.0 / 25,
                       arrival: 1_070 * ms + 300_000))
        o.record(picture(scene(noise: 2), at: 100))
        // One late picture alone proves nothing: live pictures keep coming, one after another.
        #expect(!o.paceProven)
        #expect(!o.isComplete)
        o.streamEnded()
        #expect(!o.paceProven)
        #expect(o.lastFrameAt == 1_070 * ms)
        let (outcome, detail) = o.verdict(ending: .streamEnded("end of stream"), now: 1_070 * ms)
        #expect(outcome == .stalled)
        #expect(detail == "the stream ended after 36 frame(s): end of stream", "\(detail)")
    }

    @Test("pictures that keep coming for a second are a flow, however fast their timestamps run")
    func fastFlow() {
        var o = observation()
        // A server sending a file six times faster than real time, without a break.
        for i in 0..<40 {
            o.record(.init(isVideo: true, isAudio: false, isKey: i % 50 == 0, size: 9_000, time: Double(i) / 25,
                           arrival: 300 * ms + Int64(i) * 6_700_000))
        }
        #expect(!o.paceProven)
        for i in 40..<160 {
            o.record(.init(isVideo: true, isAudio: false, isKey: false, size: 9_000, time: Double(i) / 25,
                           arrival: 300 * ms + Int64(i) * 6_700_000))
        }
        #expect(o.paceProven)
    }

    @Test("packets sharing a timestamp are one picture: slices and parameter sets are not frames")
    func accessUnits() {
        var o = observation()
        for i in 0..<10 {
            let key = i % 5 == 0
            // Parameter sets and the first slice, then the second slice, with one timestamp.
            #expect(o.record(packet(i, key: key, size: key ? 30_000 : 4_000)) == .newUnit)
            #expect(o.record(packet(i, key: key, size: key ? 30_000 : 4_000)) == .sameUnit)
        }
        // A packet without a timestamp belongs to the picture before it.
        #expect(o.record(.init(isVideo: true, isAudio: false, isKey: false, size: 100, time: nil, arrival: 800 * ms))
            == .sameUnit)
        #expect(o.frames == 10)
        #expect(o.keyframes == 2)
        #expect(abs(o.measuredFps! - 25) < 0.001)
        #expect(o.keyframeInterval == 0.2)
    }

    @Test("the stream's first packet has no timestamp: the rest of its keyframe still joins it")
    func untimedStart() {
        var h264 = observation()
        #expect(h264.record(.init(isVideo: true, isAudio: false, isKey: true, size: 1_586, time: nil, arrival: 300 * ms))
            == .newUnit)
        #expect(h264.record(.init(isVideo: true, isAudio: false, isKey: true, size: 12_791, time: 0, arrival: 301 * ms))
            == .sameUnit)
        #expect(h264.record(packet(1, key: false, size: 9_000)) == .newUnit)
        #expect(h264.frames == 2 && h264.keyframes == 1)
        // Later on, an untimed packet never starts a picture that a timed one then joins.
        #expect(h264.record(.init(isVideo: true, isAudio: false, isKey: true, size: 900, time: nil, arrival: 400 * ms))
            == .sameUnit)

        // Where parameter sets never split a picture (MJPEG), every keyframe packet is a picture.
        var jpeg = Observation(settings: settings, declaresVideo: true, streamsAreDynamic: false, splitPictures: false)
        jpeg.record(.init(isVideo: true, isAudio: false, isKey: true, size: 30_000, time: nil, arrival: 300 * ms))
        #expect(jpeg.record(.init(isVideo: true, isAudio: false, isKey: true, size: 30_000, time: 0, arrival: 340 * ms))
            == .newUnit)
    }

    @Test("lost pictures do not lower the measured frame rate; filler data does not hide a static picture")
    func measurements() {
        var lossy = observation()
        for i in [0, 1, 2, 5, 6, 9, 10, 11, 14, 20] { lossy.record(packet(i, key: i == 0, size: 20_000)) }
        #expect(abs(lossy.measuredFps! - 25) < 0.001)

        // A constant-bitrate encoder pads every frame of a still picture with filler data.
        var padded = observation()
        padded.record(.init(isVideo: true, isAudio: false, isKey: true, size: 60_000, codedSize: 58_000, time: 0,
                            arrival: 300 * ms))
        padded.record(picture(scene(noise: 3), size: 58_000, at: 0))
        for i in 1..<10 {
            padded.record(.init(isVideo: true, isAudio: false, isKey: false, size: 8_000, codedSize: 40,
                                time: Double(i) / 25, arrival: 300 * ms + Int64(i) * 40 * ms))
        }
        #expect(padded.staticSuspected)
        #expect(padded.needsSecondPicture)
    }

    @Test("near-empty frames after the keyframe call for a second keyframe; the same picture is frozen")
    func frozen() {
        var o = observation()
        let still = scene(noise: 3)
        o.record(packet(0, key: true, size: 60_000))
        o.record(picture(still, at: 0))
        for i in 1..<10 { o.record(packet(i, key: false, size: 40)) }
        #expect(o.staticSuspected)
        #expect(!o.isComplete)
        #expect(o.wantsExtension)
        #expect(!o.wantsDecode(ofKeyframeAt: 0.2))  // too soon to tell
        o.record(packet(50, key: true, size: 60_000))
        #expect(o.wantsDecode(ofKeyframeAt: 2.0))
        o.record(picture(still, at: 2.0))
        #expect(o.isComplete)
        #expect(o.verdict(ending: .enough, now: 2400 * ms).0 == .frozen)
    }

    @Test("a motionless live scene: small frames, but the second keyframe differs, so online")
    func staticLive() {
        var o = observation()
        o.record(packet(0, key: true, size: 60_000))
        o.record(picture(scene(seed: 1, noise: 2), at: 0))
        for i in 1..<10 { o.record(packet(i, key: false, size: 300)) }
        #expect(o.staticSuspected)
        o.record(packet(50, key: true, size: 60_000))
        o.record(picture(scene(seed: 2, noise: 2), at: 2.0))
        #expect(o.verdict(ending: .enough, now: 2400 * ms).0 == .online)
    }

    @Test("black wins over frozen and is decided from the first keyframe")
    func black() {
        var o = observation()
        o.record(packet(0, key: true, size: 3_000))
        o.record(picture(TestFrame { _, _ in 16 }, size: 3_000, at: 0))
        for i in 1..<8 { o.record(packet(i, key: false, size: 12)) }
        #expect(!o.staticSuspected)
        #expect(o.isComplete)
        #expect(o.verdict(ending: .enough, now: 600 * ms).0 == .black)
    }

    @Test("keyframes that decode with errors are corrupt; one clean keyframe after a damaged one is not")
    func corrupt() {
        var o = observation()
        o.record(packet(0, key: true, size: 50_000))
        o.record(picture(scene(noise: 2), at: 0, errors: 12))
        #expect(o.wantsDecode(ofKeyframeAt: 2))
        o.record(picture(scene(noise: 2), at: 2, errors: 9))
        for i in 1..<10 { o.record(packet(i, key: false, size: 5_000)) }
        #expect(o.pictureSettled)
        #expect(o.verdict(ending: .enough, now: 2400 * ms).0 == .corrupt)

        var recovered = observation()
        recovered.record(packet(0, key: true, size: 50_000))
        recovered.record(picture(scene(noise: 2), at: 0, errors: 3))
        recovered.record(picture(scene(seed: 5, noise: 2), at: 2))
        for i in 1..<10 { recovered.record(packet(i, key: false, size: 5_000)) }
        #expect(recovered.verdict(ending: .enough, now: 2400 * ms).0 == .online)

        var undecodable = observation()
        for i in 0..<10 { undecodable.record(packet(i, key: i == 0, size: 5_000)) }
        undecodable.recordDecodeFailure("Invalid data found when processing input", final: false)
        undecodable.recordDecodeFailure("Invalid data found when processing input", final: false)
        #expect(undecodable.pictureSettled)
        #expect(undecodable.verdict(ending: .timeUp, now: 700 * ms).0 == .corrupt)
    }

    @Test("a keyframe that got no decode turn before the deadline: alive, picture not checked, never corrupt")
    func noDecodeTurn() {
        var o = observation()
        for i in 0..<150 { o.record(packet(i, key: i % 50 == 0, size: i % 50 == 0 ? 80_000 : 6_000)) }
        #expect(!o.pictureSettled)
        o.recordDecodeSkipped("no decode turn was free before the deadline (the host is overloaded)")
        #expect(o.pictureSettled)
        let (outcome, detail) = o.verdict(ending: .timeUp, now: 300 * ms + 6_000 * ms)
        #expect(outcome == .online)
        #expect(detail.contains("no decode turn"), "\(detail)")
        #expect(detail.contains("picture not checked"), "\(detail)")
    }

    @Test("one damaged keyframe and no second before the deadline: alive, picture not checked, not corrupt")
    func oneDamagedKeyframe() {
        var o = observation()
        o.record(packet(0, key: true, size: 80_000))
        o.record(picture(scene(noise: 2), size: 80_000, at: 0, errors: 4))
        for i in 1..<150 { o.record(packet(i, key: false, size: 6_000)) }
        #expect(!o.pictureSettled)
        #expect(o.wantsExtension)
        #expect(o.wantsDecode(ofKeyframeAt: 6))
        let (outcome, detail) = o.verdict(ending: .timeUp, now: 300 * ms + 6_000 * ms)
        #expect(outcome == .online)
        #expect(detail.contains("damaged (the decoder reported 4 errors)"))
        #expect(detail.contains("picture not checked"))
        #expect(o.damaged?.decodeErrors == 4)
    }

    @Test("frames without any keyframe before the deadline: alive, picture unchecked")
    func longGOP() {
        var o = observation()
        for i in 0..<150 { o.record(packet(i, key: false, size: 2_000)) }
        #expect(o.wantsExtension)
        let (outcome, detail) = o.verdict(ending: .timeUp, now: 300 * ms + 6_000 * ms)
        #expect(outcome == .online)
        #expect(detail.contains("no keyframe"))
    }
}

@Suite("Why a stream did not open")
struct OpenFailureTests {
    struct Case: Sendable, CustomStringConvertible {
        var averror: Int32
        var errno: Int32 = 0
        var status: Int32 = 0
        var deadline = false
        var expected: Outcome
        var code: Int? = nil
        var description: String { "\(averror)/\(status) -> \(expected)" }
    }

    static let cases: [Case] = [
        Case(averror: -ECONNREFUSED, errno: ECONNREFUSED, expected: .refused),
        Case(averror: -EHOSTUNREACH, errno: EHOSTUNREACH, expected: .refused),
        Case(averror: -ETIMEDOUT, errno: ETIMEDOUT, expected: .timeout),
        // The interrupt callback ends the call: AVERROR_EXIT, whatever the far end did.
        Case(averror: pav_error_exit(), deadline: true, expected: .timeout),
        // A silent listener can surface as invalid data; the deadline says what happened.
        Case(averror: pav_error_invalid_data(), deadline: true, expected: .timeout),
        Case(averror: pav_error_http_unauthorized(), status: 401, expected: .unauthorized, code: 401),
        Case(averror: pav_error_http_unauthorized(), expected: .unauthorized, code: 401),
        Case(averror: pav_error_http_not_found(), status: 404, expected: .notFound, code: 404),
        Case(averror: pav_error_http_server_error(), status: 503, expected: .rtspError, code: 503),
        Case(averror: pav_error_http_other_4xx(), status: 454, expected: .rtspError, code: 454),
        // A non-200 answer to PLAY comes back as EPERM; the status is read from the exchange.
        Case(averror: -EPERM, errno: EPERM, status: 461, expected: .rtspError, code: 461),
        Case(averror: pav_error_invalid_data(), expected: .rtspError),
        // A status answered just as the deadline passed is still the status.
        Case(averror: pav_error_http_not_found(), status: 404, deadline: true, expected: .notFound, code: 404),
        // A 400 is not logged by FFmpeg; its code is read from the answer, or from the error.
        Case(averror: pav_error_invalid_data(), status: 400, expected: .rtspError, code: 400),
        Case(averror: pav_error_http_bad_request(), expected: .rtspError, code: 400),
    ]

    @Test(arguments: cases)
    func classify(_ c: Case) {
        let failure = OpenFailure.classify(averror: c.averror, osErrno: c.errno, statusCode: c.status,
                                           deadlineReached: c.deadline, message: "m", budget: .seconds(8))
        #expect(failure.outcome == c.expected)
        #expect(failure.statusCode == c.code)
    }

    @Test("a redirect is an rtsp_error naming its target, redacted and fit for a terminal")
    func redirect() {
        let failure = OpenFailure.classify(
            averror: pav_error_exit(), osErrno: 0, statusCode: 302, deadlineReached: true, message: "m",
            budget: .seconds(8), method: "DESCRIBE",
            redirectTarget: "rtsp://admin:hunter2@10.9.9.9:8554/live?token=abc\u{1B}[31m")
        #expect(failure.outcome == .rtspError)
        #expect(failure.statusCode == 302)
        #expect(failure.detail.contains("rtsp://***@10.9.9.9:8554/live?token=***"))
        #expect(!failure.detail.contains("hunter2"))
        #expect(!failure.detail.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test("what a refusal answered and what a timeout left unanswered are named")
    func stages() {
        let setup = OpenFailure.classify(averror: pav_error_http_other_4xx(), osErrno: 0, statusCode: 461,
                                         deadlineReached: false, message: "m", budget: .seconds(8), method: "SETUP",
                                         setupRefused: true)
        #expect(setup.outcome == .rtspError)
        #expect(setup.detail == "the camera refused the session with status 461 to SETUP: it does not offer the transport asked for")
        let held = OpenFailure.classify(averror: pav_error_exit(), osErrno: 0, statusCode: 0, deadlineReached: true,
                                        message: "m", budget: .seconds(2), request: "DESCRIBE")
        #expect(held.outcome == .timeout)
        #expect(held.detail == "no usable answer within the 2.0 s deadline (DESCRIBE unanswered)")
        let http = OpenFailure.classify(averror: pav_error_exit(), osErrno: 0, statusCode: 0, deadlineReached: true,
                                        message: "m", budget: .seconds(2), request: "OPTIONS",
                                        notRTSP: "HTTP/1.1 400 Bad Request")
        #expect(http.outcome == .rtspError)
        #expect(http.detail == "the far end answered, but not in RTSP: \"HTTP/1.1 400 Bad Request\"")
    }
}
