import Foundation
import Logging
import PatrolConfig
import PatrolAlerts
import PatrolSettings
import PatrolConsole
import PatrolInventory
import PatrolLedger
import PatrolOutput
import PatrolProbe
import PatrolStore
import PatrolVersion
import PatrolViews
import ServiceLifecycle
import UnixSignals

/// patrold: opens the store, then either runs as a systemd service until stopped, or sweeps once
/// (`--once`), or runs the daily patrol that is due (`--patrol`).
///
/// As a service it is a group of services side by side (`ServiceGroup`), each of which a test
/// can start alone:
///
/// - `StatusService`: READY=1 once the store is open and the first engine built, with the
///   STATUS= line; the line again whenever it changes, and a last one once stopped saying how
///   many results the run wrote; RELOADING=1, STOPPING=1, WATCHDOG=1.
/// - `WriterService`: the single store writer; `SweeperService`: the schedule and the pool of
///   Dispatch worker threads feeding it.
/// - `DailyPatrolService` and `MailService`: the day's patrol and the report's mail, each minute.
/// - `WatchdogService`: WATCHDOG=1 at half systemd's interval while the pool and the writer work.
/// - `PruneService`: retention, each hour.
/// - `RegistrationService`: the registration platform read, every `registration.every`.
/// - `AlertService`: the duty desk's alerts, every `alerts.every`: the rules, the queue, mail and webhook.
/// - `SignalService`: SIGHUP reloads (a bad configuration is logged and named in the status line,
///   and the old one stays; a good one waits for the probes in flight, then a new engine takes
///   over the same store); SIGTERM and SIGINT stop: STOPPING=1, no new probes, the probes in
///   flight end within their deadline, their results are written, exit 0 (74 when some could
///   not be).
///
/// The group stops them in the reverse of that order: the sweeper first, the writer and the
/// status line last.
public enum Daemon {
    /// An exit status: 78 a bad configuration, 74 the database unavailable or results unwritten.
    public struct Exit: Error, Equatable {
        public var status: Int32
        public init(_ status: Int32) { self.status = status }
    }

    public enum Mode: Sendable {
        /// Until SIGTERM, under systemd.
        case service
        /// Every camera probed once, the summary printed.
        case once
        /// Every day due at `now` (or now) patrolled, its report mailed.
        case patrol(now: Date?)
    }

    /// Runs patrold with the configuration file at `configPath`.
    public static func run(configPath: String, mode: Mode) async throws {
        let opened = try await Blocking.onThread("patrol.open") { Result { try open(configPath, patrol: mode.isPatrol) } }.get()
        switch mode {
        case .patrol(let now):
            try await Blocking.onThread("patrol.daily") {
                Result { try patrolDue(opened.configuration, store: opened.store, now: now ?? Date()) }
            }.get()
        case .once:
            try await Blocking.onThread("patrol.sweep") {
                Result { try Once.sweep(opened.configuration, district: opened.district!, store: opened.store) }
            }.get()
            try await Once.readRegistration(opened.configuration, store: opened.store)
        case .service:
            try await serve(configPath: configPath, opened)
        }
    }

    struct Opened: Sendable {
        var configuration: Configuration
        var store: Store
        var vault: CredentialVault
        /// Nil for `--patrol`, which probes nothing.
        var district: District?
    }

    /// The configuration read, the store and the vault opened, the ledger ready to be sealed, the
    /// inventory read.
    static func open(_ configPath: String, patrol: Bool) throws -> Opened {
        let configuration: Configuration
        do {
            configuration = try Configuration.load(configPath)
        } catch {
            Journal.error("configuration rejected: \(error)")
            throw Exit(78)
        }
        let store: Store, vault: CredentialVault, inventory: Inventory
        do {
            store = try Store(path: configuration.database, ledgerKey: LedgerKeyFile(path: configuration.ledgerKey))
            vault = try CredentialVault(path: configuration.credentials)
            inventory = try store.inventory(vault: vault)
        } catch {
            Journal.error(StorageFailure.explain(error) ?? "\(error)")
            throw Exit(74)
        }
        do {
            let sealing = try store.prepareSealing()
            if sealing.created {
                Journal.notice("ledger key created: \(configuration.ledgerKey), public key beside it; back it up (docs/DEPLOY.md)")
            }
            if sealing.began { Journal.notice("the ledger is sealed from now on; the entries before are chained but not sealed") }
        } catch {
            Journal.error("\(error)")
            throw Exit(78)
        }
        var opened = Opened(configuration: configuration, store: store, vault: vault)
        if patrol { return opened }
        let district: District
        do {
            district = District(inventory: inventory, cadence: configuration.cadence, pictureEvery: configuration.pictureEvery,
                                closed: try store.closedVenues())
        } catch {
            Journal.error(StorageFailure.explain(error) ?? "\(error)")
            throw Exit(74)
        }
        if district.streams.isEmpty {
            Journal.warning("the inventory has no cameras: import one with `patrol inventory import`")
        }
        opened.district = district
        return opened
    }

