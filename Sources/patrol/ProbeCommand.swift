import ArgumentParser
import Foundation
import PatrolLedger
import PatrolOutput
import PatrolProbe
import PatrolViews
import PatrolSettings

struct ProbeCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "probe", abstract: say(.probeAbstract), discussion: say(.probeDiscussion))
    }

    @Argument(help: ArgumentHelp(say(.probeHelpURL)))
    var url: String

    @Flag(help: ArgumentHelp(say(.probeHelpJSON)))
    var json = false

    @Option(help: ArgumentHelp(say(.probeHelpDeadline)))
    var deadline: Double = 8

    @Option(help: ArgumentHelp(say(.probeHelpWindow)))
    var window: Double = 2

    @Option(help: ArgumentHelp(say(.probeHelpTransport)))
    var transport: ProbeSettings.Transport = ProbeSettings().transport

    @Option(help: ArgumentHelp(say(.probeHelpUsername)))
    var username: String?

    @Option(help: ArgumentHelp(say(.probeHelpPasswordFile)))
    var passwordFile: String?

    @Option(help: ArgumentHelp(say(.probeHelpSnapshot)))
    var snapshot: String?

    @Option(help: ArgumentHelp(say(.probeHelpReference)))
    var reference: String?

    func validate() throws {
        guard deadline > 0, deadline <= 300 else { throw ValidationError(say(.probeDeadlineRange)) }
        guard window > 0 else { throw ValidationError(say(.probeWindowPositive)) }
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
            do { reference = try PictureFile.scene(at: path) } catch { throw ValidationError(say(.probeReferenceUnreadable, "\(error)")) }
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
                Output.log(.error, "patrol: " + say(.probeCannotWriteSnapshot, path, error.localizedDescription) + "\n")
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
                throw ValidationError(say(.probeCannotReadPasswordFile, passwordFile))
            }
            password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        guard username != nil || password != nil else { return nil }
        guard let username else { throw ValidationError(say(.probePasswordWithoutUsername)) }
        return StreamURL.Credentials(username: username, password: password ?? "")
    }
}

extension ProbeSettings.Transport: ExpressibleByArgument {}
