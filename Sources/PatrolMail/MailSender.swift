import Foundation
import PatrolSettings
import PatrolStore

/// The wait before a failed message's next attempt.
extension RetryPolicy {
    /// The wait after `attempts` attempts have failed (1 for the first failure).
    public func delay(afterAttempts attempts: Int) -> TimeInterval {
        let grown = firstDelay * pow(max(multiplier, 1), Double(max(attempts, 1) - 1))
        return min(max(grown, 0), longestDelay)
    }
}

/// Delivers the outbox through sendmail: takes the messages that are due, hands each to
/// sendmail, and records the outcome. A message leaves the outbox only when sendmail has accepted
/// it; a failure records the attempt, the error and the next attempt's time, so a missing or
/// failing sendmail loses nothing and a later run delivers.
///
/// Due messages are claimed in one write transaction before any is sent (their next attempt is
/// pushed past the time the sending can take), so two senders on the same database never hand
/// the same message to sendmail twice. One window remains: if the process dies after sendmail
/// accepted a message and before its row is marked sent, it is sent again after the claim runs
/// out, with the same Message-ID, which lets mail readers recognise the copy.
///
/// `sendDue` blocks while sendmail runs; call it from a thread of its own.
public struct MailSender: Sendable {
    public var store: Store
    public var sendmail: Sendmail
    public var retry: RetryPolicy
    /// The time now; tests pass a clock of their own.
    public var clock: @Sendable () -> Date
    /// The most messages one `sendDue` takes.
    public var batchLimit = 100

    public init(store: Store, sendmail: Sendmail = Sendmail(), retry: RetryPolicy = RetryPolicy(),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.sendmail = sendmail
        self.retry = retry
        self.clock = clock
    }

    /// What one `sendDue` did: the messages sendmail took, and those that failed (with their
    /// attempts, error and next attempt as now recorded).
    public struct Report: Sendable, Equatable {
        public var sent: [OutboxEntry] = []
        public var failed: [OutboxEntry] = []
    }

    /// Sends every message due now. Throws only when the database fails; sendmail's failures
    /// are recorded in the outbox and returned in the report.
    @discardableResult
    public func sendDue() throws -> Report {
        var report = Report()
        for (id, message) in try claimDue() {
            var failure: String?
            do {
                try sendmail.send(message)
            } catch {
                failure = error.description
            }
            let entry = try record(id: id, failure: failure)
            if failure == nil { report.sent.append(entry) } else { report.failed.append(entry) }
        }
        return report
    }

    /// When the next pending message falls due, if any is pending: when to call `sendDue` again.
    public func nextAttempt() throws -> Date? {
        try store.nextMailAttempt()
    }

    /// Takes the due messages: counts the attempt and moves their next attempt past the time
    /// sending them all may take, in one transaction.
    private func claimDue() throws -> [(id: Int64, bytes: Data)] {
        let timeout = sendmail.timeout
        return try store.claimDueMail(now: clock(), limit: batchLimit) { count in Double(count) * timeout + 60 }
    }

    private func record(id: Int64, failure: String?) throws -> OutboxEntry {
        try store.recordMailAttempt(id: id, failure: failure, now: clock(), retry: retry.delay(afterAttempts:))
    }
}
