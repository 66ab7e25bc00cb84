import ArgumentParser
import Foundation
import PatrolMail
import PatrolStore

struct ReportOutboxCommand: ReadCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "outbox", abstract: say(.reportOutboxAbstract), discussion: say(.reportOutboxDiscussion))
    }

    @Option(help: ArgumentHelp(say(.reportOutboxHelpDay), valueName: "day"))
    var day: String?

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func report(from store: Store, now: Date) throws -> [OutboxEntry] {
        if let day { return try store.mail(day: day) }
        return try store.pendingMail()
    }

    func text(_ entries: [OutboxEntry], now: Date) -> String {
        guard !entries.isEmpty else { return day.map { say(.reportOutboxNoneForDay, Format.day($0)) } ?? say(.reportOutboxEmpty) }
        var table = Table([.right("ID"), .left(say(.reportOutboxColumnDay)), .left(say(.reportOutboxColumnAudience)),
                           .left(say(.reportOutboxColumnState)), .right(say(.reportOutboxColumnTries)), .left(say(.reportOutboxColumnNext)),
                           .left(say(.reportOutboxColumnTo)), .left(say(.reportOutboxColumnError))])
        for entry in entries {
            table.add([String(entry.id), Format.day(entry.day), Self.audience(entry.audience), Self.state(entry.state), String(entry.attempts),
                       entry.sentAt.map { say(.reportOutboxSent, Format.time($0)) } ?? Format.time(entry.nextAttemptAt),
                       entry.recipients.joined(separator: ", "), entry.lastError ?? "-"])
        }
        return table.render()
    }

    /// Who the message goes to, in the operator's words; an audience Patrol does not name, as stored.
    static func audience(_ audience: Audience) -> String {
        switch audience {
        case .office: say(.reportAudienceOffice)
        case .supervisors: say(.reportAudienceSupervisors)
        case .maintenance: say(.reportAudienceMaintenance)
        default: audience.rawValue
        }
    }

    static func state(_ state: OutboxEntry.State) -> String {
        switch state {
        case .queued: say(.reportStateQueued)
        case .retrying: say(.reportStateRetrying)
        case .sent: say(.reportStateSent)
        }
    }
}
