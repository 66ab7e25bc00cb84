import Foundation
@testable import PatrolDaemon
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolStore
import PatrolSweep
import Testing

/// Which probes the sweeper asks for a JPEG and for the camera's clock.
@Suite("The snapshot planner: a JPEG only when one may be kept, the clock once an hour")
struct SnapshotPlannerTests {
    let stream = Sweeper.Stream(target: ScheduleTarget(id: "C1", host: "10.0.0.1", cadence: 60),
                                url: try! StreamURL("rtsp://10.0.0.1/live"))

    func online(scene: SceneSignature?, snapshot: Bool) -> ProbeResult {
        var result = ProbeResult(
            outcome: .online, detail: "", statusCode: nil, url: "rtsp://10.0.0.1/live", startedAt: Date(),
            timings: .init(openMs: 10, firstFrameMs: 20, firstKeyframeMs: 20, totalMs: 300),
            measurements: .init(frames: 8, keyframes: 1, videoBytes: 1, fps: 25, bitrateKbps: 1, keyframeInterval: nil),
            stream: .init(format: "rtsp", transport: "tcp", codec: "h264", profile: nil, level: nil, width: 1280, height: 720,
                          pixelFormat: nil, declaredFps: nil, hasAudio: false, audioCodec: nil),
            picture: .init(lumaMean: 0.4, lumaSpread: 0.2, blackFraction: 0, fingerprint: Fingerprint(samples: Array(repeating: 9, count: 576))!,
                           decodeErrors: 0, laterDifference: nil))
        result.picture?.scene = scene
        if snapshot { result.snapshot = Snapshot(jpeg: Data([1]), width: 640, height: 360) }
        return result
    }

    @Test("a camera never seen: a JPEG and the clock; once its reference is taken, a JPEG only on a change, the clock an hour later")
    func firstThenQuiet() throws {
        let planner = SnapshotPlanner(memory: [:], policy: SnapshotPolicy(), probe: ProbeSettings())
        let first = planner.request(for: stream)
        #expect(first.keep == .always)
        #expect(first.clockWait == 1.0)
        let scene = try #require(SceneSignature(cells: (0..<3600).map { UInt8($0 % 200) }, sharpness: 1))
        planner.finished(stream, result: online(scene: scene, snapshot: true))
        let next = planner.request(for: stream)
        #expect(next.keep == .onChange(from: .online))
        #expect(next.reference == scene)
        #expect(next.previousFingerprint != nil)
        #expect(next.clockWait == 0, "asked within the hour")
    }

    @Test("patrold --once never waits for a clock")
    func once() {
        let planner = SnapshotPlanner(memory: [:], policy: SnapshotPolicy(), probe: ProbeSettings(), clockWait: 0)
        #expect(planner.request(for: stream).clockWait == 0)
    }

    @Test("the store's memory: a reference and a recent good picture mean no JPEG unless the picture changes")
    func fromStore() throws {
        let scene = try #require(SceneSignature(cells: (0..<3600).map { UInt8($0 % 200) }, sharpness: 1))
        let memory = PictureMemory(snapshots: .init(previousOutcome: .online, lastGood: Date(), lastEvidence: nil),
                                   reference: scene, fingerprint: nil, clockAt: Date())
        let planner = SnapshotPlanner(memory: ["C1": memory], policy: SnapshotPolicy(), probe: ProbeSettings())
        let request = planner.request(for: stream)
        #expect(request.keep == .onChange(from: .online))
        #expect(request.clockWait == 0)
        let stale = PictureMemory(snapshots: .init(previousOutcome: .online, lastGood: Date(timeIntervalSinceNow: -90_000)),
                                  reference: scene, clockAt: Date(timeIntervalSinceNow: -4000))
        let due = SnapshotPlanner(memory: ["C1": stale], policy: SnapshotPolicy(), probe: ProbeSettings()).request(for: stream)
        #expect(due.keep == .always, "the daily good picture is due")
        #expect(due.clockWait == 1.0, "the clock was read over an hour ago")
    }

