import PatrolInventory

/// Something that happened to a venue, in the order it happened: a judged day, or an act.
public enum LadderEvent: Sendable, Equatable {
    /// The patrol's verdict for the venue's day (already `waived` where an operator set it aside).
    case day(PatrolDay, Verdict, reason: String, evidence: String)
    case act(Act)
}

/// An act recorded in the ledger that changes what follows: by an operator, or by an import.
public struct Act: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case reinstate
        /// One strike: closure at once.
        case seriousViolation
        case setTier(Tier, supervisor: String?)
        case setSupervisor(String?)
    }

    /// The act's own ledger entry.
    public var seq: Int
    public var day: PatrolDay
    public var actor: String
    public var reason: String
    public var kind: Kind

    public init(seq: Int, day: PatrolDay, actor: String, reason: String, kind: Kind) {
        self.seq = seq
        self.day = day
        self.actor = actor
        self.reason = reason
        self.kind = kind
    }
}

/// Where a venue stands on the ladder.
public enum Standing: String, Sendable, Codable, CaseIterable {
    case clean
    /// A rectification order is open.
    case ordered
    /// A warning (with its new deadline) is open.
    case warned
    case suspended
    case closed
}

/// An order, warning or suspension the venue has yet to rectify.
public struct OpenOrder: Sendable, Equatable, Codable {
    public var kind: EntryKind
    public var opened: PatrolDay
    public var deadline: PatrolDay
}

/// A venue's state after its history so far.
public struct VenueState: Sendable, Equatable, Codable {
    public var tier: Tier
    public var supervisor: String?
    public var open: OpenOrder?
    /// Last day of the re-check that follows a rectification.
    public var recheckUntil: PatrolDay?
    public var suspended = false
    public var closed = false
    /// Days on which a failure counted (a missed deadline or a relapse).
    public var failures: [PatrolDay] = []
    public var cleanStreak = 0
    public var lastDay: PatrolDay?

    public init(tier: Tier, supervisor: String?) {
        self.tier = tier
        self.supervisor = supervisor
    }

    public var standing: Standing {
        if closed { return .closed }
        if suspended { return .suspended }
        switch open?.kind {
        case .warning?: return .warned
        case .some: return .ordered
        case nil: return .clean
        }
    }
}

extension VenueState {
    /// A deadline missed and not yet made good on `today`: an open warning or suspension, or an
    /// order whose deadline has passed (before the morning's patrol has escalated it).
    public func isOverdue(on today: PatrolDay) -> Bool {
        guard let open else { return false }
        return open.kind != .order || open.deadline < today
    }

    /// An open order, warning or suspension whose deadline is `today` or the day after.
    public func isDue(on today: PatrolDay) -> Bool {
        guard let open else { return false }
        return open.deadline >= today && open.deadline <= today.adding(1)
    }
}

/// The escalation ladder: a pure function of a venue's history and the policy.
///
/// No clock, no I/O: the same history always gives the same steps, which is what lets the
/// whole ledger be re-derived from the stored verdicts and checked.
public enum Ladder {
    /// Each day is judged under the policy in force on it; what a day decided (a deadline, a
    /// re-check) stands when the policy later changes.
    public static func derive(venueID: String, tier: Tier, supervisor: String?, events: [LadderEvent],
                              policies: PolicyHistory) -> (steps: [Step], state: VenueState) {
        var walk = Walk(venueID: venueID, state: VenueState(tier: tier, supervisor: supervisor), policies: policies)
        for event in events {
            guard !walk.state.closed else { break }
            switch event {
            case .act(let act):
                walk.apply(act)
            case .day(let day, let verdict, let reason, let evidence):
                if let last = walk.state.lastDay, day <= last { continue }
                // Days the patrol has no verdict for (the venue closed and reopened, or had no
                // camera) are days Patrol did not watch.
                var gap = (walk.state.lastDay ?? day).adding(1)
                while gap < day, !walk.state.closed {
                    walk.judge(gap, .unknown, reason: "no verdict for the day", evidence: Evidence.none)
                    gap = gap.adding(1)
                }
                if !walk.state.closed { walk.judge(day, verdict, reason: reason, evidence: evidence) }
            }
        }
        return (walk.steps, walk.state)
    }

    struct Walk {
        let venueID: String
        var state: VenueState
        let policies: PolicyHistory
        var steps: [Step] = []

        mutating func emit(_ kind: EntryKind, _ day: PatrolDay, deadline: PatrolDay? = nil, tier: Tier? = nil,
                           supervisor: String? = nil, refersTo: Int? = nil, reason: String, evidence: String = Evidence.none) {
            steps.append(Step(venueID: venueID, kind: kind, day: day, deadline: deadline, tier: tier, supervisor: supervisor,
                              refersTo: refersTo, reason: reason, evidence: evidence))
        }

