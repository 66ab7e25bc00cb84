import Foundation
import PatrolProbe
import PatrolSettings
import Testing
@testable import PatrolLedger

/// Which probes check the picture, on a virtual clock: probes a cadence apart (with the
/// scheduler's jitter), a camera healthy throughout or turning faulty.
@Suite("Picture checks on their own cadence: which probe is due")
struct PictureCadenceTests {
    let coded = CodedHistory(keyframeBytes: 30_000, keyframeHash: 1, frameBytes: 9_000)

    /// Probes `count` times a cadence apart (each moved by `jitter(i)` seconds), the camera online
    /// with a reference picture; returns the seconds at which the picture was due, and why.
    func simulate(_ cadence: PictureCadence, count: Int, jitter: (Int) -> Double = { _ in 0 },
                  outcome: (Double) -> Outcome = { _ in .online }) -> [(Double, PictureCadence.Reason)] {
        var memory = PictureCadence.Memory(hasReference: true)
        var due: [(Double, PictureCadence.Reason)] = []
        for i in 0..<count {
            let seconds = Double(i) * cadence.cadence + jitter(i)
            let now = t0.addingTimeInterval(seconds)
            let reason = cadence.due(memory, at: now)
            if let reason {
                due.append((seconds, reason))
                memory.lastPictureAt = now
                memory.coded = coded
            }
            // A probe that checks no picture of a faulty camera says online; the fault is carried.
            var seen = outcome(seconds)
            if reason == nil, seen != .online || memory.lastOutcome?.isPictureFault == true { seen = memory.lastOutcome ?? .online }
            memory.lastOutcome = seen
            memory.tracker.record(seen, at: now, settings: DebounceSettings())
        }
        return due
    }

    @Test("the gap between checks: the defaults give 5, 15 and 15 minutes")
    func gaps() {
        #expect(PictureCadence(every: 300, cadence: 60).checkGap == 300)
        #expect(PictureCadence(every: 900, cadence: 300).checkGap == 900)
        #expect(PictureCadence(every: 900, cadence: 900).checkGap == 900)
        #expect(PictureCadence(every: 60, cadence: 300).checkGap == 300, "never less than a cadence")
        #expect(PictureCadence(every: 400, cadence: 60).checkGap == 420)
    }

    @Test("defaults: priority every fifth probe, watch every third, general every probe, once the first look and the change are past")
    func defaults() {
        let priority = simulate(PictureCadence(every: 300, cadence: 60), count: 40)
        #expect(priority.map(\.0).prefix(5) == [0, 60, 120, 180, 240])
        #expect(priority.first?.1 == .firstLook)
        #expect(priority.dropFirst().prefix(4).allSatisfy { $0.1 == .changed })
        #expect(priority.dropFirst(5).map(\.0) == [540, 840, 1140, 1440, 1740, 2040, 2340])
        #expect(priority.dropFirst(5).allSatisfy { $0.1 == .cadence })

        let watch = simulate(PictureCadence(every: 900, cadence: 300), count: 20)
        #expect(watch.map(\.0) == [0, 300, 600, 1500, 2400, 3300, 4200, 5100])
        let general = simulate(PictureCadence(every: 900, cadence: 900), count: 10)
        #expect(general.count == 10, "the interval equals the cadence: every probe")
    }

    @Test("with the scheduler's jitter the gap between two checks stays under the interval and half a cadence",
          arguments: [(300.0, 60.0), (900, 300), (900, 900), (600, 60)])
    func jitter(_ every: Double, _ cadence: Double) {
        let plan = PictureCadence(every: every, cadence: cadence)
        // Each probe up to a fifth of a cadence late or early, in a fixed pattern.
        let due = simulate(plan, count: 400, jitter: { i in [0, 0.2, -0.15, 0.1, -0.2, 0.05][i % 6] * cadence })
        let gaps = zip(due.dropFirst(), due).map { $0.0 - $1.0 }
        #expect(gaps.max()! <= plan.checkGap + 0.4 * cadence)
        #expect(2 * plan.checkGap <= 3600, "two checks inside the daily verdict's 60 minutes")
    }

    @Test("a suspect camera is checked every probe: a picture fault, a failure, a status not up, no reference, a snapshot due")
    func suspect() {
        let plan = PictureCadence(every: 300, cadence: 60)
        var up = StatusTracker()
        up.record(.online, at: t0.addingTimeInterval(-7200), settings: DebounceSettings())
        let now = t0
        let fresh = PictureCadence.Memory(lastPictureAt: now.addingTimeInterval(-60), lastOutcome: .online, tracker: up, coded: coded,
                                          hasReference: true)
        #expect(plan.due(fresh, at: now) == nil)
        var m = fresh
        m.lastOutcome = .black
        #expect(plan.due(m, at: now) == .suspect)
        m.lastOutcome = .timeout
        #expect(plan.due(m, at: now) == .suspect)
        m = fresh
        m.tracker.status = .down
        #expect(plan.due(m, at: now) == .suspect)
        m = fresh
        m.coded = nil
        #expect(plan.due(m, at: now) == .firstLook, "no coded history to read signs against")
        m = fresh
        m.hasReference = false
        #expect(plan.due(m, at: now) == .noReference)
        #expect(plan.due(fresh, snapshotDue: true, at: now) == .snapshot)
        m = fresh
        m.tracker.since = now.addingTimeInterval(-100)
        #expect(plan.due(m, at: now) == .changed)
    }

    @Test("a camera that turns black between checks, with no coded sign: found by the next check, then checked every probe")
    func faultFound() {
        let due = simulate(PictureCadence(every: 300, cadence: 60), count: 30, outcome: { $0 >= 600 ? .black : .online })
        // Checks at 540 (online) and 840 (black, 300 s after it began at most): from then on, every probe.
        let after = due.filter { $0.0 >= 600 }
        #expect(after.first?.0 == 840)
        #expect((after.first?.0 ?? .infinity) - 600 <= 360)
        #expect(after.dropFirst().map(\.0) == stride(from: 900.0, through: 1740, by: 60).map { $0 })
        #expect(after.dropFirst().allSatisfy { $0.1 == .suspect })
    }
}
