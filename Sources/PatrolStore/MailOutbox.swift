import Foundation
import GRDB
import PatrolLedger

/// Who a report goes to. One message per patrol day and audience.
public struct Audience: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    /// The public-security and comprehensive-governance office.
    public static let office: Audience = "office"
    /// The venue-supervision teams.
    public static let supervisors: Audience = "supervisors"
    /// The city maintenance team (perimeter cameras).
    public static let maintenance: Audience = "maintenance"

    public var description: String { rawValue }
}

/// One message in the outbox, without its bytes.
public struct OutboxEntry: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        /// Waiting for its first attempt (or in it): no attempt has failed yet.
        case queued
        /// Tried and failed at least once; tried again at `nextAttemptAt`.
        case retrying
        /// sendmail took it.
        case sent
    }

    public var id: Int64
    public var day: String
    public var audience: Audience
    public var messageID: String
    public var sender: String
    /// To then Cc, each `name <address>` or a bare address.
    public var recipients: [String]
    public var subject: String
    /// The rendered message's size in bytes.
    public var size: Int
    public var enqueuedAt: Date
    public var attempts: Int
    public var lastAttemptAt: Date?
    public var lastError: String?
    public var nextAttemptAt: Date
    public var sentAt: Date?

    public var state: State {
        if sentAt != nil { return .sent }
        return lastError == nil ? .queued : .retrying
    }

    init(row: Row) {
        id = row["id"]
        day = row["day"]
        audience = Audience(rawValue: row["audience"])
        messageID = row["message_id"]
        sender = row["sender"]
        recipients = (row["recipients"] as String).split(separator: "\n").map(String.init)
        subject = row["subject"]
        size = row["size"]
        enqueuedAt = row["enqueued_at"]
        attempts = row["attempts"]
        lastAttemptAt = row["last_attempt_at"]
        lastError = row["last_error"]
        nextAttemptAt = row["next_attempt_at"]
        sentAt = row["sent_at"]
    }
}

/// A rendered message to queue: its bytes and Message-ID are fixed once queued, so every
/// attempt hands sendmail the identical message.
public struct RenderedMail: Sendable, Equatable {
    public var audience: Audience
    public var messageID: String
    public var sender: String
    public var recipients: [String]
    public var subject: String
    public var bytes: Data

    public init(audience: Audience, messageID: String, sender: String, recipients: [String], subject: String, bytes: Data) {
        self.audience = audience
        self.messageID = messageID
        self.sender = sender
        self.recipients = recipients
        self.subject = subject
        self.bytes = bytes
    }
}

/// What queueing did with one message: queued it, or found that day's message for the audience
/// already queued (or sent) and left that one as it is.
public struct Enqueued: Sendable, Equatable {
    public var entry: OutboxEntry
    public var isNew: Bool

    public init(entry: OutboxEntry, isNew: Bool) {
        self.entry = entry
        self.isNew = isNew
    }
}

/// The mail outbox (`mail_outbox`): rendered messages kept until sendmail has taken them. A
/// (day, audience) pair is queued at most once. The mail side renders and delivers; the rows are
/// read and written here only.
extension Store {
    /// Queues a patrol day's messages, due at once, in one transaction. A message whose (day,
    /// audience) is already queued is not queued again: the entry there is returned instead.
    @discardableResult
    public func enqueueMail(_ messages: [RenderedMail], day: PatrolDay, now: Date) throws -> [Enqueued] {
        let day = day.description
        return try pool.write { db in
            try messages.map { message in
                try db.execute(sql: """
                    INSERT INTO mail_outbox (day, audience, message_id, sender, recipients, subject, message, enqueued_at,
                                             next_attempt_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day, audience) DO NOTHING
                    """, arguments: [day, message.audience.rawValue, message.messageID, message.sender,
                                     message.recipients.joined(separator: "\n"), message.subject, message.bytes, now, now])
                let isNew = db.changesCount > 0
                let entry = try Self.outbox(db, where: "day = ? AND audience = ?", [day, message.audience.rawValue])[0]
                return Enqueued(entry: entry, isNew: isNew)
            }
        }
    }

