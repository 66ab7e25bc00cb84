import PatrolInventory
import PatrolLedger
import Testing

/// The checks an operator's act passes before the ledger records it, the same for `patrol`'s act
/// commands and for the scenario simulator.
@Suite("Operator acts: what the ledger refuses")
struct ActChecksTests {
    static func state(tier: Tier = .general, supervisor: String? = nil, suspended: Bool = false, closed: Bool = false) -> VenueState {
        var state = VenueState(tier: tier, supervisor: supervisor)
        state.suspended = suspended
        state.closed = closed
        return state
    }

    @Test("a reinstatement needs a suspended venue that is not closed")
    func reinstatement() throws {
        try Self.state(suspended: true).checkReinstatement(of: "V1")
        let clean = Self.state()
        #expect(throws: ActRefusal.notSuspended(venue: "V1", standing: clean.standing)) { try clean.checkReinstatement(of: "V1") }
        let closed = Self.state(suspended: true, closed: true)
        #expect(throws: ActRefusal.notSuspended(venue: "V1", standing: .closed)) { try closed.checkReinstatement(of: "V1") }
    }

    @Test("a serious violation is refused once the venue is closed")
    func violation() throws {
        try Self.state(suspended: true).checkViolation(of: "V1")
        #expect(throws: ActRefusal.alreadyClosed(venue: "V1")) { try Self.state(closed: true).checkViolation(of: "V1") }
    }

    @Test("a tier change must change something, and a priority venue needs a supervisor")
    func tier() throws {
        let general = Self.state()
        #expect(throws: ActRefusal.priorityNeedsSupervisor) { try general.checkTierChange(to: .priority, supervisor: nil, of: "V1") }
        try general.checkTierChange(to: .priority, supervisor: "张伟", of: "V1")
        try general.checkTierChange(to: .watch, supervisor: nil, of: "V1")
        #expect(throws: ActRefusal.tierUnchanged(venue: "V1", tier: .general)) { try general.checkTierChange(to: .general, supervisor: nil, of: "V1") }
        let priority = Self.state(tier: .priority, supervisor: "张伟")
        try priority.checkTierChange(to: .priority, supervisor: "李娜", of: "V1")
        #expect(throws: ActRefusal.tierUnchanged(venue: "V1", tier: .priority)) {
            try priority.checkTierChange(to: .priority, supervisor: "张伟", of: "V1")
        }
    }

    @Test("a revocation names an entry that exists, is not a revocation, and still stands")
    func revocation() throws {
        let day = PatrolDay("2026-11-20")!
        func entry(_ seq: Int, _ kind: EntryKind, refersTo: Int? = nil) -> LedgerEntry {
            LedgerEntry(seq: seq, step: Step(venueID: "V1", kind: kind, day: day, refersTo: refersTo, reason: "r", actor: "王芳"),
                        at: "2026-11-20T08:00:00.000Z", previousHash: "", hash: "h\(seq)")
        }
        let view = LedgerView([entry(1, .order), entry(2, .note), entry(3, .revoked, refersTo: 2)])
        #expect(try view.revocable(1).seq == 1)
        #expect(throws: ActRefusal.noEntry(seq: 9)) { try view.revocable(9) }
        #expect(throws: ActRefusal.revokesARevocation(seq: 3)) { try view.revocable(3) }
        #expect(throws: ActRefusal.alreadyRevoked(seq: 2)) { try view.revocable(2) }
    }
}
