import Dispatch
import Foundation
import PatrolConfig
import PatrolLedger
import PatrolReport
import PatrolStore

/// The daily patrol as the daemon runs it: every day that is due, judged in order on its own
/// queue (a patrol of the whole district takes seconds; the service's queue keeps answering
/// systemd meanwhile), each day logged in one line.
final class Patrolling: Sendable {
    private let run = SingleRun(label: "patrol.daily")

    /// The daily patrol of `configuration`: each day completed with its report queued for mail
    /// in the same transaction.
    static func daily(_ configuration: Configuration, store: Store) -> DailyPatrol {
        let mail = configuration.mail, patrol = configuration.patrol
        let queue: DailyPatrol.Completion = { db, report in
            let trusted = try store.ledgerKey?.trustedPublicKey()
            let queued = try DailyMail.enqueue(db, day: report.day, settings: mail, patrol: patrol, trusted: trusted)
            if !queued.isEmpty {
                Journal.info("report \(report.day) queued for \(queued.map(\.entry.audience.rawValue).joined(separator: ", "))")
            }
        }
        return DailyPatrol(store: store, settings: patrol, completion: queue, beforeCommit: FaultInjection.beforePatrolCommit)
    }

    /// Patrols every due day now; returns the reports, oldest first. A failing day stops the
    /// run there (nothing of it is kept) and the next run starts with it again.
    static func runDue(_ patrol: DailyPatrol, now: Date) throws -> [PatrolDayReport] {
        var reports: [PatrolDayReport] = []
        for day in try patrol.dueDays(now: now) {
            guard let report = try patrol.patrol(day, now: now) else { continue }
            Journal.notice(report.summary)
            for entry in report.entries where entry.kind == .closure || entry.kind == .suspension {
                Journal.notice("ledger #\(entry.seq): venue \(entry.venueID) \(entry.kind.rawValue): \(entry.reason)")
            }
            reports.append(report)
        }
        return reports
    }

    /// Starts a run on the patrol's own queue unless one is under way; `done` gets its reports.
    func start(_ patrol: DailyPatrol, done: @escaping @Sendable ([PatrolDayReport]) -> Void) {
        run.start {
            var reports: [PatrolDayReport] = []
            do {
                reports = try Self.runDue(patrol, now: Date())
            } catch {
                Journal.error("daily patrol failed, will try again: \(error)")
            }
            done(reports)
        }
    }
}
