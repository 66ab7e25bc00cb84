import PatrolConfig
import ServiceLifecycle

/// Retention as a service: every hour, probe results and roll-ups past their retention are
/// deleted by the store writer, between two batches.
public final class PruneService: Service, Sendable {
    private let configuration: @Sendable () -> Configuration
    private let writer: WriterService

    public init(configuration: @escaping @Sendable () -> Configuration, writer: WriterService) {
        self.configuration = configuration
        self.writer = writer
    }

    public func run() async {
        await every(3600) { [self] in prune() }
    }

    func prune() {
        let retention = configuration().retention, snapshots = configuration().snapshots
        writer.writer.perform { store in
            do {
                let pruned = try store.pruneSnapshots(settings: snapshots)
                if pruned.rows + pruned.files > 0 {
                    Journal.info("pruned \(pruned.rows) snapshots and \(pruned.files) picture files; \(pruned.bytesLeft / 1_048_576) MB kept")
                }
            } catch {
                Journal.error("pruning snapshots failed: \(error)")
            }
            do {
                let pruned = try store.prune(rawDays: retention.rawDays, rollupDays: retention.rollupDays)
                if pruned.results + pruned.rollups + pruned.registration > 0 {
                    Journal.info("pruned \(pruned.results) probe results, \(pruned.registration) registration samples "
                                 + "and \(pruned.rollups) roll-ups past retention")
                }
            } catch {
                Journal.error("pruning failed: \(error)")
            }
        }
    }
}
