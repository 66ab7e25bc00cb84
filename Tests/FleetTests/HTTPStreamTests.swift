import Foundation
import PatrolTestSupport
import PatrolProbe
import PatrolSettings
import Testing

/// HLS over HTTP, made by the ffmpeg tool and served by a plain HTTP server on loopback.
@Suite("Probing HTTP and HLS streams")
struct HTTPStreamTests {
    final class Server: @unchecked Sendable {
        let folder: URL
        let port: Int
        let process: Process

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-hls-\(getpid())")
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let ffmpeg = Process()
            ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
            ffmpeg.arguments = ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25,noise=alls=6:allf=t",
                                "-t", "6", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
                                "-f", "hls", "-hls_time", "2", "-hls_list_size", "0",
                                folder.appendingPathComponent("index.m3u8").path]
            try ffmpeg.run()
            ffmpeg.waitUntilExit()
            guard ffmpeg.terminationStatus == 0 else { throw Fleet.FleetError(description: "ffmpeg could not make HLS") }
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", folder.path, "0"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            process.standardInput = Pipe()
            try process.run()
            // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
            var text = ""
            while !text.contains("\n") {
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard let range = text.range(of: " port "),
                  let port = Int(text[range.upperBound...].prefix(while: \.isNumber))
            else { throw Fleet.FleetError(description: "http.server did not start: \(text)") }
            self.port = port
        }

        func stop() {
            // SIGKILL: a child may inherit SIGTERM ignored from the test runner.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test("an HLS playlist over HTTP is online; a missing one is not_found")
    func hls() throws {
        let server = try Server()
        defer { server.stop() }
        let online = Probe.run(try StreamURL("http://127.0.0.1:\(server.port)/index.m3u8"), settings: ProbeSettings())
        #expect(online.outcome == .online, "\(online.detail)")
        #expect(online.stream.transport == "http")
        #expect(online.stream.width == 640 && online.stream.height == 360)
        let missing = Probe.run(try StreamURL("http://127.0.0.1:\(server.port)/nope.m3u8"), settings: ProbeSettings())
        #expect(missing.outcome == .notFound, "\(missing.detail)")
        #expect(missing.statusCode == 404)
    }
}
