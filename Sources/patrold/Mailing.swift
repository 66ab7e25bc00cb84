import Dispatch
import Foundation
import PatrolMail
import PatrolSettings
import PatrolStore

/// The daily report's mail as the daemon sends it: whatever the outbox holds that is due, on a
/// queue of its own (sendmail may take its time), each delivery and each failure logged.
final class Mailing: Sendable {
    private let run = SingleRun(label: "patrol.mail")

    static func sender(_ settings: MailSettings, store: Store) -> MailSender {
        MailSender(store: store, sendmail: Sendmail(path: settings.sendmail, extraArguments: settings.sendmailArguments),
                   retry: settings.retry)
    }

    /// Sends what is due now, unless a run is under way.
    func start(_ sender: MailSender) {
        run.start { [self] in sendNow(sender) }
    }

    /// Sends what is due now, on the calling thread, logging each delivery and failure.
    func sendNow(_ sender: MailSender) {
        do {
            let report = try sender.sendDue()
            for entry in report.sent {
                Journal.notice("report \(entry.day) for \(entry.audience) sent to \(entry.recipients.count) recipients (\(entry.messageID))")
            }
            for entry in report.failed {
                Journal.error("report \(entry.day) for \(entry.audience) not sent (attempt \(entry.attempts)), will retry at "
                    + "\(entry.nextAttemptAt.formatted(.iso8601)): \(entry.lastError ?? "?")")
            }
        } catch {
            Journal.error("the outbox cannot be read: \(error)")
        }
    }
}
