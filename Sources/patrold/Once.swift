import Foundation
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
        summary.seconds = (ContinuousClock.now - clock).seconds
        // The outcomes as stored (a picture identical to the previous probe's is frozen).
        for (camera, outcome) in try store.outcomes(since: startedAt) {
            if let placement = engine.district.placements[camera], let outcome { summary.add(outcome, placement) }
        }
        try store.recordSweep(startedAt: startedAt, finishedAt: Date(), probes: summary.probes, summary: summary.line)
        Journal.info("sweep done: \(summary.line)")
        print(summary.table)
    }
}
