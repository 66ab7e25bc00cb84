import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolRegistration
import PatrolProbe
import PatrolSettings
import PatrolTestSupport
import Testing
@testable import PatrolStore

@Suite("The store: batches, state, roll-ups, metadata, retention, inventory")
struct StoreTests {
    func count(_ store: Store, _ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try store.pool.read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
    }

    @Test("a batch is one transaction: all its results land, with state and roll-ups")
    func batch() throws {
        let t = try TemporaryStore()
        try t.seed(venues: 2)
        let batch = (1...6).map { (cameraID: String(format: "C%05d", $0), result: probeResult(.online, at: t0)) }
        let report = try t.store.write(batch)
        #expect(report.results == 6)
        #expect(try count(t.store, "SELECT count(*) FROM probe_result") == 6)
        #expect(try count(t.store, "SELECT count(*) FROM camera_state WHERE status = 'up'") == 6)
        #expect(try count(t.store, "SELECT sum(probes) FROM rollup WHERE period = 'hour'") == 6)
        #expect(try count(t.store, "SELECT sum(n_online) FROM rollup WHERE period = 'day'") == 6)
        // A result for a camera not in the inventory is dropped, not an error.
        #expect(try t.store.write([(cameraID: "C99999", result: probeResult(.online, at: t0))]).results == 0)
    }

    @Test("the migrated schema has a roll-up counter for every outcome the probe can give")
    func rollupColumns() throws {
        let t = try TemporaryStore()
        let columns = try t.store.pool.read { try Row.fetchAll($0, sql: "PRAGMA table_info(rollup)").map { $0["name"] as String } }
        let missing = Outcome.allCases.map { "n_\($0.rawValue)" }.filter { !columns.contains($0) }
        #expect(missing == [], "a new outcome needs a migration adding its roll-up column")
    }

    @Test("flapping once does not change state; staying down does, with an event")
    func debounce() throws {
        let t = try TemporaryStore()
        try t.seed(venues: 1)
        let camera = "C00002"
        let outcomes: [Outcome] = [.online, .timeout, .online, .refused, .refused, .refused, .online, .online]
        var changes: [StatusChange] = []
        for (i, outcome) in outcomes.enumerated() {
            changes += try t.store.write([(cameraID: camera, result: probeResult(outcome, at: t0.addingTimeInterval(Double(i) * 60)))]).statusChanges
        }
        #expect(changes.map(\.to) == [.up, .down, .up])
        #expect(changes[1].outcome == .refused)
        #expect(try count(t.store, "SELECT count(*) FROM state_event WHERE camera_id = ?", [camera]) == 3)
        let since = try t.store.pool.read { try Date.fetchOne($0, sql: "SELECT status_since FROM camera_state WHERE camera_id = ?", arguments: [camera]) }
        #expect(since == t0.addingTimeInterval(7 * 60))
    }

    @Test("an online probe showing the previous probe's very picture is frozen")
    func frozenAcrossProbes() throws {
        let t = try TemporaryStore()
        try t.seed(venues: 1)
        try t.store.write([(cameraID: "C00001", result: probeResult(.online, at: t0, fingerprint: 7))])
        let report = try t.store.write([(cameraID: "C00001", result: probeResult(.online, at: t0.addingTimeInterval(900), fingerprint: 7))])
        #expect(report.frozenAcrossProbes == 1)
        let stored = try t.store.pool.read { try String.fetchOne($0, sql: "SELECT outcome FROM probe_result ORDER BY id DESC LIMIT 1") }
        #expect(stored == "frozen")
        // A different picture next time is online again.
        let next = try t.store.write([(cameraID: "C00001", result: probeResult(.online, at: t0.addingTimeInterval(1800), fingerprint: 8))])
        #expect(next.frozenAcrossProbes == 0)
    }

    @Test("a frozen camera whose encoder is settling is frozen on the second probe after it settles; damaged pictures compare with nothing")
    func frozenWhileSettling() throws {
        let t = try TemporaryStore()
        try t.seed(venues: 1)
        let still = (0..<576).map { UInt8(truncatingIfNeeded: 40 + $0 * 7 % 160) }
        func probe(_ minute: Double, shift: Int, damaged: Bool = false) -> ProbeResult {
            var r = probeResult(.online, at: t0.addingTimeInterval(minute * 60))
            r.picture?.fingerprint = Fingerprint(samples: still.map { UInt8(Int($0) + shift) })!
            r.picture?.damaged = damaged
            return r
        }
        func frozen(_ r: ProbeResult) throws -> Bool {
            try t.store.write([(cameraID: "C00001", result: r)]).frozenAcrossProbes == 1
        }
        // Two keyframes of the same still differ by 0.009 while the encoder's rate control settles
        // (shifts of 0 and 2 levels): no verdict of frozen can rest on that.
        #expect(Fingerprint(samples: still)!.difference(from: probe(0, shift: 2).picture!.fingerprint) > 0.0078)
        #expect(try !frozen(probe(0, shift: 0)))
        #expect(try !frozen(probe(15, shift: 2)))
        // Settled: the next probe shows the same picture as the one before it.
        #expect(try !frozen(probe(30, shift: 3, damaged: true)))  // a damaged picture is compared with nothing
        #expect(try frozen(probe(45, shift: 2)))
    }

