import Foundation
import PatrolInventory
import PatrolLedger
import PatrolSettings
import PatrolStore

/// A ledger entry as the command line shows it: a table row, or a JSON object.
struct EntryView: Encodable {
    var seq: Int
    var venueId: String
    var kind: String
    var day: String
    var deadline: String?
    var until: String?
    var tier: String?
    var supervisor: String?
    var refersTo: Int?
    var reason: String
    /// The evidence as an object: the ledger hashes it as canonical JSON text (`patrol evidence`
    /// writes that text too).
    var evidence: JSONValue
    var actor: String
    var at: String
    var hash: String

    init(_ entry: LedgerEntry) {
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

    /// What the entry says beyond its kind: its deadline, the days it covers, the tier it sets.
    var detail: String {
        var parts: [String] = []
        if let deadline { parts.append(say(.entryDeadline, Format.day(deadline))) }
        if let until { parts.append(until == day ? say(.entryForDay, Format.day(day)) : say(.entryDays, Format.day(day), Format.day(until))) }
        if let tier { parts.append(say(.entryTier, word(.tier, tier))) }
        if let supervisor { parts.append("(\(supervisor))") }
        if let refersTo { parts.append("#\(refersTo)") }
        return parts.joined(separator: " ")
    }

    static func table(_ entries: [EntryView], showVenue: Bool = true) -> String {
        var table = Table([.right("#"), .left(say(.entryColumnDay))] + (showVenue ? [.left(say(.entryColumnVenue))] : [])
            + [.left(say(.entryColumnKind)), .left(say(.entryColumnDetail)), .left(say(.entryColumnBy)), .left(say(.entryColumnReason))])
        for entry in entries {
            table.add([String(entry.seq), Format.day(entry.day)] + (showVenue ? [entry.venueId] : [])
                + [word(.entryKind, entry.kind), entry.detail, word(.actor, entry.actor), Reasons.say(entry.reason)])
        }
        return table.render()
    }
}

/// Where a venue stands on the ladder, for `patrol venue` and `patrol venues --state`.
struct LadderView: Encodable {
    var standing: String
    var tier: String
    var supervisor: String?
    /// The open order, warning or suspension, if any.
    var open: String?
    var opened: String?
    var deadline: String?
    var recheckUntil: String?
    var failuresInWindow: Int
    var cleanStreak: Int

    init(_ state: VenueState, policy: LadderPolicy, today: PatrolDay) {
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

    var fields: [(String, String)] {
        var fields = [(say(.ladderStanding), word(.standing, standing))]
        if let open, let opened, let deadline {
            fields.append((say(.ladderOpen), say(.ladderOpenStep, word(.entryKind, open), Format.day(opened), Format.day(deadline))))
        }
        if let recheckUntil { fields.append((say(.ladderRecheck), say(.ladderRecheckUntil, Format.day(recheckUntil)))) }
        fields.append((say(.ladderFailures), say(.ladderFailuresInYear, failuresInWindow)))
        fields.append((say(.ladderCleanDays), say(.ladderCleanStreak, cleanStreak)))
        return fields
    }
}

extension DatabaseOptions {
    /// The ladder's rules and today's patrol day, from the configuration.
    func patrolSettings() throws -> DailyPatrolSettings { try configuration().patrol }

    func today(_ now: Date = Date()) throws -> PatrolDay { PatrolDay.containing(now, in: try patrolSettings().timeZone) }
}

/// Every venue's place on the ladder, read once, and what a command asks of it.
struct LadderReading {
    let states: [String: VenueState]
    let policy: LadderPolicy
    let today: PatrolDay

    /// - Parameter venues: only these venues' places (one venue's page need not derive them all).
    init(_ store: Store, options: DatabaseOptions, now: Date, venues: [String]? = nil) throws {
        let settings = try options.patrolSettings()
        policy = settings.ladder
        today = PatrolDay.containing(now, in: settings.timeZone)
        states = try store.ladder(policy: policy, venues: venues)
    }

    func view(_ venueID: String, tier: Tier, supervisor: String?) -> LadderView {
        LadderView(states[venueID] ?? VenueState(tier: tier, supervisor: supervisor), policy: policy, today: today)
    }

    func isOverdue(_ state: VenueState) -> Bool { state.isOverdue(on: today) }
    func isDue(_ state: VenueState) -> Bool { state.isDue(on: today) }
}

/// The ladder's part of `patrol status`.
struct LadderStatus: Encodable {
    var standings: [String: Int]
    var overdue: Int
    var dueToday: [String]
    var dueTomorrow: [String]
    var lastPatrolDay: String?

    init(_ reading: LadderReading, lastPatrol: PatrolDay?) {
        standings = Dictionary(uniqueKeysWithValues: Standing.allCases.map { standing in
            (standing.rawValue, reading.states.values.filter { $0.standing == standing }.count)
        })
        overdue = reading.states.values.filter(reading.isOverdue).count
        let open = reading.states.filter { $0.value.open != nil }.sorted { $0.key < $1.key }
        dueToday = open.filter { $0.value.open?.deadline == reading.today }.map(\.key)
        dueTomorrow = open.filter { $0.value.open?.deadline == reading.today.adding(1) }.map(\.key)
        lastPatrolDay = lastPatrol?.description
    }

    var fields: [(String, String)] {
        [(say(.ladderLabel), Standing.allCases.map { say(.ladderStandingCount, standings[$0.rawValue] ?? 0, word($0)) }
            .joined(separator: say(.listSeparator))),
         (say(.ladderPastDeadline), say(.ladderOverdueVenues, overdue)),
         (say(.ladderDueToday), dueToday.isEmpty ? say(.none) : dueToday.joined(separator: say(.listSeparator))),
         (say(.ladderDueTomorrow), dueTomorrow.isEmpty ? say(.none) : dueTomorrow.joined(separator: say(.listSeparator))),
         (say(.ladderLastPatrol), lastPatrolDay.map { say(.ladderJudged, Format.day($0)) } ?? say(.ladderNoneYet))]
    }
}

/// A report with one more field beside its own: `{...report's fields, "ladder": ...}` in JSON.
struct WithLadder<Base: Encodable, Ladder: Encodable>: Encodable {
    var base: Base
    var ladder: Ladder

    enum Key: String, CodingKey { case ladder }

    func encode(to encoder: Encoder) throws {
        try base.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(ladder, forKey: .ladder)
    }
}
