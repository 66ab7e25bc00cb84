#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// systemd's notification protocol, spoken directly: each message is one datagram of
/// `KEY=value` lines sent to the Unix socket named by `$NOTIFY_SOCKET` (a path, or an abstract
/// name when it begins with '@'). Without `$NOTIFY_SOCKET` (not started by systemd) every
/// message is dropped.
public final class SystemdNotifier: Sendable {
    private let socket: Int32
    private let address: [UInt8]  // a sockaddr_un, as many bytes as count
    /// How often systemd wants a `WATCHDOG=1`, from `$WATCHDOG_USEC` (when `$WATCHDOG_PID`,
    /// if set, names this process).
    public let watchdogInterval: Double?

    /// Reads the protocol's variables and removes them from the environment, so that the
    /// programs the daemon runs (sendmail) do not inherit them.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        watchdogInterval = Self.watchdogInterval(environment, pid: getpid())
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] { unsetenv(name) }
        guard let path = environment["NOTIFY_SOCKET"], let address = Self.address(path) else { return nil }
        #if canImport(Glibc)
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = Darwin.socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { return nil }
        self.socket = fd
        self.address = address
    }

    deinit { close(socket) }

    static func watchdogInterval(_ environment: [String: String], pid: pid_t) -> Double? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], pid_t(owner) != pid { return nil }
        return Double(microseconds) / 1e6
    }

    /// The socket address for `$NOTIFY_SOCKET`: a file system path, or '@name' for the
    /// abstract namespace (a leading NUL byte and no terminator).
    static func address(_ path: String) -> [UInt8]? {
        var name = Array(path.utf8)
        guard name.count > 1 || (name.count == 1 && name[0] != UInt8(ascii: "@")) else { return nil }
        if name.first == UInt8(ascii: "@") {
            name[0] = 0
        } else if name.first == UInt8(ascii: "/") {
            name.append(0)
        } else {
            return nil
        }
        var storage = sockaddr_un()
        let capacity = MemoryLayout.size(ofValue: storage.sun_path)
        guard name.count <= capacity else { return nil }
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { $0.copyBytes(from: name) }
        let length = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + name.count
        return withUnsafeBytes(of: &storage) { Array($0.prefix(length)) }
    }

    /// Sends one message; false when the socket refused it (systemd gone, buffer full).
    @discardableResult
    public func send(_ fields: [String]) -> Bool {
        let message = Array(fields.joined(separator: "\n").utf8)
        let sent = address.withUnsafeBytes { raw in
            message.withUnsafeBytes { bytes in
                sendto(socket, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL),
                       raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
            }
        }
        return sent == message.count
    }

    // The messages patrold sends.

    static func ready(status: String) -> [String] { ["READY=1", "STATUS=" + status] }
    static func status(_ line: String) -> [String] { ["STATUS=" + line] }
    static let watchdog = ["WATCHDOG=1"]
    static func stopping(status: String) -> [String] { ["STOPPING=1", "STATUS=" + status] }

    /// systemd 253 and later want the monotonic time with RELOADING=1, to tell this reload's
    /// READY=1 from an earlier one.
    static func reloading() -> [String] {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        return ["RELOADING=1", "MONOTONIC_USEC=\(microseconds)"]
    }
}
