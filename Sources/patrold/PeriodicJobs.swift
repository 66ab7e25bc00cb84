import Dispatch

/// What the daemon does on a clock besides probing (pruning, the status line, the watchdog),
/// each job a timer on the service's queue. `Service.registerJobs` is the one place where they
/// are listed.
final class PeriodicJobs: @unchecked Sendable {
    enum Timing {
        /// Every so many seconds, the first time at once.
        case every(Double)
    }

    private let queue: DispatchQueue
    private var timers: [String: DispatchSourceTimer] = [:]  // touched only on `queue`

    init(queue: DispatchQueue) {
        self.queue = queue
    }

    /// Starts `body` on `timing`, on the service's queue.
    func add(_ name: String, _ timing: Timing, _ body: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            let timer = DispatchSource.makeTimerSource(queue: queue)
            switch timing {
            case .every(let seconds):
                timer.schedule(deadline: .now(), repeating: seconds, leeway: .milliseconds(Int(seconds * 50)))
            }
            timer.setEventHandler(handler: body)
            timers[name]?.cancel()
            timers[name] = timer
            timer.resume()
        }
    }

    /// Stops every job; a job running now finishes first.
    func cancelAll() {
        queue.sync {
            timers.values.forEach { $0.cancel() }
            timers.removeAll()
        }
    }
}
