import ArgumentParser
import PatrolProbe

@main
struct Patrol: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrol",
        abstract: "Operator command line of Patrol, the district camera patrol.",
        version: PatrolVersion.current,
        subcommands: [ProbeCommand.self, BenchCommand.self]
    )

    static func main() {
        Probe.tuneProcess()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
