import PatrolInventory
import PatrolSettings

/// The ladder's rules on its numbers.
extension LadderPolicy {
    public func deadline(for tier: Tier) -> Int { deadlineDays[tier] }

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
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let deadlines = try container.decode([String: Int].self, forKey: .deadlineDays)
        // A tier the record does not name has three days.
        deadlineDays = PerTier(repeating: 3)
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
        try container.encode(Dictionary(uniqueKeysWithValues: Tier.allCases.map { ($0.rawValue, deadlineDays[$0]) }),
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
