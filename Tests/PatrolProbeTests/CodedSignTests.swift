import Foundation
import PatrolSettings
import Testing
@testable import PatrolProbe

/// A probe not due for a picture check: it stops once frames arrive whole and live, unless the
/// coded stream shows a sign of a black or frozen picture. Sizes are those the sample fleet's
/// encoders produce (docs/PROBE.md, "Picture checks on their own cadence").
@Suite("A probe that checks liveness only, and the coded signs that make it look at the picture")
struct CodedSignTests {
    let ms: Int64 = 1_000_000
    /// A 720p camera of the fleet a probe earlier: keyframes ~30 KB, frames between them ~9.8 KB.
    let healthy = CodedHistory(keyframeBytes: 30_000, keyframeHash: 0xfeed, frameBytes: 9_800)

    func liveness(_ history: CodedHistory?) -> Observation {
        Observation(settings: ProbeSettings(), declaresVideo: true, streamsAreDynamic: false, checkPicture: false,
                    history: history)
    }

    func packet(_ index: Int, key: Bool = false, size: Int, hash: UInt64 = 0) -> Observation.Packet {
        Observation.Packet(isVideo: true, isAudio: false, isKey: key, size: size, time: Double(index) / 25,
                           arrival: 300 * ms + Int64(Double(index) / 25 * 1e9), codedHash: key ? hash : 0)
    }

    @Test("a healthy camera mid-GOP: six whole frames at live pace, then it stops, online, nothing decoded")
    func healthyStops() {
        var o = liveness(healthy)
        var stoppedAt: Int?
        for i in 0..<40 {
            o.record(packet(i, size: 9_000 + (i % 3) * 700))
            #expect(!o.wantsDecode(ofKeyframeAt: Double(i) / 25))
            if o.isComplete { stoppedAt = i; break }
        }
        #expect(stoppedAt == 6, "five whole frames, live pace proven")
        #expect(!o.pictureWanted)
        #expect(o.sign == nil)
        #expect(o.decodeAttempts == 0)
        let (outcome, detail) = o.verdict(ending: .enough, now: 600 * ms)
        #expect(outcome == .online)
        #expect(detail.contains("picture not due, not checked"), "\(detail)")
        #expect(o.codedHistory.frameBytes == 9_700)
    }

    @Test("a replayed cache proves no liveness without a picture check either")
    func burstStillStalled() {
        var o = liveness(healthy)
        for i in 0..<25 {
            o.record(Observation.Packet(isVideo: true, isAudio: false, isKey: i == 0, size: 9_000, time: Double(i) / 25,
                                        arrival: 300 * ms + Int64(i) * 100_000))
        }
        #expect(!o.isComplete)
        #expect(o.verdict(ending: .timeUp, now: 3_000 * ms).0 == .stalled)
    }

    @Test("a keyframe among the frames of a healthy camera is gathered, read, and left undecoded")
    func healthyKeyframe() {
        var o = liveness(healthy)
        o.record(packet(0, size: 9_000))
        #expect(o.wantsKeyframe(at: 0.04))
        o.record(packet(1, key: true, size: 31_000, hash: 0xbeef))
        o.record(packet(2, size: 9_500))
        #expect(!o.pictureWanted)
        #expect(o.codedHistory.keyframeBytes == 31_000)
        #expect(o.codedHistory.keyframeHash != nil)
    }

    @Test("a frozen encoder's empty frames (41 bytes) make the check due; the probe then waits for a keyframe")
    func frozenFrames() {
        var o = liveness(healthy)
        for i in 0..<3 { o.record(packet(i, size: 42)) }
        #expect(o.sign == .nearEmptyFrames)
        #expect(o.pictureWanted)
        for i in 3..<10 { o.record(packet(i, size: 41)) }
        #expect(!o.isComplete, "a picture is due now: the probe waits for the keyframe")
        #expect(o.wantsExtension)
        #expect(o.wantsDecode(ofKeyframeAt: 0.4))
    }

    @Test("a covered lens's small frames (~180 bytes against ~9.8 KB) collapse the frame size")
    func blackFrames() {
        // Without a remembered keyframe, only the frames' own collapse can tell.
        var o = liveness(CodedHistory(frameBytes: 9_800))
        for i in 0..<3 { o.record(packet(i, size: [177, 206, 239, 131][i])) }
        #expect(o.sign == nil, "two frames whole: not yet a median of three")
        o.record(packet(3, size: 190))
        #expect(o.sign == .framesCollapsed)
    }

    @Test("a black keyframe (3 KB against 30 KB) and a keyframe sent again are signs at once")
    func keyframeSigns() {
        var tiny = liveness(healthy)
        tiny.record(packet(0, key: true, size: 3_125, hash: 0x1234))
        tiny.record(packet(1, size: 9_000))
        #expect(tiny.sign == .keyframeCollapsed)

        var again = liveness(healthy)
        again.record(packet(0, key: true, size: 30_000, hash: 0xfeed))
        again.record(packet(1, size: 9_000))
        #expect(again.sign == .keyframeRepeated)

        // Every frame a keyframe (MJPEG): the same bytes twice within the probe.
        var mjpeg = liveness(nil)
        mjpeg.record(packet(0, key: true, size: 24_000, hash: 0x77))
        mjpeg.record(packet(1, key: true, size: 24_000, hash: 0x77))
        mjpeg.record(packet(2, key: true, size: 24_000, hash: 0x78))
        #expect(mjpeg.sign == .keyframeRepeated)
    }

    @Test("live scenes that move less stay below the thresholds: a night corridor, a quiet static scene")
    func quietScenesNoSign() {
        // The fleet's night variant (frames 1.0-5.3 KB against 5.3 KB a probe earlier), and a
        // static scene with sensor noise whose frames shrink fourfold from one probe to the next.
        for (history, sizes) in [
            (CodedHistory(keyframeBytes: 68_000, frameBytes: 5_300), [2_042, 4_257, 3_907, 5_048, 4_350, 1_018, 4_540]),
            (CodedHistory(keyframeBytes: 82_000, frameBytes: 6_900), [1_396, 5_141, 6_054, 2_934, 2_301, 1_655, 2_806]),
        ] {
            var o = liveness(history)
            for (i, size) in sizes.enumerated() { o.record(packet(i, size: size)) }
            #expect(o.sign == nil)
            #expect(o.isComplete)
            #expect(o.verdict(ending: .enough, now: 600 * ms).0 == .online)
        }
    }

    @Test("a probe asked for the picture is not changed by the signs")
    func checkingProbe() {
        var o = Observation(settings: ProbeSettings(), declaresVideo: true, streamsAreDynamic: false, history: healthy)
        o.record(packet(0, key: true, size: 30_000, hash: 0xfeed))
        o.record(packet(1, size: 9_000))
        #expect(o.sign == nil)
        #expect(o.pictureWanted)
    }

    @Test("the coded history keeps older facts a probe did not see; its hash is hex in JSON")
    func historyJSON() throws {
        let older = CodedHistory(keyframeBytes: 30_000, keyframeHash: 0xfeed, frameBytes: 9_000)
        #expect(older.updated(with: CodedHistory(frameBytes: 8_000)) == CodedHistory(keyframeBytes: 30_000, keyframeHash: 0xfeed, frameBytes: 8_000))
        let json = String(decoding: try ProbeResult.jsonEncoder().encode(older), as: UTF8.self)
        #expect(json.contains("\"keyframe_hash\":\"feed\""), "\(json)")
        #expect(try ProbeResult.jsonDecoder().decode(CodedHistory.self, from: Data(json.utf8)) == older)
    }
}
