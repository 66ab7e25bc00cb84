import ArgumentParser
import Foundation
import PatrolDaemon
import PatrolOutput
import PatrolProbe
import PatrolStore
import PatrolVersion

/// The daemon: probes every camera of the district on its cadence and keeps what it learns.
@main
struct Patrold: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrold",
        abstract: "Patrol daemon: probes the district's cameras on schedule and keeps the record.",
        discussion: """
            Runs under systemd as a Type=notify service: SIGHUP reloads the configuration and the \
            inventory, SIGTERM stops after the probes in flight (docs/DEPLOY.md).
            Exit status: 0 stopped cleanly; 78 bad configuration; 74 database unavailable or results unwritten.
            """,
        version: patrolVersion
    )

    @Option(help: "Configuration file (YAML).", completion: .file())
    var config = "/etc/patrol/patrol.yaml"

    @Flag(help: "Probe every camera once, write the results, print a summary and exit.")
    var once = false

    @Flag(help: "Run the daily patrol for every day that is due (missed days in order), then exit.")
    var patrol = false

    @Option(help: ArgumentHelp("Take this instant (ISO 8601) as now for --patrol.", visibility: .hidden))
    var asOf: String?

    static func main() async {
        Probe.tuneProcess()
        Output.ignoreBrokenPipes()
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let exit as Daemon.Exit {
            Foundation.exit(exit.status)
        } catch let failure as Output.WriteError {
            Journal.error("\(failure)")
            Foundation.exit(74)
        } catch {
            // A database that cannot be written: one line saying what to do, never SQLite's statement.
            if let line = StorageFailure.explain(error) {
                Journal.error(line)
                Foundation.exit(74)
            }
            exit(withError: error)
        }
    }

    func run() async throws {
        var now: Date?
        if let asOf {
            guard let date = try? Date(asOf, strategy: .iso8601) else {
                throw ValidationError("--as-of: '\(asOf)' is not an ISO 8601 instant (e.g. 2026-11-22T06:00:00+08:00)")
            }
            now = date
        }
        try await Daemon.run(configPath: config, mode: once ? .once : patrol ? .patrol(now: now) : .service)
    }
}
