import ArgumentParser
import Foundation
import PatrolConfig
import PatrolFixtures
import PatrolLedger
import PatrolOutput
import PatrolStore

/// Fills a fresh database (an inventory, no history) with a realistic synthetic past, so that
/// the read commands can be measured at the size the daemon keeps. scripts/bench-cli uses it.
struct HistoryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Fill a fresh database with synthetic probe history (for scripts/bench-cli).",
        discussion: "The database needs an inventory (`patrol inventory import`) and no probe history yet."
    )

    @Option(help: "Configuration file (YAML); gives the database path, the cadence and the patrol settings.")
    var config: String?

    @Option(help: "Database file (overrides the configuration's).")
    var db: String?

    @Option(help: "Days of roll-ups and status history, ending now.")
    var days = 30

    @Option(help: "Days of raw probe results (the daemon's retention).")
    var rawDays = 7

    @Option(help: "Days of daily patrols before today: every venue's verdicts, and the ledger derived from them.")
    var verdictDays = 0

    @Option(help: "Seed of the generator: the same seed gives the same history.")
    var seed: UInt64 = 1

    @Option(help: "The ledger key, as `patrol` finds it: by default the configuration's ledger_key, or ledger.key beside --db.")
    var ledgerKey: String?

    func validate() throws {
        guard config != nil || db != nil else { throw ValidationError("give the database to fill: --db FILE or --config FILE") }
        guard days > 0, (1...days).contains(rawDays) else { throw ValidationError("need 0 < --raw-days <= --days") }
        guard verdictDays >= 0 else { throw ValidationError("--verdict-days must be 0 or more") }
    }

    func run() throws {
        try BenchFailure.reporting(fill)
    }

    private func fill() throws {
        let configuration: Configuration
        do {
            configuration = try config.map { try Configuration.load($0) } ?? Configuration()
        } catch {
            throw BenchFailure(message: "\(error)", exit: BenchFailure.configuration)
        }
        let database: Store
        do {
            let path = db ?? configuration.database
            // The ledger this fills may be sealed already (`patrol inventory import` seals the
            // inventory's entries when a key is there): it is written with the same key.
            let key = ledgerKey ?? (config != nil ? configuration.ledgerKey
                : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("ledger.key").path)
            database = try Store(path: path, ledgerKey: LedgerKeyFile(path: key))
        } catch {
            throw BenchFailure(message: StorageFailure.explain(error) ?? "\(error)", exit: BenchFailure.databaseUnavailable)
        }
        guard try !database.cameras().isEmpty else {
            throw BenchFailure(message: "the database has no cameras: run `patrol inventory import` first",
                               exit: BenchFailure.invalidInput)
        }
        let cadence = configuration.cadence
        var history = SyntheticHistory(until: Date())
        history.days = days
        history.rawDays = rawDays
        history.seed = seed
        history.cadence = cadence
        let started = ContinuousClock.now
        let report: SyntheticHistoryReport
        do {
            report = try database.fill(history)
        } catch let error as Store.HistoryExists {
            throw BenchFailure(message: error.description, exit: BenchFailure.invalidInput)
        }
        try Output.line("\(report.cameras) cameras: \(report.probes) probes over \(days) days, \(report.rawResults) raw results "
            + "(\(rawDays) days), \(report.rollups) roll-ups, \(report.statusChanges) status changes, "
            + "\(report.metadataChanges.count) cameras with metadata changes, \(report.down.count) down now; "
            + String(format: "%.1f s", (ContinuousClock.now - started).seconds))
        guard verdictDays > 0 else { return }
        let patrol = configuration.patrol
        var verdicts = SyntheticVerdicts(last: PatrolDay.containing(Date(), in: patrol.timeZone).adding(-1))
        verdicts.days = verdictDays
        verdicts.seed = seed
        let judging = ContinuousClock.now
        let filled: (venueDays: Int, entries: Int)
        do {
            filled = try database.fill(verdicts, policy: patrol.ladder)
        } catch let error as Store.PatrolDaysExist {
            throw BenchFailure(message: error.description, exit: BenchFailure.invalidInput)
        }
        try Output.line("\(filled.venueDays) venue-days over \(verdictDays) patrol days, \(filled.entries) ledger entries; "
            + String(format: "%.1f s", (ContinuousClock.now - judging).seconds))
    }
}
