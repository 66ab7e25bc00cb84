import Foundation

/// Name resolution under the probe's deadline. FFmpeg calls getaddrinfo without any
/// timeout, so a hanging resolver would hold a probe past its deadline; the probe resolves
/// first, on a thread it can walk away from, and hands FFmpeg the numeric address.
enum HostResolver {
    enum Failure: Error, Equatable {
        case timedOut
        case unresolvable(String)
    }

    static func isNumeric(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    private final class Lookup: @unchecked Sendable {
        // Written by the resolving thread before `done` is signalled, read after the wait.
        var result: Result<String, Failure> = .failure(.timedOut)
        let done = DispatchSemaphore(value: 0)
    }

    /// The first numeric address of `host`, or why there is none by `timeout`.
    static func resolve(_ host: String, within timeout: Duration) -> Result<String, Failure> {
        if isNumeric(host) { return .success(host) }
        let lookup = Lookup()
        let thread = Thread {
            lookup.result = addressInfo(host)
            lookup.done.signal()
        }
        thread.start()
        let nanos = max(0, Int(timeout.nanoseconds))
        guard lookup.done.wait(timeout: .now() + .nanoseconds(nanos)) == .success else { return .failure(.timedOut) }
        return lookup.result
    }

    private static func addressInfo(_ host: String) -> Result<String, Failure> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            return .failure(.unresolvable(String(cString: gai_strerror(status))))
        }
        defer { freeaddrinfo(list) }
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(first.pointee.ai_addr, first.pointee.ai_addrlen, &buffer, socklen_t(buffer.count),
                          nil, 0, NI_NUMERICHOST) == 0
        else { return .failure(.unresolvable("no numeric address")) }
        return .success(String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
