import ArgumentParser
import Foundation
import PatrolOutput
import PatrolProbe
import PatrolStore
import PatrolVersion

@main
struct Patrol: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "patrol",
            abstract: say(.patrolAbstract),
            discussion: say(.patrolDiscussion),
            version: patrolVersion,
            subcommands: [
                StatusCommand.self, CamerasCommand.self, CameraCommand.self, VenuesCommand.self, VenueCommand.self,
                LedgerCommand.self, WaiveCommand.self, ReinstateCommand.self, ViolationCommand.self, RevokeCommand.self,
                NoteCommand.self, TierCommand.self, SupervisorCommand.self, ReportCommand.self,
                RegistrationCommand.self, AlertsCommand.self, EvidenceCommand.self, ProbeCommand.self, InventoryCommand.self,
                UserCommand.self,
            ]
        )
    }

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
            if !failure.isBrokenPipe { Output.log(.error, "patrol: \(Explain.writeError(failure))\n") }
            Foundation.exit(CommandFailure.Exit.databaseUnavailable.rawValue)
        } catch {
            // A database or file that cannot be written: one line, never SQLite's statement.
            if let line = Explain.storage(error) { fail(CommandFailure(message: line, exit: .databaseUnavailable)) }
            finish(error)
        }
    }

    private static func fail(_ failure: CommandFailure) -> Never {
        Output.log(.error, "patrol: \(failure.message)\n")
        Foundation.exit(failure.exit.rawValue)
    }

    /// What ArgumentParser says of `error` (help, a usage error, an exit status), in the
    /// operator's language: help on stdout, an error on stderr, its exit status.
    private static func finish(_ error: any Error) -> Never {
        guard Language.current == .chinese else { exit(withError: error) }
        let code = exitCode(for: error)
        let text = ParserText.chinese(fullMessage(for: error))
        if code == .success {
            if !text.isEmpty { try? Output.line(text) }
        } else if !text.isEmpty {
            Output.log(.error, text + "\n")
        }
        Foundation.exit(code.rawValue)
    }
}
