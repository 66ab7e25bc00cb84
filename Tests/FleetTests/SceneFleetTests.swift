import Foundation
import GRDB
import PatrolInventory
import PatrolProbe
@testable import PatrolStore
import PatrolTestSupport
import Testing

/// The scene checks and the camera's clock against the fleet's drawn room (`/scene/*`) and its
/// cameras with a right and a wrong clock (`/stack/clock-*`): through `patrol probe` and patrold.
@Suite("Scene checks and camera clocks on the fleet")
struct SceneFleetTests {
    func probe(_ arguments: [String]) throws -> CommandRun { try CommandRun("patrol", ["probe"] + arguments) }

    func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-scene-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("against the approved room: night, lights, passers-by, an open door, a low bitrate and another resolution are the scene; panned, another place and a wall are moved, half covered is obstructed, a smeared lens blurred")
    func scenes() throws {
        let fleet = try Fleet.get()
        let reference = try folder().appendingPathComponent("approved.jpg").path
        let taken = try probe(["--snapshot", reference, "rtsp://127.0.0.1:\(fleet.port)/scene/approved"])
        try #require(taken.status == 0, "\(taken.all)")
        let expected: [(String, Outcome)] = [
            ("night", .online), ("lights", .online), ("passersby", .online), ("door", .online), ("lowbitrate", .online),
            ("resolution", .online), ("panned", .moved), ("elsewhere", .moved), ("wall", .moved), ("covered", .obstructed),
            ("blurred", .blurred),
        ]
        for (view, outcome) in expected {
            let run = try probe(["--json", "--reference", reference, "rtsp://127.0.0.1:\(fleet.port)/scene/\(view)"])
            let result = try ProbeResult.jsonDecoder().decode(ProbeResult.self, from: Data(run.stdout.utf8))
            #expect(result.outcome == outcome, "\(view): \(result.detail) \(String(describing: result.scene))")
            #expect(result.scene != nil, "\(view) was compared")
        }
    }

    @Test("a camera's clock is read from its RTCP sender reports: 300 s fast is 300 s fast, a right one within a second")
    func clocks() throws {
        let fleet = try Fleet.get()
        for transport in ["tcp", "udp"] {
            for (path, offset) in [("/stack/clock-skew", 300.0), ("/stack/clock-ok", 0.0)] {
                let run = try probe(["--json", "--transport", transport, "rtsp://127.0.0.1:\(fleet.port)\(path)"])
                let result = try ProbeResult.jsonDecoder().decode(ProbeResult.self, from: Data(run.stdout.utf8))
                let read = try #require(result.clockOffset, "\(path) over \(transport): \(run.all)")
                #expect(abs(read - offset) < 1, "\(path) over \(transport): \(read) s")
            }
        }
        // A server whose sender reports carry no wall clock (NTP time 0, as the fleet's media-server
        // imitation sends them) has no clock to read, not one eight years fast.
        let cache = try probe(["--json", "rtsp://127.0.0.1:\(fleet.port)/stack/cache-burst"])
        #expect(try ProbeResult.jsonDecoder().decode(ProbeResult.self, from: Data(cache.stdout.utf8)).clockOffset == nil, "\(cache.all)")
    }

    @Test("patrold: a camera turned to the wall is moved, a camera half covered obstructed; a clock read is recorded")
    func daemon() throws {
        let fleet = try Fleet.get()
        let turned = Fleet.Mounts.path(Fleet.Mounts.scene.lowerBound), covered = Fleet.Mounts.path(Fleet.Mounts.scene.lowerBound + 1)
        defer {
            try? fleet.set(turned, "healthy")
            try? fleet.set(covered, "healthy")
        }
        for mount in [turned, covered] { try fleet.set(mount, "scene-approved") }
        let folder = try folder()
        let config = folder.appendingPathComponent("patrol.yaml").path
        try "database: patrol.sqlite\ncredentials: credentials.sqlite\n".write(toFile: config, atomically: true, encoding: .utf8)
        let cameras = try [("C1", turned), ("C2", covered), ("C3", "/stack/clock-skew")].map {
            try Camera(id: $0.0, venueID: "V0001", placement: .interior, url: "rtsp://127.0.0.1:\(fleet.port)\($0.1)")
        }
        try TestDistrict.writeCSV(Inventory(venues: TestDistrict.hotels(1), cameras: cameras), to: folder)
        try #require(try CommandRun("patrol", ["inventory", "import", "venues.csv", "cameras.csv", "--config", config],
                                    directory: folder).status == 0)
        #expect(try CommandRun("patrold", ["--config", config, "--once"]).status == 0)
        try fleet.set(turned, "scene-wall")
        try fleet.set(covered, "scene-covered")
        #expect(try CommandRun("patrold", ["--config", config, "--once"]).status == 0)

        let store = try Store(path: folder.appendingPathComponent("patrol.sqlite").path, readOnly: true)
        let latest = try store.pool.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: """
                SELECT camera_id, outcome FROM probe_result p WHERE at = (SELECT max(at) FROM probe_result q WHERE q.camera_id = p.camera_id)
                """).map { ($0["camera_id"] as String, $0["outcome"] as String) })
        }
        #expect(latest["C1"] == "moved" && latest["C2"] == "obstructed", "\(latest)")
        // (C3's stream starts every session at the same keyframe of its loop: its second sweep
        // shows the first one's picture, and is frozen; only its clock matters here.)
        #expect(try store.snapshots(of: "C2").first?.outcome == .obstructed)
        // patrold --once does not wait for a sender report (the daemon does, once an hour); a clock
        // read when one came anyway is the camera's.
        if let clock = try store.camera(id: "C3")?.clockOffset { #expect(abs(clock - 300) < 1) }
    }
}
