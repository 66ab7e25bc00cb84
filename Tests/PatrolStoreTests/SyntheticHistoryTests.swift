import Foundation
import GRDB
import PatrolFixtures
import PatrolInventory
import PatrolTestSupport
import Testing
@testable import PatrolStore

@Suite("Synthetic history")
struct SyntheticHistoryTests {
    func filled(seed: UInt64 = 7) throws -> (TemporaryStore, SyntheticHistoryReport) {
        let t = try TemporaryStore()
        try t.seed(venues: 4)
        var history = SyntheticHistory(until: t0)
        history.days = 3
        history.rawDays = 1
        history.seed = seed
        history.downShare = 0.5
        history.changedShare = 0.5
        return (t, try t.store.fill(history))
    }

    func count(_ store: Store, _ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try store.pool.read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
    }

    @Test("raw results for the retained days, roll-ups for all, state and metadata consistent with them")
    func consistent() throws {
        let (t, report) = try filled()
        let store = t.store
        #expect(report.cameras == 12)
        // General cadence: 96 probes a day, 3 days.
        #expect(report.probes == 12 * 3 * 96)
        #expect(try count(store, "SELECT sum(probes) FROM rollup WHERE period = 'day'") == report.probes)
        #expect(try count(store, "SELECT sum(probes) FROM rollup WHERE period = 'hour'") == report.probes)
        #expect(try count(store, "SELECT count(*) FROM rollup") == report.rollups)
        #expect(try count(store, "SELECT count(*) FROM probe_result") == report.rawResults)
        #expect(report.rawResults == 12 * 96)
        #expect(try count(store, "SELECT count(*) FROM probe_result WHERE at < ? OR at >= ?",
                          [t0.addingTimeInterval(-86_400), t0]) == 0)
        #expect(try count(store, "SELECT count(*) FROM state_event") == report.statusChanges)
        var down = CameraFilter()
        down.status = .down
        #expect(try store.cameras(matching: down).map(\.id) == report.down)
        #expect(!report.down.isEmpty)
        let changed = try store.pool.read { try String.fetchAll($0, sql: "SELECT DISTINCT camera_id FROM metadata_change") }
        #expect(Set(changed) == Set(report.metadataChanges.keys))
        #expect(try count(store, "SELECT count(*) FROM stream_metadata") == 12)
    }

    @Test("the same seed gives the same history; a database with history is refused")
    func deterministic() throws {
        let (t, first) = try filled()
        #expect(try filled().1 == first)
        #expect(try filled(seed: 8).1 != first)
        #expect(throws: Store.HistoryExists.self) { try t.store.fill(SyntheticHistory(until: t0)) }
    }
}
