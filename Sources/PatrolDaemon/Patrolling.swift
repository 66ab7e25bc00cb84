import Foundation
import PatrolConfig
import PatrolLedger
import PatrolMail
import PatrolReport
import PatrolStore

/// The daily patrol as the daemon runs it (`DailyPatrolService` every minute, `patrold --patrol`
/// once): every day that is due, judged in order, each day logged in one line, then each report
/// still missing queued for mail.
enum Patrolling {
    /// The daily patrol of `configuration`. Each day's report is queued for mail once the day is
    /// recorded (`requeue`); a report that cannot be built or queued is logged and tried again,
    /// and never holds a day back.
    static func daily(_ configuration: Configuration, store: Store) -> DailyPatrol {
        DailyPatrol(store: store, settings: configuration.patrol, beforeCommit: FaultInjection.beforePatrolCommit)
    }

    /// Queues the reports of recent patrolled days that have none (the days just patrolled, and
    /// any whose report failed before), logging each try; returns each day tried.
    @discardableResult
    static func requeue(_ configuration: Configuration, store: Store) -> [(day: PatrolDay, result: Result<[Enqueued], any Error>)] {
        do {
            let trusted = try store.ledgerKey?.trustedPublicKey()
            let tried = try DailyMail.enqueueMissing(store, settings: configuration.mail, patrol: configuration.patrol, trusted: trusted)
            for (day, result) in tried {
                switch result {
                case .success(let queued):
                    Journal.info("report \(day) queued for \(queued.map(\.entry.audience.rawValue).joined(separator: ", "))")
                case .failure(let error):
                    Journal.error("report \(day) could not be queued, will try again: \(error)")
                }
            }
            return tried
        } catch {
            Journal.error("reports to queue cannot be read: \(StorageFailure.explain(error) ?? "\(error)")")
            return []
        }
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
}
