import Foundation
import PatrolMail
import PatrolTestSupport
import PatrolStore

/// A real store on a SQLite file in a temporary folder: the outbox is one of its tables.
func outboxStore() throws -> Store {
    try Store(path: try temporaryFolder("outbox").appendingPathComponent("patrol.sqlite").path)
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    func set(_ date: Date) { lock.withLock { current = date } }
}

/// An outbox with the whole mail path behind it: a receiver, msmtp pointed at one of its ports,
/// the outbox on a real SQLite file, and a clock starting on the report's morning.
struct OutboxRig {
    let receiver: Receiver
    let home: MailHome
    let store: Store
    let clock = TestClock(reportMorning)

    init(port: (Receiver) -> Int = \.port) throws {
        receiver = try Receiver()
        home = try MailHome()
        try home.use(port: port(receiver))
        store = try outboxStore()
    }

    func enqueue(_ audience: Audience, _ message: MailMessage = sampleReport()) throws -> Enqueued {
        try Outbox.enqueue(store, message: message, audience: audience, day: reportDay, now: clock.now,
                           timeZone: beijing, messageIDDomain: "patrol.district.example")
    }

    func sender(_ sendmail: Sendmail? = nil) -> MailSender {
        MailSender(store: store, sendmail: sendmail ?? home.sendmail(), clock: { [clock] in clock.now })
    }
}
