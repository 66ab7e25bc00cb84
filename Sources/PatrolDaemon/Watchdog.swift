import Dispatch
import Foundation
import PatrolStore
import PatrolSweep

/// Tells whether the daemon still does its work, for systemd's watchdog: the probe pool turns
/// and the store writer writes. A wedged daemon stops sending WATCHDOG=1 and systemd restarts it.
///
/// - The pool is wedged when every worker has been on the same probe for longer than the probe
///   deadline plus `margin`, and no probe has finished for as long: a probe always ends within
///   its deadline, so nothing can be probed any more. Silent cameras waiting out their deadline
///   are not a wedge.
/// - The writer is wedged when results wait and it has neither written nor failed a write for
///   `writerStall` seconds. A failing write (a full disk) is not a wedge: it is retried and
///   logged, and a restart would not make room.
struct Watchdog {
    var probeDeadline: Double
    var margin = 5.0
    var writerStall = 120.0

    var poolLimit: Double { probeDeadline + margin }

    /// Why the daemon is wedged, or nil when it is well.
    func verdict(pool: ProbePool?, writer: BatchWriter?, now: Date = Date()) -> String? {
        if let pool, let reason = verdict(pool: pool) { return reason }
        if let writer, let reason = verdict(writer: writer.health, now: now) { return reason }
        return nil
    }

    func verdict(pool: ProbePool) -> String? {
        let stuck = pool.busy(longerThan: poolLimit)
        guard stuck >= pool.workers else { return nil }
        let now = DispatchTime.now().uptimeNanoseconds
        if let last = pool.lastCompletion, now > last.uptimeNanoseconds,
           Double(now - last.uptimeNanoseconds) / 1e9 <= poolLimit {
            return nil
        }
        return String(format: "probe pool wedged: all %d workers on one probe for over %.0f s (deadline %.0f s), %d jobs waiting",
                      pool.workers, poolLimit, probeDeadline, pool.waiting)
    }

    func verdict(writer health: BatchWriter.Health, now: Date) -> String? {
        guard health.pending > 0 else { return nil }
        let lastSign = [health.waitingSince, health.lastWrite, health.lastFailure].compactMap { $0 }.max() ?? .distantPast
        let quiet = now.timeIntervalSince(lastSign)
        guard quiet > writerStall else { return nil }
        return String(format: "store writer wedged: nothing written for %.0f s, %d results waiting", quiet, health.pending)
    }
}
