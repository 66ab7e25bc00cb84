import Dispatch
import Foundation

/// Work that runs on a queue of its own, one run at a time: asked again while a run is under
/// way, it does nothing (the next tick of its job asks again). The daily patrol and the mail
/// take seconds; the service's queue keeps answering systemd meanwhile.
final class SingleRun: @unchecked Sendable {
    private let queue: DispatchQueue
    private let lock = NSLock()
    private var busy = false  // under `lock`

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Starts `body` unless a run is under way.
    func start(_ body: @escaping @Sendable () -> Void) {
        let idle = lock.withLock { () -> Bool in
            defer { busy = true }
            return !busy
        }
        guard idle else { return }
        queue.async { [self] in
            body()
            lock.withLock { busy = false }
        }
    }
}
