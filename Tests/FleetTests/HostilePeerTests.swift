import Foundation
import PatrolProbe
import PatrolSettings
import PatrolTestSupport
import Testing

/// RTSP peers that misbehave on purpose (Tools/rtsp_peers.py): redirects, an HTTP server on an
/// RTSP port, bytes without an end. No camera stack here can be made to redirect, so these are
/// small servers of our own that speak just enough RTSP; the probe on the other end is the real one.
@Suite("Probing hostile RTSP peers", .serialized)
final class HostilePeerTests {
    let folder: URL
    let log: URL
    let peers: ReadyProcess

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-peers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        log = folder.appendingPathComponent("peers.log")
        let tool = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Tools/rtsp_peers.py")
        peers = try ReadyProcess("/usr/bin/python3", [tool.path, "--log", log.path],
                                 unready: "the hostile RTSP peers exited before they were ready")
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// What reached the peers, one `<listener> CONNECT|AUTH` line each.
    func logged() -> [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func probe(_ peer: String, path: String = "/live", deadline: Duration = .seconds(3)) throws -> ProbeResult {
        var settings = ProbeSettings()
        settings.deadline = deadline
        let url = try StreamURL("rtsp://admin:cam-secret-7@127.0.0.1:\(try peers.number(peer))\(path)")
        return Probe.run(url, settings: settings)
    }

    @Test("a redirect is not followed: the camera's credentials never reach the target, and the operator reads where it points")
    func redirect() throws {
        let result = try probe("redirect")
        let catcher = try peers.number("catcher")
        #expect(result.outcome == .rtspError)
        #expect(result.statusCode == 302)
        #expect(result.detail.contains("redirects (302) to rtsp://127.0.0.1:\(catcher)/moved"), "\(result.detail)")
        #expect(!result.detail.contains("cam-secret-7"))
        #expect(logged().filter { $0.hasPrefix("catcher") } == [])
    }

    @Test("a redirect to itself is one connection, not a loop until the deadline")
    func redirectLoop() throws {
        let result = try probe("loop")
        #expect(result.outcome == .rtspError)
        #expect(result.statusCode == 302)
        #expect(logged().filter { $0 == "loop CONNECT" }.count == 1)
    }

    @Test("an HTTP server on the RTSP port is an rtsp_error naming what it answered")
    func httpServer() throws {
        let result = try probe("http")
        #expect(result.outcome == .rtspError)
        #expect(result.detail == "the far end answered, but not in RTSP: \"HTTP/1.1 400 Bad Request\"")
    }

    @Test("bytes that never end a line hold no RTSP answer: timeout, naming the request left unanswered")
    func endlessBytes() throws {
        let result = try probe("noline", deadline: .seconds(2))
        #expect(result.outcome == .timeout)
        #expect(result.detail == "no usable answer within the 2.0 s deadline (OPTIONS unanswered)")
    }
}
