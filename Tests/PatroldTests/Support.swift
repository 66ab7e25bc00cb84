import Dispatch
import Foundation
import GRDB
import PatrolConfig
import PatrolInventory
import PatrolLedger
import PatrolProbe
@testable import PatrolStore
import PatrolTestSupport
import ServiceLifecycle

/// A store and its credential vault in a fresh temporary folder (`TemporaryStore`), and the
/// configuration file a reload reads again.
struct DaemonFolder {
    let temporary: TemporaryStore

    init() throws {
        temporary = try TemporaryStore()
    }

    var folder: URL { temporary.folder }
    var store: Store { temporary.store }
    var vault: CredentialVault { temporary.vault }
    var configPath: String { folder.appendingPathComponent("patrol.yaml").path }

    /// Writes the configuration file: the store in this folder, a short deadline and cadence, and
    /// the window that rides out the fleet's shared pipelines falling behind (`Fleet.steadyProbe`).
    @discardableResult
    func writeConfiguration(extra: String = "") throws -> PatrolConfig.Configuration {
        try """
            database: \(temporary.database)
            credentials: \(folder.appendingPathComponent("credentials.sqlite").path)
            probe:
              deadline: 4
              window: 4
            schedule:
              cadence: {priority: 5, watch: 5, general: 5}
              workers: 8
              concurrency: 8
              per_host_sessions: 64
            writer:
              batch_interval: 0.2
            \(extra)
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        return try PatrolConfig.Configuration.load(configPath)
    }

    /// One venue, 平安宾馆 V1, with cameras C1… (the first on the perimeter) streaming the fleet's
    /// `mounts`; the inventory on record since `since`.
    @discardableResult
    func importCameras(_ mounts: [Int], port: Int, since: Date = Date()) throws -> Inventory {
        let cameras = try mounts.enumerated().map { index, mount in
            try Camera(id: "C\(index + 1)", venueID: "V1", placement: index == 0 ? .perimeter : .interior,
                       url: "rtsp://127.0.0.1:\(port)\(Fleet.Mounts.path(mount))")
        }
        return try temporary.seed(Inventory(venues: [TestDistrict.pingan()], cameras: cameras), since: since)
    }

    func count(_ sql: String) throws -> Int {
        try store.pool.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }
}

/// The values a service hands to a callback, to be awaited one by one.
final class Events<Value: Sendable>: Sendable {
    let stream: AsyncStream<Value>
    private let continuation: AsyncStream<Value>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream()
    }

    func record(_ value: Value) { continuation.yield(value) }

    /// The next value that satisfies `match`; nil if the stream ends first.
    func next(where match: (Value) -> Bool = { _ in true }) async -> Value? {
        for await value in stream where match(value) { return value }
        return nil
    }
}

/// The environment systemd gives a service it watches: the notify socket and the watchdog interval.
func systemdEnvironment(_ socket: NotifySocket, watchdogMicroseconds: Int? = nil) -> [String: String] {
    var environment = ["NOTIFY_SOCKET": socket.name]
    if let watchdogMicroseconds { environment["WATCHDOG_USEC"] = String(watchdogMicroseconds) }
    return environment
}

/// A thread of the test's own for a service under test. Swift Testing runs the other suites'
/// synchronous tests on Swift's cooperative pool, where a probe or a subprocess can hold each of
/// the pool's few threads (two on a 2-core machine) for seconds: a service that waited for one
/// of them would be late for reasons of the test run, not its own. Its tasks prefer this
/// executor, a serial Dispatch queue that gets a thread of its own.
final class ServiceThread: TaskExecutor {
    private let queue: DispatchQueue

    init(_ label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

/// Runs `service` until the returned task is cancelled, on a thread of its own.
func start(_ service: some Service & Sendable, name: String = "patrold.test") -> Task<Void, Never> {
    Task(executorPreference: ServiceThread(name)) { try? await service.run() }
}
