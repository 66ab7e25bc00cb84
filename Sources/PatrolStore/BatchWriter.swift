import Dispatch
import Foundation
import PatrolLedger
import PatrolProbe

/// The single store writer: finished probes are handed over as they come and written in
/// batches, one transaction per batch (when `batchSize` results wait, or `interval` seconds
/// after the first of them). A failing write (a full disk) keeps the results and retries.
public final class BatchWriter: @unchecked Sendable {
    public typealias Report = @Sendable (Result<BatchReport, Error>) -> Void

    /// How the writer is doing, for the daemon's watchdog.
    public struct Health: Sendable, Equatable {
        /// Results handed over and not yet written.
        public var pending = 0
        /// Since when results have been waiting without a break; nil when none wait.
        public var waitingSince: Date?
        /// The last transaction that wrote a batch.
        public var lastWrite: Date?
        /// The last failed write, and why (one line, as `StorageFailure` words it).
        public var lastFailure: Date?
        public var lastError: String?
    }

    private let store: Store
    private let judge: ProbeJudge
    private let snapshots: SnapshotPolicy
    private let batchSize: Int
    private let interval: Double
    private let report: Report
    private let queue = DispatchQueue(label: "patrol.writer")
    // Touched only on `queue`.
    private var waiting: [(cameraID: String, result: ProbeResult)] = []
    private var flushPlanned = false
    private let healthLock = NSLock()
    private var vitals = Health()  // under `healthLock`

    public init(store: Store, judge: ProbeJudge, snapshots: SnapshotPolicy = SnapshotPolicy(), batchSize: Int, interval: Double,
                report: @escaping Report = { _ in }) {
        self.store = store
        self.judge = judge
        self.snapshots = snapshots
        self.batchSize = max(1, batchSize)
        self.interval = interval
        self.report = report
    }

    public func submit(_ results: [(cameraID: String, result: ProbeResult)]) {
        updateHealth { health in
            if health.pending == 0 && !results.isEmpty { health.waitingSince = Date() }
            health.pending += results.count
        }
        queue.async { [self] in
            waiting += results
            if waiting.count >= batchSize { flush(fullBatchesOnly: true) }
            if !waiting.isEmpty && !flushPlanned {
                flushPlanned = true
                queue.asyncAfter(deadline: .now() + interval) { [self] in
                    flushPlanned = false
                    flush()
                }
            }
        }
    }

    /// Writes everything waiting, now; returns when it is written (or the write failed).
    public func drain() {
        queue.sync { flush() }
    }

    public var health: Health { healthLock.withLock { vitals } }

    private func updateHealth(_ change: (inout Health) -> Void) { healthLock.withLock { change(&vitals) } }

    /// Runs `body` on the writer's queue, after everything submitted before it.
    public func perform(_ body: @escaping @Sendable (Store) -> Void) {
        queue.async { [store] in body(store) }
    }

    private func flush(fullBatchesOnly: Bool = false) {
        while !waiting.isEmpty && (!fullBatchesOnly || waiting.count >= batchSize) {
            let batch = Array(waiting.prefix(batchSize))
            do {
                let done = try store.write(batch, judge: judge, snapshots: snapshots)
                waiting.removeFirst(batch.count)
                updateHealth { health in
                    health.pending -= batch.count
                    health.lastWrite = Date()
                    if health.pending == 0 { health.waitingSince = nil }
                }
                report(.success(done))
            } catch {
                updateHealth { health in
                    health.lastFailure = Date()
                    health.lastError = StorageFailure.explain(error) ?? "\(error)"
                }
                report(.failure(error))
                // Keep the results; try again later rather than lose them.
                if !flushPlanned {
                    flushPlanned = true
                    queue.asyncAfter(deadline: .now() + max(interval, 5)) { [self] in
                        flushPlanned = false
                        flush()
                    }
                }
                return
            }
        }
    }
}
