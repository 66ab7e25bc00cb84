import PatrolInventory

/// What one patrol day judged for one venue, as stored: the input the ledger is derived from.
public struct JudgedVenueDay: Sendable, Equatable {
    public var venueID: String
    public var day: PatrolDay
    /// The venue's tier and supervisor on record when the day was judged.
    public var tier: Tier
    public var supervisor: String?
    public var verdict: Verdict
    public var reason: String
    public var evidence: String

    public init(venueID: String, day: PatrolDay, tier: Tier, supervisor: String?, verdict: Verdict, reason: String, evidence: String) {
        self.venueID = venueID
        self.day = day
        self.tier = tier
        self.supervisor = supervisor
        self.verdict = verdict
        self.reason = reason
        self.evidence = evidence
    }
}

/// The ledger read once for deriving: every entry by number, and those still in force by venue.
public struct LedgerView: Sendable {
    public let all: [LedgerEntry]
    /// Entries no revoke in force has cancelled, in order.
    public let effective: [LedgerEntry]
    let bySeq: [Int: LedgerEntry]
    let byVenue: [String: [LedgerEntry]]

    public init(_ entries: [LedgerEntry]) {
        all = entries.sorted { $0.seq < $1.seq }
        // A revoke always names an earlier entry, so one pass from the end settles revokes of revokes.
        var cancelled = Set<Int>()
        var kept: [LedgerEntry] = []
        for entry in all.reversed() {
            if cancelled.contains(entry.seq) { continue }
            if entry.kind == .revoked, let target = entry.refersTo { cancelled.insert(target) }
            kept.append(entry)
        }
        effective = kept.reversed()
        bySeq = Dictionary(uniqueKeysWithValues: all.map { ($0.seq, $0) })
        byVenue = Dictionary(grouping: effective, by: \.venueID)
    }

    public func entry(_ seq: Int) -> LedgerEntry? { bySeq[seq] }

    /// The venue's entries in force, and the district-wide waivers, in order.
    public func inForce(for venueID: String) -> [LedgerEntry] {
        ((byVenue[venueID] ?? []) + (byVenue["*"] ?? [])).sorted { $0.seq < $1.seq }
    }
}

/// Derives a venue's steps from the stored verdicts and the ledger's acts, and reconciles them
/// with what the ledger already holds. Pure: the daily patrol, an operator's act and `patrol
/// ledger verify` all go through here, so they cannot disagree.
public enum Replay {
    /// The venue's whole history as the ladder sees it.
    /// - Parameters:
    ///   - days: the venue's judged days, in order.
    ///   - positions: for each patrol day, the last ledger entry written before its steps: acts
    ///     up to it came before the day.
    public static func events(venueID: String, days: [JudgedVenueDay], ledger: LedgerView,
                              positions: [PatrolDay: Int]) -> [LadderEvent] {
        let mine = ledger.inForce(for: venueID)
        // An operator's revoke of a derived step sets aside what the step followed from: the act
        // behind it, or else the venue's day.
        var cancelledActs = Set<Int>()
        var setAside: [PatrolDay: String] = [:]
        for revoke in mine where revoke.kind == .revoked && !revoke.isDerived {
            guard let target = revoke.refersTo.flatMap(ledger.entry), target.isDerived else { continue }
            if let act = target.refersTo {
                cancelledActs.insert(act)
            } else {
                setAside[target.day] = "\(target.kind.rawValue) #\(target.seq) revoked by \(revoke.actor): \(revoke.reason)"
            }
        }
        var waived: [PatrolDay: String] = [:]
        for waiver in mine where waiver.kind == .waiver {
            var day = waiver.day
            while day <= (waiver.until ?? waiver.day) {
                waived[day] = "waived by \(waiver.actor): \(waiver.reason)"
                day = day.adding(1)
            }
        }
        let acts: [(seq: Int, event: LadderEvent)] = mine.compactMap { entry in
            guard !entry.isDerived, !cancelledActs.contains(entry.seq), let kind = actKind(entry) else { return nil }
            return (entry.seq, .act(Act(seq: entry.seq, day: entry.day, actor: entry.actor, reason: entry.reason, kind: kind)))
        }
        var events: [LadderEvent] = []
        var nextAct = 0
        for judged in days {
            let position = positions[judged.day] ?? Int.max
            while nextAct < acts.count, acts[nextAct].seq <= position {
                events.append(acts[nextAct].event)
                nextAct += 1
            }
            if let why = setAside[judged.day] ?? waived[judged.day] {
                events.append(.day(judged.day, .waived, reason: why, evidence: judged.evidence))
            } else {
                events.append(.day(judged.day, judged.verdict, reason: judged.reason, evidence: judged.evidence))
            }
        }
        events += acts[nextAct...].map(\.event)
        return events
    }

    static func actKind(_ entry: LedgerEntry) -> Act.Kind? {
        switch entry.kind {
        case .reinstated: .reinstate
        case .seriousViolation: .seriousViolation
        case .tierChanged: entry.tier.map { .setTier($0, supervisor: entry.supervisor) }
        case .supervisorChanged: .setSupervisor(entry.supervisor)
        default: nil
        }
    }

    /// The venue's steps from its whole history, and where that leaves it. `tier` and
    /// `supervisor` are the venue's own when it has no judged day yet.
    public static func derive(venueID: String, tier: Tier, supervisor: String?, days: [JudgedVenueDay],
                              ledger: LedgerView, positions: [PatrolDay: Int], policies: PolicyHistory)
        -> (steps: [Step], state: VenueState) {
        let start = days.first
        return Ladder.derive(venueID: venueID, tier: start?.tier ?? tier, supervisor: start.map(\.supervisor) ?? supervisor,
                             events: events(venueID: venueID, days: days, ledger: ledger, positions: positions),
                             policies: policies)
    }

    /// What to append so the ledger's derived steps in force for the venue are exactly
    /// `derived`: a revoke for each step that no longer follows, then each step that is missing.
    public static func reconcile(venueID: String, derived: [Step], ledger: LedgerView) -> [Step] {
        var standing = ledger.inForce(for: venueID).filter { $0.venueID == venueID && $0.isDerived && $0.kind != .revoked }
        var missing: [Step] = []
        for step in derived {
            if let index = standing.firstIndex(where: { $0.step.identity == step.identity }) {
                standing.remove(at: index)
            } else {
                missing.append(step)
            }
        }
        let revokes = standing.map { entry in
            Step(venueID: venueID, kind: .revoked, day: entry.day, refersTo: entry.seq,
                 reason: "\(entry.kind.rawValue) #\(entry.seq) no longer follows from the record")
        }
        return revokes + missing
    }
}
