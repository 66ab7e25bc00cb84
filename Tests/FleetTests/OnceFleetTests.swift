import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
@testable import PatrolStore
import PatrolTestSupport
import Testing

/// `patrold --once`, the real binary, over a few cameras of the fleet imported by `patrol
/// inventory import` at two hotels: the sweep's summary and rows, and the pictures it keeps.
@Suite("patrold --once over the fleet")
struct OnceFleetTests {
    let fleet: Fleet
    let folder: URL
    let config: String

    init() throws {
        fleet = try Fleet.get()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-once-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        config = folder.appendingPathComponent("patrol.yaml").path
        try "database: patrol.sqlite\ncredentials: credentials.sqlite\nschedule:\n  per_host_sessions: 64\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
    }

    /// Imports `cameras` (id, venue, placement, the fleet's path) at the hotels V0001 and V0002.
    func importCameras(_ cameras: [(String, String, Placement, String)]) throws {
        let list = try cameras.map { try Camera(id: $0.0, venueID: $0.1, placement: $0.2, url: "rtsp://127.0.0.1:\(fleet.port)\($0.3)") }
        try TestDistrict.writeCSV(Inventory(venues: TestDistrict.hotels(2), cameras: list), to: folder)
        let imported = try CommandRun("patrol", ["inventory", "import", "venues.csv", "cameras.csv", "--config", config],
                                      directory: folder)
        try #require(imported.status == 0, "\(imported.all)")
    }

