import Foundation
import PatrolTestSupport
import Testing

/// `patrol-bench probe`, the real binary, on a camera of the fleet (its other commands need no
/// camera: PatrolCommandTests).
@Suite("patrol-bench probe, on the fleet")
struct BenchProbeTests {
    @Test("probe measures the probe's cost on a camera of the fleet and prints it as JSON")
    func probe() throws {
        let fleet = try Fleet.get()
        let run = try CommandRun("patrol-bench", ["probe", "rtsp://127.0.0.1:\(fleet.port)\(Fleet.Mounts.path(11))",
                                                  "--count", "2"])
        #expect(run.status == 0, "\(run.all)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["probes"] as? Int == 2)
        #expect(object["outcomes"] as? [String: Int] == ["online": 2])
        #expect((object["cpu_ms_per_probe"] as? Double ?? 0) > 0)
        #expect(object["pictures_checked"] as? Int == 2)
    }

    @Test("--steady probes with no picture due: online, and no picture checked")
    func steady() throws {
        let fleet = try Fleet.get()
        let run = try CommandRun("patrol-bench", ["probe", "rtsp://127.0.0.1:\(fleet.port)\(Fleet.Mounts.path(11))",
                                                  "--count", "3", "--steady"])
        #expect(run.status == 0, "\(run.all)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["outcomes"] as? [String: Int] == ["online": 3])
        #expect(object["pictures_checked"] as? Int == 0)
    }
}
