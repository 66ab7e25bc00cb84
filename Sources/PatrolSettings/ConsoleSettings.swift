/// The duty desk's web console and its `/metrics`, served by patrold (docs/CONSOLE.md). Off
/// unless the configuration has a `console:` section; on loopback by default when it has one.
public struct ConsoleSettings: Sendable, Equatable {
    /// Whether patrold serves the console at all: a `console:` section turns it on.
    public var enabled = false
    /// The address it listens on: loopback, for nginx in front of it (docs/DEPLOY.md).
    public var host = "127.0.0.1"
    public var port = 8780
    /// Seconds a session lasts after its login.
    public var sessionHours = 12.0
    /// The session cookie carries `Secure`: set when nginx serves the console over TLS.
    public var secureCookie = false
    /// Failed logins of one name, or from one address, allowed within `lockoutMinutes` before
    /// further tries are refused until the window has passed.
    public var maxFailures = 5
    public var lockoutMinutes = 15.0
    /// A file whose content (one line) `/metrics` asks for as a bearer token; nil: no token.
    public var metricsTokenFile: String?

    public init() {}

    public var sessionSeconds: Double { sessionHours * 3600 }
    public var lockoutSeconds: Double { lockoutMinutes * 60 }
}
