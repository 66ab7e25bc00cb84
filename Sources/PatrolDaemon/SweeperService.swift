import Atomics
import PatrolConfig
import PatrolProbe
import PatrolStore
import PatrolSweep
import ServiceLifecycle
import Synchronization

/// The probing as a service: the engine's sweeper (the schedule and the lock-free pool of
/// Dispatch worker threads) runs on a thread of its own and hands each batch of finished probes
/// to the writer. Cancelled, or when the group stops, it hands out no new probes, lets those in
/// flight end within their deadline, has the writer write their results, and returns. `stop()`
/// (SIGTERM) does the same at once, and `run` then returns when the group stops it.
///
/// A reload (`reload`) reads the configuration and the inventory again and checks them whole; a
/// good one waits for the probes in flight, then a new engine takes over the same store and the
/// same writer's service, each camera keeping its place in the schedule.
public final class SweeperService: Service, Sendable {
    /// What a reload came to.
    public enum ReloadOutcome: Sendable, Equatable {
        /// The configuration or the inventory was refused (why); the running one stays in force.
        case rejected(String)
        /// Nothing changed: nothing restarted.
        case unchanged
        /// A new engine takes over once the probes in flight have ended.
        case accepted(summary: String)
        /// The daemon is stopping: the reload is dropped.
        case stopping
    }

    private struct State {
        var engine: Engine
        var pending: Reload?
        var stopping = false
        /// Engines put in place so far: 1 for the first, one more for each reload.
        var generation = 1
    }

    private let configPath: String
    private let store: Store
    private let vault: CredentialVault
    private let writer: WriterService
    private let status: StatusService?
    private let prober: ProbePool.Prober?
    private let state: Mutex<State>
    private let handed = ManagedAtomic(0)
    private let reloads = WorkQueue("patrol.reload")

    /// Builds the first engine (its workers start) for `configuration` and `district`.
    /// - Parameters:
    ///   - configPath: the configuration file a reload reads again.
    ///   - prober: what runs one probe; nil for the real probe.
    public init(configPath: String, configuration: Configuration, district: District, store: Store, vault: CredentialVault,
                writer: WriterService, status: StatusService? = nil, prober: ProbePool.Prober? = nil) {
        self.configPath = configPath
        self.store = store
        self.vault = vault
        self.writer = writer
        self.status = status
        self.prober = prober
        state = Mutex(State(engine: Engine(configuration: configuration, district: district, prober: prober,
                                           pictures: try? store.pictureMemory())))
    }

    /// The engine in force.
    public var engine: Engine { state.withLock { $0.engine } }

    /// Engines put in place so far: 1 for the first, one more for each reload.
    public var generation: Int { state.withLock { $0.generation } }

    /// Finished probes handed to the writer so far.
    public var results: Int { handed.load(ordering: .relaxed) }

    public func run() async {
        await withTaskCancellationOrGracefulShutdownHandler {
            var memory: [String: Schedule.Memory] = [:]  // a reload keeps each camera's due time and backoff
            var next: Engine? = engine
            while let engine = next {
                let known = memory
                memory = await Blocking.onThread("patrol.sweep") { [writer, handed] in
                    engine.sweeper.run(memory: known) { batch in
                        handed.wrappingIncrement(by: batch.count, ordering: .relaxed)
                        writer.submit(batch.forWriter)
                    }
                }
                await writer.drain()
                await engine.stopPool()
                next = await nextEngine()
            }
        } onCancelOrGracefulShutdown: {
            self.stop()
        }
        // Stopped by `stop()` (SIGTERM): a service returns only when its group stops it.
        try? await gracefulShutdown()
    }

    /// Hands out no new probes from now on; the probes in flight end within their deadline.
    /// Returns whether this was the first call, and how many probes were in flight.
    @discardableResult
    public func stop() -> (first: Bool, inFlight: Int) {
        state.withLock { state in
            defer { state.stopping = true }
            state.engine.sweeper.stop()
            return (!state.stopping, state.engine.pool.inFlight)
        }
    }

    /// The engine to run after one has stopped: a reload's, or nil when stopping.
    private func nextEngine() async -> Engine? {
        let reload: Reload? = state.withLock { state in
            guard !state.stopping, let reload = state.pending else { return nil }
            state.pending = nil
            return reload
        }
        guard let reload else { return nil }
        await writer.replace(for: reload.configuration)
        let engine = Engine(configuration: reload.configuration, district: reload.district, prober: prober,
                            pictures: try? store.pictureMemory())
        let replaced = state.withLock { state in
            guard !state.stopping else { return false }
            state.engine = engine
            state.generation += 1
            // A reload accepted while this one was being put in place goes next.
            if state.pending != nil { engine.sweeper.stop() }
            return true
        }
        guard replaced else {
            await engine.stopPool()
            return nil
        }
        Journal.notice("reloaded (\(reload.summary)): watching \(engine.district.streams.count) cameras")
        status?.ready(cameras: engine.district.streams.count)
        return engine
    }

    /// SIGHUP: RELOADING=1; the configuration file and the inventory read again and checked whole.
    /// A bad one is logged and the running one stays (READY=1 follows, the reason in the status
    /// line); a good one stops the sweep, and once the probes in flight have ended a new engine
    /// takes over (then READY=1). One reload at a time.
    @discardableResult
    public func reload() async -> ReloadOutcome {
        await reloads.run { [self] in reloadNow() }
    }

    private func reloadNow() -> ReloadOutcome {
        status?.reloading()
        Journal.notice("reloading \(configPath) and the inventory")
        do {
            guard let reload = try Reload.prepare(path: configPath, running: engine, store: store, vault: vault) else {
                Journal.notice("reloaded: nothing changed")
                status?.readyAgain()
                return .unchanged
            }
            let inFlight: Int? = state.withLock { state in
                guard !state.stopping else { return nil }
                state.pending = reload
                state.engine.sweeper.stop()
                return state.engine.pool.inFlight
            }
            guard let inFlight else { return .stopping }
            Journal.info("reload accepted (\(reload.summary)); the \(inFlight) probes in flight finish first")
            return .accepted(summary: reload.summary)
        } catch {
            Journal.error("reload rejected, the running configuration stays in force: \(error)")
            status?.readyAgain(rejected: error.description)
            return .rejected(error.description)
        }
    }
}
