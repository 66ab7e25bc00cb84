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

/// A store, its credential vault and the configuration file in a fresh temporary folder: real
/// SQLite files, and the configuration a reload reads again.
struct DaemonFolder {
    let folder: URL
    let store: Store
    let vault: CredentialVault

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrold-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try Store(path: folder.appendingPathComponent("patrol.sqlite").path)
        vault = try CredentialVault(path: folder.appendingPathComponent("credentials.sqlite").path)
    }

    var configPath: String { folder.appendingPathComponent("patrol.yaml").path }

    /// Writes the configuration file: the store in this folder, a short deadline and cadence, and
    /// the window that rides out the fleet's shared pipelines falling behind (`Fleet.steadyProbe`).
    @discardableResult
    func writeConfiguration(extra: String = "") throws -> PatrolConfig.Configuration {
        try """
            database: \(folder.appendingPathComponent("patrol.sqlite").path)
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

    /// One venue, V1, with cameras C1… streaming the fleet's `mounts`; the inventory on record
    /// since `since`.
    @discardableResult
    func importCameras(_ mounts: [Int], port: Int, since: Date? = nil) throws -> Inventory {
        let venue = Venue(id: "V1", name: "平安宾馆", kind: .hotel, tier: .general, district: "城东", grid: "G01",
                          address: "城东路1号", ownerContact: "13800000001")
        let cameras = try mounts.enumerated().map { index, mount in
            try Camera(id: "C\(index + 1)", venueID: "V1", placement: index == 0 ? .perimeter : .interior,
                       url: "rtsp://127.0.0.1:\(port)\(Fleet.Mounts.path(mount))")
        }
        let inventory = Inventory(venues: [venue], cameras: cameras)
        try store.apply(inventory, vault: vault, zone: patrolZone)
        if let since {
            try store.pool.write { db in
                try db.execute(sql: "UPDATE venue SET added_at = ?", arguments: [since])
                try db.execute(sql: "UPDATE camera SET added_at = ?", arguments: [since])
            }
        }
        return inventory
    }

    func count(_ sql: String) throws -> Int {
        try store.pool.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }
}

/// A probe result as the probe returns it for a healthy stream, or one that failed with `outcome`.
func probeResult(_ outcome: Outcome, at date: Date) -> ProbeResult {
    let decoded = outcome == .online
    let seed = Int(date.timeIntervalSince1970 / 60)
    let samples = (0..<576).map { UInt8(truncatingIfNeeded: seed * 31 + $0 * 13) }
    return ProbeResult(
        outcome: outcome, detail: "test \(outcome.rawValue)", statusCode: nil, url: "rtsp://10.0.0.1/live", startedAt: date,
        timings: .init(openMs: decoded ? 20 : nil, firstFrameMs: decoded ? 40 : nil, firstKeyframeMs: decoded ? 60 : nil, totalMs: 300),
        measurements: .init(frames: decoded ? 8 : 0, keyframes: decoded ? 1 : 0, videoBytes: decoded ? 90_000 : 0,
                            fps: decoded ? 25 : nil, bitrateKbps: decoded ? 2_000 : nil, keyframeInterval: nil),
        stream: .init(format: "rtsp", transport: "tcp", codec: decoded ? "h264" : nil, profile: decoded ? "Main" : nil,
                      level: nil, width: decoded ? 1280 : nil, height: decoded ? 720 : nil,
                      pixelFormat: decoded ? "yuv420p" : nil, declaredFps: nil, hasAudio: false, audioCodec: nil),
        picture: decoded ? .init(lumaMean: 0.4, lumaSpread: 0.2, blackFraction: 0.01, fingerprint: Fingerprint(samples: samples)!,
                                 decodeErrors: 0, laterDifference: nil) : nil)
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
