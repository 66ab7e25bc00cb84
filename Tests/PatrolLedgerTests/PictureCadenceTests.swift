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
            memory.changedAt = PictureCadence.record(seen, at: now, settings: DebounceSettings(), tracker: &memory.tracker,
                                                     changedAt: memory.changedAt)
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

    @Test("defaults: priority every fifth probe, watch every third, general every probe, from the first look on; a camera's first status is no change")
    func defaults() {
        let priority = simulate(PictureCadence(every: 300, cadence: 60), count: 40)
        #expect(priority.map(\.0) == [0, 300, 600, 900, 1200, 1500, 1800, 2100])
        #expect(priority.first?.1 == .firstLook)
        #expect(priority.dropFirst().allSatisfy { $0.1 == .cadence })

        let watch = simulate(PictureCadence(every: 900, cadence: 300), count: 20)
        #expect(watch.map(\.0) == [0, 900, 1800, 2700, 3600, 4500, 5400])
        let general = simulate(PictureCadence(every: 900, cadence: 900), count: 10)
        #expect(general.count == 10, "the interval equals the cadence: every probe")
    }

    @Test("a camera back up after being down is checked every probe for one interval, then on the cadence again")
    func recovered() {
        // Priority: down from 600 s (timeouts), back from 900 s.
        let due = simulate(PictureCadence(every: 300, cadence: 60), count: 40,
                           outcome: { $0 >= 600 && $0 < 900 ? .timeout : .online })
        // Down at 720 (the third timeout), suspect until up again at 960 (two successes); changed
        // until 1260, every probe; then 300 s apart.
        let back = due.filter { $0.0 >= 900 }
        #expect(back.map(\.0) == [900, 960, 1020, 1080, 1140, 1200, 1500, 1800, 2100])
        #expect(back.prefix(2).allSatisfy { $0.1 == .suspect })
        #expect(back.dropFirst(2).prefix(4).allSatisfy { $0.1 == .changed })
        #expect(back.dropFirst(6).allSatisfy { $0.1 == .cadence })
    }

    @Test("phases: a camera's own, a whole number of cadences under the check gap; a district's spread evenly over them")
    func phases() {
        let watch = PictureCadence(every: 900, cadence: 300), priority = PictureCadence(every: 300, cadence: 60)
        let general = PictureCadence(every: 900, cadence: 900)
        let ids = (1...1580).map { String(format: "C%05d", $0) }
        for plan in [watch, priority, general] {
            let slots = Int(plan.checkGap / plan.cadence)
            var counts = [Int](repeating: 0, count: slots)
            for id in ids {
                let phase = plan.phase(of: id)
                #expect(phase == plan.phase(of: id) && phase >= 0 && phase < plan.checkGap)
                #expect(phase.truncatingRemainder(dividingBy: plan.cadence) == 0)
                counts[Int(phase / plan.cadence)] += 1
            }
            // Each phase within a tenth of an even share.
            #expect(counts.allSatisfy { abs(Double($0) - 1580 / Double(slots)) < 158 / Double(slots) }, "\(counts)")
        }
        #expect(general.phase(of: "C00001") == 0, "one probe a check: no phase")
    }

    @Test("a first look dated back by its phase: the next check comes that many cadences sooner, then the interval")
    func phased() {
        let plan = PictureCadence(every: 900, cadence: 300)
        var memory = PictureCadence.Memory(coded: coded, hasReference: true)
        var up = StatusTracker()
        up.record(.online, at: t0, settings: DebounceSettings())
        memory.tracker = up
        memory.lastOutcome = .online
        memory.lastPictureAt = t0.addingTimeInterval(-600)  // a first look at t0, two cadences of phase
        #expect(plan.due(memory, at: t0.addingTimeInterval(300)) == .cadence)
        memory.lastPictureAt = t0.addingTimeInterval(300)
        #expect(plan.due(memory, at: t0.addingTimeInterval(600)) == nil)
        #expect(plan.due(memory, at: t0.addingTimeInterval(900)) == nil)
        #expect(plan.due(memory, at: t0.addingTimeInterval(1200)) == .cadence)
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
        m.changedAt = now.addingTimeInterval(-100)
        #expect(plan.due(m, at: now) == .changed)
        m.changedAt = now.addingTimeInterval(-300)
        #expect(plan.due(m, at: now) == nil, "a change one interval ago is past")
    }

    @Test("a camera that turns black between checks, with no coded sign: found by the next check, then checked every probe")
    func faultFound() {
        let due = simulate(PictureCadence(every: 300, cadence: 60), count: 30, outcome: { $0 >= 620 ? .black : .online })
        // Checks at 600 (online) and 900 (black, 280 s after it began): from then on, every probe.
        let after = due.filter { $0.0 >= 620 }
        #expect(after.first?.0 == 900)
        #expect((after.first?.0 ?? .infinity) - 620 <= 360)
        #expect(after.dropFirst().map(\.0) == stride(from: 960.0, through: 1740, by: 60).map { $0 })
        #expect(after.dropFirst().allSatisfy { $0.1 == .suspect })
    }
}
