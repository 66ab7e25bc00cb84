import PatrolInventory
import PatrolSettings
import Testing
@testable import PatrolLedger

/// One venue, day by day: the script (see `LadderSimulation`) and the whole ledger it must leave.
struct Scenario: CustomTestStringConvertible, Sendable {
    var name: String
    var tier: Tier = .general
    var supervisor: String?
    var policy = LadderPolicy()
    /// The rules `+rules` brings in.
    var newRules: LadderPolicy?
    var script: String
    var ledger: [String]
    var standing: Standing?

    var testDescription: String { name }
}

private func policy(_ change: (inout LadderPolicy) -> Void) -> LadderPolicy {
    var policy = LadderPolicy()
    change(&policy)
    return policy
}

let scenarios: [Scenario] = [
    Scenario(name: "clean days leave no trace", script: "C C C", ledger: [], standing: .clean),
    Scenario(name: "fixed in time", script: "F C",
             ledger: ["d1 order d4", "d2 rectified"], standing: .clean),
    Scenario(name: "fixed on the deadline day", script: "F F F C",
             ledger: ["d1 order d4", "d4 rectified"], standing: .clean),
    Scenario(name: "fixed late: the deadline passes failing, then a warning, then fixed", script: "F F F F C",
             ledger: ["d1 order d4", "d4 deadline_missed d4", "d4 warning d7", "d5 rectified"], standing: .clean),
    Scenario(name: "a deadline day not watched moves the deadline by a day", script: "F F F U F",
             ledger: ["d1 order d4", "d4 deadline_extended d5", "d5 deadline_missed d5", "d5 warning d8"], standing: .warned),
    Scenario(name: "watch venue: two-day deadline", tier: .watch, script: "F F F",
             ledger: ["d1 order d3", "d3 deadline_missed d3", "d3 warning d5"], standing: .warned),
    Scenario(name: "left broken, a general venue walks the whole ladder to closure", script: "F*12",
             ledger: ["d1 order d4", "d4 deadline_missed d4", "d4 warning d7", "d7 deadline_missed d7", "d7 suspension d10",
                      "d10 deadline_missed d10", "d10 closure"], standing: .closed),
    Scenario(name: "left broken, a priority venue closes on day four", tier: .priority, supervisor: "张伟 (一组)", script: "F F F F F",
             ledger: ["d1 order d2", "d2 deadline_missed d2", "d2 warning d3", "d3 deadline_missed d3", "d3 suspension d4",
                      "d4 deadline_missed d4", "d4 closure"], standing: .closed),
    Scenario(name: "relapse during the re-check: warning and one tier up", script: "F C F",
             ledger: ["d1 order d4", "d2 rectified", "d3 relapse", "d3 tier_changed -> watch", "d3 warning d5"], standing: .warned),
    Scenario(name: "a failure on the last day of the re-check is a relapse", script: "F C C*6 F",
             ledger: ["d1 order d4", "d2 rectified", "d9 relapse", "d9 tier_changed -> watch", "d9 warning d11"]),
    Scenario(name: "a failure after the re-check is a new order, not a relapse", script: "F C C*7 F",
             ledger: ["d1 order d4", "d2 rectified", "d10 order d13"], standing: .ordered),
    Scenario(name: "relapse of a watch venue moves it to priority under the default supervisor", tier: .watch, script: "F C F",
             ledger: ["d1 order d3", "d2 rectified", "d3 relapse", "d3 tier_changed -> priority (priority venue team)", "d3 warning d4"]),
    Scenario(name: "relapse to priority names the venue's own supervisor", tier: .watch, supervisor: "李娜 (二组)", script: "F C F",
             ledger: ["d1 order d3", "d2 rectified", "d3 relapse", "d3 tier_changed -> priority (李娜 (二组))", "d3 warning d4"]),
    Scenario(name: "third failure by relapses closes the venue", script: "F C F C F C F",
             ledger: ["d1 order d4", "d2 rectified", "d3 relapse", "d3 tier_changed -> watch", "d3 warning d5", "d4 rectified",
                      "d5 relapse", "d5 tier_changed -> priority (priority venue team)", "d5 suspension d6", "d6 rectified",
                      "d7 relapse", "d7 closure"], standing: .closed),
    Scenario(name: "a second failure within the year is a suspension, even after a rectification", script: "F F F F C C*10 F F F F",
             ledger: ["d1 order d4", "d4 deadline_missed d4", "d4 warning d7", "d5 rectified", "d16 order d19",
                      "d19 deadline_missed d19", "d19 suspension d22"], standing: .suspended),
    Scenario(name: "failures older than 365 days do not count",
             policy: policy { $0.cleanDaysForCommendation = 10_000 }, script: "F F F F C C*400 F F F F",
             ledger: ["d1 order d4", "d4 deadline_missed d4", "d4 warning d7", "d5 rectified", "d406 order d409",
                      "d409 deadline_missed d409", "d409 warning d412"], standing: .warned),
    Scenario(name: "failures within 365 days do count",
             policy: policy { $0.cleanDaysForCommendation = 10_000 }, script: "F F F F C C*300 F F F F",
             ledger: ["d1 order d4", "d4 deadline_missed d4", "d4 warning d7", "d5 rectified", "d306 order d309",
                      "d309 deadline_missed d309", "d309 suspension d312"], standing: .suspended),
    Scenario(name: "one strike: a serious violation closes the venue at once", script: "C +strike C F",
             ledger: ["d2 serious_violation by op", "d2 closure #1"], standing: .closed),
    Scenario(name: "one strike during an open order", script: "F F +strike F",
             ledger: ["d1 order d4", "d3 serious_violation by op", "d3 closure #2"], standing: .closed),
    Scenario(name: "a waiver over the deadline moves it by the days waived", script: "F F +waive:3-4 F F F F",
             ledger: ["d1 order d4", "d3 waiver until d4 by op", "d3 deadline_extended d5", "d4 deadline_extended d6",
                      "d6 deadline_missed d6", "d6 warning d9"], standing: .warned),
    Scenario(name: "a district-wide waiver (power cut) covers the venue", script: "F F +waiveall:3-4 F F F F",
             ledger: ["d1 order d4", "d3 waiver until d4 by op", "d3 deadline_extended d5", "d4 deadline_extended d6",
                      "d6 deadline_missed d6", "d6 warning d9"], standing: .warned),
    Scenario(name: "a waiver after the fact withdraws the order it excuses", script: "F +waive:1-1 C",
             ledger: ["d1 order d4", "d1 waiver until d1 by op", "d1 revoked #1"], standing: .clean),
    Scenario(name: "a waiver after the fact withdraws a warning, and the ladder is re-derived", script: "F F F F +waive:4-4 C",
             ledger: ["d1 order d4", "d4 deadline_missed d4", "d4 warning d7", "d4 waiver until d4 by op", "d4 revoked #2",
                      "d4 revoked #3", "d4 deadline_extended d5", "d5 rectified"], standing: .clean),
    Scenario(name: "a waived day during the re-check is not a relapse", script: "F C +waive:3-3 F C",
             ledger: ["d1 order d4", "d2 rectified", "d3 waiver until d3 by op"], standing: .clean),
    Scenario(name: "Patrol down for three days: deadlines wait, nothing counts against the venue", script: "F U U U F F F",
             ledger: ["d1 order d4", "d2 deadline_extended d5", "d3 deadline_extended d6", "d4 deadline_extended d7",
                      "d7 deadline_missed d7", "d7 warning d10"], standing: .warned),
    Scenario(name: "Patrol down with nothing open leaves no trace", script: "C U U U C", ledger: [], standing: .clean),
    Scenario(name: "days not watched lengthen the re-check", script: "F C U*7 F",
             ledger: ["d1 order d4", "d2 rectified", "d10 relapse", "d10 tier_changed -> watch", "d10 warning d12"]),
    Scenario(name: "re-tiered during an open order: the deadline holds, the next uses the new tier", script: "F +tier:priority:张伟 F F F F",
             ledger: ["d1 order d4", "d2 tier_changed -> priority (张伟) by op", "d4 deadline_missed d4", "d4 warning d5",
                      "d5 deadline_missed d5", "d5 suspension d6"], standing: .suspended),
    Scenario(name: "revoke of a warning: the day is set aside and what follows is re-derived", script: "F F F F +revoke:3 C",
             ledger: ["d1 order d4", "d4 deadline_missed d4", "d4 warning d7", "d4 revoked #3 by op", "d4 revoked #2",
                      "d4 deadline_extended d5", "d5 rectified"], standing: .clean),
    Scenario(name: "revoke of an order", script: "F +revoke:1 F",
             ledger: ["d1 order d4", "d1 revoked #1 by op", "d2 order d5"], standing: .ordered),
    Scenario(name: "revoke of a one-strike closure reopens the venue", script: "C +strike +revoke:2 F",
             ledger: ["d2 serious_violation by op", "d2 closure #1", "d2 revoked #2 by op", "d2 order d5"], standing: .ordered),
    Scenario(name: "revoke of a suspension lifts it", tier: .priority, script: "F F F +revoke:5 C",
             ledger: ["d1 order d2", "d2 deadline_missed d2", "d2 warning d3", "d3 deadline_missed d3", "d3 suspension d4",
                      "d3 revoked #5 by op", "d3 revoked #4", "d3 deadline_extended d4", "d4 rectified"], standing: .clean),
    Scenario(name: "a suspended venue that rectifies stays suspended until reinstated", tier: .priority, script: "F F F C",
             ledger: ["d1 order d2", "d2 deadline_missed d2", "d2 warning d3", "d3 deadline_missed d3", "d3 suspension d4",
                      "d4 rectified"], standing: .suspended),
    Scenario(name: "reinstated after inspection", tier: .priority, script: "F F F C +reinstate C",
             ledger: ["d1 order d2", "d2 deadline_missed d2", "d2 warning d3", "d3 deadline_missed d3", "d3 suspension d4",
                      "d4 rectified", "d5 reinstated by op"], standing: .clean),
    Scenario(name: "reinstated but still failing: the suspension's deadline passes and the venue closes", tier: .priority,
             script: "F F F +reinstate F",
             ledger: ["d1 order d2", "d2 deadline_missed d2", "d2 warning d3", "d3 deadline_missed d3", "d3 suspension d4",
                      "d4 reinstated by op", "d4 deadline_missed d4", "d4 closure"], standing: .closed),
    Scenario(name: "90 clean days in a row: commended and one tier down", tier: .watch, script: "C*90",
             ledger: ["d90 commended", "d90 tier_changed -> general"], standing: .clean),
    Scenario(name: "a priority venue moves down to watch", tier: .priority, supervisor: "张伟", script: "C*90",
             ledger: ["d90 commended", "d90 tier_changed -> watch"]),
    Scenario(name: "a general venue is commended and stays general", script: "C*90 C*90",
             ledger: ["d90 commended", "d180 commended"]),
    Scenario(name: "a day not watched neither breaks nor extends a clean streak", tier: .watch, script: "C*45 U C*45",
             ledger: ["d91 commended", "d91 tier_changed -> general"]),
    Scenario(name: "a failed day starts the clean streak again", tier: .watch, script: "C*89 F C*90",
             ledger: ["d90 order d92", "d91 rectified", "d180 commended", "d180 tier_changed -> general"]),
    Scenario(name: "a note changes nothing", script: "F +note C",
             ledger: ["d1 order d4", "d2 note by op", "d2 rectified"], standing: .clean),
    Scenario(name: "a day not watched before any failure leaves no trace; a failure after opens an order", script: "U F",
             ledger: ["d2 order d5"], standing: .ordered),
    Scenario(name: "the worked example of docs/LEDGER.md", script: "F F +waiveall:3-3 F F F C C C F C C +reinstate C",
             ledger: ["d1 order d4", "d3 waiver until d3 by op", "d3 deadline_extended d5", "d5 deadline_missed d5", "d5 warning d8",
                      "d6 rectified", "d9 relapse", "d9 tier_changed -> watch", "d9 suspension d11", "d10 rectified",
                      "d12 reinstated by op"], standing: .clean),
    Scenario(name: "new rules mid-order: the open order keeps its deadline, the warning takes the new one",
             newRules: policy { $0.deadlineDays[.general] = 5 }, script: "F F +rules F F",
             ledger: ["d1 order d4", "d4 deadline_missed d4", "d4 warning d9"], standing: .warned),
    Scenario(name: "new rules never rewrite the days judged before them",
             newRules: policy { $0.deadlineDays[.general] = 1; $0.recheckDays = 1 }, script: "F F F F +rules C C F",
             ledger: ["d1 order d4", "d4 deadline_missed d4", "d4 warning d7", "d5 rectified", "d7 order d8"], standing: .ordered),
    Scenario(name: "a closed venue stays closed whatever follows", script: "+strike C C F F F F",
             ledger: ["d1 serious_violation by op", "d1 closure #1"], standing: .closed),
]

@Suite("The escalation ladder, day by day")
struct LadderScenarioTests {
    @Test(arguments: scenarios)
    func scenario(_ scenario: Scenario) {
        var simulation = LadderSimulation(tier: scenario.tier, supervisor: scenario.supervisor, policy: scenario.policy,
                                          newRules: scenario.newRules)
        simulation.run(scenario.script)
        #expect(simulation.ledger == scenario.ledger)
        if let standing = scenario.standing { #expect(simulation.state?.standing == standing) }
        // The ledger it left is a valid chain, and deriving it again from scratch adds nothing.
        #expect(Chain.verify(simulation.entries) == nil)
        let replay = LedgerView(simulation.entries)
        let (steps, _) = Replay.derive(venueID: "V1", tier: scenario.tier, supervisor: scenario.supervisor, days: simulation.days,
                                       ledger: replay, positions: simulation.positions, policies: simulation.policies)
        #expect(Replay.reconcile(venueID: "V1", derived: steps, ledger: replay).isEmpty)
    }

    @Test("the table covers at least thirty scenarios")
    func enough() { #expect(scenarios.count >= 30) }
}
