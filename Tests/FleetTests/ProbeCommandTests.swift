import Foundation
import PatrolTestSupport
import PatrolProbe
import Testing

/// The real `patrol` binary, run as a subprocess against the fleet.
@Suite("patrol probe, the command")
struct ProbeCommandTests {
    func patrol(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandRun {
        try CommandRun("patrol", arguments, environment: environment)
    }

    @Test("--json prints one object with the outcome, measurements and metadata; exit 0 when online")
    func json() throws {
        let fleet = try Fleet.get()
        let run = try patrol(["probe", "--json", "rtsp://127.0.0.1:\(fleet.port)/cam/0010"])
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["outcome"] as? String == "online")
        let stream = try #require(object["stream"] as? [String: Any])
        #expect(stream["codec"] as? String == "h264")
        #expect(stream["width"] as? Int != nil)
        let measurements = try #require(object["measurements"] as? [String: Any])
        #expect((measurements["frames"] as? Int ?? 0) > 0)
        #expect(measurements["fps"] as? Double != nil)
        let picture = try #require(object["picture"] as? [String: Any])
        #expect(picture["fingerprint"] as? String != nil)
        // And it decodes back into a ProbeResult.
        let result = try ProbeResult.jsonDecoder().decode(ProbeResult.self, from: Data(run.stdout.utf8))
        #expect(result.outcome == .online)
    }

    @Test("--snapshot keeps the keyframe as a JPEG; --reference compares a camera with it: the same scene is online, another is moved")
    func snapshotAndReference() throws {
        let fleet = try Fleet.get()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-snapshot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let picture = directory.appendingPathComponent("cam0011.jpg").path
        let taken = try patrol(["probe", "--snapshot", picture, "rtsp://127.0.0.1:\(fleet.port)/variant/720p"])
        #expect(taken.status == 0, "\(taken.all)")
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: picture))
        #expect(jpeg.starts(with: [0xFF, 0xD8]) && jpeg.suffix(2) == Data([0xFF, 0xD9]))
        #expect(taken.stdout.contains("snapshot: 640x360 JPEG"))
        // The picture FFmpeg reads back has the scene the probe saw.
        _ = try PictureFile.scene(at: picture)

        let same = try patrol(["probe", "--json", "--reference", picture, "rtsp://127.0.0.1:\(fleet.port)/variant/1080p"])
        #expect(same.status == 0, "\(same.all)")
        let sameResult = try ProbeResult.jsonDecoder().decode(ProbeResult.self, from: Data(same.stdout.utf8))
        #expect(sameResult.outcome == .online)
        // Another moment of the fleet's moving pattern, at another resolution: 0.69 to 0.85 of the
        // reference's regions measured over 12 probes (the pattern's moving parts differ from
        // keyframe to keyframe); a moved camera keeps under 0.40.
        #expect(try #require(sameResult.scene).matchingShare > 0.6)
        #expect(sameResult.snapshot == nil)

        let other = try patrol(["probe", "--reference", picture, "rtsp://127.0.0.1:\(fleet.port)/variant/night"])
        #expect(other.status == 30, "\(other.all)")
        #expect(other.stdout.contains("MOVED"))

        let unreadable = try patrol(["probe", "--reference", directory.appendingPathComponent("none.jpg").path,
                                     "rtsp://127.0.0.1:\(fleet.port)/variant/720p"])
        #expect(unreadable.status == 64)
        #expect(unreadable.stderr.contains("cannot read the picture"))
    }

    @Test("each failure has its documented exit status", arguments: [
        ("/fault/missing", Int32(23)), ("/fault/black", 28), ("/fault/audio-only", 25), ("/fault/auth-basic", 22),
    ])
    func exitStatus(path: String, status: Int32) throws {
        let fleet = try Fleet.get()
        let run = try patrol(["probe", "rtsp://127.0.0.1:\(fleet.port)\(path)"])
        #expect(run.status == status, "\(run.all)")
    }

    @Test("credentials never appear in the output, whatever happens")
    func credentialsStaySecret() throws {
        let fleet = try Fleet.get()
        let secret = "fleet-secret"
        let cases: [[String]] = [
            ["probe", "rtsp://admin:\(secret)@127.0.0.1:\(fleet.port)/fault/auth-basic"],
            ["probe", "--json", "rtsp://admin:\(secret)@127.0.0.1:\(fleet.port)/fault/auth-digest"],
            ["probe", "--json", "rtsp://admin:\(secret)x@127.0.0.1:\(fleet.port)/fault/auth-basic"],
            ["probe", "rtsp://admin:\(secret)@127.0.0.1:\(fleet.refusedPort)/cam/0001"],
            ["probe", "--deadline", "1", "rtsp://admin:\(secret)@127.0.0.1:\(fleet.blackholePort)/cam/0001"],
            ["probe", "rtsp://admin:\(secret)@no-such-camera.invalid/cam/0001"],
            ["probe", "rtsp://admin:\(secret)@/nohost"],
            ["probe", "ftp://admin:\(secret)@127.0.0.1/x"],
        ]
        // Each case reaches the stage it is for: authenticated (online; or stalled, 26, when a loaded
        // host holds the fleet's frames back past the probe's silence limit: still past the login),
        // refused credentials, refused connection, no answer, no such host, no host, not RTSP.
        let expected: [Set<Int32>] = [[0, 26], [0, 26], [22], [20], [21], [20], [64], [64]]
        for (arguments, allowed) in zip(cases, expected) {
            let run = try patrol(arguments)
            let shown = arguments.dropLast().joined(separator: " ")
            #expect(allowed.contains(run.status), "\(shown): exit \(run.status)\n\(run.all)")
            #expect(!run.all.contains(secret), "leaked by \(shown)")
            #expect(!run.all.contains("admin:"), "leaked user by \(shown)")
        }
    }

    @Test("credentials can be passed apart from the URL")
    func separateCredentials() throws {
        let fleet = try Fleet.get()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-pw-\(getpid())")
        try "fleet-secret\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try patrol(["probe", "--username", "admin", "--password-file", file.path,
                              "rtsp://127.0.0.1:\(fleet.port)/fault/auth-digest"])
        #expect(run.status == 0, "\(run.all)")
        let fromEnvironment = try patrol(["probe", "--username", "admin", "rtsp://127.0.0.1:\(fleet.port)/fault/auth-basic"],
                                         environment: ["PATROL_CAMERA_PASSWORD": "fleet-secret"])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.all)")
    }
}
