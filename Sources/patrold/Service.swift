import Dispatch
import Foundation
import PatrolConfig
import PatrolProbe
import PatrolStore
import PatrolSweep

/// The daemon as a systemd service. The sweep runs on the calling thread; signals, the
/// periodic jobs and the notifications to systemd run on the service's own queue.
///
/// - READY=1 once the store is open and the engine (pool, writer, sweeper) is built, with the
///   STATUS= line; the status line again whenever it changes.
/// - SIGHUP: RELOADING=1, the configuration and inventory read again and checked whole; a bad
///   one is logged and the old one stays; a good one waits for the probes in flight, then a new
///   engine takes over the same store (every camera's state and history stay); READY=1.
/// - SIGTERM, SIGINT: STOPPING=1, no new probes, the probes in flight finish within their
///   deadline, their results are written, and `run` returns.
/// - WATCHDOG=1 at half systemd's interval while `Watchdog` finds the pool and writer working.
final class Service: @unchecked Sendable {
    private let configPath: String
    private let store: Store
    private let vault: CredentialVault
    private let notifier: SystemdNotifier?
    private let queue = DispatchQueue(label: "patrol.service")
    private let jobs: PeriodicJobs
    private let patrolling = Patrolling()
    private let mailing = Mailing()
    private var signalSources: [DispatchSourceSignal] = []

    private let lock = NSLock()
    // Under `lock`.
    private var engine: Engine!  // built by `run`
    private var pendingReload: Reload?
    private var stopping = false

    // Touched only on `queue`.
    private var status = ServiceStatus()
    private var publishedStatus: String?
    private var statusRefreshPlanned = false
    private var wedged: String?

    private let initial: (configuration: Configuration, district: District)

    init(configPath: String, configuration: Configuration, district: District, store: Store, vault: CredentialVault,
         notifier: SystemdNotifier? = SystemdNotifier()) {
        self.configPath = configPath
        self.store = store
        self.vault = vault
        self.notifier = notifier
        jobs = PeriodicJobs(queue: queue)
        initial = (configuration, district)
    }

    private func makeEngine(_ configuration: Configuration, _ district: District) -> Engine {
        Engine(configuration: configuration, district: district, store: store) { [weak self] in self?.statusChanged() }
    }

    private var current: Engine { lock.withLock { engine } }

    /// Runs until SIGTERM or SIGINT, then returns once every result is written; false when some
    /// could not be (the store failing).
    func run() -> Bool {
        FaultInjection.announce()
        var next: Engine? = lock.withLock {
            engine = makeEngine(initial.configuration, initial.district)
            return engine
        }
        handleSignals()
        queue.sync {
            refreshStatus(publish: false)
            publishedStatus = status.line
            notifier?.send(SystemdNotifier.ready(status: status.line))
        }
        registerJobs()
        Journal.notice("patrold \(PatrolVersion.current) watching \(current.district.streams.count) cameras")
        var results = 0, unwritten = 0
        var memory: [String: Schedule.Memory] = [:]  // a reload keeps each camera's due time and backoff
        while let engine = next {
            memory = engine.sweeper.run(memory: memory) { batch in
                results += batch.count
                engine.write(batch)
            }
            engine.finish()
            unwritten += engine.writer.health.pending
            next = nextEngine()
        }
        jobs.cancelAll()
        signalSources.forEach { $0.cancel() }
        if unwritten > 0 {
            Journal.error("stopped with \(unwritten) of \(results) probe results unwritten: \(current.writer.health.lastError ?? "?")")
            return false
        }
        Journal.notice("stopped; all \(results) probe results of this run written")
        return true
    }

    /// Every job the daemon runs on a clock, besides probing, is registered here.
    private func registerJobs() {
        jobs.add("prune", .every(3600)) { [self] in prune() }
        jobs.add("status", .every(60)) { [self] in refreshStatus() }
        if let interval = notifier?.watchdogInterval {
            jobs.add("watchdog", .every(interval / 2)) { [self] in checkHealth(ping: true) }
        } else {
            jobs.add("health", .every(30)) { [self] in checkHealth(ping: false) }
        }
        // The daily patrol: every minute, whether a day is due (at its configured time, and
        // after downtime every missed day); closures and tier moves reach the schedule at once.
        // The report's mail: what the outbox holds that is due (sendmail failing is retried
        // with backoff; nothing is lost, nothing sent twice).
        jobs.add("mail", .every(60)) { [self] in
            mailing.start(Mailing.sender(current.configuration.mail, store: store))
        }
        jobs.add("patrol", .every(60)) { [self] in
            let engine = current
            patrolling.start(engine.configuration, store: store) { [self] reports in
                guard !reports.isEmpty else { return }
                mailing.start(Mailing.sender(engine.configuration.mail, store: store))
                queue.async { [self] in
                    refreshStatus()
                    let moved = reports.flatMap(\.entries).contains { [.closure, .tierChanged].contains($0.kind) }
                    if moved { reload() }
                }
            }
        }
    }

