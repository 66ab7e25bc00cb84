import Foundation
import PatrolAlerts
import PatrolConfig
import PatrolMail
import PatrolReport
import PatrolSettings
import PatrolStore
import ServiceLifecycle
import Synchronization

/// The duty desk's alerts as a service (docs/ALERTS.md): every `alerts.every` seconds, on a
/// queue of its own, it reads the changes since its cursor (cameras down and up, registration
/// systems offline and online, new ledger steps) and Patrol's own health, runs the rules
/// (`AlertRules`), and in one transaction keeps their memory, the cursors and the new events
/// with one delivery per channel and recipient. Then it delivers what is due: mail through
/// sendmail, the webhook over HTTP. A failing channel keeps its deliveries queued with the
/// error and tries again with backoff; nothing here ever stops the daemon.
public final class AlertService: Service, Sendable {
    /// What one pass did.
    public struct Pass: Sendable {
        public var notices: [AlertNotice] = []
        public var sent: [AlertDeliveryEntry] = []
        public var failed: [AlertDeliveryEntry] = []
        /// Why the rules could not run (the store unavailable), if they could not.
        public var problem: String?
    }

    private let store: Store
    private let configuration: @Sendable () -> Configuration
    private let health: @Sendable () -> [HealthCheck: String]
    private let now: @Sendable () -> Date
    private let sendmail: @Sendable (MailSettings) -> Sendmail
    private let environment: [String: String]
    private let onPass: @Sendable (Pass) async -> Void
    private let work = WorkQueue("patrol.alerts")
    private let cursor = Mutex<AlertCursor?>(nil)
    /// When this service started: a daemon just started after downtime is not overdue.
    private let startedAt: Date

    /// - Parameters:
    ///   - configuration: the configuration in force (a reload may change the rules).
    ///   - health: what the daemon knows is wrong with itself now: the probe pool wedged
    ///     (`sweepOverdue`), the writer stalled (`writerStalled`), with the reason.
    ///   - sendmail: the sendmail for the mail settings in force.
    ///   - environment: where `alerts.webhook.secret_env` is looked up.
    public init(store: Store, configuration: @escaping @Sendable () -> Configuration,
                health: @escaping @Sendable () -> [HealthCheck: String] = { [:] },
                now: @escaping @Sendable () -> Date = { Date() },
                sendmail: @escaping @Sendable (MailSettings) -> Sendmail = { Sendmail(path: $0.sendmail, extraArguments: $0.sendmailArguments) },
                environment: [String: String] = ProcessInfo.processInfo.environment,
                onPass: @escaping @Sendable (Pass) async -> Void = { _ in }) {
        self.store = store
        self.configuration = configuration
        self.health = health
        self.now = now
        self.sendmail = sendmail
        self.environment = environment
        self.onPass = onPass
        startedAt = now()
    }

    /// A pass at once, then every `alerts.every` seconds. A pass under way when the group stops
    /// is not waited for: its transaction commits whole or not at all, and a delivery whose
    /// outcome was not recorded is tried again (docs/ALERTS.md, "Delivery guarantees").
    public func run() async {
        await cancelWhenGracefulShutdown { [self] in
            await every(configuration().alerts.every) { [self] in
                guard let pass = await passNow() else { return }
                await onPass(pass)
            }
        }
    }

    /// One pass: the rules, then the deliveries due. Nil when cancelled meanwhile.
    public func passNow() async -> Pass? {
        let configuration = configuration()
        guard configuration.alerts.isEnabled else { return Pass() }
        let health = health()
        guard var pass = await work.runUnlessCancelled({ [self] in decide(configuration, health: health) }) else { return nil }
        await deliver(configuration, into: &pass)
        return pass
    }

    /// Reads the changes, runs the rules and records their decisions, on the calling thread.
    func decide(_ configuration: Configuration, health: [HealthCheck: String]) -> Pass {
        var pass = Pass()
        do {
            let now = now()
            let previous = try cursor.withLock { $0 } ?? store.alertCursor()
            let inputs = try store.alertInputs(after: previous)
            var book = previous?.book ?? AlertBook()
            let changes = inputs.cameras + inputs.registration + inputs.ledger
                + Self.healthChanges(inputs, daemon: health, configuration: configuration, now: now, startedAt: startedAt,
                                     baseline: previous == nil)
            let rules = AlertRules(settings: configuration.alerts, timeZone: configuration.patrol.timeZone)
            pass.notices = rules.step(&book, changes: changes, now: now)
            let events = try pass.notices.map {
                try AlertMail.event($0, alerts: configuration.alerts, mail: configuration.mail, timeZone: configuration.patrol.timeZone,
                                    language: configuration.patrol.reportLanguage, now: now)
            }
            let next = AlertCursor(stateEvent: inputs.stateEvent, ledger: inputs.ledgerSeq, book: book)
            // A pass that changed nothing writes nothing: the memory of a storm is large.
            if events.isEmpty && next == previous { return pass }
            try store.commitAlerts(next, events: events, now: now)
            cursor.withLock { $0 = next }
            for notice in pass.notices {
                Journal.notice("alert \(notice.eventID) (\(notice.rule)): \(notice.kind.rawValue), \(notice.members.count) subjects"
                               + (notice.members.first.map { ", first \($0.subject) \($0.detail)" } ?? ""))
            }
        } catch {
            pass.notices = []
            pass.problem = StorageFailure.explain(error) ?? "\(error)"
            Journal.error("alerts: the rules could not run, will try again: \(pass.problem!)")
        }
        return pass
    }

