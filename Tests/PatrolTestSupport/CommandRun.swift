import Foundation

/// One run of a built executable (`patrol`, `patrold`, `patrol-bench`) as a subprocess.
public struct CommandRun: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var all: String { stdout + stderr }

    public static func binary(_ name: String) -> URL {
        // The test bundle sits in the build products folder, beside the executables.
        let beside = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Fleet.repository.appendingPathComponent(".build/debug/\(name)")
    }

    /// The environment a command runs in: this process's, in the C locale (English, whatever
    /// the machine's locale) and not connected to the journal; `environment` then overrides it
    /// (`["LANG": "zh_CN.UTF-8"]` for Chinese).
    public static func environment(_ environment: [String: String] = [:]) -> [String: String] {
        var base = ProcessInfo.processInfo.environment
        for variable in ["LC_ALL", "LC_MESSAGES", "LANGUAGE", "JOURNAL_STREAM"] { base[variable] = nil }
        base["LANG"] = "C"
        return base.merging(environment) { $1 }
    }

    /// - Parameter environment: variables set over `CommandRun.environment()`.
    /// - Parameter redirect: shell redirections applied to the command (`2>/dev/full`, `2>&-`,
    ///   `>/dev/full`): it then runs through `/bin/sh`, which sets them up and execs it.
    /// - Parameter launcher: a program (and its arguments) that runs the command, e.g. under a filter.
    public init(_ tool: String, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
                redirect: String? = nil, launcher: [String] = []) throws {
        if let program = launcher.first {
            try self.init(program: URL(fileURLWithPath: program), Array(launcher.dropFirst()) + [Self.binary(tool).path] + arguments,
                          environment: environment, directory: directory)
        } else if let redirect {
            try self.init(program: URL(fileURLWithPath: "/bin/sh"), ["-c", "exec \"$0\" \"$@\" \(redirect)", Self.binary(tool).path] + arguments,
                          environment: environment, directory: directory)
        } else {
            try self.init(program: Self.binary(tool), arguments, environment: environment, directory: directory)
        }
    }

    /// Runs `tool` with `input` on its standard input (a pipe, not a terminal).
    public init(_ tool: String, _ arguments: [String], input: String, environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = Self.binary(tool)
        process.arguments = arguments
        process.environment = Self.environment(environment)
        try self.init(running: process, input: Data(input.utf8))
    }

    /// Runs `program` (a script, a tool of the system) the same way.
    public init(program: URL, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.environment = Self.environment(environment)
        if let directory { process.currentDirectoryURL = directory }
        try self.init(running: process)
    }

    private init(running process: Process, input: Data? = nil) throws {
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        try process.run()
        if let stdin, let input {
            stdin.fileHandleForWriting.write(input)
            try stdin.fileHandleForWriting.close()
        }
        // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
        final class Box: @unchecked Sendable { var data = Data() }  // written before `sync` returns
        let errors = DispatchQueue(label: "stderr"), stderrBox = Box()
        errors.async { stderrBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        errors.sync {}
        let stderrData = stderrBox.data
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = String(decoding: stdoutData, as: UTF8.self)
        stderr = String(decoding: stderrData, as: UTF8.self)
    }
}