    /// `patrold --patrol`: every day due at `now`, its report queued and mailed with any still waiting.
    static func patrolDue(_ configuration: Configuration, store: Store, now: Date) throws {
        FaultInjection.announce()
        do {
            let reports = try Patrolling.runDue(Patrolling.daily(configuration, store: store), now: now)
            try Output.line(reports.isEmpty ? "no patrol day due" : reports.map(\.summary).joined(separator: "\n"))
        } catch {
            Journal.error("daily patrol failed: \(StorageFailure.explain(error) ?? "\(error)")")
            throw Exit(74)
        }
        Patrolling.requeue(configuration, store: store)
        // The reports just queued, and any still waiting: sendmail's failures stay queued.
        MailService.send(MailService.sender(configuration.mail, store: store))
    }

    /// The services, run as one group until SIGTERM or SIGINT.
    static func serve(configPath: String, _ opened: Opened) async throws {
        FaultInjection.announce()
        let store = opened.store
        let district = opened.district!
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        let notifier = SystemdNotifier()
        let status = StatusService(store: store, notifier: notifier)
        let writer = WriterService(store: store, configuration: opened.configuration, status: status)
        let sweeper = SweeperService(configPath: configPath, configuration: opened.configuration, district: district,
                                     store: store, vault: opened.vault, writer: writer, status: status)
        status.ready(cameras: district.streams.count)
        let configuration: @Sendable () -> Configuration = { sweeper.engine.configuration }
        let mail = MailService(sender: { MailService.sender(configuration().mail, store: store) })
        let patrol = DailyPatrolService(store: store, configuration: configuration, onRun: { run in
            guard !run.reports.isEmpty else { return }
            mail.sendNow()
            status.refresh()
            // Closures and tier moves reach the schedule at once.
            if run.reports.flatMap(\.entries).contains(where: { [.closure, .tierChanged].contains($0.kind) }) {
                await sweeper.reload()
            }
        })
        let watchdog = WatchdogService(interval: notifier?.watchdogInterval, engine: { sweeper.engine }, writer: writer, status: status)
        let prune = PruneService(configuration: configuration, writer: writer)
        let registration = RegistrationService(store: store, configuration: configuration)
        let alerts = AlertService(store: store, configuration: configuration, health: {
            let engine = sweeper.engine
            let watchdog = Watchdog(probeDeadline: engine.configuration.probe.deadline.seconds, writerStall: engine.configuration.writer.stall)
            var health: [HealthCheck: String] = [:]
            health[.sweepOverdue] = watchdog.verdict(pool: engine.pool)
            health[.writerStalled] = watchdog.verdict(writer: writer.writer.health, now: Date())
            return health
        })
        let control = SignalService(signals: signals, sweeper: sweeper, status: status)
        Journal.notice("patrold \(patrolVersion) watching \(district.streams.count) cameras")

        var services: [any Service] = [status, writer, watchdog, prune, mail, patrol, registration, alerts, sweeper]
        if let console = console(opened.configuration, writer: writer, patrol: patrol) { services.insert(console, at: 1) }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
                + [.init(service: control, successTerminationBehavior: .gracefullyShutdownGroup)],
            logger: Logger(label: "patrold") { _ in SwiftLogNoOpLogHandler() }))
        do {
            try await group.run()
        } catch {
            Journal.error("a service of patrold failed: \(error)")
            throw Exit(70)
        }
        let results = sweeper.results, unwritten = writer.unwritten
        status.stopped(results: results, unwritten: unwritten)
        await status.settled()
        if unwritten > 0 {
            Journal.error("stopped with \(unwritten) of \(results) probe results unwritten: \(writer.health.lastError ?? "?")")
            throw Exit(74)
        }
        Journal.notice("stopped; all \(results) probe results of this run written")
    }
}

extension Daemon {
    /// The web console and `/metrics`, when the configuration has a `console:` section.
    static func console(_ configuration: Configuration, writer: WriterService, patrol: DailyPatrolService) -> ConsoleService? {
        guard configuration.console.enabled else { return nil }
        let setup = ConsoleService.Setup(
            console: configuration.console, patrol: configuration.patrol, cadence: configuration.cadence,
            staleAfter: Reader.staleAfter(cadence: configuration.cadence, backoffLimit: configuration.schedule.backoffLimit),
            database: configuration.database, publicKey: LedgerKeyFile(path: configuration.ledgerKey).publicPath)
        return ConsoleService(setup: setup, live: LiveFigures(writerBacklog: { writer.health.pending },
                                                              lastPatrolDuration: { patrol.lastPatrolDuration }, probes: writer.metrics))
    }
}

extension Daemon.Mode {
    var isPatrol: Bool {
        if case .patrol = self { return true }
        return false
    }
}
