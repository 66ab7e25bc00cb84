import Foundation
import GRDB
import PatrolAlerts
import PatrolProbe
import PatrolSettings

/// The alerts' durable queue (docs/ALERTS.md): each alert event the rules decided, its deliveries
/// per channel and recipient (attempts, next try, last error, when sent), and the rules' memory
/// with the cursors of the changes already read. The alert side decides and delivers; the rows
/// are read and written here only.
enum AlertSchema {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE alert_event (
                id INTEGER PRIMARY KEY,
                event_id TEXT NOT NULL UNIQUE,      -- patrol-A17-open: what a receiver drops a repeat by
                alert INTEGER NOT NULL,             -- the alert's number
                kind TEXT NOT NULL,                 -- open, resolve, remind, notice
                rule TEXT NOT NULL,
                signal TEXT NOT NULL,               -- camera, registration, ledger, health
                subject TEXT NOT NULL,              -- the first subject (camera id…)
                venue_name TEXT,                    -- the first subject's venue
                detail TEXT NOT NULL,               -- the first subject's fault (black, warning…)
                members INTEGER NOT NULL,           -- subjects in the event (a storm's summary: many)
                still_down INTEGER NOT NULL,
                summary BOOLEAN NOT NULL,
                title TEXT NOT NULL,                -- in the report's language
                at DATETIME NOT NULL,
                body TEXT NOT NULL                  -- the JSON body the webhook posts
            );
            CREATE INDEX alert_event_at ON alert_event(at);
            CREATE TABLE alert_delivery (
                id INTEGER PRIMARY KEY,
                event INTEGER NOT NULL REFERENCES alert_event(id),
                channel TEXT NOT NULL CHECK (channel IN ('mail', 'webhook')),
                recipient TEXT NOT NULL,            -- an address, or the webhook's URL
                payload BLOB NOT NULL,              -- the rendered message, or the JSON body: sent as it is
                attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                last_attempt_at DATETIME,
                last_error TEXT,
                next_attempt_at DATETIME NOT NULL,
                sent_at DATETIME,
                UNIQUE (event, channel, recipient)
            );
            CREATE INDEX alert_delivery_pending ON alert_delivery(next_attempt_at) WHERE sent_at IS NULL;
            CREATE TABLE alert_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                state_event_cursor INTEGER NOT NULL,  -- the last state_event read
                ledger_cursor INTEGER NOT NULL,       -- the last ledger entry read
                book TEXT NOT NULL                    -- the rules' memory (open alerts, pending faults), JSON
            );
            """)
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = JSONTime.decoding
        return decoder
    }()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = JSONTime.encoding
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}

/// Where the alert service stands: the rules' memory and the last change of each kind read.
public struct AlertCursor: Sendable, Equatable {
    public var stateEvent: Int64
    public var ledger: Int64
    public var book: AlertBook

    public init(stateEvent: Int64, ledger: Int64, book: AlertBook) {
        self.stateEvent = stateEvent
        self.ledger = ledger
        self.book = book
    }
}

/// The changes since a cursor, as the rules take them.
public struct AlertInputs: Sendable {
    /// Cameras down or up (state_event), oldest first; on the first pass, the cameras down then, as baseline.
    public var cameras: [AlertChange] = []
    /// Every registration system's state (the rules ignore what they know already).
    public var registration: [AlertChange] = []
    /// New ledger steps.
    public var ledger: [AlertChange] = []
    /// The last state_event and ledger entry read.
    public var stateEvent: Int64 = 0
    public var ledgerSeq: Int64 = 0
    /// The newest probe written, for the sweep's health.
    public var lastProbeAt: Date?
    /// The registration platform's last read over HTTP: whether it worked, since when it fails, why.
    public var platform: (ok: Bool, failingSince: Date?, error: String?)?
}

/// One delivery to queue with its event.
public struct AlertDelivery: Sendable, Equatable {
    public var channel: AlertChannel
    public var recipient: String
    public var payload: Data

    public init(channel: AlertChannel, recipient: String, payload: Data) {
        self.channel = channel
        self.recipient = recipient
        self.payload = payload
    }
}

/// An event the rules decided, with what the queue needs to list and send it.
public struct AlertEvent: Sendable, Equatable {
    public var notice: AlertNotice
    public var title: String
    public var body: Data
    public var deliveries: [AlertDelivery]

    public init(notice: AlertNotice, title: String, body: Data, deliveries: [AlertDelivery]) {
        self.notice = notice
        self.title = title
        self.body = body
        self.deliveries = deliveries
    }
}

/// A delivery as the queue holds it, without its payload.
public struct AlertDeliveryEntry: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case queued, retrying, sent
    }

    public var id: Int64
    public var eventID: String
    public var alert: Int
    public var kind: String
    public var rule: String
    public var title: String
    public var channel: String
    public var recipient: String
    public var attempts: Int
    public var lastAttemptAt: Date?
    public var lastError: String?
    public var nextAttemptAt: Date
    public var sentAt: Date?

    public var state: State { sentAt != nil ? .sent : lastError == nil ? .queued : .retrying }

    init(row: Row) {
        id = row["id"]
        eventID = row["event_id"]
        alert = row["alert"]
        kind = row["kind"]
        rule = row["rule"]
        title = row["title"]
        channel = row["channel"]
        recipient = row["recipient"]
        attempts = row["attempts"]
        lastAttemptAt = row["last_attempt_at"]
        lastError = row["last_error"]
        nextAttemptAt = row["next_attempt_at"]
        sentAt = row["sent_at"]
    }
}

/// An event that went out (or waits), with its deliveries counted.
public struct AlertEventEntry: Sendable, Equatable, Codable {
    public var eventID: String
    public var alert: Int
    public var kind: String
    public var rule: String
    public var signal: String
    public var subject: String
    public var venueName: String?
    public var detail: String
    public var members: Int
    public var stillDown: Int
    public var summary: Bool
    public var title: String
    public var at: Date
    public var deliveries: Int
    public var sent: Int
}

/// `patrol alerts`: the open alerts, the deliveries waiting and why, the latest events.
public struct AlertOverview: Sendable, Encodable {
    public struct Open: Sendable, Encodable {
        public var alert: Int
        public var rule: String
        public var signal: String
        public var summary: Bool
        public var since: Date
        public var openedAt: Date
        public var lastSentAt: Date
        public var total: Int
        public var down: Int
        /// The subjects still down (the first 20).
        public var subjects: [AlertMember]
    }

    /// Whether the alert service has run on this database.
    public var started: Bool
    public var open: [Open]
    /// Faults not alerted yet: waiting out their debounce, their storm window or quiet hours.
    public var pending: [AlertMember]
    public var waiting: [AlertDeliveryEntry]
    public var recent: [AlertEventEntry]
}

extension Store {
    /// The alert service's memory and cursors; nil before its first pass.
    public func alertCursor() throws -> AlertCursor? {
        try pool.read { db in try Self.alertCursor(db) }
    }

    static func alertCursor(_ db: Database) throws -> AlertCursor? {
        guard let row = try Row.fetchOne(db, sql: "SELECT state_event_cursor, ledger_cursor, book FROM alert_state WHERE id = 1") else {
            return nil
        }
        let book = (try? AlertSchema.decoder.decode(AlertBook.self, from: Data((row["book"] as String).utf8))) ?? AlertBook()
        return AlertCursor(stateEvent: row["state_event_cursor"], ledger: row["ledger_cursor"], book: book)
    }

    /// The changes after `cursor`, at most `limit` status changes; without a cursor (the first
    /// pass), none of the past: the cameras and registration systems down now come as baseline
    /// and the cursors start at the end.
    public func alertInputs(after cursor: AlertCursor?, limit: Int = 10_000) throws -> AlertInputs {
        try pool.read { db in
            var inputs = AlertInputs()
            let venue = "v.id AS venue_id, v.name AS venue_name, v.tier, v.supervisor"
            func change(_ signal: AlertSignal, _ row: Row, subject: String, bad: Bool, since: Date, detail: String,
                        placement: String? = nil, baseline: Bool = false) -> AlertChange {
                AlertChange(signal: signal, subject: subject, bad: bad, since: since, venueID: row["venue_id"], venueName: row["venue_name"],
                            tier: row["tier"], placement: placement, supervisor: row["supervisor"], detail: detail, baseline: baseline)
            }
            if let cursor {
                let rows = try Row.fetchAll(db, sql: """
                    SELECT e.id, e.camera_id, e.at, e.to_status, e.outcome, c.placement, \(venue)
                    FROM state_event e JOIN camera c ON c.id = e.camera_id JOIN venue v ON v.id = c.venue_id
                    WHERE e.id > ? ORDER BY e.id LIMIT ?
                    """, arguments: [cursor.stateEvent, limit])
                inputs.cameras = rows.compactMap { row in
                    let to: String = row["to_status"]
                    guard to == "down" || to == "up" else { return nil }
                    return change(.camera, row, subject: row["camera_id"], bad: to == "down", since: row["at"],
                                  detail: to == "down" ? row["outcome"] : "online", placement: row["placement"])
                }
                inputs.stateEvent = rows.last?["id"] ?? cursor.stateEvent
                let entries = try Row.fetchAll(db, sql: """
                    SELECT l.seq, l.kind, l.at, \(venue)
                    FROM ledger l LEFT JOIN venue v ON v.id = l.venue_id WHERE l.seq > ? ORDER BY l.seq
                    """, arguments: [cursor.ledger])
                inputs.ledger = entries.map { row in
                    change(.ledger, row, subject: String(row["seq"] as Int64), bad: true,
                           since: JSONTime.date(row["at"]) ?? Date(timeIntervalSince1970: 0), detail: row["kind"])
                }
                inputs.ledgerSeq = entries.last?["seq"] ?? cursor.ledger
            } else {
                inputs.stateEvent = try Int64.fetchOne(db, sql: "SELECT max(id) FROM state_event") ?? 0
                inputs.ledgerSeq = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM ledger") ?? 0
                inputs.cameras = try Row.fetchAll(db, sql: """
                    SELECT s.camera_id, s.status_since, s.reason, c.placement, \(venue)
                    FROM camera_state s JOIN camera c ON c.id = s.camera_id JOIN venue v ON v.id = c.venue_id
                    WHERE s.status = 'down' AND c.retired_at IS NULL ORDER BY s.camera_id
                    """).map { row in
                    change(.camera, row, subject: row["camera_id"], bad: true, since: row["status_since"] ?? Date(timeIntervalSince1970: 0),
                           detail: row["reason"] ?? "down", placement: row["placement"], baseline: true)
                }
            }
            inputs.registration = try Row.fetchAll(db, sql: """
                SELECT s.system_id, s.online, s.since, \(venue)
                FROM registration_state s JOIN registration_system r ON r.system_id = s.system_id JOIN venue v ON v.id = r.venue_id
                ORDER BY s.system_id
                """).map { row in
                let online: Bool = row["online"]
                return change(.registration, row, subject: row["system_id"], bad: !online, since: row["since"],
                              detail: online ? "online" : "offline", baseline: cursor == nil)
            }
            inputs.lastProbeAt = try Date.fetchOne(db, sql: "SELECT max(last_probe_at) FROM camera_state")
            if let last = try Row.fetchOne(db, sql: "SELECT ok, error FROM registration_read WHERE source = 'http' ORDER BY at DESC, id DESC LIMIT 1") {
                let ok: Bool = last["ok"]
                let since = ok ? nil : try Date.fetchOne(db, sql: """
                    SELECT min(at) FROM registration_read WHERE source = 'http'
                    AND at > coalesce((SELECT max(at) FROM registration_read WHERE source = 'http' AND ok), '')
                    """)
                inputs.platform = (ok, since, last["error"])
            }
            return inputs
        }
    }

    /// Records one pass in one transaction: the rules' memory and cursors, and each new event
    /// with its deliveries, due at once. An event already queued (its id) is not queued again.
    public func commitAlerts(_ cursor: AlertCursor, events: [AlertEvent], now: Date) throws {
        let book = String(decoding: try AlertSchema.encoder.encode(cursor.book), as: UTF8.self)
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO alert_state (id, state_event_cursor, ledger_cursor, book) VALUES (1, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET state_event_cursor = excluded.state_event_cursor,
                    ledger_cursor = excluded.ledger_cursor, book = excluded.book
                """, arguments: [cursor.stateEvent, cursor.ledger, book])
            for event in events {
                let notice = event.notice, first = notice.members.first
                try db.execute(sql: """
                    INSERT INTO alert_event (event_id, alert, kind, rule, signal, subject, venue_name, detail, members, still_down, summary,
                                             title, at, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING
                    """, arguments: [notice.eventID, notice.alert, notice.kind.rawValue, notice.rule, notice.signal.rawValue,
                                     first?.subject ?? "", first?.venueName, first?.detail ?? "", notice.members.count, notice.stillDown,
                                     notice.summary, event.title, now, String(decoding: event.body, as: UTF8.self)])
                guard db.changesCount > 0 else { continue }
                let id = db.lastInsertedRowID
                for delivery in event.deliveries {
                    try db.execute(sql: """
                        INSERT INTO alert_delivery (event, channel, recipient, payload, next_attempt_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (event, channel, recipient) DO NOTHING
                        """, arguments: [id, delivery.channel.rawValue, delivery.recipient, delivery.payload, now])
                }
            }
        }
    }

    /// Takes up to `limit` due deliveries in one transaction: counts the attempt and moves each
    /// one's next attempt `hold(count)` seconds on (past the time sending them all may take), so that a second sender does not take them too, and a
    /// delivery whose outcome was never recorded (a crash) is tried again then.
    public func claimDueAlertDeliveries(now: Date, limit: Int, hold: (Int) -> TimeInterval)
        throws -> [(id: Int64, eventID: String, channel: AlertChannel, recipient: String, payload: Data)] {
        try pool.write { db in
            let due = try Row.fetchAll(db, sql: """
                SELECT d.id, e.event_id, d.channel, d.recipient, d.payload FROM alert_delivery d JOIN alert_event e ON e.id = d.event
                WHERE d.sent_at IS NULL AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?
                """, arguments: [now, limit]).compactMap { row -> (id: Int64, eventID: String, channel: AlertChannel, recipient: String, payload: Data)? in
                guard let channel = AlertChannel(rawValue: row["channel"]) else { return nil }
                return (row["id"], row["event_id"], channel, row["recipient"], row["payload"])
            }
            let claim = now.addingTimeInterval(hold(due.count))
            for delivery in due {
                try db.execute(sql: """
                    UPDATE alert_delivery SET attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ? WHERE id = ?
                    """, arguments: [now, claim, delivery.id])
            }
            return due
        }
    }

    /// Records a claimed delivery's outcome: sent, or failed with `failure` and tried again
    /// `retry(attempts)` seconds from now.
    @discardableResult
    public func recordAlertDelivery(id: Int64, failure: String?, now: Date, retry: (Int) -> TimeInterval) throws -> AlertDeliveryEntry {
        try pool.write { db in
            if let failure {
                let attempts = try Int.fetchOne(db, sql: "SELECT attempts FROM alert_delivery WHERE id = ?", arguments: [id]) ?? 1
                try db.execute(sql: "UPDATE alert_delivery SET last_error = ?, next_attempt_at = ? WHERE id = ?",
                               arguments: [failure, now.addingTimeInterval(retry(attempts)), id])
            } else {
                try db.execute(sql: "UPDATE alert_delivery SET sent_at = ?, last_error = NULL WHERE id = ?", arguments: [now, id])
            }
            return try Self.alertDeliveries(db, where: "d.id = ?", [id])[0]
        }
    }

    /// When the next waiting delivery falls due, if one waits.
    public func nextAlertDelivery() throws -> Date? {
        try pool.read { db in try Date.fetchOne(db, sql: "SELECT min(next_attempt_at) FROM alert_delivery WHERE sent_at IS NULL") }
    }

    /// The alert queue's depth: deliveries not yet sent, by channel, and the alerts open.
    public func alertQueueDepth() throws -> (waiting: [AlertChannel: Int], open: Int) {
        try pool.read { db in
            let waiting = try Row.fetchAll(db, sql: "SELECT channel, count(*) AS n FROM alert_delivery WHERE sent_at IS NULL GROUP BY channel")
                .reduce(into: [AlertChannel: Int]()) { counts, row in
                    if let channel = AlertChannel(rawValue: row["channel"]) { counts[channel] = row["n"] }
                }
            return (waiting, try Self.alertCursor(db)?.book.openAlerts.count ?? 0)
        }
    }

    /// Deliveries of an event (by its id), sent or not.
    public func alertDeliveries(eventID: String) throws -> [AlertDeliveryEntry] {
        try pool.read { db in try Self.alertDeliveries(db, where: "e.event_id = ?", [eventID]) }
    }

    /// The open alerts, what waits to be alerted, the deliveries not sent (the next due first)
    /// and the latest `recent` events.
    public func alertOverview(recent: Int = 20) throws -> AlertOverview {
        try pool.read { db in
            let cursor = try Self.alertCursor(db)
            let open = (cursor?.book.openAlerts ?? []).map { alert in
                let down = alert.members.values.filter { alert.down.contains($0.subject) }.sorted { ($0.since, $0.subject) < ($1.since, $1.subject) }
                return AlertOverview.Open(alert: alert.number, rule: alert.rule, signal: alert.signal.rawValue, summary: alert.summary,
                                          since: alert.members.values.map(\.since).min() ?? alert.openedAt, openedAt: alert.openedAt,
                                          lastSentAt: alert.lastSentAt, total: alert.members.count, down: alert.down.count,
                                          subjects: Array(down.prefix(20)))
            }
            let waiting = try Self.alertDeliveries(db, where: "d.sent_at IS NULL", [], order: "d.next_attempt_at, d.id")
            let events = try Row.fetchAll(db, sql: """
                SELECT e.*, (SELECT count(*) FROM alert_delivery d WHERE d.event = e.id) AS deliveries,
                       (SELECT count(*) FROM alert_delivery d WHERE d.event = e.id AND d.sent_at IS NOT NULL) AS sent
                FROM alert_event e ORDER BY e.id DESC LIMIT ?
                """, arguments: [recent]).map { row in
                AlertEventEntry(eventID: row["event_id"], alert: row["alert"], kind: row["kind"], rule: row["rule"], signal: row["signal"],
                                subject: row["subject"], venueName: row["venue_name"], detail: row["detail"], members: row["members"],
                                stillDown: row["still_down"], summary: row["summary"], title: row["title"], at: row["at"],
                                deliveries: row["deliveries"], sent: row["sent"])
            }
            return AlertOverview(started: cursor != nil, open: open, pending: (cursor?.book.pending ?? []).map(\.member),
                                 waiting: waiting, recent: events)
        }
    }

    static func alertDeliveries(_ db: Database, where condition: String, _ arguments: StatementArguments,
                                order: String = "d.id") throws -> [AlertDeliveryEntry] {
        try Row.fetchAll(db, sql: """
            SELECT d.id, e.event_id, e.alert, e.kind, e.rule, e.title, d.channel, d.recipient, d.attempts, d.last_attempt_at,
                   d.last_error, d.next_attempt_at, d.sent_at
            FROM alert_delivery d JOIN alert_event e ON e.id = d.event WHERE \(condition) ORDER BY \(order)
            """, arguments: arguments).map(AlertDeliveryEntry.init)
    }
}
