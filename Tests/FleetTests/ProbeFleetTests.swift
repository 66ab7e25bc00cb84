import Foundation
import PatrolTestSupport
import PatrolProbe
import PatrolSettings
import Testing

/// Probes through the real FFmpeg libraries against the real RTSP server of Samples/fleet.
@Suite("Probing the sample fleet", .serialized)
struct ProbeFleetTests {
    static let credentials = "admin:fleet-secret"

    struct Mount: Sendable, CustomStringConvertible {
        var path: String
        var expected: Outcome
        var credentials: String? = nil
        var description: String { "\(path)\(credentials == nil ? "" : " (with credentials)") -> \(expected.rawValue)" }
    }

    static let mounts: [Mount] = [
        Mount(path: "/cam/0001", expected: .online),
        Mount(path: "/cam/0002", expected: .online),
        Mount(path: "/variant/night", expected: .online),
        Mount(path: "/variant/static", expected: .online),
        Mount(path: "/variant/1080p", expected: .online),
        Mount(path: "/variant/360p", expected: .online),
        Mount(path: "/variant/lowfps", expected: .online),
        Mount(path: "/variant/h265", expected: .online),
        Mount(path: "/fault/auth-basic", expected: .unauthorized),
        Mount(path: "/fault/auth-basic", expected: .online, credentials: credentials),
        Mount(path: "/fault/auth-basic", expected: .unauthorized, credentials: "admin:wrong-password"),
        Mount(path: "/fault/auth-digest", expected: .unauthorized),
        Mount(path: "/fault/auth-digest", expected: .online, credentials: credentials),
        Mount(path: "/fault/missing", expected: .notFound),
        Mount(path: "/fault/unavailable", expected: .rtspError),
        Mount(path: "/fault/frozen", expected: .frozen),
        Mount(path: "/fault/black", expected: .black),
        Mount(path: "/fault/no-rtp", expected: .stalled),
        Mount(path: "/fault/corrupt", expected: .corrupt),
        Mount(path: "/fault/audio-only", expected: .noVideo),
    ]

    @Test("each mount of the fleet gets its outcome", arguments: mounts)
    func outcome(_ mount: Mount) throws {
        let fleet = try Fleet.get()
        let result = Probe.run(fleet.url(mount.path, credentials: mount.credentials), settings: Fleet.steadyProbe)
        #expect(result.outcome == mount.expected, "\(result.detail)")
        if mount.expected == .online {
            #expect(result.measurements.frames > 0)
            #expect(result.stream.width != nil && result.stream.height != nil)
            #expect(result.picture != nil)
        }
        if mount.expected == .rtspError {
            #expect(result.statusCode.map { $0 >= 300 && $0 != 401 && $0 != 404 } == true, "status \(String(describing: result.statusCode))")
        }
    }

    @Test("a healthy camera's metadata and measurements")
    func metadata() throws {
        let fleet = try Fleet.get()
        let result = Probe.run(fleet.url("/cam/0001"), settings: ProbeSettings())
        #expect(result.outcome == .online)
        #expect(result.stream.codec == "h264")
        #expect(result.stream.width == 1280 && result.stream.height == 720)
        #expect(result.stream.transport == "tcp")
        #expect(result.stream.pixelFormat?.hasPrefix("yuv") == true)
        let fps = try #require(result.measurements.fps)
        #expect(abs(fps - 25) < 3, "measured \(fps) fps")
        #expect((result.measurements.bitrateKbps ?? 0) > 50)
        #expect(result.timings.openMs != nil && result.timings.firstKeyframeMs != nil)
        #expect(result.picture?.fingerprint.samples.count == 576)
    }

    @Test("RTSP over UDP works too")
    func udp() throws {
        let fleet = try Fleet.get()
        var settings = ProbeSettings()
        settings.transport = .udp
        let result = Probe.run(fleet.url("/cam/0003"), settings: settings)
        #expect(result.outcome == .online, "\(result.detail)")
        #expect(result.stream.transport == "udp")
    }

    // How long these take beside the deadline is measured by scripts/bench-deadlines, not here.

    @Test("nothing listening is refused, never retried into a timeout")
    func refused() throws {
        let fleet = try Fleet.get()
        let result = Probe.run(fleet.url("/cam/0001", port: fleet.refusedPort), settings: ProbeSettings())
        #expect(result.outcome == .refused)
        #expect(result.timings.openMs == nil)
    }

    @Test("a listener that never answers times out, and not before its deadline", arguments: [8.0, 3.0])
    func blackHole(deadline: Double) throws {
        let fleet = try Fleet.get()
        var settings = ProbeSettings()
        settings.deadline = .milliseconds(Int64(deadline * 1000))
        let started = ContinuousClock.now
        let result = Probe.run(fleet.url("/cam/0001", port: fleet.blackholePort), settings: settings)
        let elapsed = (ContinuousClock.now - started).seconds
        #expect(result.outcome == .timeout)
        // A lower bound only: a loaded machine can make a probe slower, never earlier.
        #expect(elapsed >= deadline - 0.2, "gave up early after \(elapsed) s")
    }

    @Test("no RTP after PLAY is stalled: the stream opened, no frame came")
    func noRTP() throws {
        let fleet = try Fleet.get()
        var settings = ProbeSettings()
        settings.deadline = .seconds(3)
        let result = Probe.run(fleet.url("/fault/no-rtp"), settings: settings)
        #expect(result.outcome == .stalled)
        #expect(result.timings.openMs != nil)
        #expect(result.measurements.frames == 0)
    }

    @Test("100 probes at once over mixed mounts all return with the right outcomes")
    func hundredInParallel() throws {
        let fleet = try Fleet.get()
        let mix: [(StreamURL, Outcome)] = [
            (fleet.url("/cam/0004"), .online), (fleet.url("/cam/0005"), .online), (fleet.url("/cam/0006"), .online),
            (fleet.url("/cam/0007"), .online), (fleet.url("/fault/black"), .black), (fleet.url("/fault/frozen"), .frozen),
            (fleet.url("/fault/missing"), .notFound), (fleet.url("/fault/auth-digest"), .unauthorized),
            (fleet.url("/fault/no-rtp"), .stalled), (fleet.url("/fault/corrupt"), .corrupt),
            (fleet.url("/fault/audio-only"), .noVideo), (fleet.url("/x", port: fleet.blackholePort), .timeout),
            (fleet.url("/x", port: fleet.refusedPort), .refused),
        ]
        let plan = (0..<100).map { mix[$0 % mix.count] }
        let results = probeAll(plan.map(\.0), settings: Fleet.steadyProbe)
        for (result, (url, expected)) in zip(results, plan) {
            #expect(result.outcome == expected, "\(url): \(result.detail)")
        }
    }

    @Test("a camera that changes state while the fleet runs is seen changing")
    func stateChange() throws {
        let fleet = try Fleet.get()
        let camera = Fleet.Mounts.path(Fleet.Mounts.stateChange.lowerBound)
        try fleet.set(camera, "black")
        #expect(Probe.run(fleet.url(camera), settings: Fleet.steadyProbe).outcome == .black)
        try fleet.set(camera, "missing")
        #expect(Probe.run(fleet.url(camera), settings: Fleet.steadyProbe).outcome == .notFound)
        try fleet.set(camera, "healthy")
        #expect(Probe.run(fleet.url(camera), settings: Fleet.steadyProbe).outcome == .online)
    }
}