    @Test("the clock is asked of a probe that checks the picture; of a liveness probe only once it is four hours old")
    func clockWithPictures() throws {
        let scene = try #require(SceneSignature(cells: (0..<3600).map { UInt8($0 % 200) }, sharpness: 1))
        var up = StatusTracker()
        up.record(.online, at: Date(timeIntervalSinceNow: -86_400), settings: DebounceSettings())
        func planner(clockAge: TimeInterval, pictureAge: TimeInterval) -> SnapshotPlanner {
            let memory = PictureMemory(snapshots: .init(previousOutcome: .online, lastGood: Date()), reference: scene,
                                       clockAt: Date(timeIntervalSinceNow: -clockAge),
                                       pictureAt: Date(timeIntervalSinceNow: -pictureAge), tracker: up,
                                       coded: CodedHistory(keyframeBytes: 30_000, keyframeHash: 1, frameBytes: 9_000))
            return SnapshotPlanner(memory: ["C1": memory], policy: SnapshotPolicy(), probe: ProbeSettings())
        }
        // A priority camera: probed every 60 s, its picture checked every 300 s.
        let stream = Sweeper.Stream(target: ScheduleTarget(id: "C1", host: "10.0.0.1", cadence: 60, pictureEvery: 300),
                                    url: try StreamURL("rtsp://10.0.0.1/live"))
        let liveness = planner(clockAge: 7200, pictureAge: 60).request(for: stream)
        #expect(!liveness.checkPicture && liveness.clockWait == 0, "a liveness probe with a clock two hours old")
        let check = planner(clockAge: 7200, pictureAge: 600).request(for: stream)
        #expect(check.checkPicture && check.clockWait == 1.0)
        let overdue = planner(clockAge: 4 * 3600 + 1, pictureAge: 60).request(for: stream)
        #expect(!overdue.checkPicture && overdue.clockWait == 1.0, "four hours without the clock: any probe")
    }
}

/// The planner's picture cadence on a virtual clock, with what the probes return.
@Suite("The picture planner: a picture check when due, liveness only in between")
struct PicturePlannerTests {
    final class Clock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_790_000_000)
    }

    let stream = Sweeper.Stream(target: ScheduleTarget(id: "C1", host: "10.0.0.1", cadence: 60, pictureEvery: 300),
                                url: try! StreamURL("rtsp://10.0.0.1/live"))

    func result(_ outcome: Outcome, at date: Date, picture seed: UInt8?, scene: SceneSignature?) -> ProbeResult {
        var result = ProbeResult(
            outcome: outcome, detail: "", statusCode: nil, url: "rtsp://10.0.0.1/live", startedAt: date,
            timings: .init(openMs: 10, firstFrameMs: 20, firstKeyframeMs: 20, totalMs: 300),
            measurements: .init(frames: 8, keyframes: 1, videoBytes: 1, fps: 25, bitrateKbps: 1, keyframeInterval: nil),
            stream: .init(format: "rtsp", transport: "tcp", codec: "h264", profile: nil, level: nil, width: nil, height: nil,
                          pixelFormat: nil, declaredFps: nil, hasAudio: false, audioCodec: nil),
            picture: seed.map { s in
                .init(lumaMean: 0.4, lumaSpread: 0.2, blackFraction: 0,
                      fingerprint: Fingerprint(samples: (0..<576).map { i in UInt8(truncatingIfNeeded: Int(s) * 37 + i * 11) })!,
                      decodeErrors: 0, laterDifference: nil)
            })
        result.picture?.scene = scene
        result.pictureChecked = seed != nil
        result.coded = CodedHistory(keyframeBytes: 30_000, keyframeHash: 1, frameBytes: 9_000)
        if seed != nil, scene != nil { result.snapshot = Snapshot(jpeg: Data([1]), width: 640, height: 360) }
        return result
    }

    @Test("a healthy camera: the first probe checks, then every fifth from its phase; a black picture makes every probe check until a picture clears it and the change is past")
    func cadence() throws {
        let clock = Clock()
        let planner = SnapshotPlanner(memory: [:], policy: SnapshotPolicy(), probe: ProbeSettings(), clockWait: 0,
                                      clock: { clock.now })
        let scene = try #require(SceneSignature(cells: (0..<3600).map { UInt8($0 % 200) }, sharpness: 1))
        var checked: [Int] = []
        var seed: UInt8 = 0
        for minute in 0..<30 {
            let request = planner.request(for: stream)
            if minute == 0 { #expect(request.history == nil) } else { #expect(request.history?.frameBytes == 9_000) }
            let black = (12..<20).contains(minute)
            if request.checkPicture { checked.append(minute) }
            seed &+= 1
            let outcome: Outcome = request.checkPicture && black ? .black : .online
            planner.finished(stream, result: result(outcome, at: clock.now, picture: request.checkPicture ? seed : nil,
                                                    scene: scene))
            clock.now.addTimeInterval(60)
        }
        // 0: the first look (the camera's first status, up, is no change), dated back by C1's phase,
        // one cadence; 4, 9: the cadence; black from 12, seen at 14, then every probe until a clean
        // picture at 20 and the status up again (21): changed from down, every probe for 5
        // minutes. 26 is the first probe not due again.
        #expect(PictureCadence(every: 300, cadence: 60).phase(of: "C1") == 60)
        #expect(checked.prefix(4) == [0, 4, 9, 14], "\(checked)")
        #expect(!checked.contains(12) && !checked.contains(13))
        #expect(Array(14...25).allSatisfy(checked.contains) && !checked.contains(26), "\(checked)")
    }
}
