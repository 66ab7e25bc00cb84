import Atomics
import Dispatch
import PatrolProbe

/// One probe to run: which schedule slot it belongs to, and what to probe.
public struct ProbeJob: Sendable {
    public var slot: Int
    public var url: StreamURL
    public var settings: ProbeSettings

    public init(slot: Int, url: StreamURL, settings: ProbeSettings) {
        self.slot = slot
        self.url = url
        self.settings = settings
    }
}

public struct ProbeCompletion: Sendable {
    public var slot: Int
    public var result: ProbeResult
}

/// A fixed set of Dispatch worker threads that run blocking FFmpeg probes, off Swift's
/// cooperative pool. Work is claimed from a lock-free queue and results are handed back
/// through another; idle workers sleep at a doorbell that the busy path never touches.
public final class ProbePool: @unchecked Sendable {
    /// Runs one probe; calls `opened` once the stream is open (then it is exchanging data).
    public typealias Prober = @Sendable (_ job: ProbeJob, _ opened: @escaping @Sendable () -> Void) -> ProbeResult

    public let workers: Int
    private let jobs: LockFreeQueue<ProbeJob>
    private let completions: LockFreeQueue<ProbeCompletion>
    private let doorbell = Doorbell()
    private let prober: Prober
    private let running = ManagedAtomic<Bool>(false)
    private let probesDone = ManagedAtomic<Int>(0)
    private let stopped = DispatchGroup()
    private let openedSlots: [ManagedAtomic<Bool>]
    /// Rung after every completion, so the consumer can sleep until there is one.
    let completionAlarm = Alarm()

    /// - Parameters:
    ///   - workers: threads, i.e. the most probes in flight at once.
    ///   - capacity: the most jobs (and completions) outstanding at once.
    public init(workers: Int, capacity: Int,
                prober: @escaping Prober = { job, opened in Probe.run(job.url, settings: job.settings, onOpen: opened) }) {
        self.workers = max(1, workers)
        self.jobs = LockFreeQueue(capacity: max(capacity, workers) + 1)
        self.completions = LockFreeQueue(capacity: max(capacity, workers) + 1)
        self.prober = prober
        self.openedSlots = (0..<max(capacity, 1)).map { _ in ManagedAtomic(false) }
    }

    public func start() {
        guard running.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
        else { return }
        for index in 0..<workers {
            stopped.enter()
            DispatchQueue(label: "patrol.probe.\(index)", qos: .utility).async { [self] in
                work()
                stopped.leave()
            }
        }
    }

    private func work() {
        while running.load(ordering: .relaxed) {
            guard let job = jobs.dequeue() ?? doorbell.wait(unless: { jobs.dequeue() }) else { continue }
            let flag = openedSlots[job.slot]
            let result = prober(job) { flag.store(true, ordering: .relaxed) }
            probesDone.wrappingIncrement(ordering: .relaxed)
            // Capacity covers every job that can be outstanding, so this cannot fail.
            completions.enqueue(ProbeCompletion(slot: job.slot, result: result))
            completionAlarm.ring()
        }
    }

    /// Hands a job to the workers. False only when more jobs are outstanding than `capacity`.
    @discardableResult
    public func submit(_ job: ProbeJob) -> Bool {
        openedSlots[job.slot].store(false, ordering: .relaxed)
        guard jobs.enqueue(job) else { return false }
        doorbell.ring()
        return true
    }

    /// Whether the probe of `slot` in flight has opened its stream.
    public func isOpen(_ slot: Int) -> Bool { openedSlots[slot].load(ordering: .relaxed) }

    /// The next finished probe, if any.
    public func takeCompletion() -> ProbeCompletion? { completions.dequeue() }

    /// The next finished probe, waiting for one up to `seconds`.
    /// A wake-up left over from an earlier turn can end a wait early, so it waits again until
    /// there is a completion or the time is up.
    public func nextCompletion(waitingUpTo seconds: Double) -> ProbeCompletion? {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1e9)
        var next = completions.dequeue()
        while next == nil {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { return nil }
            completionAlarm.wait(upTo: Double(deadline - now) / 1e9) {
                next = completions.dequeue()
                return next != nil
            }
            if next == nil { next = completions.dequeue() }
        }
        return next
    }

    public var completed: Int { probesDone.load(ordering: .relaxed) }

    /// Stops taking jobs; probes in flight end within their own deadline. Returns whether every
    /// worker has stopped within `seconds`.
    @discardableResult
    public func stop(waitingUpTo seconds: Double) -> Bool {
        running.store(false, ordering: .sequentiallyConsistent)
        doorbell.wakeAll(workers)
        return stopped.wait(timeout: .now() + .nanoseconds(Int(seconds * 1e9))) == .success
    }
}
