import PatrolConfig
import PatrolLedger
import PatrolProbe
import PatrolStore
import PatrolSweep

/// The probing machinery for one configuration and inventory: the worker pool, the store
/// writer and the sweeper that feeds one from the other. A reload builds a new one; the
/// store, and with it every camera's state and history, stays.
struct Engine {
    let configuration: Configuration
    let district: District
    let pool: ProbePool
    let writer: BatchWriter
    let sweeper: Sweeper

    /// Starts the pool's workers. `onStatusChange` is called after a batch that changed a
    /// camera's status.
    init(configuration: Configuration, district: District, store: Store,
         onStatusChange: @escaping @Sendable () -> Void = {}) {
        self.configuration = configuration
        self.district = district
        if let prober = FaultInjection.prober {
            pool = ProbePool(workers: configuration.schedule.workers, capacity: district.streams.count, prober: prober)
        } else {
            pool = ProbePool(workers: configuration.schedule.workers, capacity: district.streams.count)
        }
        pool.start()
        writer = BatchWriter(store: store, judge: ProbeJudge(debounce: configuration.debounce, thresholds: configuration.probe.thresholds),
                             batchSize: configuration.writer.batchSize,
                             interval: configuration.writer.batchInterval) { outcome in
            switch outcome {
            case .success(let report):
                // A camera's first verdict (unknown -> up) is not news; going down and coming back is.
                for change in report.statusChanges where change.from != .unknown || change.to == .down {
                    Journal.notice("camera \(change.cameraID) \(change.from.rawValue) -> \(change.to.rawValue) (\(change.outcome.rawValue))")
                }
                if !report.statusChanges.isEmpty { onStatusChange() }
            case .failure(let error):
                Journal.error("writing probe results failed, will retry: \(StorageFailure.explain(error) ?? "\(error)")")
            }
        }
        FaultInjection.wedge(writer)
        sweeper = Sweeper(pool: pool, streams: district.streams, probe: configuration.probe,
                          schedule: configuration.schedule)
    }

    /// Hands the sweeper's finished probes to the writer.
    func write(_ batch: [(Sweeper.Stream, ProbeResult)]) {
        writer.submit(batch.map { (cameraID: $0.0.target.id, result: $0.1) })
    }

    /// After the sweeper has returned: writes what is left and stops the workers.
    func finish() {
        writer.drain()
        pool.stop(waitingUpTo: 1)
    }
}
