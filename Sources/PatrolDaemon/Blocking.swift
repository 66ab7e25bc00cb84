import Dispatch
import Foundation
import Synchronization

/// Blocking work (FFmpeg's probes, SQLite, sendmail) awaited from a service without holding a
/// thread of Swift's cooperative pool: it runs on a thread or a queue of its own and resumes a
/// continuation when done.
enum Blocking {
    /// Runs `body` on a new thread named `name`, for work that blocks for long: the sweep,
    /// which sleeps between its turns until it is stopped.
    static func onThread<T: Sendable>(_ name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.start()
        }
    }
}

/// A serial Dispatch queue for one service's blocking work, awaited.
struct WorkQueue: Sendable {
    let queue: DispatchQueue

    init(_ label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Runs `body` on the queue, after what was queued before it, and returns its value.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    /// The same, unless the task is cancelled first: then nil at once, while `body` goes on to its
    /// end on the queue (a patrol day's transaction or a sendmail run is not cut short; when the
    /// daemon stops it is abandoned with the process, as it would be by a kill).
    func runUnlessCancelled<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T? {
        let handoff = Handoff<T>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                handoff.wait(continuation)
                queue.async { handoff.resume(body()) }
            }
        } onCancel: {
            handoff.resume(nil)
        }
    }
}

/// One continuation, resumed once: by the work's end or by cancellation, whichever comes first.
private final class Handoff<T: Sendable>: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<T?, Never>)
        case done(T?)
        case resumed
    }

    private let state = Mutex(State.idle)

    func wait(_ continuation: CheckedContinuation<T?, Never>) {
        let early: T?? = state.withLock { state in
            guard case .done(let value) = state else {
                state = .waiting(continuation)
                return nil
            }
            state = .resumed
            return .some(value)
        }
        if let early { continuation.resume(returning: early) }
    }

    func resume(_ value: T?) {
        let waiting: CheckedContinuation<T?, Never>? = state.withLock { state in
            switch state {
            case .idle:
                state = .done(value)
                return nil
            case .waiting(let continuation):
                state = .resumed
                return continuation
            case .done, .resumed:
                return nil
            }
        }
        waiting?.resume(returning: value)
    }
}
