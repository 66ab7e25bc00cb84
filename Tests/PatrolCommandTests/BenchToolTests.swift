import Foundation
import PatrolInventory
import PatrolStore
import PatrolTestSupport
import Testing

/// The real `patrol-bench` binary, the measuring tool the benchmark scripts run; `patrol` no
/// longer carries its commands.
@Suite("patrol-bench, the measuring tool")
struct BenchToolTests {
    @Test("history fills a fresh database with probe history and patrols, and refuses one that has history")
    func history() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("patrol.sqlite").path
        // A priority venue with two cameras, a general one with one.
        let cameras = try TestDistrict.cameras([("C01", "V01", .perimeter), ("C02", "V01", .interior), ("C03", "V02", .interior)]) {
            "rtsp://127.0.0.1:8554/cam/\($0.dropFirst())"
        }
        let venues = [TestDistrict.pingan("V01", tier: .priority), TestDistrict.xingkong("V02", tier: .general)]
        try TestDistrict.writeCSV(Inventory(venues: venues, cameras: cameras), to: folder)
        let empty = try CommandRun("patrol-bench", ["history", "--db", database])
        #expect(empty.status == 65 && empty.stderr.contains("the database has no cameras"), "\(empty.all)")
        let imported = try CommandRun("patrol", ["inventory", "import", "venues.csv", "cameras.csv", "--db", database],
                                      directory: folder)
        #expect(imported.status == 0, "\(imported.all)")

        let filled = try CommandRun("patrol-bench", ["history", "--db", database, "--days", "2", "--raw-days", "1",
                                                     "--verdict-days", "3", "--seed", "5"])
        #expect(filled.status == 0, "\(filled.all)")
        let lines = filled.stdout.split(separator: "\n")
        // Priority every 60 s, general every 900 s: 2 × (2 × 1,440 + 96) probes.
        #expect(lines.first?.hasPrefix("3 cameras: 5952 probes over 2 days, 2976 raw results (1 days)") == true, "\(filled.stdout)")
        #expect(lines.last?.hasPrefix("6 venue-days over 3 patrol days") == true, "\(filled.stdout)")
        let store = try Store.reading(database)
        #expect(try store.cameras().allSatisfy { $0.lastProbeAt != nil && $0.codec != nil })
        #expect(try store.lastPatrol()?.venues == 2)

        let again = try CommandRun("patrol-bench", ["history", "--db", database])
        #expect(again.status == 65 && again.stderr.contains("already holds probe history"), "\(again.all)")
        let gone = try CommandRun("patrol", ["bench-history", "--db", database])
        #expect(gone.status == 64, "\(gone.all)")
    }
}
