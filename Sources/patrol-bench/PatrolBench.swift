import ArgumentParser
import Foundation
import PatrolOutput
import PatrolProbe
import PatrolStore
import PatrolVersion

/// Patrol's measuring tool, built beside `patrol` and `patrold` and never installed: the
/// probe's own cost (scripts/bench-probe), a database filled with a synthetic past for timing
/// the reading commands (scripts/bench-cli), the registration platform's reads and their cost in
/// the daily patrol (scripts/bench-registration), and the daily report of a crafted day to look at
/// (scripts/report-preview), and scenarios run day by day through the real daily patrol on a virtual
/// clock (`simulate`, docs/SIMULATE.md). docs/PERFORMANCE.md gives the figures.
@main
struct PatrolBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrol-bench",
        abstract: "Measure Patrol: the probe's cost, databases filled with a synthetic past, the registration platform's reads, a crafted day's report, scenarios on a virtual clock, the alert rules' cost.",
        version: patrolVersion,
        subcommands: [ProbeBench.self, HistoryBench.self, SceneBench.self, RegistrationBench.self, ReportPreview.self, SimulateBench.self, AlertBench.self]
    )
}

/// A failure with a one-line message and the exit status `patrol` gives the same failure
/// (docs/CLI.md).
struct BenchFailure: Error {
    static let invalidInput: Int32 = 65
    static let cannotCreate: Int32 = 73
    static let databaseUnavailable: Int32 = 74
    static let configuration: Int32 = 78

    var message: String
    var exit: Int32

    /// Runs `body`; its failure, or a database or file that cannot be written, is said in one
    /// line and becomes the exit status.
    static func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as BenchFailure {
            Output.log("patrol-bench: \(failure.message)\n")
            throw ExitCode(failure.exit)
        } catch {
            guard let line = StorageFailure.explain(error) else { throw error }
            Output.log("patrol-bench: \(line)\n")
            throw ExitCode(databaseUnavailable)
        }
    }
}
