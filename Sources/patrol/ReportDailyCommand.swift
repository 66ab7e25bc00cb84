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
        abstract: "Print the daily compliance report of a patrolled day, as text, HTML or CSV.",
        discussion: """
        The same report patrold mails after each daily patrol (docs/REPORT.md), in the language of \
        report.language (zh-CN by default, or en). Exit status 66 when the day has not been patrolled.
          patrol report daily --date 2026-11-21 --format html > report.html
          patrol report daily --supervisor "张伟 (一组)"
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, html, csv }

    @Option(help: ArgumentHelp("The patrol day (YYYY-MM-DD); the last one patrolled when left out.", valueName: "day"))
    var date: String?

    @Option(help: "text, html or csv.")
    var format: Format = .text

    @Option(help: "With --format csv: cameras, venues, ledger, registration or maintenance.")
    var table: ReportCSV.Table = .cameras

    @Option(help: ArgumentHelp("Only this supervisor's part, as their team receives it.", valueName: "name"))
    var supervisor: String?

    @Flag(help: "Only the maintenance team's part: perimeter cameras down.")
    var maintenance = false

    @OptionGroup var store: DatabaseOptions

    func validate() throws {
        if let date, PatrolDay(date) == nil { throw ValidationError("--date: '\(date)' is not a day (YYYY-MM-DD)") }
        if supervisor != nil && maintenance { throw ValidationError("give --supervisor or --maintenance, not both") }
    }

    func run() throws {
        let database = try store.openForReading()
        let settings = try store.patrolSettings()
        guard let day = try date.flatMap(PatrolDay.init) ?? database.lastPatrolDay() else {
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
