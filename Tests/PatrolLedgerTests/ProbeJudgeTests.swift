import Foundation
import PatrolProbe
import Testing
@testable import PatrolLedger

let t0 = Date(timeIntervalSince1970: 1_790_000_000)  // a fixed instant: 2026-09-21

/// A probe result with, when decoded, a picture whose fingerprint is made from `picture`.
func probe(_ outcome: Outcome, at seconds: Double, picture: UInt8? = nil, damaged: Bool = false) -> ProbeResult {
    ProbeResult(
        outcome: outcome, detail: "probe \(outcome.rawValue)", statusCode: nil, url: "rtsp://10.0.0.1/live",
        startedAt: t0.addingTimeInterval(seconds),
        timings: .init(openMs: 20, firstFrameMs: 40, firstKeyframeMs: 60, totalMs: 300),
        measurements: .init(frames: 8, keyframes: 1, videoBytes: 90_000, fps: 25, bitrateKbps: 2_000, keyframeInterval: nil),
        stream: .init(format: "rtsp", transport: "tcp", codec: "h264", profile: nil, level: nil, width: 1280, height: 720,
                      pixelFormat: "yuv420p", declaredFps: nil, hasAudio: false, audioCodec: nil),
        picture: picture.map { seed in
            .init(lumaMean: 0.4, lumaSpread: 0.2, blackFraction: 0.01,
                  fingerprint: Fingerprint(samples: (0..<576).map { UInt8(truncatingIfNeeded: Int(seed) * 31 + $0 * 13) })!,
                  decodeErrors: damaged ? 3 : 0, damaged: damaged, laterDifference: nil)
        })
}

@Suite("The rules applied to each probe as it is recorded")
struct ProbeJudgeTests {
    struct Step: Sendable, CustomStringConvertible {
        var probe: ProbeResult
        var outcome: Outcome
        var status: CameraStatus
        var description: String { "\(probe.outcome.rawValue) at \(probe.startedAt.timeIntervalSince(t0))" }
    }

    static let scenarios: [(String, [Step])] = [
        ("a live camera: each probe a new picture, online throughout", [
            Step(probe: probe(.online, at: 0, picture: 1), outcome: .online, status: .up),
            Step(probe: probe(.online, at: 60, picture: 2), outcome: .online, status: .up),
            Step(probe: probe(.online, at: 120, picture: 3), outcome: .online, status: .up),
        ]),
        ("the same picture probe after probe: frozen, and down after three", [
            Step(probe: probe(.online, at: 0, picture: 7), outcome: .online, status: .up),
            Step(probe: probe(.online, at: 60, picture: 7), outcome: .frozen, status: .up),
            Step(probe: probe(.online, at: 120, picture: 7), outcome: .frozen, status: .up),
            Step(probe: probe(.online, at: 180, picture: 7), outcome: .frozen, status: .down),
            Step(probe: probe(.online, at: 240, picture: 8), outcome: .online, status: .down),
            Step(probe: probe(.online, at: 300, picture: 9), outcome: .online, status: .up),
        ]),
        ("a damaged picture is compared with nothing and not remembered", [
            Step(probe: probe(.online, at: 0, picture: 4), outcome: .online, status: .up),
            Step(probe: probe(.online, at: 60, picture: 4, damaged: true), outcome: .online, status: .up),
            Step(probe: probe(.online, at: 120, picture: 4), outcome: .frozen, status: .up),
        ]),
        ("a failure between two probes of one picture does not hide the freeze", [
            Step(probe: probe(.online, at: 0, picture: 5), outcome: .online, status: .up),
            Step(probe: probe(.timeout, at: 60), outcome: .timeout, status: .up),
            Step(probe: probe(.online, at: 120, picture: 5), outcome: .frozen, status: .up),
        ]),
        ("only an online probe becomes frozen: black stays black", [
            Step(probe: probe(.online, at: 0, picture: 6), outcome: .online, status: .up),
            Step(probe: probe(.black, at: 60, picture: 6), outcome: .black, status: .up),
        ]),
        ("a probe that looked at no picture carries a black picture on; only a picture clears it", [
            Step(probe: probe(.online, at: 0, picture: 1), outcome: .online, status: .up),
            Step(probe: probe(.black, at: 60, picture: 0), outcome: .black, status: .up),
            Step(probe: probe(.online, at: 120), outcome: .black, status: .up),
            Step(probe: probe(.online, at: 180), outcome: .black, status: .down),
            Step(probe: probe(.online, at: 240, picture: 0, damaged: true), outcome: .black, status: .down),
            Step(probe: probe(.online, at: 300, picture: 2), outcome: .online, status: .down),
            Step(probe: probe(.online, at: 360), outcome: .online, status: .up),
        ]),
        ("what is carried is a picture's verdict, never a failure to open", [
            Step(probe: probe(.online, at: 0, picture: 1), outcome: .online, status: .up),
            Step(probe: probe(.timeout, at: 60), outcome: .timeout, status: .up),
            Step(probe: probe(.online, at: 120), outcome: .online, status: .up),
        ]),
        ("a first probe has nothing to compare with", [
            Step(probe: probe(.online, at: 0, picture: 6), outcome: .online, status: .up),
        ]),
    ]

