import Foundation

/// Where Patrol reads the venues' real-name registration systems, and how often.
public struct RegistrationSettings: Sendable, Equatable {
    /// The platform's status endpoint (docs/REGISTRATION.md), `http://` or `https://`; nil when
    /// the platform is not read over HTTP.
    public var platform: URL?
    /// A file holding the bearer token the platform wants (`Authorization: Bearer …`); the token
    /// is never logged or stored.
    public var tokenFile: String?
    /// A folder the platform exports CSV files into, picked up on the same cadence; nil for none.
    public var dropFolder: String?
    /// Seconds between reads of the platform.
    public var every: TimeInterval = 300
    /// The whole budget of one HTTP request, in seconds.
    public var deadline: TimeInterval = 20
    /// Further attempts after a failed request, each after a pause that doubles from `retryFirst`.
    public var retries = 2
    public var retryFirst: TimeInterval = 2
    /// How a registration-day is judged.
    public var judging = RegistrationJudging()

    public init() {}

    /// Whether anything is configured to read.
    public var isConfigured: Bool { platform != nil || dropFolder != nil }
}

/// How a registration system's day is judged from the platform's samples. Defaults are the
/// office's rules.
public struct RegistrationJudging: Sendable, Equatable {
    /// The system must be seen online at least this share of the time the platform was read.
    public var minOnlineShare = 0.95
    /// A record may wait this long to upload, in seconds.
    public var maxWaitingSeconds: TimeInterval = 7200
    /// Below this share of the day with the platform read, the verdict is `unknown`.
    public var minReadShare = 0.5
    /// A terminal whose last heartbeat is older than this (seconds) counts as offline, whatever
    /// the platform's online flag says.
    public var heartbeatTimeout: TimeInterval = 900
    /// How long one read of the platform stands for, at most (seconds): a little more than twice
    /// the cadence, plus the request's budget. Set from `every` unless given.
    public var coverage: TimeInterval = 620

    public init() {}
}
