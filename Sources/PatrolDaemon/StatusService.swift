import Dispatch
import ServiceLifecycle
import Synchronization
import PatrolStore

/// What patrold tells systemd, one datagram after another in the order asked (READY=1 with the
/// status line, STATUS=, RELOADING=1, STOPPING=1 with the line, WATCHDOG=1), and the status line
/// itself: the cameras up and down, counted in the store, the last daily patrol, what is wrong
/// with the daemon, if anything, a reload refused, and how a stop is going. Everything runs on one serial queue of its own; the service's `run`
/// recounts every minute, and a batch that changed some camera's status has the line follow
/// within a second.
public final class StatusService: Service, Sendable {
    private struct State {
        var status = ServiceStatus()
        var published: String?
        var refreshPlanned = false
    }

    private let store: Store
    private let notifier: SystemdNotifier?
    private let work = WorkQueue("patrol.status")
    private let state = Mutex(State())

    /// - Parameter notifier: nil when systemd did not start the daemon: the line is still kept.
    public init(store: Store, notifier: SystemdNotifier?) {
        self.store = store
        self.notifier = notifier
    }

    /// Recounts every minute, the first time at once, until the group stops.
    public func run() async {
        await every(60) { [self] in
            refresh()
            await settled()
        }
    }

    /// The line as it stands.
    public var line: String { state.withLock { $0.status.line } }

    /// Once everything asked before has been done (its datagrams sent).
    public func settled() async {
        await work.run {}
    }

    /// READY=1 with the line, recounted for `cameras` in the schedule: at start, and when a
    /// reload has put its new engine in place (a reload refused before is no longer news).
    public func ready(cameras: Int) {
        work.queue.async { [self] in
            state.withLock { $0.status.rejectedReload = nil }
            let line = recount(cameras: cameras)
            state.withLock { $0.published = line }
            notifier?.send(SystemdNotifier.ready(status: line))
        }
    }

    /// READY=1 with the line as it stands, after a reload with nothing to do, or one refused
    /// (`rejected`: why, kept in the line until a later reload is accepted or finds nothing changed).
    public func readyAgain(rejected: String? = nil) {
        work.queue.async { [self] in
            let line = state.withLock { state in
                state.status.rejectedReload = rejected
                state.published = state.status.line
                return state.status.line
            }
            notifier?.send(SystemdNotifier.ready(status: line))
        }
    }

    public func reloading() {
        work.queue.async { [self] in notifier?.send(SystemdNotifier.reloading()) }
    }

    /// STOPPING=1 with the line saying how many probes were in flight when the stop came.
    public func stopping(inFlight: Int) {
        work.queue.async { [self] in
            let line = state.withLock { state in
                state.status.stop = .stopping(inFlight: inFlight)
                state.published = state.status.line
                return state.status.line
            }
            notifier?.send(SystemdNotifier.stopping(status: line))
        }
    }

    /// The last STATUS=, once the group has stopped: the probe results the run handed to the
    /// writer, and how many of them it could not write.
    public func stopped(results: Int, unwritten: Int) {
        work.queue.async { [self] in
            state.withLock { $0.status.stop = .stopped(results: results, unwritten: unwritten) }
            publish()
        }
    }

    public func watchdogPing() {
        work.queue.async { [self] in notifier?.send(SystemdNotifier.watchdog) }
    }

    /// The cameras up and down and the last patrol, counted again now; STATUS= if the line changed.
    public func refresh() {
        work.queue.async { [self] in
            let cameras = state.withLock { $0.status.cameras }
            recount(cameras: cameras)
            publish()
        }
    }

    /// A batch changed some camera's status: the line follows within a second.
    public func changed() {
        work.queue.async { [self] in
            let first = state.withLock { state in
                defer { state.refreshPlanned = true }
                return !state.refreshPlanned
            }
            guard first else { return }
            work.queue.asyncAfter(deadline: .now() + 1) { [self] in
                state.withLock { $0.refreshPlanned = false }
                let cameras = state.withLock { $0.status.cameras }
                recount(cameras: cameras)
                publish()
            }
        }
    }

    /// What is wrong with the daemon (the watchdog's verdict), or nil when all is well.
    public func problem(_ reason: String?) {
        work.queue.async { [self] in
            state.withLock { $0.status.problem = reason }
            publish()
        }
    }

    /// On the queue: counts the cameras up and down; returns the new line.
    @discardableResult
    private func recount(cameras: Int) -> String {
        var status = state.withLock { $0.status }
        do {
            try status.count(in: store, cameras: cameras)
        } catch {
            Journal.warning("cannot count the cameras up and down: \(error)")
        }
        return state.withLock { state in
            state.status.cameras = status.cameras
            state.status.up = status.up
            state.status.down = status.down
            state.status.lastPatrol = status.lastPatrol
            return state.status.line
        }
    }

    /// On the queue: STATUS= when the line differs from the last one sent.
    private func publish() {
        let line: String? = state.withLock { state in
            let line = state.status.line
            guard line != state.published else { return nil }
            state.published = line
            return line
        }
        if let line { notifier?.send(SystemdNotifier.status(line)) }
    }
}
