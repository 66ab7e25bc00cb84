import Atomics
import Foundation
import PatrolProbe
import PatrolSettings

/// Decides for each probe whether it may keep its picture (a JPEG is encoded only then), and
/// learns from each finished probe. Called on the sweeper's thread only.
public protocol PicturePlanner: AnyObject {
    func request(for stream: Sweeper.Stream) -> PictureRequest
    func finished(_ stream: Sweeper.Stream, result: ProbeResult)
}

/// Drives a `Schedule` with a `ProbePool`: hands due targets to the workers, collects what
/// they finish, and passes it on in batches. It runs on the caller's thread (a thread of its
/// own in the daemon) and sleeps whenever there is nothing to do.
public final class Sweeper: @unchecked Sendable {
    public struct Stream: Sendable {
        public var target: ScheduleTarget
        public var url: StreamURL

        public init(target: ScheduleTarget, url: StreamURL) {
            self.target = target
            self.url = url
        }
    }

    private let pool: ProbePool
    private let streams: [Stream]
    private let probeSettings: ProbeSettings
    private let scheduleSettings: ScheduleSettings
    private let stopping = ManagedAtomic<Bool>(false)
    private let clock: @Sendable () -> Double
    private let pictures: PicturePlanner?

    public init(pool: ProbePool, streams: [Stream], probe: ProbeSettings, schedule: ScheduleSettings,
                pictures: PicturePlanner? = nil,
                clock: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
        self.pool = pool
        self.streams = streams
        self.probeSettings = probe
        self.scheduleSettings = schedule
        self.pictures = pictures
        self.clock = clock
    }

    /// One pass over every stream, as fast as the limits allow. Returns when all have finished.
    public func sweepOnce(onBatch: ([(Stream, ProbeResult)]) -> Void) {
        var schedule = Schedule(targets: streams.map(\.target), settings: scheduleSettings, now: clock(),
                                spread: false, once: true)
        drive(&schedule, onBatch: onBatch)
    }

    /// Probes every stream on its cadence until `stop()`; then lets the probes in flight finish
    /// (each within its deadline), hands over their results and returns what the schedule knew,
    /// for the run that follows a reload.
    /// - Parameter memory: what the previous run returned: down cameras keep their backoff.
    @discardableResult
    public func run(memory: [String: Schedule.Memory] = [:], onBatch: ([(Stream, ProbeResult)]) -> Void) -> [String: Schedule.Memory] {
        var schedule = Schedule(targets: streams.map(\.target), settings: scheduleSettings, now: clock(),
                                spread: true, memory: memory)
        drive(&schedule, onBatch: onBatch)
        return schedule.memory
    }

    public func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        pool.completionAlarm.ring()
    }

    private func drive(_ schedule: inout Schedule, onBatch: ([(Stream, ProbeResult)]) -> Void) {
        var pending: ProbeCompletion?
        while true {
            let now = clock()
            var batch: [(Stream, ProbeResult)] = []
            while let done = pending ?? pool.takeCompletion() {
                pending = nil
                schedule.finish(done.slot, now: now, succeeded: done.result.outcome.isOnline)
                pictures?.finished(streams[done.slot], result: done.result)
                batch.append((streams[done.slot], done.result))
            }
            if !batch.isEmpty { onBatch(batch) }
            let stopRequested = stopping.load(ordering: .relaxed)
            if schedule.isDone || (stopRequested && schedule.inFlight == 0) { return }
            if !stopRequested {
                for slot in schedule.take(now: now, opened: pool.isOpen) {
                    pool.submit(ProbeJob(slot: slot, url: streams[slot].url, settings: probeSettings,
                                         picture: pictures?.request(for: streams[slot]) ?? PictureRequest()))
                }
            }
            let wake = stopRequested ? nil : schedule.nextWake(now: now, opened: pool.isOpen)
            pool.completionAlarm.wait(upTo: (wake ?? now + 3600) - now, unless: {
                if pending == nil { pending = pool.takeCompletion() }
                return pending != nil || stopping.load(ordering: .relaxed) != stopRequested
            })
        }
    }
}
