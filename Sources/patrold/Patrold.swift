import ArgumentParser
import Dispatch
import Foundation
import PatrolConfig
import PatrolInventory
import PatrolProbe
import PatrolStore
import PatrolSweep

/// The daemon: probes every camera of the district on its cadence and keeps what it learns.
@main
struct Patrold: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrold",
        abstract: "Patrol daemon: probes the district's cameras on schedule and keeps the record.",
        discussion: "Exit status: 0 stopped cleanly; 78 bad configuration; 74 database unavailable.",
        version: PatrolVersion.current
    )

    @Option(help: "Configuration file (YAML).")
    var config = "/etc/patrol/patrol.yaml"

    @Flag(help: "Probe every camera once, write the results, print a summary and exit.")
    var once = false

    static func main() {
        Probe.tuneProcess()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    func run() throws {
        let configuration: Configuration
        do {
            configuration = try Configuration.load(config)
        } catch {
            Journal.error("configuration rejected: \(error)")
            throw ExitCode(78)
        }
        let store: Store, vault: CredentialVault, inventory: Inventory
        do {
            store = try Store(path: configuration.database)
            vault = try CredentialVault(path: configuration.credentials)
            inventory = try store.inventory(vault: vault)
        } catch {
            Journal.error("\(error)")
            throw ExitCode(74)
        }
        let district = District(inventory: inventory, cadence: configuration.cadence)
        if district.streams.isEmpty {
            Journal.warning("the inventory has no cameras: import one with `patrol inventory import`")
        }
        let pool = ProbePool(workers: configuration.schedule.workers, capacity: district.streams.count)
        pool.start()
        var writerSettings = WriterSettings()
        writerSettings.debounce = configuration.debounce
        writerSettings.thresholds = configuration.probe.thresholds
        let writer = BatchWriter(store: store, settings: writerSettings, batchSize: configuration.writer.batchSize,
                                 interval: configuration.writer.batchInterval) { outcome in
            switch outcome {
            case .success(let report):
                // A camera's first verdict (unknown -> up) is not news; going down and coming back is.
                for change in report.statusChanges where change.from != .unknown || change.to == .down {
                    Journal.notice("camera \(change.cameraID) \(change.from.rawValue) -> \(change.to.rawValue) (\(change.outcome.rawValue))")
                }
            case .failure(let error):
                Journal.error("writing probe results failed, will retry: \(error)")
            }
        }
        let sweeper = Sweeper(pool: pool, streams: district.streams, probe: configuration.probe,
                              schedule: configuration.schedule)
        if once {
            try sweepOnce(district, sweeper: sweeper, writer: writer, store: store)
        } else {
            try runContinuously(district, sweeper: sweeper, writer: writer, store: store, configuration: configuration)
        }
        pool.stop(waitingUpTo: 1)
    }

    private func sweepOnce(_ district: District, sweeper: Sweeper, writer: BatchWriter, store: Store) throws {
        let startedAt = Date()
        let clock = ContinuousClock.now
        var summary = SweepSummary()
        Journal.info("sweeping \(district.streams.count) cameras")
        sweeper.sweepOnce { batch in
            writer.submit(batch.map { (cameraID: $0.0.target.id, result: $0.1) })
        }
        writer.drain()
        summary.seconds = (ContinuousClock.now - clock).seconds
        // The outcomes as stored (a picture identical to the previous probe's is frozen).
        for (camera, outcome) in try store.outcomes(since: startedAt) {
            if let placement = district.placements[camera], let outcome { summary.add(outcome, placement) }
        }
        try store.recordSweep(startedAt: startedAt, finishedAt: Date(), probes: summary.probes, summary: summary.line)
        Journal.info("sweep done: \(summary.line)")
        print(summary.table)
    }

    private func runContinuously(_ district: District, sweeper: Sweeper, writer: BatchWriter, store: Store,
                                 configuration: Configuration) throws {
        let signals = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Journal.notice("stopping: probes in flight finish within their deadline")
                sweeper.stop()
            }
            source.resume()
            return source
        }
        let retention = configuration.retention
        let pruning = DispatchSource.makeTimerSource(queue: .global())
        pruning.schedule(deadline: .now(), repeating: 3600)
        pruning.setEventHandler {
            writer.perform { store in
                do {
                    let pruned = try store.prune(rawDays: retention.rawDays, rollupDays: retention.rollupDays)
                    if pruned.results + pruned.rollups > 0 {
                        Journal.info("pruned \(pruned.results) probe results and \(pruned.rollups) roll-ups past retention")
                    }
                } catch {
                    Journal.error("pruning failed: \(error)")
                }
            }
        }
        pruning.resume()
        Journal.notice("patrold \(PatrolVersion.current) watching \(district.streams.count) cameras")
        sweeper.run { batch in
            writer.submit(batch.map { (cameraID: $0.0.target.id, result: $0.1) })
        }
        pruning.cancel()
        writer.drain()
        signals.forEach { $0.cancel() }
        Journal.notice("stopped; every result written")
    }
}
