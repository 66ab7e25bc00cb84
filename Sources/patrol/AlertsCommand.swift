import ArgumentParser
import Foundation
import PatrolAlerts
import PatrolSettings
import PatrolStore

/// `patrol alerts`: the open alerts, what waits to be alerted, the deliveries waiting (next try,
/// last error) and the latest events with how many of their deliveries went out.
struct AlertsCommand: ReadCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "alerts", abstract: say(.alertsAbstract), discussion: say(.alertsDiscussion))
    }

    @Option(help: ArgumentHelp(say(.alertsHelpRecent), valueName: "n"))
    var recent = 20

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if recent <= 0 { throw ValidationError(say(.alertsRecentPositive)) }
    }

    func report(from store: Store, now: Date) throws -> AlertOverview {
        try store.alertOverview(recent: recent)
    }

    func text(_ overview: AlertOverview, now: Date) -> String {
        guard overview.started else { return say(.alertsNotStarted) }
        var sections: [String] = []
        if overview.open.isEmpty {
            sections.append(say(.alertsNoneOpen))
        } else {
            var table = Table([.right(say(.alertsColumnAlert)), .left(say(.alertsColumnRule)), .left(say(.alertsColumnSubject)),
                               .right(say(.alertsColumnDown)), .left(say(.alertsColumnSince)), .left(say(.alertsColumnLastSent))])
            for alert in overview.open {
                let subject = alert.summary
                    ? say(.alertsSummary, alert.total, Set(alert.subjects.compactMap(\.venueID)).count)
                    : alert.subjects.first.map { Self.subject(alert.signal, $0) } ?? "-"
                table.add(["A\(alert.alert)", alert.rule, subject, "\(alert.down)/\(alert.total)", Format.since(alert.since, now: now),
                           Format.time(alert.lastSentAt)])
            }
            sections.append(say(.alertsOpenTitle, overview.open.count) + "\n" + table.render())
        }
        if !overview.pending.isEmpty { sections.append(say(.alertsPending, overview.pending.count)) }
        if overview.waiting.isEmpty {
            sections.append(say(.alertsNoneWaiting))
        } else {
            var table = Table([.left(say(.alertsColumnEvent)), .left(say(.alertsColumnChannel)), .left(say(.alertsColumnTo)),
                               .right(say(.alertsColumnTries)), .left(say(.alertsColumnNext)), .left(say(.alertsColumnError))])
            for delivery in overview.waiting {
                table.add([delivery.eventID, Self.channel(delivery.channel), delivery.recipient, String(delivery.attempts),
                           Format.time(delivery.nextAttemptAt), delivery.lastError ?? "-"])
            }
            sections.append(say(.alertsWaitingTitle, overview.waiting.count) + "\n" + table.render())
        }
        if overview.recent.isEmpty {
            sections.append(say(.alertsNoneRecent))
        } else {
            var table = Table([.left(say(.alertsColumnAt)), .left(say(.alertsColumnEvent)), .left(say(.alertsColumnKind)),
                               .left(say(.alertsColumnSubject)), .left(say(.alertsColumnDelivered))])
            for event in overview.recent {
                let subject = event.summary
                    ? say(.alertsSummary, event.members, "-")
                    : Self.subject(event.signal, subject: event.subject, venue: event.venueName, detail: event.detail)
                table.add([Format.time(event.at), event.eventID, Self.kind(event.kind), subject, say(.alertsDelivered, event.sent, event.deliveries)])
            }
            sections.append(say(.alertsRecentTitle) + "\n" + table.render())
        }
        return sections.joined(separator: "\n\n")
    }

    static func subject(_ signal: String, _ member: AlertMember) -> String {
        subject(signal, subject: member.subject, venue: member.venueName, detail: member.detail)
    }

    /// `摄像机 C0412 黑屏（平安宾馆）`, in the operator's words.
    static func subject(_ signal: String, subject: String, venue: String?, detail: String) -> String {
        let what: String
        switch AlertSignal(rawValue: signal) {
        case .camera: what = "\(say(.alertsSignalCamera)) \(subject) \(word(.outcome, detail))"
        case .registration: what = "\(say(.alertsSignalRegistration)) \(subject) \(word(.registrationState, detail))"
        case .ledger: what = word(.entryKind, detail)
        case .health: what = say(.alertsHealthSubject, say(.alertsSignalHealth), health(subject))
        case nil: what = "\(subject) \(detail)"
        }
        return venue.map { say(.alertsSubjectAt, what, $0) } ?? what
    }

    static func health(_ check: String) -> String {
        switch HealthCheck(rawValue: check) {
        case .sweepOverdue: say(.alertsHealthSweepOverdue)
        case .writerStalled: say(.alertsHealthWriterStalled)
        case .platformUnreachable: say(.alertsHealthPlatformUnreachable)
        case nil: check
        }
    }

    static func kind(_ kind: String) -> String {
        switch AlertNotice.Kind(rawValue: kind) {
        case .open: say(.alertsKindOpen)
        case .resolve: say(.alertsKindResolve)
        case .remind: say(.alertsKindRemind)
        case .notice: say(.alertsKindNotice)
        case nil: kind
        }
    }

    static func channel(_ channel: String) -> String {
        switch AlertChannel(rawValue: channel) {
        case .mail: say(.alertsChannelMail)
        case .webhook: say(.alertsChannelWebhook)
        case nil: channel
        }
    }
}
