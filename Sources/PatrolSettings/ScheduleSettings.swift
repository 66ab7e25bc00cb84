/// How the scheduler paces probes. Defaults are documented in docs/SWEEP.md.
public struct ScheduleSettings: Sendable, Equatable {
    /// Probes actively exchanging data at once.
    public var concurrency = 64
    /// A probe that has not opened its stream after this many seconds is waiting on a silent
    /// camera (it uses no CPU, no bandwidth, almost no memory) and stops counting against
    /// `concurrency`. A probe whose stream is open counts until it ends.
    public var slowAfter = 1.5
    /// Worker threads: the most probes in flight, silent ones included.
    public var workers = 256
    /// Most sessions open at once to one camera host (an NVR allows only a few).
    public var perHostSessions = 4
    /// Consecutive failures after which a camera is re-checked less often...
    public var backoffAfter = 3
    /// ...doubling its interval up to this many seconds (never below its own cadence).
    public var backoffLimit = 600.0

    public init() {}
}
