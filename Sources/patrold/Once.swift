import ArgumentParser
import Foundation
import PatrolOutput
import PatrolStore

/// `patrold --once`: every camera probed once, the results written, the summary printed.
enum Once {
    static func sweep(_ engine: Engine, store: Store) throws {
        let startedAt = Date()
        let clock = ContinuousClock.now
        var summary = SweepSummary()
        Journal.info("sweeping \(engine.district.streams.count) cameras")
        engine.sweeper.sweepOnce(onBatch: engine.write)
        engine.finish()
        let health = engine.writer.health
        if health.pending > 0 {
            Journal.error("\(health.pending) probe results could not be written: \(health.lastError ?? "?")")
            throw ExitCode(74)
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
}
