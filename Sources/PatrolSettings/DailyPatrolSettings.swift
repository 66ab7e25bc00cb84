import Foundation

/// When and how the daily patrol judges.
public struct DailyPatrolSettings: Sendable, Equatable {
    /// Patrol days are calendar days here.
    public var timeZone = TimeZone(identifier: "Asia/Shanghai")!
    /// The patrol of a day runs at this time on the next day.
    public var hour = 6
    public var minute = 0
    public var judging = JudgingPolicy()
    public var ladder = LadderPolicy()
    /// How long one probe of a camera stands for, in seconds, by tier: a little more than the
    /// time to the next probe, even a backed-off one.
    public var coverage = PerTier<TimeInterval>(general: 1800, watch: 1200, priority: 1200)
    /// A camera whose clock (from its RTCP sender reports) is off by more than this many seconds
    /// goes on the report's maintenance list.
    public var clockTolerance: TimeInterval = 60
    /// The language of the daily report (`report.language`).
    public var reportLanguage = ReportLanguage.zhCN
    /// How a venue's registration systems are judged; nil when no registration platform is
    /// configured (venues are then judged on video alone).
    public var registration: RegistrationJudging?

    public init() {}

    /// Coverage from the schedule: twice the cadence, and never less than the longest backoff,
    /// plus the probe's own deadline.
    public mutating func cover(cadence: PerTier<TimeInterval>, backoffLimit: TimeInterval, deadline: TimeInterval) {
        coverage = cadence.map { max(2 * $0, backoffLimit) + deadline }
    }
}

/// How a camera-day is judged from what the probes saw. Defaults are the office's rules.
public struct JudgingPolicy: Sendable, Equatable {
    /// A camera must be online at least this share of the time Patrol was watching it.
    public var minOnlineShare = 0.95
    /// Frozen or black pictures tolerated in a day, in seconds, in total.
    public var maxFrozenOrBlackSeconds = 3600.0
    /// Below this share of the day watched, Patrol cannot judge: the verdict is `unknown`.
    public var minWatchedShare = 0.5
    /// An hour in which more than this share of all probes failed at the network level (refused
    /// or timed out) is Patrol's own outage, not the venues': nobody is judged on it.
    public var outageShare = 0.5
    /// An hour needs at least this many probes before it can be called an outage.
    public var outageMinProbes = 20

    public init() {}
}

/// The escalation ladder's numbers. Defaults are the office's rules.
public struct LadderPolicy: Sendable, Equatable {
    /// Days to rectify after an order, a warning or a suspension, by the venue's tier.
    public var deadlineDays = PerTier(general: 3, watch: 2, priority: 1)
    /// Days after a rectification during which a failed day is a relapse.
    public var recheckDays = 7
    /// Failures count toward the ladder for this many days.
    public var failureWindowDays = 365
    /// Clean days in a row that move a venue one tier down and commend it.
    public var cleanDaysForCommendation = 90
    /// Named on a move to priority when the venue has no supervisor of its own.
    public var defaultSupervisor = "priority venue team"

    public init() {}
}
