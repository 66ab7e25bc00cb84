import Dispatch
import Foundation
import PatrolLedger
import PatrolStore
import PatrolSweep

/// Fault-injection points, for testing how the daemon is supervised; never set in service.
///
/// `PATROLD_FAULT=wedge-probes`: every probe blocks its worker for good, ignoring its deadline,
/// as a probe would if a blocking call escaped FFmpeg's interrupt callback. The pool wedges
/// once every worker holds one, the watchdog stops answering, and systemd restarts the daemon.
///
/// `PATROLD_FAULT=wedge-writer`: the store writer blocks for good before its first batch, as it
/// would on a lock nobody releases. Results pile up unwritten, the watchdog stops answering once
/// `writer.stall_limit` has passed, and systemd restarts the daemon.
///
/// `PATROLD_FAULT=pause-in-patrol`: a daily patrol day stops just before its transaction
/// commits, after saying so on stderr, and waits for good: a test kills the process there.
enum FaultInjection {
    static let variable = "PATROLD_FAULT"

    static let fault: String? = ProcessInfo.processInfo.environment[variable]

    /// The prober to run instead of the real one, when a fault asks for it.
    static var prober: ProbePool.Prober? {
        guard fault == "wedge-probes" else { return nil }
        return { _, _ in
            DispatchSemaphore(value: 0).wait()
            fatalError("a wedged probe never returns")
        }
    }

    /// Blocks `writer` for good, when a fault asks for it.
    static func wedge(_ writer: BatchWriter) {
        guard fault == "wedge-writer" else { return }
        writer.perform { _ in DispatchSemaphore(value: 0).wait() }
    }

    /// What to run inside a patrol day's transaction just before it commits, when a fault asks.
    static var beforePatrolCommit: (@Sendable (PatrolDay) -> Void)? {
        guard fault == "pause-in-patrol" else { return nil }
        return { day in
            Journal.warning("fault injection: patrol day \(day) paused before commit")
            DispatchSemaphore(value: 0).wait()
        }
    }

    /// Logs the fault in force, if any, so nobody mistakes it for a real one.
    static func announce() {
        guard let fault else { return }
        if prober != nil {
            Journal.warning("fault injection \(variable)=\(fault): every probe blocks its worker for good")
        } else if fault == "wedge-writer" {
            Journal.warning("fault injection \(variable)=\(fault): the store writer blocks for good")
        } else if beforePatrolCommit != nil {
            Journal.warning("fault injection \(variable)=\(fault): a patrol day stops before it commits")
        } else {
            Journal.warning("unknown fault injection \(variable)=\(fault), ignored")
        }
    }
}
