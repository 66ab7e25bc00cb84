import Foundation

/// A helper program a test starts and talks to (the sample camera fleet, the SMTP receiver). It
/// prints one `READY key=value …` line once it serves, and exits when its standard input closes:
/// when this object goes away, or when the test process ends. Tests synchronise on that line,
/// never on sleeps.
public final class ReadyProcess: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The READY line, and its `key=value` fields.
    public let line: String
    public let fields: [String: String]
    private let process: Process
    private let input: Pipe

    /// Starts `executable` with `arguments` and blocks until its READY line.
    /// - Parameter unready: what to say when it exits before it is ready.
    public init(_ executable: String, _ arguments: [String], unready: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.standardError
        try process.run()
        var buffered = Data()
        var ready: String?
        while ready == nil {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            buffered.append(chunk)
            ready = String(decoding: buffered, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("READY ") }.map(String.init)
        }
        guard let ready else { throw Failure(description: unready) }
        line = ready
        var fields: [String: String] = [:]
        for pair in ready.split(separator: " ").dropFirst() {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        self.fields = fields
    }

    /// A field of the READY line that must be there.
    public func field(_ key: String) throws -> String {
        guard let value = fields[key] else { throw Failure(description: "unexpected READY line: \(line)") }
        return value
    }

    /// A numeric field (a port) that must be there.
    public func number(_ key: String) throws -> Int {
        guard let value = Int(try field(key)) else { throw Failure(description: "unexpected READY line: \(line)") }
        return value
    }

    /// Closes its standard input and waits for it to exit.
    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
