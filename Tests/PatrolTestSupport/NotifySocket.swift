import Foundation
import PatrolProbe
#if canImport(Glibc)
import Glibc
#endif

/// The socket systemd would listen on: a Unix datagram socket, by path or abstract name.
public final class NotifySocket: @unchecked Sendable {
    public let fd: Int32
    /// The value for $NOTIFY_SOCKET.
    public let name: String
    private let path: String?

    public struct Failure: Error { public var what: String }

    public init(abstract: Bool, folder: URL? = nil) throws {
        let unique = UUID().uuidString.prefix(8)
        path = abstract ? nil : (folder ?? FileManager.default.temporaryDirectory).appendingPathComponent("notify-\(unique)").path
        name = path ?? "@patrol-test-\(unique)"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(what: "socket: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        if path == nil { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failure(what: "bind \(name): \(errno)") }
    }

    deinit {
        close(fd)
        if let path { unlink(path) }
    }

    /// The next datagram, or nil when none comes within `seconds`.
    public func next(within seconds: Double) -> String? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(max(0, seconds) * 1000)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }

    /// Reads datagrams until one matches; returns them all, the match last, or nil on timeout.
    public func wait(within seconds: Double, for match: (String) -> Bool) -> [String]? {
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var seen: [String] = []
        while ContinuousClock.now < end {
            guard let message = next(within: (end - ContinuousClock.now).seconds) else { return nil }
            seen.append(message)
            if match(message) { return seen }
        }
        return nil
    }

    /// Every datagram that arrives within `seconds`.
    public func collect(for seconds: Double) -> [String] {
        var seen: [String] = []
        _ = wait(within: seconds) { seen.append($0); return false }
        return seen
    }

    /// The datagrams already received, without waiting: those sent before the caller learned
    /// that something happened.
    public func received() -> [String] {
        var seen: [String] = []
        while let message = next(within: 0) { seen.append(message) }
        return seen
    }

    /// `wait(within:for:)` from async code: the socket is polled on a thread of its own, so that
    /// the services under test keep Swift's cooperative threads.
    public func arrival(within seconds: Double, of match: @escaping @Sendable (String) -> Bool) async -> [String]? {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.wait(within: seconds, for: match)) }.start()
        }
    }
}
