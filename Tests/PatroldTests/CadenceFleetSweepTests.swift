import Foundation
import PatrolConfig
@testable import PatrolDaemon
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolStore
import PatrolSweep
import PatrolTestSupport
import Testing

/// patrold's probing path (the sweeper, its picture planner at the default cadences and picture
/// intervals, the real probe, the judge) against the real fleet, on a virtual clock: each round is
/// a minute of patrold's time, and a camera is probed in the rounds its tier's cadence makes it
/// due. Cameras are turned black, frozen or stalled at run time, between two picture checks.
@Suite("patrold at the default cadences catches faults that start between picture checks", .serialized)
struct CadenceFleetSweepTests {
    final class VirtualClock: @unchecked Sendable {
        let start = Date()
        var seconds = 0.0
        var date: Date { start.addingTimeInterval(seconds) }
    }

    struct Watched {
        var number: Int
        var tier: Tier
        var mode: String?
        var expected: Outcome
        var id: String { String(format: "C%05d", number) }
    }

    @Test("black and frozen by the coded signs at the next probe, a constant-bitrate freeze within two picture checks, stalled at once")
    func faultsBetweenChecks() throws {
        let fleet = try Fleet.get()
        let configuration = Configuration()
        let watched = [
            Watched(number: 364, tier: .priority, mode: "black", expected: .black),
            Watched(number: 365, tier: .priority, mode: "frozen", expected: .frozen),
            Watched(number: 366, tier: .priority, mode: "frozen-cbr", expected: .frozen),
            Watched(number: 367, tier: .priority, mode: "no-rtp", expected: .stalled),
            Watched(number: 368, tier: .watch, mode: "black", expected: .black),
            Watched(number: 369, tier: .watch, mode: "frozen", expected: .frozen),
            Watched(number: 11, tier: .priority, mode: nil, expected: .online),
            Watched(number: 12, tier: .watch, mode: nil, expected: .online),
        ]
        for camera in watched where camera.mode != nil { try fleet.set(Fleet.Mounts.path(camera.number), "healthy") }
        defer { for camera in watched where camera.mode != nil { try? fleet.set(Fleet.Mounts.path(camera.number), "healthy") } }

        let clock = VirtualClock()
        let planner = SnapshotPlanner(memory: [:], policy: SnapshotPolicy(settings: configuration.snapshots),
                                      probe: configuration.probe, debounce: configuration.debounce, clockWait: 0,
                                      clock: { clock.date })
        let streams = watched.map { camera in
            Sweeper.Stream(target: ScheduleTarget(id: camera.id, host: "127.0.0.1", cadence: configuration.cadence[camera.tier],
                                                  pictureEvery: configuration.pictureEvery[camera.tier]),
                           url: fleet.url(Fleet.Mounts.path(camera.number)))
        }
        var schedule = ScheduleSettings()
        schedule.perHostSessions = 100
        let pool = ProbePool(workers: 16, capacity: streams.count)
        pool.start()
        defer { pool.stop(waitingUpTo: 1) }

        let judge = ProbeJudge(debounce: configuration.debounce, thresholds: configuration.probe.thresholds,
                               scene: configuration.probe.scene)
        var memory: [String: CameraMemory] = [:]
        var seen: [String: [(round: Int, result: ProbeResult, outcome: Outcome, acrossProbes: Bool)]] = [:]
        // The faults start at round 10 (600 s): each camera's picture checks come on its phase
        // (`PictureCadence.phase`), and at this round none of the black and frozen cameras here is
        // due for one (C00364 was checked at round 6, C00365 at 7, C00368 at 0, C00369 at 5): the
        // probe that finds each fault was asked for liveness only.
        let faultRound = 10
        for round in 0...27 {
            clock.seconds = Double(round) * 60
            if round == faultRound {
                for camera in watched { if let mode = camera.mode { try fleet.set(Fleet.Mounts.path(camera.number), mode) } }
            }
            let due = streams.filter { round % Int($0.target.cadence / 60) == 0 }
            let sweeper = Sweeper(pool: pool, streams: due, probe: Fleet.steadyProbe, schedule: schedule, pictures: planner,
                                  clock: { clock.seconds })
            sweeper.sweepOnce { batch in
                for (stream, result) in batch {
                    let judged = judge.judge(result, of: stream.target.id, after: memory[stream.target.id] ?? CameraMemory())
                    memory[stream.target.id] = judged.memory
                    seen[stream.target.id, default: []].append((round, result, judged.result.outcome, judged.frozenAcrossProbes))
                }
            }
        }

        for camera in watched {
            let probes = seen[camera.id] ?? []
            let cadence = configuration.cadence[camera.tier]
            let plan = PictureCadence(every: configuration.pictureEvery[camera.tier], cadence: cadence)
            let story = probes.map {
                "\($0.round):\($0.outcome.rawValue)\($0.result.pictureSign != nil ? "!" : $0.result.pictureChecked ? "+" : "")"
            }.joined(separator: " ")
            // The fleet plays each camera from a loop of a few seconds (14 s for 720p, seven
            // keyframes), and these rounds are seconds apart in real time: two checks of a healthy
            // camera may see the same keyframe of the loop, which the store reads as a
            // picture frozen across probes. That, and only that, is the fleet's, not a fault.
            let loopRepeat = { (probe: (round: Int, result: ProbeResult, outcome: Outcome, acrossProbes: Bool)) in
                probe.outcome == .online || (probe.outcome == .frozen && probe.acrossProbes)
            }
            let before = probes.filter { $0.round < faultRound }
            #expect(before.allSatisfy(loopRepeat), "\(camera.id): \(story)")
            #expect(before.allSatisfy { $0.result.outcome == .online }, "\(camera.id): \(story)")
            guard camera.mode != nil else {
                #expect(probes.allSatisfy(loopRepeat), "\(camera.id): \(story)")
                #expect(probes.allSatisfy { $0.result.outcome == .online }, "\(camera.id): \(story)")
                #expect(probes.contains { !$0.result.pictureChecked }, "some probes check liveness only: \(story)")
                #expect(probes.filter { !$0.result.pictureChecked }.allSatisfy { $0.result.picture == nil })
                continue
            }
            // The probes between the last check and the fault proved liveness only.
            let after = probes.filter { $0.round >= faultRound }
            let found = try #require(after.first { $0.outcome == camera.expected }, "\(camera.id): \(story)")
            let delay = Double(found.round - faultRound) * 60
            if camera.mode == "frozen-cbr" {
                // No sign, and no single probe can tell: two picture checks.
                #expect(delay <= 2 * plan.checkGap, "\(camera.id): \(story)")
            } else {
                #expect(delay < cadence, "\(camera.id): the first probe after the fault: \(story)")
            }
            let lastCheck = probes.last { $0.round < found.round && $0.result.pictureChecked }?.round
            let dueAnyway = lastCheck.map { Double(found.round - $0) * 60 >= plan.every - cadence / 2 } ?? true
            if camera.mode == "black" || camera.mode == "frozen", before.allSatisfy({ $0.outcome == .online }) {
                // Not due for a picture when the fault began: the probe that found it was asked for
                // liveness only, and a coded sign made it look.
                #expect(!dueAnyway, "\(camera.id): due for a picture check at the fault: \(story)")
                #expect(found.result.pictureSign != nil, "\(camera.id): found by a coded sign: \(story)")
            }
            // Once found, it stays found: every later probe checks the picture and agrees.
            let later = after.filter { $0.round > found.round }
            #expect(later.allSatisfy { $0.outcome == camera.expected }, "\(camera.id): \(story)")
            #expect(later.allSatisfy { $0.result.pictureChecked }, "\(camera.id): \(story)")
        }
    }
}