    @Test(arguments: scenarios)
    func scenario(_ name: String, _ steps: [Step]) {
        let judge = ProbeJudge()
        var memory = CameraMemory()
        for step in steps {
            let judged = judge.judge(step.probe, of: "C1", after: memory)
            #expect(judged.result.outcome == step.outcome, "\(name): \(step)")
            #expect(judged.frozenAcrossProbes == (step.outcome == .frozen && step.probe.outcome == .online), "\(name): \(step)")
            #expect(judged.memory.tracker.status == step.status, "\(name): \(step)")
            memory = judged.memory
        }
    }

    @Test("a frozen probe says how long ago the same picture was seen; the change carries the reason it went down")
    func detailAndChange() {
        let judge = ProbeJudge()
        var memory = CameraMemory()
        var changes: [StatusChange] = []
        var details: [String] = []
        for (at, picture) in [(0.0, UInt8(9)), (90, 9), (180, 9), (270, 9)] {
            let judged = judge.judge(probe(.online, at: at, picture: picture), of: "C7", after: memory)
            memory = judged.memory
            details.append(judged.result.detail)
            changes += judged.change.map { [$0] } ?? []
        }
        #expect(details == ["probe online", "the picture is identical to the previous probe's 90 s earlier",
                            "the picture is identical to the previous probe's 90 s earlier",
                            "the picture is identical to the previous probe's 90 s earlier"])
        #expect(changes == [
            StatusChange(cameraID: "C7", from: .unknown, to: .up, outcome: .online, at: t0),
            StatusChange(cameraID: "C7", from: .up, to: .down, outcome: .frozen, at: t0.addingTimeInterval(270)),
        ])
        #expect(memory.tracker.since == t0.addingTimeInterval(90))
    }

    @Test("a frozen or moved verdict is carried by a probe that looked at no picture, and says so")
    func carried() {
        let judge = ProbeJudge()
        for fault in [Outcome.frozen, .moved, .obstructed, .blurred] {
            var memory = CameraMemory()
            memory.lastOutcome = fault
            var liveness = probe(.online, at: 60)
            liveness.pictureChecked = false
            let judged = judge.judge(liveness, of: "C3", after: memory)
            #expect(judged.result.outcome == fault)
            #expect(judged.carriedPictureFault)
            #expect(!judged.frozenAcrossProbes)
            #expect(judged.result.detail.hasSuffix("the last picture's verdict stands: \(fault.rawValue)"), "\(judged.result.detail)")
            #expect(judged.memory.lastOutcome == fault)
        }
    }

    @Test("the thresholds decide: a stricter frozen difference lets a near-identical picture through")
    func thresholds() {
        var strict = ProbeJudge()
        strict.thresholds.frozenDifference = 0
        let first = strict.judge(probe(.online, at: 0, picture: 3), of: "C1", after: CameraMemory())
        #expect(strict.judge(probe(.online, at: 60, picture: 3), of: "C1", after: first.memory).result.outcome == .online)
        #expect(ProbeJudge().judge(probe(.online, at: 60, picture: 3), of: "C1", after: first.memory).result.outcome == .frozen)
    }
}

