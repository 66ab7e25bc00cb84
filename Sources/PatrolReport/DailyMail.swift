import Foundation
import GRDB
import PatrolLedger
import PatrolMail
import PatrolStore

/// The daily report as mail: one message per audience, put in the outbox inside the
/// transaction that completes the patrol day, so a report is never lost and never made twice.
public enum DailyMail {
    /// The messages for `report`: the whole report to the office, each supervisor's part to
    /// that supervisor, the maintenance list to the maintenance team. Nobody configured, no message.
    public static func messages(_ report: DailyReport, settings: MailSettings, timeZone: TimeZone) -> [(Audience, MailMessage)] {
        var messages: [(Audience, MailMessage)] = []
        func add(_ audience: Audience, _ reader: ReportAudience, to recipients: [MailAddress]) {
            guard !recipients.isEmpty else { return }
            let attachments = ReportCSV.attachments(report, for: reader, timeZone: timeZone)
            messages.append((audience, MailMessage(
                from: settings.from, to: recipients, subject: report.subject(for: reader),
                text: ReportText.render(report, for: reader, timeZone: timeZone),
                html: ReportHTML.render(report, for: reader, timeZone: timeZone), attachments: attachments)))
        }
        add(.office, .office, to: settings.office)
        for (supervisor, recipients) in settings.supervisors.sorted(by: { $0.key < $1.key }) {
            add(Audience(rawValue: "supervisor:\(supervisor)"), .supervisor(supervisor), to: recipients)
        }
        add(.maintenance, .maintenance, to: settings.maintenance)
        return messages
    }

    /// What the daily patrol runs inside each day's transaction: the day's report queued for
    /// mail, or, when the report cannot be built or queued, nothing of it kept (a savepoint) and
    /// `failed` told, while the day's verdicts and ledger entries commit all the same. The mail
    /// side never stops a day from being judged and recorded; `enqueueMissing` tries again.
    public static func completion(settings: MailSettings, patrol: PatrolSettings,
                                  trusted: @escaping @Sendable () throws -> String? = { nil },
                                  queued: @escaping @Sendable (PatrolDay, [Outbox.Enqueued]) -> Void,
                                  failed: @escaping @Sendable (PatrolDay, any Error) -> Void) -> DailyPatrol.Completion {
        { db, report in
            do {
                var enqueued: [Outbox.Enqueued] = []
                try db.inSavepoint {
                    enqueued = try enqueue(db, day: report.day, settings: settings, patrol: patrol, trusted: trusted())
                    return .commit
                }
                queued(report.day, enqueued)
            } catch {
                failed(report.day, error)
            }
        }
    }

    /// Queues the report of each of the last `days` patrolled days that has none in the outbox
    /// (building or queueing it failed when the day was judged), each day in its own transaction.
    /// Returns each day tried, with what was queued or why it failed again.
    public static func enqueueMissing(_ store: Store, settings: MailSettings, patrol: PatrolSettings, days: Int = 7,
                                      trusted: String? = nil, now: Date = Date()) throws -> [(day: PatrolDay, result: Result<[Outbox.Enqueued], any Error>)] {
        guard settings.hasRecipients else { return [] }
        let missing = try store.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT day FROM (SELECT day FROM patrol_day ORDER BY day DESC LIMIT ?)
                WHERE day NOT IN (SELECT day FROM mail_outbox) ORDER BY day
                """, arguments: [days]).compactMap(PatrolDay.init)
        }
        return missing.map { day in
            (day, Result { try store.pool.write { db in
                try enqueue(db, day: day, settings: settings, patrol: patrol, trusted: trusted, now: now)
            } })
        }
    }

    /// Builds the day's report inside the caller's transaction and queues its messages.
    /// Enqueueing the same day again adds nothing.
    @discardableResult
    /// - Parameter trusted: the ledger's public key (hex) the report checks the seals against.
    public static func enqueue(_ db: Database, day: PatrolDay, settings: MailSettings, patrol: PatrolSettings,
                               trusted: String? = nil, now: Date = Date()) throws -> [Outbox.Enqueued] {
        guard settings.hasRecipients else { return [] }
        let report = try DailyReport.build(db, day: day, policy: patrol.ladder, trusted: trusted)
        return try messages(report, settings: settings, timeZone: patrol.timeZone).map { audience, message in
            try Outbox.enqueue(db, message: message, audience: audience, day: day.description, now: now,
                               timeZone: patrol.timeZone, messageIDDomain: settings.messageIDDomain)
        }
    }
}