        mutating func apply(_ act: Act) {
            switch act.kind {
            case .reinstate:
                state.suspended = false
            case .seriousViolation:
                emit(.closure, act.day, refersTo: act.seq,
                     reason: "one strike: serious violation recorded by \(act.actor): \(act.reason)")
                close()
            case .setTier(let tier, let supervisor):
                state.tier = tier
                if let supervisor { state.supervisor = supervisor }
            case .setSupervisor(let supervisor):
                state.supervisor = supervisor
            }
        }

        mutating func judge(_ day: PatrolDay, _ verdict: Verdict, reason: String, evidence: String) {
            let policy = policies.on(day)
            state.lastDay = day
            if let until = state.recheckUntil, day > until { state.recheckUntil = nil }
            switch verdict {
            case .failed:
                state.cleanStreak = 0
                if let open = state.open {
                    if day >= open.deadline {
                        emit(.deadlineMissed, day, deadline: open.deadline,
                             reason: "\(open.kind.rawValue) of \(open.opened) not rectified by \(open.deadline): \(reason)",
                             evidence: evidence)
                        fail(day, because: "missed deadline", evidence: evidence)
                    }
                } else if state.recheckUntil != nil {
                    emit(.relapse, day, reason: "failed again during the re-check after rectification: \(reason)", evidence: evidence)
                    moveUp(day)
                    fail(day, because: "relapse", evidence: evidence)
                } else {
                    let deadline = day.adding(policy.deadline(for: state.tier))
                    state.open = OpenOrder(kind: .order, opened: day, deadline: deadline)
                    emit(.order, day, deadline: deadline, reason: "rectify by \(deadline): \(reason)", evidence: evidence)
                }
            case .compliant:
                if let open = state.open {
                    state.open = nil
                    let until = day.adding(policy.recheckDays)
                    state.recheckUntil = until
                    emit(.rectified, day, reason: "\(open.kind.rawValue) of \(open.opened) rectified; re-check until \(until): \(reason)",
                         evidence: evidence)
                }
                state.cleanStreak += 1
                if state.cleanStreak >= policy.cleanDaysForCommendation {
                    state.cleanStreak = 0
                    emit(.commended, day, reason: "\(policy.cleanDaysForCommendation) clean days in a row")
                    if let lower = state.tier.lower {
                        state.tier = lower
                        emit(.tierChanged, day, tier: lower, reason: "\(policy.cleanDaysForCommendation) clean days in a row")
                    }
                }
            case .unknown, .waived:
                // A day nobody could judge does not count toward a deadline or a re-check.
                let why = verdict == .waived ? "day waived: \(reason)" : "day not judged: \(reason)"
                if let open = state.open {
                    state.open?.deadline = open.deadline.adding(1)
                    emit(.deadlineExtended, day, deadline: open.deadline.adding(1), reason: why)
                }
                if let until = state.recheckUntil { state.recheckUntil = until.adding(1) }
            }
        }

        /// One failure: the count within the window decides the rung.
        mutating func fail(_ day: PatrolDay, because cause: String, evidence: String) {
            state.failures.append(day)
            state.recheckUntil = nil
            let policy = policies.on(day)
            let window = policy.failureWindowDays
            let count = policy.recentFailures(state.failures, on: day)
            let deadline = day.adding(policy.deadline(for: state.tier))
            switch count {
            case 1:
                state.open = OpenOrder(kind: .warning, opened: day, deadline: deadline)
                emit(.warning, day, deadline: deadline,
                     reason: "first failure in \(window) days (\(cause)); rectify by \(deadline)", evidence: evidence)
            case 2:
                state.open = OpenOrder(kind: .suspension, opened: day, deadline: deadline)
                state.suspended = true
                emit(.suspension, day, deadline: deadline,
                     reason: "second failure in \(window) days (\(cause)); business suspended, rectify by \(deadline)",
                     evidence: evidence)
            default:
                emit(.closure, day, reason: "failure number \(count) in \(window) days (\(cause))", evidence: evidence)
                close()
            }
        }

        /// A relapse moves the venue one tier up; priority names who supervises it.
        mutating func moveUp(_ day: PatrolDay) {
            guard let higher = state.tier.higher else { return }
            state.tier = higher
            var supervisor: String?
            if higher == .priority {
                supervisor = state.supervisor ?? policies.on(day).defaultSupervisor
                state.supervisor = supervisor
            }
            emit(.tierChanged, day, tier: higher, supervisor: supervisor, reason: "relapse moves the venue up to \(higher.rawValue)")
        }

        mutating func close() {
            state.closed = true
            state.open = nil
            state.recheckUntil = nil
        }
    }
}

extension Tier {
    var higher: Tier? {
        switch self {
        case .general: .watch
        case .watch: .priority
        case .priority: nil
        }
    }

    var lower: Tier? {
        switch self {
        case .general: nil
        case .watch: .general
        case .priority: .watch
        }
    }
}
