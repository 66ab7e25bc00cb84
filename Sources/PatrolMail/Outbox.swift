import Foundation
import GRDB

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

/// The mail outbox: messages rendered once, kept in SQLite until sendmail has taken them.
///
/// A message is queued in the transaction that decides it (the daily patrol enqueues the report
/// in the transaction that completes the day), so it exists exactly when that decision does. Its
/// bytes and Message-ID are fixed then: every attempt hands sendmail the identical message.
/// A (day, audience) pair is queued at most once. `MailSender` delivers and retries.
public enum Outbox {
    public static let table = "mail_outbox"

    /// Creates the outbox table; called from the store's migrator.
    public static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE mail_outbox (
                id INTEGER PRIMARY KEY,
                day TEXT NOT NULL,                  -- the patrol day reported on, YYYY-MM-DD
                audience TEXT NOT NULL,             -- office, supervisors, maintenance…
                message_id TEXT NOT NULL UNIQUE,    -- <…@…>, as in the message's header
                sender TEXT NOT NULL,
                recipients TEXT NOT NULL,           -- one mailbox a line, To then Cc
                subject TEXT NOT NULL,
                message BLOB NOT NULL,              -- the rendered bytes, given to sendmail as they are
                enqueued_at DATETIME NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                last_attempt_at DATETIME,
                last_error TEXT,                    -- why the last attempt failed; NULL once sent
                next_attempt_at DATETIME NOT NULL,
                sent_at DATETIME,                   -- when sendmail took it; NULL while pending
                UNIQUE (day, audience)
            );
            CREATE INDEX mail_outbox_pending ON mail_outbox(next_attempt_at) WHERE sent_at IS NULL;
            """)
    }

    /// What `enqueue` did: queued a new message, or found the day's message for that audience
    /// already queued (or sent) and left it as it is.
    public struct Enqueued: Sendable, Equatable {
        public var entry: OutboxEntry
        public var isNew: Bool
    }

    /// Renders `message` and queues it for `audience` on `day`, due at once. Call it inside the
    /// caller's write transaction. When the pair is already queued nothing changes: the entry
    /// already there is returned, and `message` is not rendered.
    @discardableResult
    public static func enqueue(_ db: Database, message: MailMessage, audience: Audience, day: String,
                               now: Date = Date(), timeZone: TimeZone = .current,
                               messageIDDomain: String? = nil) throws -> Enqueued {
        guard isDay(day) else { throw MailError.invalidDay(day) }
        if let existing = try entries(db, where: "day = ? AND audience = ?", [day, audience.rawValue]).first {
            return Enqueued(entry: existing, isNew: false)
        }
        let messageID = MailMessage.newMessageID(domain: messageIDDomain)
        let bytes = try message.render(date: now, timeZone: timeZone, messageID: messageID)
        try db.execute(sql: """
            INSERT INTO mail_outbox (day, audience, message_id, sender, recipients, subject, message, enqueued_at,
                                     next_attempt_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [day, audience.rawValue, messageID, message.from.description,
                             message.recipients.map(\.description).joined(separator: "\n"), message.subject, bytes,
                             now, now])
        let entry = try entries(db, where: "id = ?", [db.lastInsertedRowID])[0]
        return Enqueued(entry: entry, isNew: true)
    }

    /// Messages not sent yet, the next due first: what `patrol report outbox` lists.
    public static func pending(_ db: Database) throws -> [OutboxEntry] {
        try entries(db, where: "sent_at IS NULL", [], order: "next_attempt_at, id")
    }

    /// Every message of a patrol day, sent or not.
    public static func entries(_ db: Database, day: String) throws -> [OutboxEntry] {
        try entries(db, where: "day = ?", [day])
    }

    /// The bytes queued for an entry, exactly as sendmail receives them.
    public static func message(_ db: Database, id: Int64) throws -> Data? {
        try Data.fetchOne(db, sql: "SELECT message FROM mail_outbox WHERE id = ?", arguments: [id])
    }

    static func entries(_ db: Database, where condition: String, _ arguments: StatementArguments,
                        order: String = "id") throws -> [OutboxEntry] {
        try Row.fetchAll(db, sql: """
            SELECT id, day, audience, message_id, sender, recipients, subject, length(message) AS size, enqueued_at,
                   attempts, last_attempt_at, last_error, next_attempt_at, sent_at
            FROM mail_outbox WHERE \(condition) ORDER BY \(order)
            """, arguments: arguments).map(OutboxEntry.init)
    }

    private static func isDay(_ day: String) -> Bool {
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let month = Int(parts[1]), let date = Int(parts[2])
        else { return false }
        return (1...12).contains(month) && (1...31).contains(date)
    }
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
