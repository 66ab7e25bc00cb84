import Foundation
import GRDB
import PatrolInventory
import PatrolProbe
import PatrolTestSupport
import Testing
@testable import PatrolStore

/// The read side of the store, as the command line uses it, on a real SQLite file.
@Suite("Queries: cameras, venues, status, one camera")
struct QueryTests {
    /// Three venues (priority, watch, general) of three cameras each, probed:
    /// C00002 down (timeout), C00004 down (black), C00006 moved to 1080p H.265, C00009 never probed.
    static func probedDistrict() throws -> TemporaryStore {
        let t = try TemporaryStore()
        let plain = try TestDistrict.small(venues: 3)
        var venues = plain.venues
        venues[0].tier = .priority
        venues[0].supervisor = "张伟 (一组)"
        venues[1].tier = .watch
        try t.store.apply(Inventory(venues: venues, cameras: plain.cameras), vault: t.vault, zone: patrolZone)
        try t.store.write([(cameraID: "C00001", result: probeResult(.timeout, at: t0.addingTimeInterval(-10 * 86_400)))])
        try t.store.write([(cameraID: "C00001", result: probeResult(.online, at: t0.addingTimeInterval(-3 * 86_400)))])
        try t.store.write((1...8).map { (cameraID: String(format: "C%05d", $0), result: probeResult(.online, at: t0)) })
        for minute in 1...3 {
            let at = t0.addingTimeInterval(Double(minute) * 60)
            try t.store.write([(cameraID: "C00002", result: probeResult(.timeout, at: at)),
                               (cameraID: "C00004", result: probeResult(.black, at: at))])
        }
        try t.store.write([(cameraID: "C00006",
                            result: probeResult(.online, at: t0.addingTimeInterval(60), width: 1920, height: 1080, codec: "hevc"))])
        return t
    }

    func ids(_ store: Store, _ configure: (inout CameraFilter) -> Void) throws -> [String] {
        var filter = CameraFilter()
        configure(&filter)
        return try store.cameras(matching: filter).map(\.id)
    }

    @Test("each camera filter returns exactly the cameras it names")
    func filters() throws {
        let store = try Self.probedDistrict().store
        #expect(try ids(store) { _ in }.count == 9)
        #expect(try ids(store) { $0.status = .down } == ["C00002", "C00004"])
        #expect(try ids(store) { $0.tier = .priority; $0.placement = .interior; $0.status = .down } == ["C00002"])
        #expect(try ids(store) { $0.placement = .perimeter } == ["C00001", "C00004", "C00007"])
        #expect(try ids(store) { $0.outcome = .black } == ["C00004"])
        #expect(try ids(store) { $0.codec = "HEVC" } == ["C00006"])
        #expect(try ids(store) { $0.minHeight = 1080 } == ["C00006"])
        #expect(try ids(store) { $0.changedSince = t0.addingTimeInterval(30) } == ["C00006"])
        #expect(try ids(store) { $0.changedSince = t0.addingTimeInterval(120) } == [])
        #expect(try ids(store) { $0.venueID = "V0003" } == ["C00007", "C00008", "C00009"])
        #expect(try ids(store) { $0.status = .unknown } == ["C00009"])
    }

    @Test("a camera's summary says since when and why it is down")
    func summary() throws {
        let store = try Self.probedDistrict().store
        var filter = CameraFilter()
        filter.status = .down
        let down = try #require(store.cameras(matching: filter).first)
        #expect(down.id == "C00002" && down.venueName == "平安宾馆1号" && down.tier == .priority)
        #expect(down.since == t0.addingTimeInterval(60))
        #expect(down.reason == .timeout && down.lastOutcome == .timeout)
        #expect(down.codec == "h264" && down.height == 720)
    }

