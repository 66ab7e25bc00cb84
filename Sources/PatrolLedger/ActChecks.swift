import PatrolInventory

/// Why the ledger refuses an operator's act. The checks are made wherever acts are recorded
/// (`patrol`'s act commands, `patrol-bench simulate`'s scenarios) by the same functions below;
/// each says the refusal in its own words.
public enum ActRefusal: Error, Equatable, Sendable {
    /// A reinstatement of a venue that is not suspended, or is closed.
    case notSuspended(venue: String, standing: Standing)
    /// A serious violation recorded against a venue already closed.
    case alreadyClosed(venue: String)
    /// A revocation of an entry the ledger does not hold.
    case noEntry(seq: Int)
    /// A revocation of a revocation.
    case revokesARevocation(seq: Int)
    /// A revocation of an entry already revoked.
    case alreadyRevoked(seq: Int)
    /// A priority venue left without a supervisor.
    case priorityNeedsSupervisor
    /// A tier change that changes nothing.
    case tierUnchanged(venue: String, tier: Tier)
}

extension VenueState {
    /// A venue can be reinstated only while suspended, never once closed.
    public func checkReinstatement(of venue: String) throws(ActRefusal) {
        guard suspended, !closed else { throw .notSuspended(venue: venue, standing: standing) }
    }

    /// A serious violation closes the venue: not twice.
    public func checkViolation(of venue: String) throws(ActRefusal) {
        guard !closed else { throw .alreadyClosed(venue: venue) }
    }

    /// A new tier (and supervisor): a priority venue needs a supervisor, and something must change.
    public func checkTierChange(to tier: Tier, supervisor: String?, of venue: String) throws(ActRefusal) {
        if tier == .priority, (supervisor ?? self.supervisor) == nil { throw .priorityNeedsSupervisor }
        guard tier != self.tier || (supervisor != nil && supervisor != self.supervisor) else {
            throw .tierUnchanged(venue: venue, tier: tier)
        }
    }
}

extension LedgerView {
    /// The entry `seq`, if it may be revoked: it exists, is not itself a revocation, and still stands.
    public func revocable(_ seq: Int) throws(ActRefusal) -> LedgerEntry {
        guard let target = entry(seq) else { throw .noEntry(seq: seq) }
        guard target.kind != .revoked else { throw .revokesARevocation(seq: seq) }
        guard effective.contains(where: { $0.seq == seq }) else { throw .alreadyRevoked(seq: seq) }
        return target
    }
}
