import Foundation
import GRDB
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolTestSupport
import Testing
@testable import PatrolStore

extension SmallDisk {
    /// Takes every free byte, after emptying `store`'s write-ahead log: its next transaction
    /// needs bytes the disk no longer has.
    func fill(_ store: Store) throws {
        _ = try store.pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try fill()
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
        let writer = BatchWriter(store: t.store, judge: ProbeJudge(), batchSize: 64, interval: 60) { outcome in
            if case .failure(let error) = outcome { failures.add(error) }
        }
        let cameras = (1...30).map { String(format: "C%05d", $0) }
        try disk.fill(t.store)
        // Enough results that the transaction needs new pages whatever the last one left free.
        for minute in 0..<20 {
            writer.submit(cameras.map { ($0, probeResult(.online, at: t0.addingTimeInterval(Double(minute) * 60))) })
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

    @Test("a write the full disk refuses is explained in one line saying what to do, without SQL")
    func explained() throws {
        try SmallDisk.with { disk in
            let t = try TemporaryStore(in: disk.folder)
            try t.seed(venues: 10)
            try disk.fill(t.store)
            let error = try #require(throws: DatabaseError.self) {
                try t.store.pool.write { db in
                    for index in 0..<2000 {
                        try db.execute(sql: "INSERT INTO sweep (started_at, finished_at, probes, summary) VALUES (?, ?, 0, ?)",
                                       arguments: [t0, t0, String(repeating: "x", count: 100 + index)])
                    }
                }
            }
            #expect(StorageFailure.explain(error) == "the database cannot be written: the disk is full; free space on it, then try again")
        }
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
                batch.append((camera, probeResult(outcome, at: start.addingTimeInterval(seconds))))
            }
        }
        try t.store.write(batch)
        let patrol = DailyPatrol(store: t.store, settings: DailyPatrolSettings())
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
