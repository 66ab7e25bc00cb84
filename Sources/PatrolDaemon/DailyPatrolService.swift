import Foundation
import PatrolConfig
import PatrolLedger
import PatrolMail
import PatrolStore
import ServiceLifecycle
import Synchronization

/// The daily patrol as a service: every minute, on a queue of its own, each day that is due is
/// judged in order (at its configured time, and after downtime every missed day), then the
/// reports still missing from the outbox are queued (`DailyMail.enqueueMissing`). `onRun` gets
/// each run's outcome: the daemon then mails the new reports, recounts the status line, and
/// reloads when a venue was closed or changed tier.
public final class DailyPatrolService: Service, Sendable {
    /// One run: the days judged (oldest first) and each report queued or not.
    public struct Run: Sendable {
        public var reports: [PatrolDayReport]
        public var queued: [(day: PatrolDay, result: Result<[Enqueued], any Error>)]
    }

    private let store: Store
    private let configuration: @Sendable () -> Configuration
    private let now: @Sendable () -> Date
    private let onRun: @Sendable (Run) async -> Void
    private let work = WorkQueue("patrol.daily")
    private let lastDuration = Mutex<Double?>(nil)

    /// Seconds the last run that judged a day took, once one has (for `/metrics`).
    public var lastPatrolDuration: Double? { lastDuration.withLock { $0 } }

    /// - Parameters:
    ///   - configuration: the configuration in force (a reload may change it).
    ///   - now: the clock the due days are judged by.
    public init(store: Store, configuration: @escaping @Sendable () -> Configuration, now: @escaping @Sendable () -> Date = { Date() },
                onRun: @escaping @Sendable (Run) async -> Void = { _ in }) {
        self.store = store
        self.configuration = configuration
        self.now = now
        self.onRun = onRun
    }

    /// Patrols every minute, the first time at once. A run under way when the group stops is
    /// not waited for (its day's transaction commits whole or not at all).
    public func run() async {
        await cancelWhenGracefulShutdown { [self] in
            await every(60) { [self] in
                guard let run = await work.runUnlessCancelled({ [self] in patrolDue() }) else { return }
                await onRun(run)
            }
        }
    }

    /// Patrols every day due now and queues the reports still missing, on the calling thread.
    func patrolDue() -> Run {
        let configuration = configuration()
        var reports: [PatrolDayReport] = []
        do {
            let started = ContinuousClock.now
            reports = try Patrolling.runDue(Patrolling.daily(configuration, store: store), now: now())
            if !reports.isEmpty {
                let took = ContinuousClock.now - started
                lastDuration.withLock { $0 = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18 }
            }
        } catch {
            Journal.error("daily patrol failed, will try again: \(StorageFailure.explain(error) ?? "\(error)")")
        }
        return Run(reports: reports, queued: Patrolling.requeue(configuration, store: store))
    }
}
