import PatrolConfig
import PatrolLedger
import PatrolProbe
import PatrolStore
import PatrolSweep

/// The probing machinery for one configuration and inventory: the worker pool and the sweeper
/// that feeds it. A reload builds a new one; the store, and with it every camera's state and
/// history, stays, and so does the store writer's service.
public struct Engine: Sendable {
    public let configuration: Configuration
    public let district: District
    public let pool: ProbePool
    public let sweeper: Sweeper

    /// Starts the pool's workers.
    /// - Parameter prober: what runs one probe; nil for the real probe (or the one a fault
    ///   injection asks for).
    /// - Parameters:
    ///   - pictures: what the store knows of each camera's pictures (nil: nothing).
    ///   - clockWait: how long a probe asked for the camera's clock waits for its first RTCP sender
    ///     report (asked once an hour per camera); 0 reads it only when one came anyway.
    init(configuration: Configuration, district: District, prober: ProbePool.Prober? = nil,
         pictures: [String: PictureMemory]? = nil, clockWait: Double = 1.0) {
        self.configuration = configuration
        self.district = district
        if let prober = prober ?? FaultInjection.prober {
            pool = ProbePool(workers: configuration.schedule.workers, capacity: district.streams.count, prober: prober)
        } else {
            pool = ProbePool(workers: configuration.schedule.workers, capacity: district.streams.count)
        }
        pool.start()
        sweeper = Sweeper(pool: pool, streams: district.streams, probe: configuration.probe,
                          schedule: configuration.schedule,
                          pictures: SnapshotPlanner(memory: pictures ?? [:], policy: SnapshotPolicy(settings: configuration.snapshots),
                                                    probe: configuration.probe, debounce: configuration.debounce,
                                                    clockWait: clockWait))
    }

    /// After the sweeper has returned: stops the workers (probes in flight have ended by then).
    func stopPool() async {
        let pool = self.pool
        _ = await Blocking.onThread("patrol.pool.stop") { pool.stop(waitingUpTo: 1) }
    }
}

extension [(Sweeper.Stream, ProbeResult)] {
    /// The sweeper's finished probes as the writer takes them.
    var forWriter: [(cameraID: String, result: ProbeResult)] { map { (cameraID: $0.0.target.id, result: $0.1) } }
}
