import PatrolSettings
import Testing
@testable import PatrolSweep

/// The scheduler's decisions on a virtual clock: simulated hours take milliseconds.
@Suite("Schedule: cadence, fairness, limits, backoff")
struct ScheduleTests {
    func targets(_ count: Int, cadence: Double, hosts: Int? = nil) -> [ScheduleTarget] {
        (0..<count).map { ScheduleTarget(id: "C\($0)", host: "10.0.\($0 % (hosts ?? count))", cadence: cadence) }
    }

    /// Runs the schedule for `seconds` of virtual time; every probe takes `duration` and
    /// succeeds unless `fails` says otherwise. Returns the start times of each slot's probes.
    func simulate(_ schedule: inout Schedule, seconds: Double, step: Double = 0.25, duration: Double = 1,
                  fails: (Int, Double) -> Bool = { _, _ in false }) -> [Int: [Double]] {
        var starts: [Int: [Double]] = [:]
        var running: [(slot: Int, end: Double)] = []
        var now = 0.0
        while now <= seconds {
            running.removeAll { probe in
                guard probe.end <= now else { return false }
                schedule.finish(probe.slot, now: now, succeeded: !fails(probe.slot, now))
                return true
            }
            for slot in schedule.take(now: now) {
                #expect(!running.contains { $0.slot == slot }, "slot \(slot) started twice at \(now)")
                starts[slot, default: []].append(now)
                running.append((slot, now + duration))
            }
            now += step
        }
        return starts
    }

    @Test("each camera is probed at its tier's cadence")
    func cadence() {
        let all = [ScheduleTarget(id: "P", host: "a", cadence: 60), ScheduleTarget(id: "W", host: "b", cadence: 300),
                   ScheduleTarget(id: "G", host: "c", cadence: 900)]
        var schedule = Schedule(targets: all, settings: ScheduleSettings(), now: 0, spread: true)
        let starts = simulate(&schedule, seconds: 3600)
        #expect(starts[0]?.count == 60 || starts[0]?.count == 61)
        #expect(starts[1]?.count == 12 || starts[1]?.count == 13)
        #expect(starts[2]?.count == 4 || starts[2]?.count == 5)
        // Fixed rate: the intervals are the cadence, not the cadence plus the probe's duration.
        let gaps = zip(starts[0]!.dropFirst(), starts[0]!).map { $0 - $1 }
        #expect(gaps.allSatisfy { abs($0 - 60) <= 0.25 })
    }

    @Test("start times are spread evenly over the cadence, and stable across restarts")
    func spread() {
        let many = targets(1_200, cadence: 60)
        let schedule = Schedule(targets: many, settings: ScheduleSettings(), now: 0, spread: true)
        var buckets = Array(repeating: 0, count: 10)
        for slot in many.indices { buckets[min(9, Int(schedule.nextDue(of: slot) / 6))] += 1 }
        #expect(buckets.allSatisfy { $0 > 80 && $0 < 160 }, "\(buckets)")
        let again = Schedule(targets: many, settings: ScheduleSettings(), now: 0, spread: true)
        #expect(many.indices.allSatisfy { again.nextDue(of: $0) == schedule.nextDue(of: $0) })
    }

    @Test("a camera is never probed twice at once, even when its probe outlasts its cadence")
    func noOverlap() {
        var schedule = Schedule(targets: targets(5, cadence: 2), settings: ScheduleSettings(), now: 0, spread: false)
        let starts = simulate(&schedule, seconds: 60, duration: 7)  // the #expect inside checks overlap
        for slot in 0..<5 {
            let gaps = zip(starts[slot]!.dropFirst(), starts[slot]!).map { $0 - $1 }
            #expect(gaps.allSatisfy { $0 >= 7 })
        }
    }

    @Test("no more than the per-host cap of sessions to one host; the rest wait their turn in order")
    func hostCap() {
        var settings = ScheduleSettings()
        settings.perHostSessions = 2
        let nvr = (0..<10).map { ScheduleTarget(id: "N\($0)", host: "10.9.9.9", cadence: 600) }
        var schedule = Schedule(targets: nvr, settings: settings, now: 0, spread: false, once: true)
        var order: [Int] = []
        var now = 0.0
        while !schedule.isDone {
            let taken = schedule.take(now: now)
            #expect(schedule.inFlight <= 2)
            order += taken
            for slot in taken { schedule.finish(slot, now: now + 1, succeeded: true) }
            now += 1
        }
        #expect(order == Array(0..<10))
    }

