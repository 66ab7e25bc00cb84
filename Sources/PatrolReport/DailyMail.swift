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
