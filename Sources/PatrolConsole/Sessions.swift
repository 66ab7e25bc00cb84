import Foundation
import PatrolStore
import Synchronization

/// The console's logged-in sessions, in memory: a random token (the cookie's value) for each,
/// valid until its expiry. A restart of patrold logs everyone out.
final class Sessions: Sendable {
    struct Session: Sendable {
        var name: String
        var role: Account.Role
        var expires: Date
    }

    private let sessions = Mutex<[String: Session]>([:])
    private let lifetime: TimeInterval

    init(lifetime: TimeInterval) {
        self.lifetime = lifetime
    }

    /// A new session for `name`: its token, 32 random bytes as hex.
    func open(name: String, role: Account.Role, now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            sessions[token] = Session(name: name, role: role, expires: now.addingTimeInterval(lifetime))
        }
        return token
    }

    /// The session `token` names, when it has not expired.
    func session(_ token: String?, now: Date) -> Session? {
        guard let token else { return nil }
        return sessions.withLock { sessions in
            guard let session = sessions[token] else { return nil }
            guard session.expires > now else {
                sessions[token] = nil
                return nil
            }
            return session
        }
    }

    func close(_ token: String?) {
        guard let token else { return }
        _ = sessions.withLock { $0.removeValue(forKey: token) }
    }

    /// Ends every session of `name` (an account removed or its password changed is noticed at the
    /// next request through `stillValid`).
    func close(name: String) {
        sessions.withLock { sessions in sessions = sessions.filter { $0.value.name != name } }
    }
}

/// Failed logins, counted per name and per address over a sliding window: once either has
/// `limit` failures inside the window, further tries are refused (without checking the password)
/// until the oldest falls out of it.
final class LoginLimiter: Sendable {
    private let failures = Mutex<[String: [Date]]>([:])
    let limit: Int
    let window: TimeInterval

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    private static func keys(name: String, address: String) -> [String] { ["name:" + name, "address:" + address] }

    /// Whether `name` from `address` may try now.
    func allows(name: String, address: String, now: Date) -> Bool {
        failures.withLock { failures in
            Self.keys(name: name, address: address).allSatisfy { key in
                let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
                failures[key] = recent.isEmpty ? nil : recent
                return recent.count < limit
            }
        }
    }

    func failed(name: String, address: String, now: Date) {
        failures.withLock { failures in
            // Guesses at many names or from many addresses: forget what has left the window.
            if failures.count > 10_000 {
                failures = failures.compactMapValues { dates in
                    let recent = dates.filter { now.timeIntervalSince($0) < window }
                    return recent.isEmpty ? nil : recent
                }
            }
            for key in Self.keys(name: name, address: address) {
                failures[key, default: []].append(now)
            }
        }
    }

    /// A good login clears its name's failures (not its address's: one good account does not
    /// excuse guessing at others).
    func succeeded(name: String) {
        _ = failures.withLock { $0.removeValue(forKey: "name:" + name) }
    }
}
