/// When a run of probe results changes a camera's status. Defaults in docs/SWEEP.md.
public struct DebounceSettings: Sendable, Equatable {
    /// Down after this many failed probes in a row...
    public var downAfterFailures = 3
    /// ...or after failing this many seconds (with at least two failed probes), whichever
    /// comes first: a slow cadence must not take 45 minutes to notice an outage.
    public var downAfterSeconds = 300.0
    /// Up again after this many good probes in a row.
    public var upAfterSuccesses = 2

    public init() {}
}
