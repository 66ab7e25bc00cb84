import Foundation
import PatrolLedger
import PatrolMail
import PatrolSettings
import PatrolStore

/// The daily report as mail: one message per audience. Every patrolled day without mail in the
/// outbox gets its report queued (`enqueueMissing`, run after each patrol and on every tick of
/// the daemon's patrol job): a report is never lost, never made twice (one per day and
/// audience), and a report that cannot be built never stops a day from being judged.
public enum DailyMail {
    /// The messages for `report`: the whole report to the office, each supervisor's part to
    /// that supervisor, the maintenance list to the maintenance team. Nobody configured, no message.
    /// - Parameter picture: the bytes of a kept picture by its SHA-256 (nil: not there; the HTML
    ///   then shows its caption alone).
    public static func messages(_ report: DailyReport, settings: MailSettings, timeZone: TimeZone, language: ReportLanguage = .zhCN,
                                picture: (String) -> Data? = { _ in nil }) -> [(Audience, MailMessage)] {
        var messages: [(Audience, MailMessage)] = []
        func add(_ audience: Audience, _ reader: ReportAudience, to recipients: [MailAddress]) {
            guard !recipients.isEmpty else { return }
            let attachments = ReportCSV.attachments(report, for: reader, timeZone: timeZone, language: language)
            let images = ReportHTML.pictures(report, for: reader, timeZone: timeZone).compactMap { sha in
                picture(sha).map { MailInlineImage(contentID: ReportHTML.contentID(sha), filename: "\(sha).jpg", data: $0) }
            }
            messages.append((audience, MailMessage(
                from: settings.from, to: recipients, subject: report.subject(for: reader, language: language),
                text: ReportText.render(report, for: reader, timeZone: timeZone, language: language),
                html: ReportHTML.render(report, for: reader, timeZone: timeZone, language: language), attachments: attachments,
                inlineImages: images)))
        }
        add(.office, .office, to: settings.office)
        for (supervisor, recipients) in settings.supervisors.sorted(by: { $0.key < $1.key }) {
            add(Audience(rawValue: "supervisor:\(supervisor)"), .supervisor(supervisor), to: recipients)
        }
        add(.maintenance, .maintenance, to: settings.maintenance)
        return messages
    }

    /// Queues the report of each of the last `days` patrolled days that has none in the outbox
    /// (just patrolled, or building or queueing it failed before), each day on its own. Returns
    /// each day tried, with what was queued or why it failed.
    public static func enqueueMissing(_ store: Store, settings: MailSettings, patrol: DailyPatrolSettings, days: Int = 7,
                                      trusted: String? = nil, now: Date = Date()) throws -> [(day: PatrolDay, result: Result<[Enqueued], any Error>)] {
        guard settings.hasRecipients else { return [] }
        return try store.patrolledDaysWithoutMail(recent: days).map { day in
            (day, Result { try enqueue(store, day: day, settings: settings, patrol: patrol, trusted: trusted, now: now) })
        }
    }

    /// Builds the day's report and queues its messages. Enqueueing the same day again adds nothing.
    /// - Parameter trusted: the ledger's public key (hex) the report checks the seals against.
    @discardableResult
    public static func enqueue(_ store: Store, day: PatrolDay, settings: MailSettings, patrol: DailyPatrolSettings,
                               trusted: String? = nil, now: Date = Date()) throws -> [Enqueued] {
        guard settings.hasRecipients else { return [] }
        let report = try DailyReport.build(from: store, day: day, policy: patrol.ladder, trusted: trusted,
                                           clockTolerance: patrol.clockTolerance, timeZone: patrol.timeZone)
        let pictures = store.snapshots
        return try Outbox.enqueue(store, messages: messages(report, settings: settings, timeZone: patrol.timeZone,
                                                            language: patrol.reportLanguage,
                                                            picture: { FileManager.default.contents(atPath: pictures.path(of: $0)) }),
                                  day: day, now: now, timeZone: patrol.timeZone,
                                  messageIDDomain: settings.messageIDDomain)
    }
}