    /// Patrol's own health as changes: the sweep overdue (no probe written for twice the longest
    /// cadence or backoff since the last one, or since the service started, or the probe pool
    /// wedged), the writer stalled, the registration platform's last read failed (when one is
    /// configured). Fed every pass; the rules keep the earliest time each began.
    static func healthChanges(_ inputs: AlertInputs, daemon: [HealthCheck: String], configuration: Configuration, now: Date,
                              startedAt: Date, baseline: Bool) -> [AlertChange] {
        var changes: [AlertChange] = []
        func add(_ check: HealthCheck, bad: Bool, since: Date, detail: String) {
            changes.append(AlertChange(signal: .health, subject: check.rawValue, bad: bad, since: since, detail: detail, baseline: baseline && bad))
        }
        let cadence = configuration.cadence
        let staleAfter = 2 * max(cadence.priority, cadence.watch, cadence.general, configuration.schedule.backoffLimit)
        if let wedged = daemon[.sweepOverdue] {
            add(.sweepOverdue, bad: true, since: now, detail: wedged)
        } else if let last = inputs.lastProbeAt, now.timeIntervalSince(max(last, startedAt)) > staleAfter {
            add(.sweepOverdue, bad: true, since: max(last, startedAt).addingTimeInterval(staleAfter),
                detail: "no probe written since \(last.formatted(.iso8601))")
        } else {
            add(.sweepOverdue, bad: false, since: now, detail: "probing")
        }
        add(.writerStalled, bad: daemon[.writerStalled] != nil, since: now, detail: daemon[.writerStalled] ?? "writing")
        if configuration.registration.platform != nil, let platform = inputs.platform {
            add(.platformUnreachable, bad: !platform.ok, since: platform.failingSince ?? now, detail: platform.error ?? "read")
        }
        return changes
    }

    /// Delivers what is due, each delivery's outcome recorded as soon as it is known.
    private func deliver(_ configuration: Configuration, into pass: inout Pass) async {
        let sendmail = sendmail(configuration.mail)
        let timeout = max(sendmail.timeout, configuration.alerts.webhook?.timeout ?? 0)
        let claimed: [(id: Int64, eventID: String, channel: AlertChannel, recipient: String, payload: Data)]
        do {
            claimed = try await work.run { [self] in
                Result { try store.claimDueAlertDeliveries(now: now(), limit: 100) { Double($0) * timeout + 60 } }
            }.get()
        } catch {
            Journal.error("alerts: the queue cannot be read: \(StorageFailure.explain(error) ?? "\(error)")")
            return
        }
        let retry = configuration.alerts.retry
        for delivery in claimed {
            let failure: String?
            switch delivery.channel {
            case .mail:
                failure = await work.run { () -> String? in
                    do {
                        try sendmail.send(delivery.payload)
                        return nil
                    } catch {
                        return "\(error)"
                    }
                }
            case .webhook:
                if let settings = configuration.alerts.webhook {
                    failure = await Webhook(settings: settings, environment: environment).post(delivery.payload, eventID: delivery.eventID)?
                        .description
                } else {
                    failure = "alerts.webhook is not configured any more"
                }
            }
            do {
                let entry = try await work.run { [self] in
                    Result { try store.recordAlertDelivery(id: delivery.id, failure: failure, now: now(), retry: retry.delay(afterAttempts:)) }
                }.get()
                if let failure {
                    pass.failed.append(entry)
                    Journal.error("alert \(delivery.eventID) not delivered by \(delivery.channel.rawValue) to \(delivery.recipient) "
                                  + "(attempt \(entry.attempts)), will retry at \(entry.nextAttemptAt.formatted(.iso8601)): \(failure)")
                } else {
                    pass.sent.append(entry)
                    Journal.notice("alert \(delivery.eventID) delivered by \(delivery.channel.rawValue) to \(delivery.recipient)")
                }
            } catch {
                Journal.error("alerts: the outcome of \(delivery.eventID) could not be recorded: \(StorageFailure.explain(error) ?? "\(error)")")
            }
        }
    }
}
