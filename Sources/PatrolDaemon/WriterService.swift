import PatrolConfig
import PatrolConsole
import PatrolLedger
import PatrolProbe
import PatrolStore
import ServiceLifecycle
import Synchronization

/// The single store writer as a service: the sweeper hands it finished probes, it writes them in
/// batches (`BatchWriter`, on its own queue), logs each camera going down or coming back, and
/// tells the status line. A reload gives it a new `BatchWriter` for the new configuration once the
/// old one has written what it held. When the group stops it writes what is left; `unwritten`
/// then says how many results it could not (the store failing all along).
public final class WriterService: Service, Sendable {
    private let store: Store
    private let status: StatusService?
    private let current: Mutex<BatchWriter>
    /// Results that writers replaced by a reload could not write.
    private let abandoned = Mutex(0)
    private let work = WorkQueue("patrol.writer.wait")
    /// The results handed over, counted for `/metrics`.
    public let metrics: ProbeMetrics

    /// - Parameter metrics: where the results handed over are counted (`/metrics`).
    public init(store: Store, configuration: Configuration, status: StatusService? = nil, metrics: ProbeMetrics = ProbeMetrics()) {
        self.store = store
        self.status = status
        self.metrics = metrics
        current = Mutex(Self.writer(configuration, store: store, status: status, metrics: metrics))
    }

    /// A batch writer for `configuration` that logs each camera going down or coming back.
    static func writer(_ configuration: Configuration, store: Store, status: StatusService?, metrics: ProbeMetrics) -> BatchWriter {
        let writer = BatchWriter(store: store,
                                 judge: ProbeJudge(debounce: configuration.debounce, thresholds: configuration.probe.thresholds,
                                                   scene: configuration.probe.scene),
                                 snapshots: SnapshotPolicy(settings: configuration.snapshots),
                                 batchSize: configuration.writer.batchSize,
                                 interval: configuration.writer.batchInterval) { outcome in
            switch outcome {
            case .success(let report):
                metrics.frozenAcrossProbes(report.frozenAcrossProbes)
                // A camera's first verdict (unknown -> up) is not news; going down and coming back is.
                for change in report.statusChanges where change.from != .unknown || change.to == .down {
                    Journal.notice("camera \(change.cameraID) \(change.from.rawValue) -> \(change.to.rawValue) (\(change.outcome.rawValue))")
                }
                if !report.statusChanges.isEmpty { status?.changed() }
            case .failure(let error):
                Journal.error("writing probe results failed, will retry: \(StorageFailure.explain(error) ?? "\(error)")")
            }
        }
        FaultInjection.wedge(writer)
        return writer
    }

    /// The writer in place now.
    public var writer: BatchWriter { current.withLock { $0 } }

    public var health: BatchWriter.Health { writer.health }

    /// Hands finished probes over; they are written within the batch interval.
    public func submit(_ results: [(cameraID: String, result: ProbeResult)]) {
        metrics.record(results.map(\.result))
        writer.submit(results)
    }

    /// Writes everything handed over; returns once it is written or its write failed.
    public func drain() async {
        let writer = self.writer
        await work.run { writer.drain() }
    }

    /// Writes what the writer holds, then puts a new one for `configuration` in its place.
    func replace(for configuration: Configuration) async {
        await drain()
        let next = Self.writer(configuration, store: store, status: status, metrics: metrics)
        let old = current.withLock { writer in
            defer { writer = next }
            return writer
        }
        let left = old.health.pending
        abandoned.withLock { $0 += left }
    }

    /// Results handed over and not written: after `run` has returned, those it never could.
    public var unwritten: Int { abandoned.withLock { $0 } + health.pending }

    /// Waits until the group stops (or the task is cancelled), then writes what is left.
    public func run() async {
        try? await gracefulShutdown()
        await drain()
    }
}