    func count(_ sql: String) throws -> Int {
        let store = try Store(path: folder.appendingPathComponent("patrol.sqlite").path, readOnly: true)
        return try store.pool.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    @Test("patrold --once sweeps every camera, writes each result and prints the summary")
    func once() throws {
        try importCameras([("C1", "V0001", .perimeter, "/cam/0021"), ("C2", "V0001", .interior, "/cam/0022"),
                           ("C3", "V0002", .interior, "/cam/0024"), ("C4", "V0002", .interior, "/fault/black"),
                           ("C5", "V0002", .interior, "/fault/missing")])
        let run = try CommandRun("patrold", ["--config", config, "--once"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = Dictionary(uniqueKeysWithValues: run.stdout.split(separator: "\n").compactMap { line -> (String, [Int])? in
            let words = line.split(separator: " ")
            guard words.count == 4, let total = Int(words[3]) else { return nil }
            return (String(words[0]), [Int(words[1]) ?? -1, Int(words[2]) ?? -1, total])
        })
        #expect(rows["online"] == [1, 2, 3])
        #expect(rows["black"] == [0, 1, 1])
        #expect(rows["not_found"] == [0, 1, 1])
        #expect(rows["all"] == [1, 4, 5])
        #expect(try count("SELECT count(*) FROM probe_result") == 5)
        #expect(try count("SELECT count(*) FROM sweep") == 1)
    }

    @Test("patrold --once patrols both systems: the cameras swept, the registration platform read, what it said kept for patrol registration")
    func bothSystems() throws {
        let platform = try RegistryPlatform(systems: ["HTL-0001", "HTL-0002"])
        try platform.set("HTL-0002", "offline", seconds: 3600)
        try """
            database: patrol.sqlite
            credentials: credentials.sqlite
            schedule:
              per_host_sessions: 64
            registration:
              platform: \(platform.url.absoluteString)
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let venues = TestDistrict.hotels(2).map { venue -> Venue in
            var venue = venue
            venue.registration = .systems(["HTL-" + venue.id.dropFirst()])
            return venue
        }
        let cameras = try [("C1", "V0001", "/cam/0021"), ("C2", "V0002", "/cam/0022")].map {
            try Camera(id: $0.0, venueID: $0.1, placement: .interior, url: "rtsp://127.0.0.1:\(fleet.port)\($0.2)")
        }
        try TestDistrict.writeCSV(Inventory(venues: venues, cameras: cameras), to: folder)
        let imported = try CommandRun("patrol", ["inventory", "import", "venues.csv", "cameras.csv", "--config", config], directory: folder)
        try #require(imported.status == 0, "\(imported.all)")
        let run = try CommandRun("patrold", ["--config", config, "--once"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("online                 0         2         2"))
        #expect(run.stdout.hasSuffix("registration platform read: 2 systems, 1 offline, 0 uploads stuck\n"))
        #expect(try platform.requests() == 1)
        let down = try CommandRun("patrol", ["registration", "--down", "--config", config])
        #expect(down.stdout.contains("HTL-0002  V0002 平安宾馆2号  general  offline"))
        // Offline since its heartbeat stopped, an hour before this first read.
        #expect(down.stdout.contains("(1h 00m)  1h 00m ago"))
        #expect(!down.stdout.contains("HTL-0001 "))
    }

    @Test("patrold keeps each camera's first healthy picture as its reference, a picture when an outcome changes, and nothing more while nothing does; a camera turned away is moved")
    func pictures() throws {
        let turned = Fleet.Mounts.path(Fleet.Mounts.pictures.lowerBound)
        defer { try? fleet.set(turned, "healthy") }
        try importCameras([("C1", "V0001", .interior, turned),
                           ("C2", "V0001", .interior, Fleet.Mounts.path(Fleet.Mounts.pictures.upperBound)),
                           ("C3", "V0002", .interior, "/fault/black")])
        let store = { try Store(path: self.folder.appendingPathComponent("patrol.sqlite").path, readOnly: true) }

        // First sweep: the two healthy cameras get their reference, the black one its evidence.
        #expect(try CommandRun("patrold", ["--config", config, "--once"]).status == 0)
        #expect(try count("SELECT count(*) FROM camera_reference") == 2)
        let first = try Dictionary(grouping: ["C1", "C2", "C3"].flatMap { try store().snapshots(of: $0) }, by: \.cameraID)
        #expect(first["C1"]?.map(\.reason) == [.reference])
        #expect(first["C2"]?.map(\.reason) == [.reference])
        #expect(first["C3"]?.map(\.reason) == [.change])
        #expect(first["C3"]?.first?.outcome == .black)
        for kept in first.values.flatMap({ $0 }) {
            let jpeg = try Data(contentsOf: URL(fileURLWithPath: kept.path))
            #expect(SnapshotDirectory.sha256(jpeg) == kept.sha256)
            #expect(kept.path.hasPrefix(folder.appendingPathComponent("snapshots").path))
            #expect(jpeg.count == kept.bytes && kept.width == 640)
        }

        // Second sweep: nothing changed, nothing is kept.
        #expect(try CommandRun("patrold", ["--config", config, "--once"]).status == 0)
        #expect(try count("SELECT count(*) FROM snapshot") == 3)

        // The camera turned to another scene: moved, and the picture of it kept.
        try fleet.set(turned, "night")
        #expect(try CommandRun("patrold", ["--config", config, "--once"]).status == 0)
        let moved = try #require(try store().snapshots(of: "C1").first)
        #expect(moved.outcome == .moved)
        #expect(moved.reason == .change)
        #expect(try count("SELECT count(*) FROM snapshot") == 4)
        #expect(try count("SELECT count(*) FROM probe_result WHERE camera_id = 'C1' AND outcome = 'moved' AND snapshot IS NOT NULL") == 1)

        let shown = try CommandRun("patrol", ["camera", "C1", "--config", config], directory: folder)
        #expect(shown.status == 0, "\(shown.all)")
        #expect(shown.stdout.contains(moved.path))
        #expect(shown.stdout.contains("first healthy picture"))
        let status = try CommandRun("patrol", ["status", "--json", "--config", config], directory: folder)
        let pictures = try #require((try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["pictures"]
            as? [String: Any])
        #expect(pictures["pictures"] as? Int == 4 && pictures["references"] as? Int == 2, "\(pictures)")

        // The camera was re-aimed on purpose: an operator approves its new scene, in the ledger.
        let approved = try CommandRun("patrol", ["camera", "C1", "reference", "--approve", "--by", "张伟",
                                                 "--reason", "按整改要求调整了角度", "--config", config], directory: folder)
        #expect(approved.status == 0, "\(approved.all)")
        let reference = try #require(try store().reference(of: "C1"))
        #expect(reference.sha256 == moved.sha256)
        #expect(reference.approvedBy == "张伟")
        let note = try #require(try store().ledger(venue: "V0001").last)
        #expect(note.kind == .note && note.step.actor == "张伟")
        #expect(Evidence.pictures(in: note.step.evidence) == [moved.sha256])
        #expect(try CommandRun("patrol", ["ledger", "verify", "--config", config], directory: folder).stdout
            .contains("pictures: 1 cited as evidence match their hashes"))
        // The new scene is the scene now.
        #expect(try CommandRun("patrold", ["--config", config, "--once"]).status == 0)
        #expect(try count("SELECT outcome = 'online' FROM probe_result WHERE camera_id = 'C1' ORDER BY at DESC LIMIT 1") == 1)
        // A black picture cannot be approved as a scene.
        let refused = try CommandRun("patrol", ["camera", "C3", "reference", "--approve", "--by", "张伟", "--reason", "试",
                                                "--config", config], directory: folder)
        #expect(refused.status == 65, "\(refused.all)")
    }
}
