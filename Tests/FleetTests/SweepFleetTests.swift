import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings
@testable import PatrolStore
import PatrolSweep
import PatrolTestSupport
import Testing

/// A sweep of a few hundred cameras of the fleet, with faults injected, through the real
/// pool, the real probe and a real SQLite store.
@Suite("Sweeping the fleet")
struct SweepFleetTests {
    /// Camera number -> the fault it is given (the rest stay healthy).
    static let faults: [Int: (mode: String, outcome: Outcome)] = {
        let plan: [(String, Outcome)] = [("frozen", .frozen), ("black", .black), ("missing", .notFound),
                                        ("no-rtp", .stalled), ("corrupt", .corrupt), ("audio-only", .noVideo),
                                        ("unauthorized", .unauthorized)]
        var faults: [Int: (String, Outcome)] = [:]
        for (index, fault) in plan.enumerated() {
            for k in 0..<6 { faults[Fleet.Mounts.sweep.lowerBound + index * 35 + k * 5] = fault }
        }
        return faults
    }()

    @Test("every camera's outcome in the database is the fault injected into it")
    func sweep() throws {
        let fleet = try Fleet.get()
        for (number, fault) in Self.faults { try fleet.set(Fleet.Mounts.path(number), fault.mode) }
        defer { for number in Self.faults.keys { try? fleet.set(Fleet.Mounts.path(number), "healthy") } }

        // The sweep's 250 fleet cameras, plus 10 at a closed port and 10 at the silent listener.
        let fleetCameras = Fleet.Mounts.sweep
        var cameras: [Camera] = [], expected: [String: Outcome] = [:]
        var venues: [Venue] = []
        for number in fleetCameras.lowerBound...(fleetCameras.upperBound + 20) {
            let id = String(format: "C%05d", number), venue = String(format: "V%04d", (number - fleetCameras.lowerBound) / 4 + 1)
            if venues.last?.id != venue {
                venues.append(TestDistrict.venue(venue, "温馨公寓\(venue)", kind: .rental, number: venues.count + 1))
            }
            let url: String
            switch number {
            case fleetCameras:
                url = "rtsp://127.0.0.1:\(fleet.port)\(Fleet.Mounts.path(number))"
                expected[id] = Self.faults[number]?.outcome ?? .online
            case ...(fleetCameras.upperBound + 10):
                url = "rtsp://127.0.0.1:\(fleet.refusedPort)/cam/\(number)"
                expected[id] = .refused
            default:
                url = "rtsp://127.0.0.1:\(fleet.blackholePort)/cam/\(number)"
                expected[id] = .timeout
            }
            cameras.append(try Camera(id: id, venueID: venue, placement: number % 4 == 1 ? .perimeter : .interior, url: url))
        }
        let temporary = try TemporaryStore()
        let (store, vault) = (temporary.store, temporary.vault)
        try temporary.seed(Inventory(venues: venues, cameras: cameras))

        let probe = Fleet.steadyProbe
        var schedule = ScheduleSettings()
        schedule.perHostSessions = 1000  // the whole fleet is one host
        let pool = ProbePool(workers: schedule.workers, capacity: cameras.count)
        pool.start()
        defer { pool.stop(waitingUpTo: 1) }
        let writer = BatchWriter(store: store, judge: ProbeJudge(), batchSize: 64, interval: 0.2)
        let streams = try store.inventory(vault: vault).cameras.map {
            Sweeper.Stream(target: ScheduleTarget(id: $0.id, host: $0.stream.host, cadence: 900), url: $0.stream)
        }
        var batches = 0
        Sweeper(pool: pool, streams: streams, probe: probe, schedule: schedule).sweepOnce { batch in
            batches += 1
            writer.submit(batch.map { (cameraID: $0.0.target.id, result: $0.1) })
        }
        writer.drain()

        let stored = try store.pool.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT camera_id, last_outcome FROM camera_state").map {
                (String($0["camera_id"] as String), Outcome(rawValue: $0["last_outcome"] as String)!)
            })
        }
        #expect(stored.count == cameras.count)
        let wrong = expected.filter { stored[$0.key] != $0.value }.sorted { $0.key < $1.key }
        let details = try store.pool.read { db in
            try Dictionary(Row.fetchAll(db, sql: "SELECT camera_id, detail FROM probe_result").map {
                (String($0["camera_id"] as String), String($0["detail"] as String))
            }, uniquingKeysWith: { first, _ in first })
        }
        #expect(wrong.isEmpty, "\(wrong.map { "\($0.key): expected \($0.value.rawValue), got \(stored[$0.key]?.rawValue ?? "nothing") (\(details[$0.key] ?? ""))" })")
        let results = try store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM probe_result") }
        #expect(results == cameras.count)
        #expect(pool.completed == cameras.count)
    }
}
