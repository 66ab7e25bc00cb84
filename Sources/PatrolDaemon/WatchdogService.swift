import Foundation
import PatrolConfig
import PatrolStore
import PatrolSweep
import ServiceLifecycle
import Synchronization

/// systemd's watchdog as a service: at half the interval systemd asks for, `Watchdog` checks
/// that the probe pool turns and the store writer writes, and WATCHDOG=1 goes out only while
/// both do. A wedge is logged once, at error level, and shown in the status line; so is its end.
/// Without a watchdog interval the same check runs every 30 s and only logs.
public final class WatchdogService: Service, Sendable {
    /// One check: why the daemon is wedged (nil when it is well), and whether systemd was pinged.
    public struct Check: Sendable, Equatable {
        public var wedged: String?
        public var pinged: Bool
    }

    private let interval: Double?
    private let sweeper: @Sendable () -> Engine
    private let writer: WriterService
    private let status: StatusService
    private let onCheck: @Sendable (Check) -> Void
    private let wedged = Mutex<String?>(nil)

    /// - Parameters:
    ///   - interval: systemd's watchdog interval (`WATCHDOG_USEC`), nil without one.
    ///   - engine: the engine in force (its configuration and pool).
    ///   - onCheck: each check's outcome.
    public init(interval: Double?, engine: @escaping @Sendable () -> Engine, writer: WriterService, status: StatusService,
                onCheck: @escaping @Sendable (Check) -> Void = { _ in }) {
        self.interval = interval
        sweeper = engine
        self.writer = writer
        self.status = status
        self.onCheck = onCheck
    }

    public func run() async {
        await every(interval.map { $0 / 2 } ?? 30) { [self] in onCheck(check()) }
    }

    /// Checks the pool and the writer; pings systemd's watchdog only while both work.
    @discardableResult
    public func check() -> Check {
        let engine = sweeper()
        let watchdog = Watchdog(probeDeadline: engine.configuration.probe.deadline.seconds,
                                writerStall: engine.configuration.writer.stall)
        let reason = watchdog.verdict(pool: engine.pool, writer: writer.writer)
        let ping = interval != nil
        let changed = wedged.withLock { wedged in
            defer { wedged = reason }
            return wedged != reason
        }
        if changed {
            if let reason {
                Journal.error(reason + (ping ? "; no more watchdog pings: systemd will restart patrold" : ""))
            } else {
                Journal.notice("the probe pool and the store writer work again")
            }
            status.problem(reason)
        }
        if ping && reason == nil { status.watchdogPing() }
        return Check(wedged: reason, pinged: ping && reason == nil)
    }
}