    @Test("the district status counts by status, outcome and tier, perimeter beside interior")
    func status() throws {
        let store = try Self.probedDistrict().store
        let status = try store.districtStatus(now: t0.addingTimeInterval(240), staleAfter: 1800)
        #expect(status.cameras == Tally("all", perimeter: 3, interior: 6))
        #expect(status.byStatus == [Tally("up", perimeter: 2, interior: 4), Tally("down", perimeter: 1, interior: 1),
                                    Tally("unknown", perimeter: 0, interior: 1)])
        let outcomes = Dictionary(uniqueKeysWithValues: status.byOutcome.map { ($0.name, $0.total) })
        #expect(outcomes["online"] == 6 && outcomes["timeout"] == 1 && outcomes["black"] == 1 && outcomes["not_probed"] == 1)
        #expect(status.byOutcome.map(\.total).reduce(0, +) == 9)
        #expect(status.downByTier == [Tally("priority", interior: 1), Tally("watch", perimeter: 1), Tally("general")])
        #expect(status.venues.total == 3 && status.venues.priority == 1 && status.venues.watch == 1)
        #expect(status.venues.withInteriorDown == 1 && status.venues.withPerimeterDown == 1)
        #expect(status.probing.lastProbeAt == t0.addingTimeInterval(180))
        #expect(status.probing.secondsSinceLastProbe == 60)
        #expect(!status.probing.stale)
        #expect(status.probing.lastSweep == nil)
    }

    @Test("data is stale when no probe came within the bound, or none ever")
    func stale() throws {
        let probed = try Self.probedDistrict().store
        #expect(try probed.districtStatus(now: t0.addingTimeInterval(180 + 1800), staleAfter: 1800).probing.stale == false)
        #expect(try probed.districtStatus(now: t0.addingTimeInterval(180 + 1801), staleAfter: 1800).probing.stale)
        let fresh = try TemporaryStore()
        try fresh.seed(venues: 1)
        let never = try fresh.store.districtStatus(now: t0, staleAfter: 1800).probing
        #expect(never.stale && never.lastProbeAt == nil)
    }

    @Test("one camera: latest probes newest first, status changes, uptime windows from the roll-ups")
    func camera() throws {
        let store = try Self.probedDistrict().store
        let now = t0.addingTimeInterval(240)
        let c2 = try #require(try store.camera(id: "C00002", probes: 2, now: now))
        #expect(c2.probes.map(\.at) == [t0.addingTimeInterval(180), t0.addingTimeInterval(120)])
        #expect(c2.probes.first?.outcome == .timeout)
        #expect(c2.statusChanges.map(\.to) == [.down, .up])
        #expect(c2.uptime.first == Uptime(days: 1, from: c2.uptime[0].from, probes: 4, online: 1))
        #expect(c2.uptime.first?.ratio == 0.25)
        #expect(c2.consecutiveFailures == 3 && c2.url == "rtsp://10.1.1.2:554/live" && !c2.hasCredentials)
        // C00001: probed 10 days ago (failed), 3 days ago and now (online).
        let c1 = try #require(try store.camera(id: "C00001", now: now))
        #expect(c1.uptime.map(\.days) == [1, 7, 30])
        #expect(c1.uptime.map(\.probes) == [1, 2, 3])
        #expect(c1.uptime.map(\.online) == [1, 2, 2])
        let c6 = try #require(try store.camera(id: "C00006", now: now))
        #expect(c6.metadata?.stream.codec == "hevc" && c6.metadata?.stream.height == 1080)
        #expect(Set(c6.metadataChanges.map(\.field)) == ["codec", "width", "height"])
        #expect(c6.metadataChanges.first { $0.field == "height" }?.oldValue == "720")
        #expect(try store.camera(id: "C99999") == nil)
    }

    @Test("venues: filtered, with their cameras counted; one venue with each camera")
    func venues() throws {
        let store = try Self.probedDistrict().store
        var filter = VenueFilter()
        filter.tier = .watch
        let watch = try store.venues(matching: filter)
        #expect(watch.map(\.venue.id) == ["V0002"])
        #expect(watch.first?.cameras.perimeterDown == 1 && watch.first?.cameras.interiorDown == 0)
        filter = VenueFilter()
        filter.district = "城东"
        filter.kind = .hotel
        #expect(try store.venues(matching: filter).count == 3)
        filter.kind = .rental
        #expect(try store.venues(matching: filter).isEmpty)
        let v1 = try #require(try store.venue(id: "V0001"))
        #expect(v1.venue.supervisor == "张伟 (一组)" && v1.venue.tier == .priority)
        #expect(v1.cameras.map(\.id) == ["C00001", "C00002", "C00003"])
        #expect(v1.counts.total == 3 && v1.counts.down == 1 && v1.counts.interiorDown == 1 && v1.counts.up == 2)
        #expect(try store.venue(id: "V9999") == nil)
    }
}

