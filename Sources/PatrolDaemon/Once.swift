import Foundation
import PatrolConfig
import PatrolConsole
import PatrolOutput
import PatrolStore

/// `patrold --once`: every camera probed once, the results written, the summary printed. Runs
/// on the calling thread, which it blocks for the whole sweep.
enum Once {
    static func sweep(_ configuration: Configuration, district: District, store: Store) throws {
        // One pass as fast as it goes: a clock is read where a sender report comes anyway, never waited for.
        let engine = Engine(configuration: configuration, district: district, pictures: try? store.pictureMemory(), clockWait: 0)
        let writer = WriterService.writer(configuration, store: store, status: nil, metrics: ProbeMetrics())
        let startedAt = Date()
        let clock = ContinuousClock.now
        var summary = SweepSummary()
        Journal.info("sweeping \(engine.district.streams.count) cameras")
        engine.sweeper.sweepOnce { writer.submit($0.forWriter) }
        writer.drain()
        engine.pool.stop(waitingUpTo: 1)
        let health = writer.health
        if health.pending > 0 {
            Journal.error("\(health.pending) probe results could not be written: \(health.lastError ?? "?")")
            throw Daemon.Exit(74)
        }
        summary.seconds = (ContinuousClock.now - clock).seconds
        // The outcomes as stored (a picture identical to the previous probe's is frozen).
        for (camera, outcome) in try store.outcomes(since: startedAt) {
            if let placement = engine.district.placements[camera], let outcome { summary.add(outcome, placement) }
        }
        try store.recordSweep(startedAt: startedAt, finishedAt: Date(), probes: summary.probes, summary: summary.line)
        Journal.info("sweep done: \(summary.line)")
        try Output.line(summary.table)
    }

    /// The registration platform read once, when one is configured; its summary printed.
    static func readRegistration(_ configuration: Configuration, store: Store) async throws {
        guard configuration.registration.isConfigured else { return }
        let round = await RegistrationService(store: store, configuration: { configuration }).readNow()
        try Output.line(round.summary)
    }
}