/// A scene of blocks on a shaded wall; `shift` moves the blocks sideways (cells of 80 x 45).
func sceneSignature(shift: Int = 0, sharpness: Double = 2) -> SceneSignature {
    let cells = (0..<(SceneSignature.rows * SceneSignature.columns)).map { index -> UInt8 in
        let x = index % SceneSignature.columns + shift, y = index / SceneSignature.columns
        return UInt8(60 + ((x / 7 + y / 5) % 3) * 50 + (x * 3 + y * 7) % 11)
    }
    return SceneSignature(cells: cells, sharpness: sharpness)!
}

@Suite("The scene checks as the judge applies them")
struct SceneJudgeTests {
    func online(at seconds: Double, picture seed: UInt8, scene: SceneSignature, snapshot: Bool) -> ProbeResult {
        var result = probe(.online, at: seconds, picture: seed)
        result.picture?.scene = scene
        if snapshot { result.snapshot = Snapshot(jpeg: Data([0xFF, 0xD8, 0xFF, 0xD9]), width: 640, height: 360) }
        return result
    }

    @Test("the first healthy picture kept becomes the reference; one without a snapshot does not")
    func adoption() {
        let judge = ProbeJudge()
        let unkept = judge.judge(online(at: 0, picture: 1, scene: sceneSignature(), snapshot: false), of: "c1", after: CameraMemory())
        #expect(!unkept.adoptedReference)
        #expect(unkept.memory.reference == nil)
        let kept = judge.judge(online(at: 60, picture: 2, scene: sceneSignature(), snapshot: true), of: "c1", after: unkept.memory)
        #expect(kept.adoptedReference)
        #expect(kept.memory.reference == sceneSignature())
        // Later pictures are judged against it and never replace it.
        let later = judge.judge(online(at: 120, picture: 3, scene: sceneSignature(sharpness: 2.1), snapshot: true),
                                of: "c1", after: kept.memory)
        #expect(!later.adoptedReference)
        #expect(later.result.outcome == .online)
        #expect(later.result.scene != nil)
        #expect(later.memory.reference == sceneSignature())
    }

    @Test("against the reference: another scene is moved, a soft picture blurred, and both count as picture faults")
    func faults() {
        let judge = ProbeJudge()
        let memory = CameraMemory(reference: sceneSignature())
        let moved = judge.judge(online(at: 0, picture: 1, scene: sceneSignature(shift: 37), snapshot: false), of: "c1", after: memory)
        #expect(moved.result.outcome == .moved)
        #expect(moved.result.detail.contains("not the approved one"))
        let blurred = judge.judge(online(at: 60, picture: 2, scene: sceneSignature(sharpness: 0.4), snapshot: false), of: "c1",
                                  after: memory)
        #expect(blurred.result.outcome == .blurred)
        #expect(Outcome.allCases.filter(\.isPictureFault) == [.frozen, .black, .moved, .obstructed, .blurred])
        #expect(!Outcome.online.isPictureFault && !Outcome.timeout.isPictureFault)
    }

    @Test("a frozen picture is frozen, not compared with the reference")
    func frozenFirst() {
        let judge = ProbeJudge()
        let first = judge.judge(online(at: 0, picture: 4, scene: sceneSignature(), snapshot: true), of: "c1", after: CameraMemory())
        let again = judge.judge(online(at: 60, picture: 4, scene: sceneSignature(shift: 37), snapshot: false), of: "c1",
                                after: first.memory)
        #expect(again.result.outcome == .frozen)
        #expect(again.result.scene == nil)
    }
}
