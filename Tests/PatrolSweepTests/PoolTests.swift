import Atomics
import Foundation
import Dispatch
import PatrolProbe
import PatrolSettings
import Testing
@testable import PatrolSweep

@Suite("The lock-free queue and the worker pool")
struct PoolTests {
    @Test("four producers and four consumers: every element arrives exactly once")
    func queue() {
        let queue = LockFreeQueue<Int>(capacity: 1024)
        let perProducer = 20_000
        let seen = (0..<(4 * perProducer)).map { _ in ManagedAtomic<Int>(0) }
        let consumed = ManagedAtomic<Int>(0)
        // Threads of their own: all eight must run at once (Dispatch's global queue would run
        // only as many as there are cores, and spinning producers could starve the consumers).
        let group = DispatchGroup()
        func spawn(_ body: @escaping @Sendable () -> Void) {
            group.enter()
            Thread.detachNewThread {
                body()
                group.leave()
            }
        }
        for producer in 0..<4 {
            spawn {
                for i in 0..<perProducer {
                    while !queue.enqueue(producer * perProducer + i) { sched_yield() }  // full: let a consumer run
                }
            }
        }
        for _ in 0..<4 {
            spawn {
                while consumed.load(ordering: .relaxed) < 4 * perProducer {
                    if let value = queue.dequeue() {
                        seen[value].wrappingIncrement(ordering: .relaxed)
                        consumed.wrappingIncrement(ordering: .relaxed)
                    } else {
                        sched_yield()
                    }
                }
            }
        }
        group.wait()
        #expect(seen.allSatisfy { $0.load(ordering: .relaxed) == 1 })
        #expect(queue.dequeue() == nil)
    }

    @Test("a full queue refuses, an empty one returns nil")
    func bounds() {
        let queue = LockFreeQueue<String>(capacity: 3)
        #expect(queue.capacity == 4)
        #expect((0..<4).allSatisfy { queue.enqueue("\($0)") })
        #expect(!queue.enqueue("x"))
        #expect((0..<4).map { _ in queue.dequeue() } == ["0", "1", "2", "3"])
        #expect(queue.dequeue() == nil)
    }

    /// Threads start as work overlaps, not all at once: each costs the stack pages a probe
    /// touched, for good. Three jobs held at once on a pool of 64 workers start three threads.
    @Test("worker threads start as probes overlap: three at once on a pool of 64 start three")
    func threadsOnDemand() throws {
        let entered = DispatchSemaphore(value: 0), gate = DispatchSemaphore(value: 0)
        let pool = ProbePool(workers: 64, capacity: 16) { job, _ in
            entered.signal()
            gate.wait()
            return Self.result(job)
        }
        pool.start()
        #expect(pool.threads <= 1)
        let url = try StreamURL("rtsp://10.0.0.1/live")
        for slot in 0..<3 { #expect(pool.submit(ProbeJob(slot: slot, url: url, settings: ProbeSettings()))) }
        for _ in 0..<3 { entered.wait() }
        // Each submission starts at most one thread, and three held jobs need three.
        #expect(pool.threads == 3)
        for _ in 0..<3 { gate.signal() }
        var slots: [Int] = []
        while slots.count < 3, let next = pool.nextCompletion(waitingUpTo: 10) { slots.append(next.slot) }
        #expect(slots.sorted() == [0, 1, 2])
        #expect(pool.stop(waitingUpTo: 5))
    }

    static func result(_ job: ProbeJob) -> ProbeResult {
        ProbeResult(outcome: .online, detail: "\(job.slot)", statusCode: nil, url: job.url.redacted, startedAt: .now,
                    timings: .init(openMs: nil, firstFrameMs: nil, firstKeyframeMs: nil, totalMs: 0),
                    measurements: .init(frames: 0, keyframes: 0, videoBytes: 0, fps: nil, bitrateKbps: nil, keyframeInterval: nil),
                    stream: .init(format: nil, transport: "tcp", codec: nil, profile: nil, level: nil, width: nil, height: nil,
                                  pixelFormat: nil, declaredFps: nil, hasAudio: false, audioCodec: nil),
                    picture: nil)
    }

    /// The pool's mechanics with a stand-in prober that only blocks (the real one needs a
    /// camera; the fleet tests run it): every job runs once, never more at once than workers.
    /// Each job waits at a gate the test opens once all eight workers are inside: no timing.
    @Test("every job runs exactly once, on at most `workers` threads at a time")
    func pool() throws {
        let running = ManagedAtomic<Int>(0), peak = ManagedAtomic<Int>(0)
        let entered = DispatchSemaphore(value: 0), gate = DispatchSemaphore(value: 0)
        let pool = ProbePool(workers: 8, capacity: 200) { job, _ in
            let now = running.wrappingIncrementThenLoad(ordering: .relaxed)
            var seen = peak.load(ordering: .relaxed)
            while now > seen, !peak.compareExchange(expected: seen, desired: now, ordering: .relaxed).exchanged {
                seen = peak.load(ordering: .relaxed)
            }
            entered.signal()
            gate.wait()
            running.wrappingDecrement(ordering: .relaxed)
            return Self.result(job)
        }
        pool.start()
        let url = try StreamURL("rtsp://10.0.0.1/live")
        for slot in 0..<200 { #expect(pool.submit(ProbeJob(slot: slot, url: url, settings: ProbeSettings()))) }
        for _ in 0..<8 { entered.wait() }  // all eight workers hold a job at once
        #expect(running.load(ordering: .relaxed) == 8)
        #expect(pool.takeCompletion() == nil)
        for _ in 0..<200 { gate.signal() }
        var slots: [Int] = []
        while slots.count < 200, let next = pool.nextCompletion(waitingUpTo: 10) { slots.append(next.slot) }
        #expect(slots.sorted() == Array(0..<200))
        #expect(peak.load(ordering: .relaxed) == 8)
        #expect(pool.stop(waitingUpTo: 5))
    }
}
