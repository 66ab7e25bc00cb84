import Foundation
import GRDB
import PatrolLedger
import PatrolProbe
import Testing
@testable import PatrolStore

/// A small file system of its own, a real tmpfs, that can be filled to the last byte. Mounting
/// one needs root, which CI has (it installs packages); elsewhere these tests are disabled.
struct SmallDisk {
    let folder: URL
    private var filler: URL { folder.appendingPathComponent("filler") }

    static let available: Bool = (try? SmallDisk.with { _ in true }) ?? false

    /// Mounts a fresh 8 MB tmpfs for `body`, and unmounts it after.
    static func with<T>(_ body: (SmallDisk) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-disk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try run("/bin/mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", folder.path)
        defer { try? run("/bin/umount", "-l", folder.path) }
        return try body(SmallDisk(folder: folder))
    }

    private static func run(_ tool: String, _ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSLocalizedDescriptionKey: "\(tool) \(arguments) failed"])
        }
    }

    /// Takes every free byte.
    func fill(_ store: Store) throws {
        // An empty write-ahead log: the next transaction needs bytes the disk no longer has.
        _ = try store.pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        _ = FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        defer { try? handle.close() }
        let chunk = Data(repeating: 0x55, count: 4096)
        while (try? handle.write(contentsOf: chunk)) != nil {}
    }

    func free() throws {
        try FileManager.default.removeItem(at: filler)
    }
}

@Suite("A full disk loses nothing", .enabled(if: SmallDisk.available, "mounting a tmpfs needs root"))
struct FullDiskTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day = PatrolDay(year: 2026, month: 11, day: 10)

    final class Failures: @unchecked Sendable {
        let lock = NSLock()
        var errors: [String] = []
        func add(_ error: Error) { lock.withLock { errors.append("\(error)") } }
    }

    @Test("probe results wait in the writer while the disk is full, and are all written once it has room")
    func writer() throws {
        try SmallDisk.with { disk in try writer(on: disk) }
    }

    func writer(on disk: SmallDisk) throws {
        let t = try TemporaryStore(in: disk.folder)
        try t.seed(venues: 10)  // 30 cameras
        let failures = Failures()
        let writer = BatchWriter(store: t.store, settings: WriterSettings(), batchSize: 64, interval: 60) { outcome in
            if case .failure(let error) = outcome { failures.add(error) }
        }
        let cameras = (1...30).map { String(format: "C%05d", $0) }
        try disk.fill(t.store)
        // Enough results that the transaction needs new pages whatever the last one left free.
        for minute in 0..<20 {
            writer.submit(cameras.map { ($0, result(.online, at: t0.addingTimeInterval(Double(minute) * 60))) })
        }
        writer.drain()
        #expect(failures.errors.first?.contains("database or disk is full") == true, "\(failures.errors)")
        #expect(writer.health.pending == 600)
        #expect(try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM probe_result") } == 0)

        try disk.free()
        writer.drain()
        #expect(writer.health.pending == 0)
        let perCamera = try t.store.pool.read { db in
            try Int.fetchAll(db, sql: "SELECT count(*) FROM probe_result GROUP BY camera_id")
        }
        #expect(perCamera == Array(repeating: 20, count: 30))
        #expect(try t.store.pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test("a patrol day that cannot be written is not half-applied, and the next run applies it once")
    func patrolDay() throws {
        try SmallDisk.with { disk in try patrolDay(on: disk) }
    }

    func patrolDay(on disk: SmallDisk) throws {
        let t = try TemporaryStore(in: disk.folder)
        try t.seed(venues: 10)
        let start = Self.day.start(in: Self.zone)
        try t.store.pool.write { db in
            try db.execute(sql: "UPDATE venue SET added_at = ?", arguments: [start.addingTimeInterval(-86_400)])
            try db.execute(sql: "UPDATE camera SET added_at = ?", arguments: [start.addingTimeInterval(-86_400)])
        }
        // A day of probes every 15 minutes; two interior cameras of two venues time out all day.
        var batch: [(cameraID: String, result: ProbeResult)] = []
        for seconds in stride(from: 0.0, to: 86_400, by: 900) {
            for camera in (1...30).map({ String(format: "C%05d", $0) }) {
                let outcome: Outcome = camera == "C00002" || camera == "C00005" ? .timeout : .online
                batch.append((camera, result(outcome, at: start.addingTimeInterval(seconds))))
            }
        }
        try t.store.write(batch)
        let patrol = DailyPatrol(store: t.store, settings: PatrolSettings())
        let morning = Self.day.adding(1).start(in: Self.zone, hour: 7)

        try disk.fill(t.store)
        #expect(throws: DatabaseError.self) { try patrol.runDue(now: morning) }
        let untouched = try t.store.pool.read { db in
            try ["patrol_day", "camera_day", "venue_day", "ledger"].map {
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1
            }
        }
        #expect(untouched == [0, 0, 0, 0])

        try disk.free()
        #expect(try patrol.runDue(now: morning).map(\.day) == [Self.day])
        #expect(try patrol.runDue(now: morning).isEmpty)
        #expect(try t.store.ledger().map { "\($0.venueID) \($0.kind.rawValue)" } == ["V0001 order", "V0002 order"])
        #expect(try t.store.verifyLedger(policy: LadderPolicy()).ok)
    }
}
