import Atomics
import Dispatch

/// Where idle worker threads wait for work without a lock on the busy path.
///
/// A thread announces that it is about to sleep, looks for work once more, and only then
/// sleeps. A producer rings only when someone has announced, so while every thread is busy
/// nobody touches the semaphore. An announcement is never withdrawn: a thread that found work
/// after announcing leaves a wake-up behind, which makes one later sleep return at once. No
/// wake-up is lost, at the price of an occasional empty turn of a worker's loop.
final class Doorbell: @unchecked Sendable {
    private let announced = ManagedAtomic<Int>(0)
    private let asleep = ManagedAtomic<Int>(0)
    private let semaphore = DispatchSemaphore(value: 0)

    /// Waits for a ring unless `work()` finds something after the announcement; returns what it found.
    func wait<T>(unless work: () -> T?) -> T? {
        announced.wrappingIncrement(ordering: .sequentiallyConsistent)
        if let found = work() { return found }
        asleep.wrappingIncrement(ordering: .sequentiallyConsistent)
        semaphore.wait()
        asleep.wrappingDecrement(ordering: .sequentiallyConsistent)
        return nil
    }

    /// Threads asleep at the semaphore now (an announcement may be stale: its thread found work).
    var sleepers: Int { asleep.load(ordering: .sequentiallyConsistent) }

    /// Wakes `count` sleepers, announced or about to be: for shutting down, where a thread that
    /// has not yet announced must not sleep through it. Each thread takes at most one wake-up.
    func wakeAll(_ count: Int) {
        for _ in 0..<count { semaphore.signal() }
    }

    /// Wakes up to `count` threads that announced themselves; false when none had.
    @discardableResult
    func ring(_ count: Int = 1) -> Bool {
        var woke = false
        for _ in 0..<count {
            var current = announced.load(ordering: .sequentiallyConsistent)
            while current > 0 {
                let (won, seen) = announced.compareExchange(
                    expected: current, desired: current - 1, ordering: .sequentiallyConsistent)
                if won { break }
                current = seen
            }
            guard current > 0 else { return woke }
            semaphore.signal()
            woke = true
        }
        return woke
    }
}

/// The same for one thread that sleeps with a time limit (the scheduler).
final class Alarm: @unchecked Sendable {
    private let sleeping = ManagedAtomic<Bool>(false)
    private let semaphore = DispatchSemaphore(value: 0)

    /// Waits for a ring, up to `seconds`, unless `pending()` says there is something to do.
    func wait(upTo seconds: Double, unless pending: () -> Bool) {
        sleeping.store(true, ordering: .sequentiallyConsistent)
        if !pending() {
            _ = semaphore.wait(timeout: .now() + .nanoseconds(Int(min(max(0, seconds), 3600) * 1e9)))
        }
        sleeping.store(false, ordering: .sequentiallyConsistent)
    }

    /// Wakes the sleeper if it sleeps; a no-op (one atomic load) otherwise.
    func ring() {
        guard sleeping.load(ordering: .sequentiallyConsistent) else { return }
        if sleeping.exchange(false, ordering: .sequentiallyConsistent) { semaphore.signal() }
    }
}
