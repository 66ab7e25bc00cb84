import Foundation
import PatrolInventory
@testable import PatrolLedger
import PatrolSettings

/// Plays a venue's days and an operator's acts the way the daily patrol and the command line do
/// (derive, reconcile, seal) on an in-memory ledger, and prints the ledger compactly.
///
/// A script is tokens separated by spaces: `C` compliant, `F` failed, `U` not watched, `W`
/// waived: one per day from day 1. Acts happen on the day after the last judged one:
/// `+reinstate`, `+strike`, `+note`, `+tier:priority[:supervisor]`, `+supervisor:name`,
/// `+waive:3-5` (this venue), `+waiveall:3-5` (the district), `+revoke:K` (entry #K), `+rules`
/// (the next day is patrolled under `newRules`). `C*90` repeats a token.
struct LadderSimulation {
    static let base = PatrolDay(year: 2026, month: 1, day: 1)
    let venueID: String
    let policy: LadderPolicy
    let newRules: LadderPolicy?
    /// The policies recorded as the days were patrolled: a change from the day it was first used.
    var changes: [PolicyChange] = []
    var rulesChanged = false
    var tier: Tier
    var supervisor: String?
    var entries: [LedgerEntry] = []
    var days: [JudgedVenueDay] = []
    var positions: [PatrolDay: Int] = [:]
    var state: VenueState?

    init(venueID: String = "V1", tier: Tier = .general, supervisor: String? = nil, policy: LadderPolicy = LadderPolicy(),
         newRules: LadderPolicy? = nil) {
        self.venueID = venueID
        self.tier = tier
        self.supervisor = supervisor
        self.policy = policy
        self.newRules = newRules
    }

    var policies: PolicyHistory { PolicyHistory(changes: changes, otherwise: policy) }

    static func day(_ number: Int) -> PatrolDay { base.adding(number - 1) }

    var today: PatrolDay { days.last.map { $0.day.adding(1) } ?? Self.base }

    mutating func run(_ script: String) {
        for token in script.split(separator: " ") {
            let parts = token.split(separator: "*")
            for _ in 0..<(parts.count == 2 ? Int(parts[1])! : 1) { play(String(parts[0])) }
        }
    }

    mutating func play(_ token: String) {
        let verdicts: [String: Verdict] = ["C": .compliant, "F": .failed, "U": .unknown, "W": .waived]
        if let verdict = verdicts[token] {
            judge(verdict)
            return
        }
        precondition(token.hasPrefix("+"), "unknown token \(token)")
        if token == "+rules" {
            rulesChanged = true
            return
        }
        let words = token.dropFirst().split(separator: ":", maxSplits: 2).map(String.init)
        let act: Step
        func range(_ text: String) -> (PatrolDay, PatrolDay) {
            let ends = text.split(separator: "-").map { Self.day(Int($0)!) }
            return (ends[0], ends.last!)
        }
        switch words[0] {
        case "reinstate": act = Step(venueID: venueID, kind: .reinstated, day: today, reason: "inspected on site", actor: "op")
        case "strike": act = Step(venueID: venueID, kind: .seriousViolation, day: today, reason: "cameras disabled", actor: "op")
        case "note": act = Step(venueID: venueID, kind: .note, day: today, reason: "owner called", actor: "op")
        case "tier":
            act = Step(venueID: venueID, kind: .tierChanged, day: today, tier: Tier(rawValue: words[1])!,
                       supervisor: words.count > 2 ? words[2] : nil, reason: "re-graded", actor: "op")
        case "supervisor":
            act = Step(venueID: venueID, kind: .supervisorChanged, day: today, supervisor: words[1], reason: "new team", actor: "op")
        case "waive", "waiveall":
            let (from, to) = range(words[1])
            act = Step(venueID: words[0] == "waive" ? venueID : "*", kind: .waiver, day: from, until: to,
                       reason: "power cut", actor: "op")
        case "revoke":
            let target = entries[Int(words[1])! - 1]
            act = Step(venueID: venueID, kind: .revoked, day: target.day, refersTo: target.seq, reason: "erroneous", actor: "op")
        default: preconditionFailure("unknown act \(token)")
        }
        seal([act])
        reconcile()
    }

    mutating func judge(_ verdict: Verdict) {
        let day = today
        let rules = rulesChanged ? newRules! : policy
        if rules != changes.last?.policy { changes.append(PolicyChange(from: day, policy: rules)) }
        positions[day] = entries.count
        days.append(JudgedVenueDay(venueID: venueID, day: day, tier: tier, supervisor: supervisor, verdict: verdict,
                                   reason: verdict.rawValue, evidence: Evidence.none))
        reconcile()
    }

    mutating func reconcile() {
        let ledger = LedgerView(entries)
        let (steps, state) = Replay.derive(venueID: venueID, tier: tier, supervisor: supervisor, days: days, ledger: ledger,
                                           positions: positions, policies: policies)
        self.state = state
        tier = state.tier
        supervisor = state.supervisor
        seal(Replay.reconcile(venueID: venueID, derived: steps, ledger: ledger))
    }

    mutating func seal(_ steps: [Step]) {
        for step in steps {
            let at = Date(timeIntervalSince1970: 1_767_225_600 + Double(entries.count))
            entries.append(Chain.seal(step, seq: entries.count + 1, at: at, after: entries.last?.hash ?? LedgerEntry.genesis))
        }
    }

    /// `d4 warning d7`, `d3 tier_changed -> priority (张伟)`, `d5 revoked #3 by op`, `d3 waiver until d4 by op`.
    var ledger: [String] { entries.map(Self.render) }

    static func render(_ entry: LedgerEntry) -> String {
        func name(_ day: PatrolDay) -> String { "d\(day - base + 1)" }
        var text = "\(name(entry.day)) \(entry.kind.rawValue)"
        if let deadline = entry.deadline { text += " \(name(deadline))" }
        if let until = entry.until { text += " until \(name(until))" }
        if let tier = entry.tier { text += " -> \(tier.rawValue)" }
        if let supervisor = entry.supervisor { text += " (\(supervisor))" }
        if let target = entry.refersTo { text += " #\(target)" }
        if !entry.isDerived { text += " by \(entry.actor)" }
        return text
    }
}
