import ArgumentParser
import Foundation
import PatrolOutput
import PatrolLedger
import PatrolMail
import PatrolReport
import PatrolStore

struct ReportDailyCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "daily", abstract: say(.reportDailyAbstract), discussion: say(.reportDailyDiscussion))
    }

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, html, csv }

    /// A patrol day as the operator names it: `2026-11-21`, `yesterday`, or days back from
    /// today (in the patrol's time zone): `-1` is yesterday.
    enum DayArgument: ExpressibleByArgument, Equatable {
        case day(PatrolDay)
        case back(Int)

        init?(argument: String) {
            if let day = PatrolDay(argument) {
                self = .day(day)
            } else if argument == "yesterday" {
                self = .back(1)
            } else if argument.hasPrefix("-"), let days = Int(argument.dropFirst()), days >= 0 {
                self = .back(days)
            } else {
                return nil
            }
        }

        func day(today: PatrolDay) -> PatrolDay {
            switch self {
            case .day(let day): day
            case .back(let days): today.adding(-days)
            }
        }
    }

    @Option(name: [.customLong("day"), .customLong("date")], parsing: .unconditional,
            help: ArgumentHelp(say(.reportDailyHelpDay), valueName: "day"))
    var day: DayArgument?

    @Option(help: ArgumentHelp(say(.reportDailyHelpFormat)))
    var format: OutputFormat = .text

    @Flag(help: ArgumentHelp(say(.reportDailyHelpJSON)))
    var json = false

    @Option(help: ArgumentHelp(say(.reportDailyHelpTable)))
    var table: ReportCSV.Table = .cameras

    @Option(help: ArgumentHelp(say(.reportDailyHelpSupervisor), valueName: "name"))
    var supervisor: String?

    @Flag(help: ArgumentHelp(say(.reportDailyHelpMaintenance)))
    var maintenance = false

    @OptionGroup var store: DatabaseOptions

    func validate() throws {
        if supervisor != nil && maintenance { throw ValidationError(say(.reportDailyNotBoth)) }
    }

    func run() throws {
        let database = try store.openForReading()
        let settings = try store.patrolSettings()
        let asked = try day.map { $0.day(today: try store.today()) }
        guard let day = try asked ?? database.lastPatrolDay() else {
            throw CommandFailure(message: say(.reportNothingPatrolled), exit: .notFound)
        }
        let report: DailyReport
        do {
            // The seals are checked against the ledger's public key when it is there to read.
            let trusted = (try? store.ledgerKeyFile(nil).trustedPublicKey()) ?? nil
            report = try DailyReport.build(from: database, day: day, policy: settings.ladder, trusted: trusted,
                                           clockTolerance: settings.clockTolerance, timeZone: settings.timeZone)
        } catch ReportError.notPatrolled(let day) {
            throw CommandFailure(message: say(.reportNotPatrolled, Format.day(day.description)), exit: .notFound)
        }
        let audience: ReportAudience = maintenance ? .maintenance : supervisor.map { .supervisor($0) } ?? .office
        let (zone, language) = (settings.timeZone, settings.reportLanguage)
        if json {
            try Output.line(Format.json(ReportJSON(report, for: audience)))
            return
        }
        switch format {
        case .text:
            // For a terminal: a name carrying control characters shows them escaped.
            let text = ReportText.render(report, for: audience, timeZone: zone, language: language)
            try Output.line(text.split(separator: "\n", omittingEmptySubsequences: false).map { Output.printable(String($0)) }
                .joined(separator: "\n"))
        case .html: try Output.line(ReportHTML.render(report, for: audience, timeZone: zone, language: language))
        case .csv: try Output.print(ReportCSV.table(table, of: report, for: audience, timeZone: zone, language: language))
        }
    }
}

extension ReportCSV.Table: ExpressibleByArgument {}
