import Foundation
import PatrolInventory
import PatrolLedger
import PatrolSettings
import PatrolStore

/// A ledger entry as the command line and the console show it: a table row, or a JSON object.
public struct EntryView: Encodable, Sendable {
    public var seq: Int
    public var venueId: String
    public var kind: String
    public var day: String
    public var deadline: String?
    public var until: String?
    public var tier: String?
    public var supervisor: String?
    public var refersTo: Int?
    public var reason: String
    /// The evidence as an object: the ledger hashes it as canonical JSON text (`patrol evidence`
    /// writes that text too).
    public var evidence: JSONValue
    public var actor: String
    public var at: String
    public var hash: String

    public init(_ entry: LedgerEntry) {
        seq = entry.seq
        venueId = entry.venueID
        kind = entry.kind.rawValue
        day = entry.day.description
        deadline = entry.deadline?.description
        until = entry.until?.description
        tier = entry.tier?.rawValue
        supervisor = entry.supervisor
        refersTo = entry.refersTo
        reason = entry.reason
        evidence = JSONValue(json: entry.evidence) ?? .string(entry.evidence)
        actor = entry.actor
        at = entry.at
        hash = entry.hash
    }
}

/// Where a venue stands on the ladder, for `patrol venue` and `patrol venues --state`.
public struct LadderView: Encodable, Sendable {
    public var standing: String
    public var tier: String
    public var supervisor: String?
    /// The open order, warning or suspension, if any.
    public var open: String?
    public var opened: String?
    public var deadline: String?
    public var recheckUntil: String?
    public var failuresInWindow: Int
    public var cleanStreak: Int

    public init(_ state: VenueState, policy: LadderPolicy, today: PatrolDay) {
        standing = state.standing.rawValue
        tier = state.tier.rawValue
        supervisor = state.supervisor
        open = state.open?.kind.rawValue
        opened = state.open?.opened.description
        deadline = state.open?.deadline.description
        recheckUntil = state.recheckUntil?.description
        failuresInWindow = policy.recentFailures(state.failures, on: today)
        cleanStreak = state.cleanStreak
    }
}

/// Every venue's place on the ladder, read once, and what a command asks of it.
public struct LadderReading: Sendable {
    public let states: [String: VenueState]
    public let policy: LadderPolicy
    public let today: PatrolDay

    /// - Parameter venues: only these venues' places (one venue's page need not derive them all).
    public init(_ store: Store, settings: DailyPatrolSettings, now: Date, venues: [String]? = nil) throws {
        policy = settings.ladder
        today = PatrolDay.containing(now, in: settings.timeZone)
        states = try store.ladder(policy: policy, venues: venues)
    }

    public func view(_ venueID: String, tier: Tier, supervisor: String?) -> LadderView {
        LadderView(states[venueID] ?? VenueState(tier: tier, supervisor: supervisor), policy: policy, today: today)
    }

    public func isOverdue(_ state: VenueState) -> Bool { state.isOverdue(on: today) }
    public func isDue(_ state: VenueState) -> Bool { state.isDue(on: today) }
}

/// The ladder's part of `patrol status`.
public struct LadderStatus: Encodable, Sendable {
    public var standings: [String: Int]
    public var overdue: Int
    public var dueToday: [String]
    public var dueTomorrow: [String]
    public var lastPatrolDay: String?

    public init(_ reading: LadderReading, lastPatrol: PatrolDay?) {
        standings = Dictionary(uniqueKeysWithValues: Standing.allCases.map { standing in
            (standing.rawValue, reading.states.values.filter { $0.standing == standing }.count)
        })
        overdue = reading.states.values.filter(reading.isOverdue).count
        let open = reading.states.filter { $0.value.open != nil }.sorted { $0.key < $1.key }
        dueToday = open.filter { $0.value.open?.deadline == reading.today }.map(\.key)
        dueTomorrow = open.filter { $0.value.open?.deadline == reading.today.adding(1) }.map(\.key)
        lastPatrolDay = lastPatrol?.description
    }
}
