import ArgumentParser
import Foundation
import PatrolOutput
import PatrolConfig
import PatrolInventory
import PatrolLedger
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

    @Flag(help: "Run the daily patrol for every day that is due (missed days in order), then exit.")
    var patrol = false

    @Option(help: ArgumentHelp("Take this instant (ISO 8601) as now for --patrol.", visibility: .hidden))
    var asOf: String?

    static func main() {
        Probe.tuneProcess()
        Output.ignoreBrokenPipes()
        do {
            var command = try parseAsRoot()
            try command.run()
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
            store = try Store(path: configuration.database, ledgerKey: LedgerKeyFile(path: configuration.ledgerKey))
            vault = try CredentialVault(path: configuration.credentials)
            inventory = try store.inventory(vault: vault)
        } catch {
            Journal.error(StorageFailure.explain(error) ?? "\(error)")
            throw ExitCode(74)
        }
        do {
            let sealing = try store.prepareSealing()
            if sealing.created {
                Journal.notice("ledger key created: \(configuration.ledgerKey), public key beside it; back it up (docs/DEPLOY.md)")
            }
            if sealing.began { Journal.notice("the ledger is sealed from now on; the entries before are chained but not sealed") }
        } catch {
            Journal.error("\(error)")
            throw ExitCode(78)
        }
        if patrol {
            try patrolDue(configuration, store: store)
            return
        }
        let district: District
        do {
            district = District(inventory: inventory, cadence: configuration.cadence, closed: try store.closedVenues())
        } catch {
            Journal.error(StorageFailure.explain(error) ?? "\(error)")
            throw ExitCode(74)
        }
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

    private func patrolDue(_ configuration: Configuration, store: Store) throws {
        var now = Date()
        if let asOf {
            guard let date = try? Date(asOf, strategy: .iso8601) else {
                throw ValidationError("--as-of: '\(asOf)' is not an ISO 8601 instant (e.g. 2026-11-22T06:00:00+08:00)")
            }
            now = date
        }
        FaultInjection.announce()
        do {
            let reports = try Patrolling.runDue(Patrolling.daily(configuration, store: store), now: now)
            try Output.line(reports.isEmpty ? "no patrol day due" : reports.map(\.summary).joined(separator: "\n"))
        } catch {
            Journal.error("daily patrol failed: \(StorageFailure.explain(error) ?? "\(error)")")
            throw ExitCode(74)
        }
        Patrolling.requeue(configuration, store: store)
        // The reports just queued, and any still waiting: sendmail's failures stay queued.
        Mailing().sendNow(Mailing.sender(configuration.mail, store: store))
    }
}
