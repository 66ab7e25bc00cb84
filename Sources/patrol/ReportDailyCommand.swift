import ArgumentParser
import Foundation
import PatrolOutput
import PatrolLedger
import PatrolMail
import PatrolReport
import PatrolStore

struct ReportDailyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daily",
        abstract: "Print the daily compliance report of a patrolled day, as text, HTML, CSV or JSON.",
        discussion: """
        The same report patrold mails after each daily patrol (docs/REPORT.md), in the language of \
        report.language (zh-CN by default, or en); --json is the same for every language. Exit status 66 \
        when the day has not been patrolled.
          patrol report daily --day 2026-11-21 --format html > report.html
          patrol report daily --day yesterday --supervisor "张伟 (一组)"
          patrol report daily --day -2 --json
        """
    )

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
            help: ArgumentHelp("The patrol day: YYYY-MM-DD, yesterday, or -N days back (-1 is yesterday); the last one patrolled "
                + "when left out. --date is the same.", valueName: "day"))
    var day: DayArgument?

    @Option(help: "text, html or csv.")
    var format: OutputFormat = .text

    @Flag(help: "The report as JSON for scripts (docs/REPORT.md), whatever report.language says.")
    var json = false

    @Option(help: "With --format csv: cameras, venues, ledger, registration or maintenance.")
    var table: ReportCSV.Table = .cameras

    @Option(help: ArgumentHelp("Only this supervisor's part, as their team receives it.", valueName: "name"))
    var supervisor: String?

    @Flag(help: "Only the maintenance team's part: perimeter cameras down.")
    var maintenance = false

    @OptionGroup var store: DatabaseOptions

    func validate() throws {
        if supervisor != nil && maintenance { throw ValidationError("give --supervisor or --maintenance, not both") }
    }

    func run() throws {
        let database = try store.openForReading()
        let settings = try store.patrolSettings()
        let asked = try day.map { $0.day(today: try store.today()) }
        guard let day = try asked ?? database.lastPatrolDay() else {
            throw CommandFailure(message: "no day has been patrolled yet: patrold patrols each day the next morning", exit: .notFound)
        }
        let report: DailyReport
        do {
            // The seals are checked against the ledger's public key when it is there to read.
            let trusted = (try? store.ledgerKeyFile(nil).trustedPublicKey()) ?? nil
            report = try DailyReport.build(from: database, day: day, policy: settings.ladder, trusted: trusted,
                                           clockTolerance: settings.clockTolerance, timeZone: settings.timeZone)
        } catch let error as ReportError {
            throw CommandFailure(message: "\(error)", exit: .notFound)
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
