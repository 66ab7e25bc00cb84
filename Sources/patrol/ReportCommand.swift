import ArgumentParser

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The daily compliance report, and the outbox of its mail.",
        subcommands: [ReportDailyCommand.self, ReportOutboxCommand.self]
    )
}
