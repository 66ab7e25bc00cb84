import Foundation
import PatrolConfig
import PatrolSettings
import PatrolMail
import PatrolStore
import ServiceLifecycle

/// The daily report's mail as a service: every minute, and right after a patrol that judged a
/// day (`sendNow`), whatever the outbox holds that is due goes out through sendmail on a queue of
/// its own (sendmail may take its time), each delivery and each failure logged. A failure stays
/// in the outbox and is retried with backoff: nothing is lost, nothing sent twice.
public final class MailService: Service, Sendable {
    private let sender: @Sendable () -> MailSender
    private let onSend: @Sendable (MailSender.Report?) async -> Void
    private let asks: AsyncStream<Void>
    private let ask: AsyncStream<Void>.Continuation
    private let work = WorkQueue("patrol.mail")

    /// - Parameters:
    ///   - sender: the sender for the configuration in force (a reload may change it).
    ///   - onSend: each run's report, nil when the outbox could not be read.
    public init(sender: @escaping @Sendable () -> MailSender, onSend: @escaping @Sendable (MailSender.Report?) async -> Void = { _ in }) {
        self.sender = sender
        self.onSend = onSend
        (asks, ask) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// The daemon's sender for `settings`: the configured sendmail, the retry policy.
    public static func sender(_ settings: MailSettings, store: Store) -> MailSender {
        MailSender(store: store, sendmail: Sendmail(path: settings.sendmail, extraArguments: settings.sendmailArguments),
                   retry: settings.retry)
    }

    /// Sends what is due as soon as the run under way, if any, has ended.
    public func sendNow() {
        ask.yield()
    }

    /// Sends every minute, the first time at once, and when asked. A run under way when the
    /// group stops is not waited for (an entry is marked sent only once sendmail has taken it).
    public func run() async {
        await cancelWhenGracefulShutdown { [self] in
            await withDiscardingTaskGroup { group in
                group.addTask { [self] in await every(60) { [self] in sendNow() } }
                for await _ in asks {
                    let sender = sender()
                    guard let report = await work.runUnlessCancelled({ Self.send(sender) }) else { break }
                    await onSend(report)
                }
                group.cancelAll()
            }
        }
    }

    /// Sends what is due now, on the calling thread, logging each delivery and failure; nil when
    /// the outbox cannot be read.
    @discardableResult
    static func send(_ sender: MailSender) -> MailSender.Report? {
        do {
            let report = try sender.sendDue()
            for entry in report.sent {
                Journal.notice("report \(entry.day) for \(entry.audience) sent to \(entry.recipients.count) recipients (\(entry.messageID))")
            }
            for entry in report.failed {
                Journal.error("report \(entry.day) for \(entry.audience) not sent (attempt \(entry.attempts)), will retry at "
                    + "\(entry.nextAttemptAt.formatted(.iso8601)): \(entry.lastError ?? "?")")
            }
            return report
        } catch {
            Journal.error("the outbox cannot be read: \(error)")
            return nil
        }
    }
}
