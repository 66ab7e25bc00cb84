import Foundation
import PatrolProbe
import PatrolSettings

/// The sample camera fleet (Samples/fleet), a real gst-rtsp-server, started once for the
/// whole test run on ports the operating system picks. Tests synchronise on its READY line.
public final class Fleet: @unchecked Sendable {
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    public static let cameras = 400

    /// Which mounts tests may change. Suites run in parallel over one fleet, so a mount one suite
    /// changes must be one no other suite expects as the fleet plays it: mounts in `shared` are
    /// never changed, and each suite that changes mounts owns a range of its own. The fixed
    /// `/variant`, `/fault`, `/stack` and `/scene` mounts are never changed either.
    public enum Mounts {
        /// Played as the fleet defines them, for every suite to read.
        public static let shared = 1...100
        /// The sweep's cameras, some of them given faults.
        public static let sweep = 101...350
        /// The ladder walked day by day.
        public static let ledger = 351...360
        /// A camera seen changing state.
        public static let stateChange = 361...361
        /// Cameras turned away from the scene they were approved for.
        public static let pictures = 362...363
        /// Cameras turned black or frozen at run time between a picture check and a probe that
        /// checks liveness only, on a virtual clock of sweeps (PatroldTests).
        public static let cadence = 364...369
        /// The same faults probe by probe (FleetTests): a range of their own, since the two suites
        /// run at once in one process over one fleet.
        public static let cadenceProbes = 372...374
        /// A camera turned black at run time and back, under patrold's alert service.
        public static let alerts = 370...371
        /// Cameras turned to the `/scene` views at run time (`scene-approved`, then a fault such as
        /// `scene-panned`, and back); 400 is an H.265 camera of its own when reset.
        public static let scene = 391...400

        public static func path(_ number: Int) -> String { String(format: "/cam/%04d", number) }
    }

    /// Started on first use; `nil` with the reason when it cannot start.
    public static let shared: Result<Fleet, FleetError> = Result { try Fleet(cameras: cameras) }
        .mapError { FleetError(description: "\($0)") }

    public struct FleetError: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public let port: Int
    public let blackholePort: Int
    public let refusedPort: Int
    /// A listener that answers OPTIONS at once and holds DESCRIBE for `slowNotFoundDelay`
    /// before `404 Not Found`, as a media server does for a stream without a publisher.
    public let slowNotFoundPort: Int
    public static let slowNotFoundDelay = 4.0
    public let controlPath: String
    /// The fleet exits when this test process does (its stdin closes).
    private let process: ReadyProcess

    private init(cameras: Int) throws {
        let script = Self.repository.appendingPathComponent("Samples/fleet/fleet.py").path
        let control = FileManager.default.temporaryDirectory
            .appendingPathComponent("patrol-fleet-test-\(getpid()).sock").path
        process = try ReadyProcess("/usr/bin/python3", [script, "serve", "--port", "0", "--cameras", String(cameras),
                                                        "--control", control, "--exit-with-stdin",
                                                        "--slow404-delay", String(Self.slowNotFoundDelay)],
                                   unready: "the sample fleet exited before it was ready")
        port = try process.number("port")
        blackholePort = try process.number("blackhole")
        refusedPort = try process.number("refused")
        slowNotFoundPort = try process.number("slow404")
        controlPath = try process.field("control")
    }

    public static func get() throws -> Fleet { try shared.get() }

    /// Probe settings for tests that need every one of many cameras judged right. The fleet
    /// serves all the mounts of one picture source from one shared pipeline, so when that
    /// pipeline falls behind for a moment on a loaded 2-core machine, every mount of it goes
    /// quiet at once (which a real camera's neighbours do not). A 4 s window rides that out;
    /// healthy streams still end early, on their keyframe.
    public static var steadyProbe: ProbeSettings {
        var settings = ProbeSettings()
        settings.window = .seconds(4)
        return settings
    }

    public func url(_ path: String, credentials: String? = nil, port: Int? = nil) -> StreamURL {
        let userinfo = credentials.map { "\($0)@" } ?? ""
        return try! StreamURL("rtsp://\(userinfo)127.0.0.1:\(port ?? self.port)\(path)")
    }

    /// Changes a mount's behaviour while the fleet runs (affects new sessions). A shared mount
    /// is refused: another suite may be probing it and expecting it as the fleet plays it.
    public func set(_ path: String, _ mode: String) throws {
        if let number = Int(path.split(separator: "/").last ?? ""), Mounts.shared.contains(number) {
            throw FleetError(description: "fleet set \(path): a shared mount; change only a range in Fleet.Mounts")
        }
        let tool = Process()
        tool.executableURL = Self.repository.appendingPathComponent("Samples/fleet/fleet")
        tool.arguments = ["set", path, mode, "--control", controlPath]
        let out = Pipe()
        tool.standardOutput = out
        try tool.run()
        tool.waitUntilExit()
        let reply = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard tool.terminationStatus == 0, reply.hasPrefix("OK") else {
            throw FleetError(description: "fleet set \(path) \(mode): \(reply)")
        }
    }
}

/// Runs probes on threads of their own, all at once, and returns when every one has.
public func probeAll(_ urls: [StreamURL], settings: ProbeSettings) -> [ProbeResult] {
    final class Slots: @unchecked Sendable {
        // Each thread writes only its own element; all are read after the group is done.
        let results: UnsafeMutableBufferPointer<ProbeResult?>
        init(_ count: Int) {
            results = .allocate(capacity: count)
            results.initialize(repeating: nil)
        }
        deinit { results.deallocate() }
    }
    let slots = Slots(urls.count)
    let group = DispatchGroup()
    for (index, url) in urls.enumerated() {
        group.enter()
        let thread = Thread {
            slots.results[index] = Probe.run(url, settings: settings)
            group.leave()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    group.wait()
    return slots.results.map { $0! }
}
