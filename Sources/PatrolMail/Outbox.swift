import Foundation
import PatrolLedger
import PatrolStore

/// The mail outbox: messages rendered once, kept in the store until sendmail has taken them.
///
/// A patrolled day's report is queued after the day is recorded (`DailyMail.enqueueMissing`
/// queues every patrolled day that has no message yet), so a report that cannot be built never
/// holds a day back, and a crash in between only delays it. Its bytes and Message-ID are fixed
/// when queued: every attempt hands sendmail the identical message. A (day, audience) pair is
/// queued at most once. `MailSender` delivers and retries.
public enum Outbox {
    /// Renders `messages` and queues them for `day`, due at once, in one transaction. An audience
    /// already queued for that day keeps what it has: its entry is returned, and its message is
    /// not rendered.
    @discardableResult
    public static func enqueue(_ store: Store, messages: [(Audience, MailMessage)], day: PatrolDay, now: Date = Date(),
                               timeZone: TimeZone = .current, messageIDDomain: String? = nil) throws -> [Enqueued] {
        let queued = Dictionary(try store.mail(day: day.description).map { ($0.audience, $0) }, uniquingKeysWith: { first, _ in first })
        var rendered: [RenderedMail] = []
        for (audience, message) in messages where queued[audience] == nil {
            let messageID = MailMessage.newMessageID(domain: messageIDDomain)
            rendered.append(RenderedMail(
                audience: audience, messageID: messageID, sender: message.from.description,
                recipients: message.recipients.map(\.description), subject: message.subject,
                bytes: try message.render(date: now, timeZone: timeZone, messageID: messageID)))
        }
        let added = Dictionary(try store.enqueueMail(rendered, day: day, now: now).map { ($0.entry.audience, $0) },
                               uniquingKeysWith: { first, _ in first })
        return messages.compactMap { audience, _ in
            queued[audience].map { Enqueued(entry: $0, isNew: false) } ?? added[audience]
        }
    }

    /// One message, as `enqueue(_:messages:…)` queues it.
    @discardableResult
    public static func enqueue(_ store: Store, message: MailMessage, audience: Audience, day: PatrolDay, now: Date = Date(),
                               timeZone: TimeZone = .current, messageIDDomain: String? = nil) throws -> Enqueued {
        try enqueue(store, messages: [(audience, message)], day: day, now: now, timeZone: timeZone,
                    messageIDDomain: messageIDDomain)[0]
    }
}
