import ArgumentParser
import Foundation
import PatrolConfig
import PatrolInventory
import PatrolProbe
import PatrolStore

/// The daemon: probes every camera of the district on its cadence and keeps what it learns.
@main
struct Patrold: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrold",
        abstract: "Patrol daemon: probes the district's cameras on schedule and keeps the record.",
        discussion: """
            Runs under systemd as a Type=notify service: SIGHUP reloads the configuration and the \
            inventory, SIGTERM stops after the probes in flight (docs/DEPLOY.md).
            Exit status: 0 stopped cleanly; 78 bad configuration; 74 database unavailable or results unwritten.
            """,
        version: PatrolVersion.current
    )

    @Option(help: "Configuration file (YAML).")
    var config = "/etc/patrol/patrol.yaml"

    @Flag(help: "Probe every camera once, write the results, print a summary and exit.")
    var once = false

    static func main() {
        Probe.tuneProcess()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    func run() throws {
        let configuration: Configuration
        do {
            configuration = try Configuration.load(config)
        } catch {
            Journal.error("configuration rejected: \(error)")
            throw ExitCode(78)
        }
        let store: Store, vault: CredentialVault, inventory: Inventory
        do {
            store = try Store(path: configuration.database)
            vault = try CredentialVault(path: configuration.credentials)
            inventory = try store.inventory(vault: vault)
        } catch {
            Journal.error("\(error)")
            throw ExitCode(74)
        }
        let district = District(inventory: inventory, cadence: configuration.cadence)
        if district.streams.isEmpty {
            Journal.warning("the inventory has no cameras: import one with `patrol inventory import`")
        }
        if once {
            try Once.sweep(Engine(configuration: configuration, district: district, store: store), store: store)
        } else {
            let service = Service(configPath: config, configuration: configuration, district: district, store: store, vault: vault)
            guard service.run() else { throw ExitCode(74) }
        }
    }
}
