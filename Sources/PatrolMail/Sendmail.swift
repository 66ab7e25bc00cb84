import Foundation
import Glibc

/// The machine's `sendmail` command (Postfix, Exim, or msmtp through msmtp-mta): `sendmail -t -oi`
/// reads the recipients from the To and Cc headers (`-t`) and does not take a lone "." for the
/// end of the message (`-oi`). `send` blocks its thread until sendmail exits or the timeout
/// kills it; call it from a thread of its own, never from Swift's cooperative pool.
public struct Sendmail: Sendable {
    public var path: String
    /// Given after `-t -oi`: for example `["-f", "patrol@district.example"]` for the envelope sender.
    public var extraArguments: [String]
    /// The child's whole environment; `nil` passes this process's own.
    public var environment: [String: String]?
    /// How long sendmail may take, in seconds, before it is killed and the attempt counts as failed.
    public var timeout: TimeInterval

    public init(path: String = "/usr/sbin/sendmail", extraArguments: [String] = [],
                environment: [String: String]? = nil, timeout: TimeInterval = 60) {
        self.path = path
        self.extraArguments = extraArguments
        self.environment = environment
        self.timeout = timeout
    }

    public var arguments: [String] { ["-t", "-oi"] + extraArguments }

    /// Hands `message` (rendered with LF line endings) to sendmail. Returns when sendmail has
    /// accepted it (exit status 0); throws why not otherwise.
    public func send(_ message: Data) throws(SendmailError) {
        let outcome: ChildProcess.Outcome
        do {
            outcome = try ChildProcess.run(path, arguments: arguments, environment: environment, input: message,
                                           timeout: timeout)
        } catch {
            if error.code == ENOENT || error.code == ENOTDIR { throw .notInstalled(path: path) }
            throw .cannotStart(path: path, reason: String(cString: strerror(error.code)))
        }
        let firstLine = String(decoding: outcome.stderr, as: UTF8.self)
            .split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        switch outcome.termination {
        case .exited(0) where outcome.inputWritten: return
        case .exited(0): throw .stoppedReading(path: path, stderr: firstLine)
        case .exited(let status): throw .exited(path: path, status: status, stderr: firstLine)
        case .signaled(let signal): throw .killed(path: path, signal: signal, stderr: firstLine)
        case .timedOut: throw .timedOut(path: path, seconds: timeout)
        case .unknown: throw .statusLost(path: path)
        }
    }
}

/// Why sendmail did not take a message. The message stays in the outbox; `description` is what
/// the outbox records as the last error and what an operator reads.
public enum SendmailError: Error, Sendable, Equatable, CustomStringConvertible {
    case notInstalled(path: String)
    case cannotStart(path: String, reason: String)
    /// Exited with a status other than 0; `stderr` is the first line it wrote there.
    case exited(path: String, status: Int32, stderr: String)
    case killed(path: String, signal: Int32, stderr: String)
    case timedOut(path: String, seconds: TimeInterval)
    /// Exited with status 0 before reading the whole message: what it took may be cut short.
    case stoppedReading(path: String, stderr: String)
    /// Its exit status was reaped by something else in this process (SIGCHLD ignored?): the
    /// message may or may not have gone, and is tried again rather than risk losing it.
    case statusLost(path: String)

    public var description: String {
        func detail(_ line: String) -> String { line.isEmpty ? "" : ": \(line)" }
        switch self {
        case .notInstalled(let path):
            return "\(path) is not installed (install msmtp-mta or postfix, or set the sendmail path)"
        case .cannotStart(let path, let reason):
            return "\(path) cannot be started: \(reason)"
        case .exited(let path, let status, let stderr):
            return "\(path) exited with status \(status)\(detail(stderr))"
        case .killed(let path, let signal, let stderr):
            return "\(path) was killed by signal \(signal)\(detail(stderr))"
        case .timedOut(let path, let seconds):
            return "\(path) did not finish within \(String(format: "%g", seconds)) s and was killed"
        case .stoppedReading(let path, let stderr):
            return "\(path) exited with status 0 before reading the whole message\(detail(stderr))"
        case .statusLost(let path):
            return "the exit status of \(path) was lost (is SIGCHLD ignored in this process?)"
        }
    }
}
