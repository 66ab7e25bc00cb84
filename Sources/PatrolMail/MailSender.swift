import Foundation
import GRDB

/// How long a failed message waits before its next attempt: `firstDelay` after the first failure,
/// multiplied by `multiplier` after each further one, never more than `longestDelay`. There is no
/// last attempt: a message waits for as long as sendmail keeps failing.
public struct RetryPolicy: Sendable, Equatable {
    public var firstDelay: TimeInterval
    public var multiplier: Double
    public var longestDelay: TimeInterval

    public init(firstDelay: TimeInterval = 60, multiplier: Double = 2, longestDelay: TimeInterval = 3600) {
        self.firstDelay = firstDelay
        self.multiplier = multiplier
        self.longestDelay = longestDelay
    }

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
    public var database: any DatabaseWriter
    public var sendmail: Sendmail
    public var retry: RetryPolicy
    /// The time now; tests pass a clock of their own.
    public var clock: @Sendable () -> Date
    /// The most messages one `sendDue` takes.
    public var batchLimit = 100

    public init(database: any DatabaseWriter, sendmail: Sendmail = Sendmail(), retry: RetryPolicy = RetryPolicy(),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
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
        try database.read { db in
            try Date.fetchOne(db, sql: "SELECT min(next_attempt_at) FROM mail_outbox WHERE sent_at IS NULL")
        }
    }

    /// Takes the due messages: counts the attempt and moves their next attempt past the time
    /// sending them all may take, in one transaction.
    private func claimDue() throws -> [(Int64, Data)] {
        let now = clock()
        return try database.write { db in
            let due = try Row.fetchAll(db, sql: """
                SELECT id, message FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at <= ?
                ORDER BY next_attempt_at, id LIMIT ?
                """, arguments: [now, batchLimit]).map { (row: Row) -> (Int64, Data) in (row["id"], row["message"]) }
            guard !due.isEmpty else { return [] }
            let claim = now.addingTimeInterval(Double(due.count) * sendmail.timeout + 60)
            for (id, _) in due {
                try db.execute(sql: """
                    UPDATE mail_outbox SET attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?
                    WHERE id = ?
                    """, arguments: [now, claim, id])
            }
            return due
        }
    }

    private func record(id: Int64, failure: String?) throws -> OutboxEntry {
        let now = clock()
        return try database.write { db in
            if let failure {
                let attempts = try Int.fetchOne(db, sql: "SELECT attempts FROM mail_outbox WHERE id = ?", arguments: [id]) ?? 1
                try db.execute(sql: "UPDATE mail_outbox SET last_error = ?, next_attempt_at = ? WHERE id = ?",
                               arguments: [failure, now.addingTimeInterval(retry.delay(afterAttempts: attempts)), id])
            } else {
                try db.execute(sql: "UPDATE mail_outbox SET sent_at = ?, last_error = NULL WHERE id = ?", arguments: [now, id])
            }
            return try Outbox.entries(db, where: "id = ?", [id])[0]
        }
    }
}
