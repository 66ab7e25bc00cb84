import ArgumentParser
import Foundation
import PatrolProbe

@main
struct Patrol: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrol",
        abstract: "Operator command line of Patrol, the district camera patrol.",
        version: PatrolVersion.current,
        subcommands: [ProbeCommand.self, InventoryCommand.self, BenchCommand.self]
    )

    static func main() {
        Probe.tuneProcess()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("patrol: \(failure.message)\n".utf8))
            Foundation.exit(failure.exit.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
