import ArgumentParser
import Foundation
import PatrolOutput
import PatrolStore
import PatrolViews

/// The `--json` flag every read command takes.
struct OutputOptions: ParsableArguments {
    @Flag(help: ArgumentHelp(say(.helpJSON)))
    var json = false
}

/// The `--limit` of a listing.
struct ListOptions: ParsableArguments {
    @Option(help: ArgumentHelp(say(.helpLimit), valueName: "n"))
    var limit: Int?

    func validate() throws {
        if let limit, limit <= 0 { throw ValidationError(say(.limitPositive)) }
    }
}

/// A command that reads the database (opened read-only, beside the running daemon) and
/// prints what it found: a report value, as text tables or as JSON.
protocol ReadCommand: ParsableCommand {
    associatedtype Report: Encodable
    var store: DatabaseOptions { get }
    var output: OutputOptions { get }
    func report(from store: Store, now: Date) throws -> Report
    func text(_ report: Report, now: Date) -> String
}

extension ReadCommand {
    /// What the command prints, without printing it.
    func render(now: Date = Date()) throws -> String {
        let report: Report
        do {
            report = try self.report(from: store.openForReading(), now: now)
        } catch let failure as Reader.Failure {
            throw CommandFailure(failure)
        }
        return output.json ? try Format.json(report) : text(report, now: now)
    }

    /// Prints it: through the pager on a terminal (Pager), straight out otherwise.
    func run() throws {
        try Pager.show(try render())
    }
}