    // MARK: The engine's turns

    /// The engine to run after one has stopped: a reload's, or nil when stopping.
    private func nextEngine() -> Engine? {
        let next: (Engine, Reload)? = lock.withLock {
            guard !stopping, let reload = pendingReload else { return nil }
            pendingReload = nil
            engine = makeEngine(reload.configuration, reload.district)
            return (engine, reload)
        }
        guard let (engine, reload) = next else { return nil }
        Journal.notice("reloaded (\(reload.summary)): watching \(engine.district.streams.count) cameras")
        queue.async { [self] in
            refreshStatus(publish: false)
            publishedStatus = status.line
            notifier?.send(SystemdNotifier.ready(status: status.line))
        }
        return engine
    }

    // MARK: Signals

    private func handleSignals() {
        for (number, action) in [(SIGTERM, stop), (SIGINT, stop), (SIGHUP, { [self] (_: Int32) in reload() })] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { action(number) }
            source.resume()
            signalSources.append(source)
        }
    }

    private func stop(_ number: Int32) {
        let (first, inFlight) = lock.withLock {
            defer { stopping = true }
            engine.sweeper.stop()
            return (!stopping, engine.pool.inFlight)
        }
        guard first else { return }
        notifier?.send(SystemdNotifier.stopping)
        Journal.notice("stopping (\(number == SIGINT ? "SIGINT" : "SIGTERM")): no new probes; \(inFlight) in flight finish within their deadline")
    }

    private func reload() {
        notifier?.send(SystemdNotifier.reloading())
        Journal.notice("reloading \(configPath) and the inventory")
        do {
            guard let reload = try Reload.prepare(path: configPath, running: current, store: store, vault: vault) else {
                Journal.notice("reloaded: nothing changed")
                notifier?.send(SystemdNotifier.ready(status: status.line))
                return
            }
            let inFlight: Int? = lock.withLock {
                guard !stopping else { return nil }
                pendingReload = reload
                engine.sweeper.stop()
                return engine.pool.inFlight
            }
            if let inFlight {
                Journal.info("reload accepted (\(reload.summary)); the \(inFlight) probes in flight finish first")
            }
        } catch {
            Journal.error("reload rejected, the running configuration stays in force: \(error)")
            notifier?.send(SystemdNotifier.ready(status: status.line))
        }
    }

    // MARK: Jobs

    private func prune() {
        let engine = current
        let retention = engine.configuration.retention
        engine.writer.perform { store in
            do {
                let pruned = try store.prune(rawDays: retention.rawDays, rollupDays: retention.rollupDays)
                if pruned.results + pruned.rollups > 0 {
                    Journal.info("pruned \(pruned.results) probe results and \(pruned.rollups) roll-ups past retention")
                }
            } catch {
                Journal.error("pruning failed: \(error)")
            }
        }
    }

    /// Checks the pool and the writer; pings systemd's watchdog only while both work.
    private func checkHealth(ping: Bool) {
        let engine = current
        let watchdog = Watchdog(probeDeadline: engine.configuration.probe.deadline.seconds,
                                writerStall: engine.configuration.writer.stall)
        let reason = watchdog.verdict(pool: engine.pool, writer: engine.writer)
        if reason != wedged {
            if let reason {
                Journal.error(reason + (ping ? "; no more watchdog pings: systemd will restart patrold" : ""))
            } else {
                Journal.notice("the probe pool and the store writer work again")
            }
            wedged = reason
            status.problem = reason
            publishStatus()
        }
        if ping && reason == nil { notifier?.send(SystemdNotifier.watchdog) }
    }

    /// A batch changed some camera's status: the status line follows within a second.
    private func statusChanged() {
        queue.async { [self] in
            guard !statusRefreshPlanned else { return }
            statusRefreshPlanned = true
            queue.asyncAfter(deadline: .now() + 1) { [self] in
                statusRefreshPlanned = false
                refreshStatus()
            }
        }
    }

    private func refreshStatus(publish: Bool = true) {
        do {
            try status.count(in: store, cameras: current.district.streams.count)
        } catch {
            Journal.warning("cannot count the cameras up and down: \(error)")
        }
        if publish { publishStatus() }
    }

    private func publishStatus() {
        let line = status.line
        guard line != publishedStatus else { return }
        publishedStatus = line
        notifier?.send(SystemdNotifier.status(line))
    }
}
