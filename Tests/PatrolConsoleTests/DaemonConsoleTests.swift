import Foundation
import PatrolTestSupport
import Testing

/// The real patrold with a `console:` section: it serves the console among its services, says on
/// which port once it listens, answers the login page and /metrics with the daemon's own counters,
/// and stops with the group on SIGTERM.
@Suite("patrold serving the console")
struct DaemonConsoleTests {
    @Test("patrold --config with console: serves the login page and /metrics, and stops on SIGTERM")
    func servedByPatrold() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-daemon-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("patrol.yaml").path
        // No camera: nothing is probed; the console and the other services run all the same.
        try "database: patrol.sqlite\ncredentials: credentials.sqlite\nconsole:\n  listen: 127.0.0.1:0\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = Process()
        daemon.executableURL = CommandRun.binary("patrold")
        daemon.arguments = ["--config", config]
        daemon.environment = CommandRun.environment()
        let errors = Pipe()
        daemon.standardError = errors
        daemon.standardOutput = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }

        // Its log, read until it says where the console listens (or it ends).
        let log = try await offPool { () -> String in
            var text = ""
            while !text.contains("console listening on") {
                let chunk = errors.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            return text
        }
        let line = try #require(log.split(separator: "\n").first { $0.contains("console listening on") }, "patrold's log: \(log)")
        let port = try #require(Int(line.split(separator: ":").last ?? ""))
        let base = "http://127.0.0.1:\(port)"

        let login = try await HTTP.get(base + "/login")
        #expect(login.status == 200)
        #expect(login.body.contains("<form method=\"post\" action=\"/login\">"))
        #expect(try await HTTP.get(base + "/").status == 303)
        let metrics = try await HTTP.get(base + "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("patrol_probes_total{outcome=\"online\"} 0"))
        #expect(metrics.body.contains("patrol_writer_backlog 0"))

        daemon.terminate()
        let status = try await offPool { () -> Int32 in
            daemon.waitUntilExit()
            return daemon.terminationStatus
        }
        #expect(status == 0)
        // The listener went with it: nothing answers on the port any more.
        let after = try CommandRun(program: URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "--max-time", "5", base + "/login"])
        #expect(after.status == 7, "curl: \(after.status)")
    }
}
