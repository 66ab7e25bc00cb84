import PatrolInventory

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
    public var deadlineDays: [Tier: Int] = [.general: 3, .watch: 2, .priority: 1]
    /// Days after a rectification during which a failed day is a relapse.
    public var recheckDays = 7
    /// Failures count toward the ladder for this many days.
    public var failureWindowDays = 365
    /// Clean days in a row that move a venue one tier down and commend it.
    public var cleanDaysForCommendation = 90
    /// Named on a move to priority when the venue has no supervisor of its own.
    public var defaultSupervisor = "priority venue team"

    public init() {}

    public func deadline(for tier: Tier) -> Int { deadlineDays[tier] ?? 3 }

    /// The failures of `failures` that count on `day`: those within the window, the day included.
    public func recentFailures(_ failures: [PatrolDay], on day: PatrolDay) -> Int {
        failures.filter { day - $0 < failureWindowDays }.count
    }
}

extension LadderPolicy: Codable {
    enum CodingKeys: String, CodingKey {
        case deadlineDays = "deadline_days", recheckDays = "recheck_days", failureWindowDays = "failure_window_days"
        case cleanDaysForCommendation = "commendation_days", defaultSupervisor = "default_supervisor"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let deadlines = try container.decode([String: Int].self, forKey: .deadlineDays)
        deadlineDays = [:]
        for (name, days) in deadlines {
            guard let tier = Tier(rawValue: name) else {
                throw DecodingError.dataCorruptedError(forKey: .deadlineDays, in: container, debugDescription: "unknown tier \(name)")
            }
            deadlineDays[tier] = days
        }
        recheckDays = try container.decode(Int.self, forKey: .recheckDays)
        failureWindowDays = try container.decode(Int.self, forKey: .failureWindowDays)
        cleanDaysForCommendation = try container.decode(Int.self, forKey: .cleanDaysForCommendation)
        defaultSupervisor = try container.decode(String.self, forKey: .defaultSupervisor)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Dictionary(uniqueKeysWithValues: deadlineDays.map { ($0.key.rawValue, $0.value) }),
                             forKey: .deadlineDays)
        try container.encode(recheckDays, forKey: .recheckDays)
        try container.encode(failureWindowDays, forKey: .failureWindowDays)
        try container.encode(cleanDaysForCommendation, forKey: .cleanDaysForCommendation)
        try container.encode(defaultSupervisor, forKey: .defaultSupervisor)
    }

    /// The policy in one line, as the ledger and the operator read it.
    public var summary: String {
        let deadlines = Tier.allCases.map { "\($0.rawValue) \(deadline(for: $0))" }.joined(separator: ", ")
        return "deadlines \(deadlines) days; re-check \(recheckDays) days; failures counted over \(failureWindowDays) days; "
            + "\(cleanDaysForCommendation) clean days commend; default supervisor \(defaultSupervisor)"
    }
}

/// The ladder policy in force from a patrol day on, as recorded when that day was patrolled.
public struct PolicyChange: Sendable, Equatable {
    public var from: PatrolDay
    public var policy: LadderPolicy

    public init(from: PatrolDay, policy: LadderPolicy) {
        self.from = from
        self.policy = policy
    }
}

/// Which ladder policy each day is judged under. A change of the rules applies from the day it
/// was first patrolled under: the days before keep the rules they were judged by, so changing the
/// configuration never rewrites history. Days before the first recorded policy take the first.
public struct PolicyHistory: Sendable, Equatable {
    /// In order of `from`, at most one per day.
    public let changes: [PolicyChange]
    /// In force when nothing is recorded.
    public let otherwise: LadderPolicy

    public init(changes: [PolicyChange], otherwise: LadderPolicy) {
        self.changes = changes.sorted { $0.from < $1.from }
        self.otherwise = otherwise
    }

    public func on(_ day: PatrolDay) -> LadderPolicy {
        guard let first = changes.first else { return otherwise }
        // The last change on or before the day: binary search over the sorted changes.
        var low = 0, high = changes.count
        while low < high {
            let middle = (low + high) / 2
            if changes[middle].from <= day { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? first.policy : changes[low - 1].policy
    }
}