@Suite("Opening the database to read")
struct ReadingTests {
    @Test("a missing database is an error and is not created")
    func missing() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-none-\(UUID().uuidString).sqlite").path
        #expect(throws: Store.ReadError.missing(path: path)) { try Store.reading(path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a file that is not Patrol's database is named as such")
    func notPatrol() throws {
        let folder = try TemporaryStore().folder
        let text = folder.appendingPathComponent("notes.txt").path
        try "not a database, just text that is long enough to fill a header".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(throws: Store.ReadError.notPatrol(path: text)) { try Store.reading(text) }
        let other = folder.appendingPathComponent("other.sqlite").path
        let queue = try DatabaseQueue(path: other)
        try queue.write { try $0.execute(sql: "CREATE TABLE t (x)") }
        #expect(throws: Store.ReadError.notPatrol(path: other)) { try Store.reading(other) }
    }

    @Test("a database held exclusively by another connection is named locked")
    func locked() throws {
        let path = try { () throws -> String in
            let t = try TemporaryStore()
            try t.seed(venues: 1)
            return t.store.path
        }()  // closed again: the holder below is alone
        var exclusive = Configuration()
        exclusive.allowsUnsafeTransactions = true  // the lock outlives one access, on purpose
        let holder = try DatabaseQueue(path: path, configuration: exclusive)
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE")
            try db.execute(sql: "BEGIN EXCLUSIVE")
        }
        #expect(throws: Store.ReadError.locked(path: path)) { try Store.reading(path, wait: 0.1) }
        try holder.writeWithoutTransaction { try $0.execute(sql: "COMMIT; PRAGMA locking_mode = NORMAL") }
    }

    @Test("a database of an older or a newer Patrol is named as such, and left as it is")
    func versions() throws {
        let folder = try TemporaryStore().folder
        let path = folder.appendingPathComponent("older.sqlite").path
        // Older: made with every migration but the last.
        let migrations = Store.migrator.migrations
        try Store.migrator.migrate(try DatabaseQueue(path: path), upTo: migrations[migrations.count - 2])
        #expect(throws: Store.ReadError.outdated(path: path)) { try Store.reading(path) }
        let applied = { try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") } }
        #expect(try applied() == Array(migrations.dropLast()))
        // Opening it to write (as patrold does) upgrades it; then it reads.
        _ = try Store(path: path)
        #expect(try Store.reading(path).cameras().isEmpty)
        // Newer: a migration this Patrol does not know.
        try DatabaseQueue(path: path).write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('from a later version')") }
        #expect(throws: Store.ReadError.newer(path: path)) { try Store.reading(path) }
    }

    @Test("Patrol's database opens read-only: writing is refused")
    func readOnly() throws {
        let t = try TemporaryStore()
        try t.seed(venues: 1)
        let reader = try Store.reading(t.store.path)
        #expect(try reader.cameras().count == 3)
        #expect(throws: DatabaseError.self) { try reader.pool.write { try $0.execute(sql: "DELETE FROM camera") } }
    }
}
