import Foundation
import PatrolInventory
import PatrolLedger
import PatrolSettings
import PatrolStore
import PatrolViews

extension EntryView {
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

extension LadderView {
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

extension LadderReading {
    init(_ store: Store, options: DatabaseOptions, now: Date, venues: [String]? = nil) throws {
        try self.init(store, settings: options.patrolSettings(), now: now, venues: venues)
    }
}

extension LadderStatus {
    var fields: [(String, String)] {
        [(say(.ladderLabel), Standing.allCases.map { say(.ladderStandingCount, standings[$0.rawValue] ?? 0, word($0)) }
            .joined(separator: say(.listSeparator))),
         (say(.ladderPastDeadline), say(.ladderOverdueVenues, overdue)),
         (say(.ladderDueToday), dueToday.isEmpty ? say(.none) : dueToday.joined(separator: say(.listSeparator))),
         (say(.ladderDueTomorrow), dueTomorrow.isEmpty ? say(.none) : dueTomorrow.joined(separator: say(.listSeparator))),
         (say(.ladderLastPatrol), lastPatrolDay.map { say(.ladderJudged, Format.day($0)) } ?? say(.ladderNoneYet))]
    }
}
