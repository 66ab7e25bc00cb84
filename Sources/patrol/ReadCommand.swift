import ArgumentParser
import Foundation
import PatrolOutput
import PatrolStore

/// The `--json` flag every read command takes.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON for scripts (snake_case fields, UTC times to the millisecond, schema_version) instead of tables.")
    var json = false
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
        let report = try report(from: store.openForReading(), now: now)
        return output.json ? try Format.json(report) : text(report, now: now)
    }

    func run() throws {
        try Output.line(try render())
    }
}
