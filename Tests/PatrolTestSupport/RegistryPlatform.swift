import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The sample registration platform (Samples/registry/registry.py), a real HTTP server on
/// 127.0.0.1 on a port the system picks, answering the status of venues' registration systems
/// (docs/REGISTRATION.md). Tests synchronise on its READY line and steer it through its control
/// endpoint: a fault per system or for the whole platform, and the count of status requests it
/// received. It exits when this object goes away (its stdin closes).
public final class RegistryPlatform: @unchecked Sendable {
    public static let script = Fleet.repository.appendingPathComponent("Samples/registry/registry.py")

    public typealias Failure = ReadyProcess.Failure

    /// The status endpoint, `http://127.0.0.1:P/api/v1/registration/status`.
    public let url: URL
    public let port: Int
    /// The control endpoint, `http://127.0.0.1:P/control`.
    public let control: URL
    /// How many systems it answers for.
    public let systems: Int
    private let process: ReadyProcess

    /// Starts the platform for `systems` (ids), or the `registration` column of `venues`, or
    /// else the sample district's; with `token`, the status endpoint needs `Bearer token`.
    public init(systems: [String]? = nil, venues: URL? = nil, token: String? = nil) throws {
        var arguments = [Self.script.path, "serve", "--port", "0", "--exit-on-stdin-close"]
        arguments += Self.selection(systems: systems, venues: venues)
        if let token { arguments += ["--token", token] }
        process = try ReadyProcess(python, arguments, unready: "the registration platform exited before it was ready")
        port = try process.number("port")
        self.systems = try process.number("systems")
        guard let url = URL(string: try process.field("url")), let control = URL(string: try process.field("control")) else {
            throw Failure(description: "unexpected READY line: \(process.line)")
        }
        self.url = url
        self.control = control
    }

    /// Gives `system` (an id, or `*` for the whole platform) a fault from now on: `healthy`,
    /// `offline`, `stuck`, `upload-errors`, `quiet`, `missing`, `bad-field`; for `*`: `http500`,
    /// `timeout`, `malformed`, `truncated`, `clock-skew` (with `seconds`), `healthy`.
    public func set(_ system: String, _ fault: String, seconds: Int? = nil) throws {
        var order: [String: Any] = ["system": system, "fault": fault]
        if let seconds { order["seconds"] = seconds }
        try command(control, JSONSerialization.data(withJSONObject: order))
    }

    /// Clears every fault and the request counter.
    public func reset() throws {
        try command(control.appendingPathComponent("reset"), Data())
    }

    /// How many status requests it has received (answered or not) since it started or was reset.
    public func requests() throws -> Int {
        let (response, body) = try Self.fetch(URLRequest(url: control))
        guard response.statusCode == 200, let object = try JSONSerialization.jsonObject(with: body) as? [String: Any],
              let count = object["requests"] as? Int
        else { throw Failure(description: "GET /control: \(response.statusCode) \(String(decoding: body, as: UTF8.self))") }
        return count
    }

    private func command(_ endpoint: URL, _ body: Data) throws {
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let (response, answer) = try Self.fetch(request)
        guard response.statusCode == 200 else {
            throw Failure(description: "POST \(endpoint.path): \(response.statusCode) \(String(decoding: answer, as: UTF8.self))")
        }
    }

    /// Writes one CSV snapshot (`registry.py export`) into `folder` and returns the file: the
    /// systems chosen as for `init`, in `encoding` (`utf-8` or `gb18030`), with the faults of
    /// `faults` (lines of `ID FAULT [SECONDS]`) set at `at` (RFC 3339; now when `nil`).
    public static func export(to folder: URL, systems: [String]? = nil, venues: URL? = nil, encoding: String = "utf-8",
                              faults: URL? = nil, at: String? = nil) throws -> URL {
        var arguments = [script.path, "export", "--out", folder.path, "--encoding", encoding]
        arguments += selection(systems: systems, venues: venues)
        if let faults { arguments += ["--faults", faults.path] }
        if let at { arguments += ["--at", at] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let path = printed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !path.isEmpty else {
            throw Failure(description: "registry.py export exited \(process.terminationStatus)")
        }
        return URL(fileURLWithPath: path)
    }

    private static func selection(systems: [String]?, venues: URL?) -> [String] {
        if let systems { return ["--systems", systems.joined(separator: ",")] }
        if let venues { return ["--venues", venues.path] }
        return []
    }

    /// One plain blocking HTTP exchange: the response and its whole body, or the error URLSession
    /// gave (a `URLError` such as `.timedOut`, or `.networkConnectionLost` for a short body).
    public static func fetch(_ request: URLRequest) throws -> (HTTPURLResponse, Data) {
        final class Outcome: @unchecked Sendable {
            var value: Result<(HTTPURLResponse, Data), any Error> = .failure(Failure(description: "no answer"))
            let done = DispatchSemaphore(value: 0)
        }
        let outcome = Outcome()
        // Linux's URLSession waits for the session's timeout, not the request's: give it the request's.
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = request.timeoutInterval
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: request) { data, response, error in
            if let error {
                outcome.value = .failure(error)
            } else if let response = response as? HTTPURLResponse {
                outcome.value = .success((response, data ?? Data()))
            }
            outcome.done.signal()
        }.resume()
        outcome.done.wait()
        return try outcome.value.get()
    }
}
