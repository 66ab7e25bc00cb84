import ArgumentParser
import Foundation
import PatrolConfig
import PatrolLedger
import PatrolOutput
import PatrolReport
import PatrolStore

/// Runs a scenario (docs/SIMULATE.md) on a virtual clock through the daemon's own judging and the
/// real daily patrol, against a fresh database, and prints the ledger that results. The database
/// stays, with the configuration it was patrolled under beside it, for `patrol` and the report.
struct SimulateBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a scenario's days on a virtual clock through the real daily patrol, then print the ledger.",
        discussion: """
            The scenario (docs/SIMULATE.md) names the district, the first day and how many days, and what happened \
            on them. The database is left for patrol: beside it, patrol.yaml holds the configuration the days were \
            patrolled under (patrol status --config FOLDER/patrol.yaml).
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "Database file to create (default: simulate-DATE-TIME/patrol.sqlite here); the vault, the ledger key and patrol.yaml go beside it.")
    var db: String?

    @Flag(help: "The days and the ledger as JSON.")
    var json = false

    func run() throws {
        try BenchFailure.reporting(simulate)
    }

    private func simulate() throws {
        let scenario: Scenario
        do {
            scenario = try Scenario.load(self.scenario)
        } catch let error as ScenarioError {
            throw BenchFailure(message: error.description, exit: BenchFailure.invalidInput)
        }
        let files = try SimulationFiles(db ?? Self.defaultPath())
        let run: Simulation.Run
        do {
            let store = try Store(path: files.database, ledgerKey: LedgerKeyFile(path: files.ledgerKey))
            let vault = try CredentialVault(path: files.vault)
            run = try Simulation(scenario: scenario, store: store, vault: vault).run()
            try files.writeConfiguration(scenario.configuration, scenario: self.scenario)
        } catch {
            files.remove()
            if let refused = error as? Simulation.Refused { throw BenchFailure(message: refused.description, exit: BenchFailure.invalidInput) }
            throw error
        }
        let entries = try Store.reading(files.database).ledger()
        Output.log(String(format: "simulated %d days of %d cameras: %d probe results, %d registration reads, %d acts; %.1f s\n",
                          scenario.days, scenario.inventory.cameras.count, run.probes, run.registrationReads, run.acts.count, run.seconds))
        if json {
            try Output.line(try Self.json(run, entries: entries, files: files, scenario: scenario))
        } else {
            try Output.line(Self.text(run, entries: entries, files: files))
        }
    }

    private static func defaultPath() -> String {
        let format = DateFormatter()
        format.dateFormat = "yyyyMMdd-HHmmss"
        format.locale = Locale(identifier: "en_US_POSIX")
        return "simulate-\(format.string(from: Date()))/patrol.sqlite"
    }

    // MARK: Output

    private static func counts(_ counts: [Verdict: Int]) -> String {
        Verdict.allCases.compactMap { verdict in counts[verdict].map { "\($0) \(verdict.rawValue)" } }.joined(separator: ", ")
    }

    static func text(_ run: Simulation.Run, entries: [LedgerEntry], files: SimulationFiles) -> String {
        var lines: [String] = []
        for day in run.days {
            var line = "\(day.day)  venues: \(counts(day.venues))  cameras: \(counts(day.cameras))"
            if !day.registration.isEmpty { line += "  registration: \(counts(day.registration))" }
            lines.append(line + "  entries: \(day.entries.count)")
        }
        lines.append("")
        lines.append("ledger: \(entries.count) entries")
        let header = ["#", "day", "venue", "kind", "until", "by", "reason"]
        let rows = entries.map { entry -> [String] in
            var until = entry.deadline?.description ?? entry.until?.description ?? ""
            if let tier = entry.tier { until = "-> \(tier.rawValue)" }
            if let refers = entry.refersTo { until = "#\(refers)" }
            let reason = entry.reason.count > 90 ? String(entry.reason.prefix(89)) + "…" : entry.reason
            return [String(entry.seq), entry.day.description, entry.venueID, entry.kind.rawValue, until, entry.actor, reason]
        }
        let widths = header.indices.map { column in ([header] + rows).map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        for row in [header] + rows {
            lines.append(row.indices.map { column in
                column == row.count - 1 ? row[column] : DisplayWidth.pad(row[column], to: widths[column], leading: column == 0)
            }.joined(separator: "  "))
        }
        lines.append("")
        lines.append("database: \(files.database)")
        lines.append("ask it:   patrol status --config \(files.configuration)")
        lines.append("          patrol ledger --config \(files.configuration)")
        if let last = run.days.last {
            lines.append("          patrol report daily --day \(last.day) --config \(files.configuration)")
        }
        return lines.joined(separator: "\n")
    }

    private struct JSONRun: Encodable {
        struct Day: Encodable {
            var day: String
            var cameras: [String: Int]
            var venues: [String: Int]
            var registration: [String: Int]
            var outage_hours: Int
            var entries: Int
        }

        struct Entry: Encodable {
            var seq: Int
            var day: String
            var venue_id: String
            var kind: String
            var deadline: String?
            var until: String?
            var tier: String?
            var supervisor: String?
            var refers_to: Int?
            var actor: String
            var reason: String
            var at: String
        }

        struct Listing<T: Encodable>: Encodable {
            var entries: [T]
            var total: Int
        }

        var schema_version = 1
        var database: String
        var configuration: String
        var start: String
        var days: Listing<Day>
        var ledger: Listing<Entry>
        var probes: Int
        var registration_reads: Int
        var acts: Int
        var seconds: Double
    }

    static func json(_ run: Simulation.Run, entries: [LedgerEntry], files: SimulationFiles, scenario: Scenario) throws -> String {
        func named(_ counts: [Verdict: Int]) -> [String: Int] { Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }) }
        let days = run.days.map {
            JSONRun.Day(day: $0.day.description, cameras: named($0.cameras), venues: named($0.venues), registration: named($0.registration),
                        outage_hours: $0.outageHours, entries: $0.entries.count)
        }
        let ledger = entries.map {
            JSONRun.Entry(seq: $0.seq, day: $0.day.description, venue_id: $0.venueID, kind: $0.kind.rawValue, deadline: $0.deadline?.description,
                          until: $0.until?.description, tier: $0.tier?.rawValue, supervisor: $0.supervisor, refers_to: $0.refersTo,
                          actor: $0.actor, reason: $0.reason, at: $0.at)
        }
        let value = JSONRun(database: files.database, configuration: files.configuration, start: scenario.start.description,
                            days: .init(entries: days, total: days.count), ledger: .init(entries: ledger, total: ledger.count),
                            probes: run.probes, registration_reads: run.registrationReads, acts: run.acts.count,
                            seconds: (run.seconds * 1000).rounded() / 1000)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// The files a simulation leaves: the database, the vault and the ledger key beside it (where
/// `patrol --db` looks for them), and patrol.yaml, the configuration it ran under.
struct SimulationFiles {
    let database: String
    let folder: URL
    private let createdFolder: Bool

    var vault: String { folder.appendingPathComponent("credentials.sqlite").path }
    var ledgerKey: String { folder.appendingPathComponent("ledger.key").path }
    var configuration: String { folder.appendingPathComponent("patrol.yaml").path }

    /// Refuses a database, vault or configuration that is already there: a simulation starts fresh.
    init(_ path: String) throws {
        database = URL(fileURLWithPath: path).standardizedFileURL.path
        folder = URL(fileURLWithPath: database).deletingLastPathComponent()
        let manager = FileManager.default
        for existing in [database, folder.appendingPathComponent("credentials.sqlite").path, folder.appendingPathComponent("patrol.yaml").path]
        where manager.fileExists(atPath: existing) {
            throw BenchFailure(message: "\(existing) already exists: a simulation starts from a fresh database (give another --db)",
                               exit: BenchFailure.cannotCreate)
        }
        createdFolder = !manager.fileExists(atPath: folder.path)
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw BenchFailure(message: "cannot create \(folder.path): \(error.localizedDescription)", exit: BenchFailure.cannotCreate)
        }
    }

    /// What a failed run wrote, removed: nothing is left of it.
    func remove() {
        let manager = FileManager.default
        if createdFolder {
            try? manager.removeItem(at: folder)
            return
        }
        for path in [database, vault, ledgerKey, configuration] {
            for suffix in ["", "-wal", "-shm", "-journal", ".pub"] { try? manager.removeItem(atPath: path + suffix) }
        }
        try? manager.removeItem(at: SnapshotDirectory(beside: database).root)
    }

    /// patrol.yaml: the keys the days were patrolled under, so that `patrol --config` reads the
    /// database under the same rules; read back to check it says the same.
    func writeConfiguration(_ configuration: Configuration, scenario: String) throws {
        func number(_ value: Double) -> String {
            let rounded = (value * 1_000_000).rounded() / 1_000_000
            return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        }
        let patrol = configuration.patrol, ladder = patrol.ladder, judging = patrol.judging
        let registration = configuration.registration
        var lines = [
            "# The configuration \(scenario) was simulated under (patrol-bench simulate); read the database with",
            "#   patrol status --config \(self.configuration)",
            "database: \(URL(fileURLWithPath: database).lastPathComponent)",
            "credentials: credentials.sqlite",
            "ledger_key: ledger.key",
            "probe:",
            "  deadline: \(number(Double(configuration.probe.deadline.components.seconds) + Double(configuration.probe.deadline.components.attoseconds) / 1e18))",
            "schedule:",
            "  cadence: {priority: \(number(configuration.cadence.priority)), watch: \(number(configuration.cadence.watch)), general: \(number(configuration.cadence.general))}",
            "  backoff_limit: \(number(configuration.schedule.backoffLimit))",
            "patrol:",
            "  time_zone: \(patrol.timeZone.identifier)",
            String(format: "  run_at: \"%02d:%02d\"", patrol.hour, patrol.minute),
            "  clock_tolerance: \(number(patrol.clockTolerance))",
            "  min_online_percent: \(number(judging.minOnlineShare * 100))",
            "  max_frozen_or_black_minutes: \(number(judging.maxFrozenOrBlackSeconds / 60))",
            "  min_watched_percent: \(number(judging.minWatchedShare * 100))",
            "  outage_percent: \(number(judging.outageShare * 100))",
            "  outage_min_probes: \(judging.outageMinProbes)",
            "ladder:",
            "  deadline_days: {general: \(ladder.deadlineDays.general), watch: \(ladder.deadlineDays.watch), priority: \(ladder.deadlineDays.priority)}",
            "  recheck_days: \(ladder.recheckDays)",
            "  failure_window_days: \(ladder.failureWindowDays)",
            "  commendation_days: \(ladder.cleanDaysForCommendation)",
            "  default_supervisor: \"\(ladder.defaultSupervisor.replacingOccurrences(of: "\"", with: "\\\""))\"",
            "report:",
            "  language: \(patrol.reportLanguage.rawValue)",
        ]
        if let platform = registration.platform, let judged = patrol.registration {
            lines += [
                "registration:",
                "  platform: \(platform.absoluteString)",
                "  every: \(number(registration.every))",
                "  deadline: \(number(registration.deadline))",
                "  min_online_percent: \(number(judged.minOnlineShare * 100))",
                "  max_waiting_minutes: \(number(judged.maxWaitingSeconds / 60))",
                "  min_read_percent: \(number(judged.minReadShare * 100))",
                "  heartbeat_timeout: \(number(judged.heartbeatTimeout))",
                "  coverage: \(number(judged.coverage))",
            ]
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: self.configuration))
        let back = try Configuration.load(self.configuration)
        if back.patrol != configuration.patrol || back.cadence != configuration.cadence {
            Output.log("patrol-bench: \(self.configuration) does not say all the scenario's settings; patrol may read the ledger under other rules\n")
        }
    }
}
