import Atomics
import Dispatch
import PatrolProbe
import PatrolSettings

/// One probe to run: which schedule slot it belongs to, and what to probe.
public struct ProbeJob: Sendable {
    public var slot: Int
    public var url: StreamURL
    public var settings: ProbeSettings
    /// Whether the probe keeps a JPEG of its picture.
    public var picture: PictureRequest

    public init(slot: Int, url: StreamURL, settings: ProbeSettings, picture: PictureRequest = PictureRequest()) {
        self.slot = slot
        self.url = url
        self.settings = settings
        self.picture = picture
    }
}

public struct ProbeCompletion: Sendable {
    public var slot: Int
    public var result: ProbeResult
}

/// Dispatch worker threads, started as probes overlap, that run blocking FFmpeg probes, off Swift's
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
    private let probesSubmitted = ManagedAtomic<Int>(0)
    private let probesStarted = ManagedAtomic<Int>(0)
    /// When each worker took the probe it runs now (uptime nanoseconds); 0 while it is idle.
    private let busySince: [ManagedAtomic<UInt64>]
    private let lastCompletionTime = ManagedAtomic<UInt64>(0)
    private let stopped = DispatchGroup()
    private let started = ManagedAtomic<Int>(0)
    private let openedSlots: [ManagedAtomic<Bool>]
    /// Rung after every completion, so the consumer can sleep until there is one.
    let completionAlarm = Alarm()

    /// - Parameters:
    ///   - workers: threads, i.e. the most probes in flight at once.
    ///   - capacity: the most jobs (and completions) outstanding at once.
    public init(workers: Int, capacity: Int,
                prober: @escaping Prober = { job, opened in Probe.run(job.url, settings: job.settings, picture: job.picture, onOpen: opened) }) {
        self.workers = max(1, workers)
        self.jobs = LockFreeQueue(capacity: max(capacity, workers) + 1)
        self.completions = LockFreeQueue(capacity: max(capacity, workers) + 1)
        self.prober = prober
        self.openedSlots = (0..<max(capacity, 1)).map { _ in ManagedAtomic(false) }
        self.busySince = (0..<max(1, workers)).map { _ in ManagedAtomic(0) }
    }

    public func start() {
        guard running.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
        else { return }
        // Jobs handed over before the start get a thread each; later ones start threads as they come.
        for _ in 0..<min(workers, waiting) { spawn() }
    }

    /// Starts one more worker thread, unless `workers` have been started. Threads start when
    /// work finds none idle, so the pool holds as many as were ever busy at once: a thread's
    /// stack keeps the pages a probe touched (about 100 KB: FFmpeg's RTSP handshake, the probe's
    /// frames), and a district whose probes seldom overlap need not pay for `workers` of them.
    private func spawn() {
        guard running.load(ordering: .sequentiallyConsistent) else { return }
        let index = started.loadThenWrappingIncrement(ordering: .sequentiallyConsistent)
        guard index < workers else {
            started.wrappingDecrement(ordering: .sequentiallyConsistent)
            return
        }
        stopped.enter()
        DispatchQueue(label: "patrol.probe.\(index)", qos: .utility).async { [self] in
            work(busySince[index])
            stopped.leave()
        }
    }

    /// Worker threads started so far.
    public var threads: Int { min(workers, started.load(ordering: .relaxed)) }

    private func work(_ busy: ManagedAtomic<UInt64>) {
        while running.load(ordering: .relaxed) {
            guard let job = jobs.dequeue() ?? doorbell.wait(unless: { jobs.dequeue() }) else { continue }
            busy.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
            probesStarted.wrappingIncrement(ordering: .relaxed)
            let flag = openedSlots[job.slot]
            let result = prober(job) { flag.store(true, ordering: .relaxed) }
            lastCompletionTime.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
            busy.store(0, ordering: .relaxed)
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
        probesSubmitted.wrappingIncrement(ordering: .relaxed)
        guard jobs.enqueue(job) else {
            probesSubmitted.wrappingDecrement(ordering: .relaxed)
            return false
        }
        // No worker asleep to take it: all are busy (or none has started yet). A ring can land
        // on a stale announcement while no thread sleeps; then a thread is started too.
        if !doorbell.ring() || doorbell.sleepers == 0 { spawn() }
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

    // Health, for the daemon's watchdog. Each figure is read on its own, without a lock, so
    // they may disagree by a probe that is changing hands.

    /// Jobs handed over that no worker has taken yet.
    public var waiting: Int { max(0, probesSubmitted.load(ordering: .relaxed) - probesStarted.load(ordering: .relaxed)) }

    /// Probes running on a worker now.
    public var inFlight: Int { max(0, probesStarted.load(ordering: .relaxed) - probesDone.load(ordering: .relaxed)) }

    /// When the last probe finished; nil before the first.
    public var lastCompletion: DispatchTime? {
        let nanoseconds = lastCompletionTime.load(ordering: .relaxed)
        return nanoseconds == 0 ? nil : DispatchTime(uptimeNanoseconds: nanoseconds)
    }

    /// Workers that have been on their current probe for longer than `seconds`.
    public func busy(longerThan seconds: Double) -> Int {
        let now = DispatchTime.now().uptimeNanoseconds
        let limit = UInt64(max(0, seconds) * 1e9)
        return busySince.reduce(0) { count, since in
            let started = since.load(ordering: .relaxed)
            return count + (started != 0 && now > started && now - started > limit ? 1 : 0)
        }
    }

    /// Stops taking jobs; probes in flight end within their own deadline. Returns whether every
    /// worker has stopped within `seconds`.
    @discardableResult
    public func stop(waitingUpTo seconds: Double) -> Bool {
        running.store(false, ordering: .sequentiallyConsistent)
        doorbell.wakeAll(workers)
        return stopped.wait(timeout: .now() + .nanoseconds(Int(seconds * 1e9))) == .success
    }
}
