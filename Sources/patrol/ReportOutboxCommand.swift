import ArgumentParser
import Foundation
import PatrolMail
import PatrolStore

struct ReportOutboxCommand: ReadCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "The report mail not yet taken by sendmail: to whom, how often tried, why it failed, when next.",
        discussion: "With --day, every message of that day, sent ones included."
    )

    @Option(help: ArgumentHelp("Every message of this patrol day (YYYY-MM-DD), sent or not.", valueName: "day"))
    var day: String?

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func report(from store: Store, now: Date) throws -> [OutboxEntry] {
        if let day { return try store.mail(day: day) }
        return try store.pendingMail()
    }

    func text(_ entries: [OutboxEntry], now: Date) -> String {
        guard !entries.isEmpty else { return day == nil ? "the outbox is empty: every report has been handed to sendmail" : "no report mail for \(day!)" }
        var table = Table([.right("ID"), .left("DAY"), .left("AUDIENCE"), .left("STATE"), .right("TRIES"), .left("NEXT TRY"),
                           .left("TO"), .left("LAST ERROR")])
        for entry in entries {
            table.add([String(entry.id), entry.day, entry.audience.rawValue, entry.state.rawValue, String(entry.attempts),
                       entry.sentAt == nil ? Format.time(entry.nextAttemptAt) : "sent \(Format.time(entry.sentAt!))",
                       entry.recipients.joined(separator: ", "), entry.lastError ?? "-"])
        }
        return table.render()
    }
}