    /// Messages not sent yet, the next due first: what `patrol report outbox` lists.
    public func pendingMail() throws -> [OutboxEntry] {
        try pool.read { db in try Self.outbox(db, where: "sent_at IS NULL", [], order: "next_attempt_at, id") }
    }

    /// Every message of a patrol day, sent or not.
    public func mail(day: String) throws -> [OutboxEntry] {
        try pool.read { db in try Self.outbox(db, where: "day = ?", [day]) }
    }

    /// The bytes queued for an entry, exactly as sendmail receives them.
    public func mailBytes(id: Int64) throws -> Data? {
        try pool.read { db in try Data.fetchOne(db, sql: "SELECT message FROM mail_outbox WHERE id = ?", arguments: [id]) }
    }

    /// When the next pending message falls due, if any is pending.
    public func nextMailAttempt() throws -> Date? {
        try pool.read { db in
            try Date.fetchOne(db, sql: "SELECT min(next_attempt_at) FROM mail_outbox WHERE sent_at IS NULL")
        }
    }

    /// Takes up to `limit` due messages in one transaction: counts the attempt and moves each
    /// one's next attempt to `hold(count)` seconds from now (past the time sending them all may
    /// take), so that a second sender on the same database does not take them too.
    public func claimDueMail(now: Date, limit: Int, hold: (Int) -> TimeInterval) throws -> [(id: Int64, bytes: Data)] {
        try pool.write { db in
            let due = try Row.fetchAll(db, sql: """
                SELECT id, message FROM mail_outbox WHERE sent_at IS NULL AND next_attempt_at <= ?
                ORDER BY next_attempt_at, id LIMIT ?
                """, arguments: [now, limit]).map { (row: Row) -> (id: Int64, bytes: Data) in (row["id"], row["message"]) }
            guard !due.isEmpty else { return [] }
            let claim = now.addingTimeInterval(hold(due.count))
            for message in due {
                try db.execute(sql: """
                    UPDATE mail_outbox SET attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ? WHERE id = ?
                    """, arguments: [now, claim, message.id])
            }
            return due
        }
    }

    /// Records the outcome of a claimed message's attempt: sent, or failed with `failure` and
    /// tried again `retry(attempts)` seconds from now.
    public func recordMailAttempt(id: Int64, failure: String?, now: Date, retry: (Int) -> TimeInterval) throws -> OutboxEntry {
        try pool.write { db in
            if let failure {
                let attempts = try Int.fetchOne(db, sql: "SELECT attempts FROM mail_outbox WHERE id = ?", arguments: [id]) ?? 1
                try db.execute(sql: "UPDATE mail_outbox SET last_error = ?, next_attempt_at = ? WHERE id = ?",
                               arguments: [failure, now.addingTimeInterval(retry(attempts)), id])
            } else {
                try db.execute(sql: "UPDATE mail_outbox SET sent_at = ?, last_error = NULL WHERE id = ?", arguments: [now, id])
            }
            return try Self.outbox(db, where: "id = ?", [id])[0]
        }
    }

    /// Of the last `days` patrolled days, those with no message in the outbox, oldest first:
    /// the days whose report is still to be queued.
    public func patrolledDaysWithoutMail(recent days: Int) throws -> [PatrolDay] {
        try pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT day FROM (SELECT day FROM patrol_day ORDER BY day DESC LIMIT ?)
                WHERE day NOT IN (SELECT day FROM mail_outbox) ORDER BY day
                """, arguments: [days]).compactMap(PatrolDay.init)
        }
    }

    static func outbox(_ db: Database, where condition: String, _ arguments: StatementArguments,
                       order: String = "id") throws -> [OutboxEntry] {
        try Row.fetchAll(db, sql: """
            SELECT id, day, audience, message_id, sender, recipients, subject, length(message) AS size, enqueued_at,
                   attempts, last_attempt_at, last_error, next_attempt_at, sent_at
            FROM mail_outbox WHERE \(condition) ORDER BY \(order)
            """, arguments: arguments).map(OutboxEntry.init)
    }
}
