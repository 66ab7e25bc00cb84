import ArgumentParser
import Foundation
import PatrolProbe

@main
struct Patrol: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrol",
        abstract: "Operator command line of Patrol, the district camera patrol.",
        discussion: """
        Reads patrold's database (found through --db, or the database key of --config, default \
        /etc/patrol/patrol.yaml) read-only, while the daemon runs. Every read command takes \
        --json. Exit status: 0 ok, 64 bad usage, 66 no such camera or venue, 74 database \
        unavailable, 78 bad configuration (docs/CLI.md).

        Which interior cameras of priority venues are down, and since when?
          patrol cameras --tier priority --placement interior --down
        """,
        version: PatrolVersion.current,
        subcommands: [
            StatusCommand.self, CamerasCommand.self, CameraCommand.self, VenuesCommand.self, VenueCommand.self,
            ProbeCommand.self, InventoryCommand.self, BenchCommand.self, BenchHistoryCommand.self,
        ]
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
