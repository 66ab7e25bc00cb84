import ArgumentParser

struct ReportCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "report", abstract: say(.reportAbstract),
                             subcommands: [ReportDailyCommand.self, ReportOutboxCommand.self])
    }
}
