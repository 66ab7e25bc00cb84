import ArgumentParser
import Foundation
import PatrolLedger
import PatrolOutput
import PatrolProbe
import PatrolSettings

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe one stream and say whether it is alive and uploading a fresh picture.",
        discussion: """
        Exit status: 0 online; 20 refused, 21 timeout, 22 unauthorized, 23 not_found, \
        24 rtsp_error, 25 no_video, 26 stalled, 27 frozen, 28 black, 29 corrupt, 30 moved, \
        31 obstructed, 32 blurred; 64 bad usage; 74 the snapshot could not be written.
        --snapshot keeps the decoded keyframe as a JPEG; --reference compares the picture with a \
        snapshot saved earlier and says moved, obstructed or blurred when the scene is no longer it.
        Credentials may be in the URL, or given with --username and --password-file (or the \
        PATROL_CAMERA_PASSWORD environment variable); they are never printed.
        """
    )

    @Argument(help: "Stream URL: rtsp://, rtsps://, http(s):// (HLS or a stream), rtmp://.")
    var url: String

    @Flag(help: "Print one JSON object instead of the summary.")
    var json = false

    @Option(help: "Whole budget of the probe, in seconds.")
    var deadline: Double = 8

    @Option(help: "How long to watch frames once the stream is open, in seconds.")
    var window: Double = 2

    @Option(help: "RTSP transport: tcp, udp, tcp,udp (TCP, then UDP when the server refuses TCP) or udp,tcp.")
    var transport: ProbeSettings.Transport = ProbeSettings().transport

    @Option(help: "User name for the camera (overrides the URL's).")
    var username: String?

    @Option(help: "File holding the camera password (first line).")
    var passwordFile: String?

    @Option(help: "Write the decoded keyframe to this file as a JPEG.")
    var snapshot: String?

    @Option(help: "A picture saved earlier with --snapshot: the scene the camera must still show.")
    var reference: String?

    func validate() throws {
        guard deadline > 0, deadline <= 300 else { throw ValidationError("--deadline must be between 0 and 300 seconds") }
        guard window > 0 else { throw ValidationError("--window must be positive") }
    }

    func run() throws {
        let stream: StreamURL
        do {
            stream = try StreamURL(url, credentials: try credentials())
        } catch let error as StreamURL.ParseError {
            throw ValidationError(error.description)
        }
        var settings = ProbeSettings()
        settings.deadline = .milliseconds(Int64(deadline * 1000))
        settings.window = .milliseconds(Int64(window * 1000))
        settings.transport = transport
        var reference: SceneSignature?
        if let path = self.reference {
            do { reference = try PictureFile.scene(at: path) } catch { throw ValidationError("--reference \(error)") }
        }
        // The camera's clock: wait for its first RTCP sender report up to 1.5 s after the stream opened.
        let request = PictureRequest(keep: snapshot == nil ? .never : .always, reference: reference,
                                     clockWait: min(1.5, window))
        var result = Probe.run(stream, settings: settings, picture: request)
        if let reference {
            result = ProbeJudge(thresholds: settings.thresholds, scene: settings.scene)
                .judge(result, of: "", after: CameraMemory(reference: reference)).result
        }
        if let path = snapshot, let picture = result.snapshot {
            do {
                try picture.jpeg.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                Output.log("patrol: cannot write the snapshot to \(path): \(error.localizedDescription)")
                throw ExitCode(74)
            }
        }
        if json {
            let data = try ProbeResult.jsonEncoder().encode(Versioned(result))
            try Output.line(String(decoding: data, as: UTF8.self))
        } else {
            try Output.line(ProbeSummary(result).text)
        }
        throw result.outcome.exitCode
    }

    private func credentials() throws -> StreamURL.Credentials? {
        var password = ProcessInfo.processInfo.environment["PATROL_CAMERA_PASSWORD"]
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw ValidationError("cannot read --password-file \(passwordFile)")
            }
            password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        guard username != nil || password != nil else { return nil }
        guard let username else { throw ValidationError("a password was given without --username") }
        return StreamURL.Credentials(username: username, password: password ?? "")
    }
}

extension ProbeSettings.Transport: ExpressibleByArgument {}