    @Test("concurrency limits active probes; silent ones stop counting after slowAfter")
    func concurrency() {
        var settings = ScheduleSettings()
        settings.concurrency = 4
        settings.workers = 10
        settings.slowAfter = 1.5
        var schedule = Schedule(targets: targets(20, cadence: 600), settings: settings, now: 0, spread: false, once: true)
        #expect(schedule.take(now: 0).count == 4)
        #expect(schedule.take(now: 1).isEmpty)
        #expect(schedule.nextWake(now: 1) == 1.5)
        // The four have been silent for 1.5 s: four more may start, up to the 10 workers.
        #expect(schedule.take(now: 1.5).count == 4)
        #expect(schedule.take(now: 3.0).count == 2)
        #expect(schedule.inFlight == 10)
        #expect(schedule.take(now: 5).isEmpty)
        #expect(schedule.nextWake(now: 5) == nil)
    }

    @Test("the longest-overdue camera goes first")
    func fairness() {
        var settings = ScheduleSettings()
        settings.concurrency = 1
        let all = [ScheduleTarget(id: "late", host: "a", cadence: 60), ScheduleTarget(id: "later", host: "b", cadence: 60)]
        var schedule = Schedule(targets: all, settings: settings, now: 0, spread: false)
        #expect(schedule.take(now: 0) == [0])
        schedule.finish(0, now: 100, succeeded: true)  // overran: slot 1 has waited 100 s
        #expect(schedule.take(now: 100) == [1])
    }

    @Test("a camera that stays down is re-checked less often, up to the limit, and at once back to cadence")
    func backoff() {
        var settings = ScheduleSettings()
        settings.backoffAfter = 3
        settings.backoffLimit = 600
        var schedule = Schedule(targets: [ScheduleTarget(id: "X", host: "a", cadence: 60)], settings: settings,
                                now: 0, spread: false)
        var intervals: [Double] = []
        var now = 0.0
        for attempt in 0..<9 {
            #expect(schedule.take(now: now) == [0])
            schedule.finish(0, now: now + 1, succeeded: attempt == 8)
            intervals.append(schedule.interval(of: 0))
            now = schedule.nextDue(of: 0)
        }
        #expect(intervals == [60, 60, 120, 240, 480, 600, 600, 600, 60])
        // A general camera (900 s) is never re-checked less often than its cadence.
        var slow = Schedule(targets: [ScheduleTarget(id: "G", host: "a", cadence: 900)], settings: settings, now: 0, spread: false)
        for _ in 0..<6 {
            _ = slow.take(now: slow.nextDue(of: 0))
            slow.finish(0, now: slow.nextDue(of: 0) + 1, succeeded: false)
        }
        #expect(slow.interval(of: 0) == 900)
    }

    @Test("a new schedule after a reload keeps each camera's due time and backoff; a faster cadence brings it closer")
    func memory() {
        var settings = ScheduleSettings()
        settings.backoffAfter = 3
        settings.backoffLimit = 600
        let down = ScheduleTarget(id: "X", host: "a", cadence: 60), up = ScheduleTarget(id: "Y", host: "b", cadence: 60)
        var before = Schedule(targets: [down, up], settings: settings, now: 0, spread: false)
        var now = 0.0
        for _ in 0..<6 {
            for slot in before.take(now: now) { before.finish(slot, now: now + 1, succeeded: slot == 1) }
            now = before.nextDue(of: 0)
        }
        #expect(before.interval(of: 0) == 600 && before.interval(of: 1) == 60)
        let memory = before.memory
        #expect(memory["X"]?.failures == 6 && memory["Y"]?.failures == 0)

        // Reloaded at `now`, with a camera added: X stays in backoff, Y keeps its time, Z starts fresh.
        let added = ScheduleTarget(id: "Z", host: "c", cadence: 60)
        let after = Schedule(targets: [added, up, down], settings: settings, now: now, spread: true, memory: memory)
        #expect(after.interval(of: 2) == 600)
        #expect(after.nextDue(of: 2) == memory["X"]?.due && after.nextDue(of: 1) == memory["Y"]?.due)
        #expect(after.nextDue(of: 0) == now + Schedule.phase(of: "Z") * 60)
        // Without the memory, the down camera would be back at its cadence.
        #expect(Schedule(targets: [down], settings: settings, now: now, spread: true).interval(of: 0) == 60)

        // X moved to a tier probed every 10 s while in backoff: its backoff is 10 s doubled four
        // times, and it is due no later than that from now.
        let faster = Schedule(targets: [ScheduleTarget(id: "X", host: "a", cadence: 10)], settings: settings, now: now,
                              spread: true, memory: ["X": Schedule.Memory(due: now + 590, failures: 6)])
        #expect(faster.interval(of: 0) == 160)
        #expect(faster.nextDue(of: 0) == now + 160)
        let sooner = Schedule(targets: [ScheduleTarget(id: "X", host: "a", cadence: 10)], settings: settings, now: now,
                              spread: true, memory: ["X": Schedule.Memory(due: now + 590, failures: 0)])
        #expect(sooner.nextDue(of: 0) == now + 10)
    }
}