    @Test("the metadata index keeps the current values and a history of changes")
    func metadata() throws {
        let t = try TemporaryStore()
        try t.seed(venues: 2)
        try t.store.write([(cameraID: "C00001", result: probeResult(.online, at: t0, width: 1920, height: 1080)),
                           (cameraID: "C00002", result: probeResult(.online, at: t0, width: 1920, height: 1080)),
                           (cameraID: "C00004", result: probeResult(.online, at: t0, width: 1280, height: 720))])
        // A failure does not touch the index.
        try t.store.write([(cameraID: "C00001", result: probeResult(.timeout, at: t0.addingTimeInterval(60)))])
        let day = t0.addingTimeInterval(86_400)
        let report = try t.store.write([(cameraID: "C00001", result: probeResult(.online, at: day, width: 640, height: 360)),
                                        (cameraID: "C00002", result: probeResult(.online, at: day, width: 1920, height: 1080, fps: 24.6)),
                                        (cameraID: "C00004", result: probeResult(.online, at: day, width: 640, height: 360, fps: 15))])
        #expect(report.metadataChanges == 5)  // C00001 w,h; C00004 w,h,fps
        let dropped = try t.store.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT camera_id FROM metadata_change
                WHERE field = 'height' AND old_value = '1080' AND new_value = '360' AND at >= ?
                """, arguments: [t0.addingTimeInterval(3600)])
        }
        #expect(dropped == ["C00001"])
        #expect(try count(t.store, "SELECT height FROM stream_metadata WHERE camera_id = 'C00004'") == 360)
    }

    @Test("raw results and registration samples past retention are pruned; roll-ups and applied files' reads stay")
    func retention() throws {
        let t = try TemporaryStore()
        let small = try TestDistrict.small(venues: 1)
        var venue = small.venues[0]
        venue.registration = .systems(["HTL-0001"])
        try t.seed(Inventory(venues: [venue], cameras: small.cameras))
        for day in 0..<10 {
            let at = t0.addingTimeInterval(Double(day) * 86_400)
            try t.store.write([(cameraID: "C00001", result: probeResult(.online, at: at))])
            let sample = RegistrationSample(systemID: "HTL-0001", at: at, online: true, uploadedToday: 1)
            let source: RegistrationReading.Source = day == 0 ? .file(name: "a.csv", encoding: "utf-8", sha256: "ab") : .platform
            try t.store.recordRegistration(RegistrationReading(at: at, source: source, samples: [sample]), heartbeatTimeout: 900)
        }
        // Until the daily patrol has judged their days, raw results stay whatever their age.
        #expect(try t.store.prune(now: t0.addingTimeInterval(9 * 86_400), rawDays: 7, rollupDays: 730).results == 0)
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        try DailyPatrol(store: t.store, settings: DailyPatrolSettings()).runDue(now: t0.addingTimeInterval(9 * 86_400))
        #expect(try t.store.lastPatrolDay() == PatrolDay.containing(t0.addingTimeInterval(8 * 86_400), in: zone))
        let pruned = try t.store.prune(now: t0.addingTimeInterval(9 * 86_400), rawDays: 7, rollupDays: 730)
        #expect(pruned.results == 2)
        #expect(pruned.registration == 2)
        #expect(try count(t.store, "SELECT count(*) FROM probe_result") == 8)
        #expect(try count(t.store, "SELECT count(*) FROM registration_sample") == 8)
        // The file's read stays (it is how the same file dropped again is known); the endpoint's old read goes.
        #expect(try count(t.store, "SELECT count(*) FROM registration_read") == 9)
        #expect(throws: Store.AlreadyApplied.self) {
            try t.store.recordRegistration(RegistrationReading(at: Date(), source: .file(name: "again.csv", encoding: "utf-8", sha256: "ab"),
                                                               samples: []), heartbeatTimeout: 900)
        }
        #expect(try count(t.store, "SELECT count(*) FROM rollup WHERE period = 'day'") == 10)
    }

    @Test("re-importing changes only what changed, retires what left and keeps its history")
    func reimport() throws {
        let t = try TemporaryStore()
        let first = try t.seed(venues: 3)
        try t.store.write([(cameraID: "C00009", result: probeResult(.online, at: t0))])
        // Same inventory again: nothing to do.
        #expect(try t.store.apply(first, vault: t.vault, zone: patrolZone).isEmpty)
        // Venue 3 leaves; a camera of venue 1 moves to another address.
        var cameras = first.cameras.filter { $0.venueID != "V0003" }
        cameras[0] = try Camera(id: "C00001", venueID: "V0001", placement: .perimeter, url: "rtsp://10.1.1.99:554/live")
        let second = Inventory(venues: first.venues.filter { $0.id != "V0003" }, cameras: cameras)
        let changes = try t.store.apply(second, vault: t.vault, zone: patrolZone)
        #expect(changes.removedCameras.map(\.id) == ["C00007", "C00008", "C00009"])
        #expect(changes.changedCameras.map(\.new.id) == ["C00001"])
        #expect(try t.store.inventory().cameras.count == 6)
        #expect(try count(t.store, "SELECT count(*) FROM probe_result WHERE camera_id = 'C00009'") == 1)
        // It comes back: same camera, history intact.
        try t.store.apply(first, vault: t.vault, zone: patrolZone)
        #expect(try t.store.inventory().cameras.count == 9)
        #expect(try count(t.store, "SELECT count(*) FROM camera WHERE retired_at IS NOT NULL") == 0)
    }

    @Test("credentials live in the vault, readable by its owner only, never in the main database")
    func credentials() throws {
        let t = try TemporaryStore()
        let inventory = try TestDistrict.small(venues: 1, password: "vault-only-secret")
        try t.store.apply(inventory, vault: t.vault, zone: patrolZone)
        var info = stat()
        stat(t.vault.path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        let main = try Data(contentsOf: URL(fileURLWithPath: t.store.path))
        #expect(main.range(of: Data("vault-only-secret".utf8)) == nil)
        let back = try t.store.inventory(vault: t.vault)
        #expect(back.cameras.first?.stream.credentials?.password == "vault-only-secret")
        #expect(try t.store.inventory().cameras.first?.stream.credentials == nil)
    }

    @Test("of two imports that overlap, the second to reach the main database changes nothing and says so")
    func overlappingImports() throws {
        let t = try TemporaryStore()
        try t.store.apply(try TestDistrict.small(venues: 2, password: "first"), vault: t.vault, zone: patrolZone)
        // While one import sits between its vault write and its main transaction, another runs whole.
        #expect(throws: Store.ConcurrentImport.self) {
            try t.store.apply(try TestDistrict.small(venues: 2, password: "slow"), vault: t.vault, zone: patrolZone, afterVaultWrite: {
                _ = try? t.store.apply(try TestDistrict.small(venues: 2, password: "fast"), vault: t.vault, zone: patrolZone)
            })
        }
        let passwords = Set(try t.store.inventory(vault: t.vault).cameras.compactMap { $0.stream.credentials?.password })
        #expect(passwords == ["fast"])
        // The overtaken import's generation, older than the one in force, went with the other's prune.
        #expect(try t.vault.generations().count == 1)
        try t.store.apply(try TestDistrict.small(venues: 2, password: "next"), vault: t.vault, zone: patrolZone)
        #expect(try t.vault.generations().count == 1)
        #expect(Set(try t.store.inventory(vault: t.vault).cameras.compactMap { $0.stream.credentials?.password }) == ["next"])
    }

    @Test("the database is readable by another connection while written, and by the sqlite3 tool")
    func concurrentRead() throws {
        let t = try TemporaryStore()
        try t.seed(venues: 1)
        try t.store.write([(cameraID: "C00001", result: probeResult(.online, at: t0))])
        let reader = try Store(path: t.store.path, readOnly: true)
        #expect(try count(reader, "SELECT count(*) FROM probe_result") == 1)
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [t.store.path, "SELECT outcome FROM probe_result"]
        let out = Pipe()
        sqlite.standardOutput = out
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "online\n")
    }
}

@Suite("The batch writer")
struct BatchWriterTests {
    final class Reports: @unchecked Sendable {
        let lock = NSLock()
        var sizes: [Int] = []
        func add(_ size: Int) { lock.withLock { sizes.append(size) } }
    }

    @Test("results are written in batches of at most batch_size, one transaction each, none lost")
    func batches() throws {
        let t = try TemporaryStore()
        try t.seed(venues: 100)  // 300 cameras
        let reports = Reports()
        let writer = BatchWriter(store: t.store, judge: ProbeJudge(), batchSize: 128, interval: 60) { outcome in
            if case .success(let report) = outcome { reports.add(report.results) }
        }
        let all = (1...300).map { (cameraID: String(format: "C%05d", $0), result: probeResult(.online, at: t0)) }
        for chunk in stride(from: 0, to: 300, by: 50) { writer.submit(Array(all[chunk..<chunk + 50])) }
        writer.drain()
        #expect(reports.sizes == [128, 128, 44])
        let stored = try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM probe_result") }
        #expect(stored == 300)
    }
}
