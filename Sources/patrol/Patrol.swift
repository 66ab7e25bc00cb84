import ArgumentParser
import Foundation
import PatrolOutput
import PatrolProbe
import PatrolStore

@main
struct Patrol: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrol",
        abstract: "Operator command line of Patrol, the district camera patrol.",
        discussion: """
        Reads patrold's database (found through --db, or the database key of --config, default \
        /etc/patrol/patrol.yaml) read-only, while the daemon runs. Every read command takes \
        --json. Operator acts (waive, reinstate, violation, revoke, note, tier, supervisor) need \
        --by NAME and --reason TEXT and go into the ledger. Exit status: 0 ok, 1 ledger does not \
        verify, 64 bad usage, 65 act refused, 66 no such camera, venue or entry, 74 database \
        unavailable or output unwritable, 78 bad configuration (docs/CLI.md).

        Which interior cameras of priority venues are down, and since when?
          patrol cameras --tier priority --placement interior --down
        Which venues are past their deadline?
          patrol venues --state overdue
        """,
        version: PatrolVersion.current,
        subcommands: [
            StatusCommand.self, CamerasCommand.self, CameraCommand.self, VenuesCommand.self, VenueCommand.self,
            LedgerCommand.self, WaiveCommand.self, ReinstateCommand.self, ViolationCommand.self, RevokeCommand.self,
            NoteCommand.self, TierCommand.self, SupervisorCommand.self, ReportCommand.self,
            RegistrationCommand.self, EvidenceCommand.self, ProbeCommand.self, InventoryCommand.self,
        ]
    )

    static func main() {
        Probe.tuneProcess()
        Output.ignoreBrokenPipes()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            fail(failure)
        } catch let failure as Output.WriteError {
            // A reader that went away (`patrol … | head`) needs no message.
            if !failure.isBrokenPipe { Output.log(.error, "patrol: \(failure)\n") }
            Foundation.exit(CommandFailure.Exit.databaseUnavailable.rawValue)
        } catch {
            // A database or file that cannot be written: one line, never SQLite's statement.
            if let line = StorageFailure.explain(error) { fail(CommandFailure(message: line, exit: .databaseUnavailable)) }
            exit(withError: error)
        }
    }

    private static func fail(_ failure: CommandFailure) -> Never {
        Output.log(.error, "patrol: \(failure.message)\n")
        Foundation.exit(failure.exit.rawValue)
    }
}
