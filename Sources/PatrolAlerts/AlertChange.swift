import Foundation
import PatrolSettings

/// One change the rules are fed: a camera down or up, a registration system offline or online,
/// a venue's new ledger step, one of Patrol's health checks failing or well again. The shell
/// reads them from the store (and the daemon's own health); feeding a change that changes
/// nothing (a camera already known down said down again) is harmless, so levels may be fed
/// every pass.
@dynamicMemberLookup
public struct AlertChange: Sendable, Equatable {
    public var signal: AlertSignal
    /// Down, offline, failing, or a ledger step (always bad); false: well again.
    public var bad: Bool
    /// The subject, where it is and what is wrong (`change.subject`, `change.since`…). Its
    /// `since`: when the fault was declared (a camera's status change, the step taken), or when
    /// the subject came back; a rule's debounce (`after`) counts from there.
    public var member: AlertMember
    /// Known before alerting began (the first pass over a database): remembered as down, never
    /// alerted, and its recovery sends nothing.
    public var baseline: Bool

    /// - Parameters:
    ///   - subject: the camera's id, the registration system's, the health check's name, or the ledger entry's number.
    ///   - tier: the venue's tier (`general`, `watch`, `priority`); `placement`: a camera's (`perimeter`, `interior`).
    ///   - supervisor: the venue's supervisor, as named on the venue: the rule's `supervisor` recipients.
    ///   - detail: what is wrong: the probe's outcome (`black`), the ledger step (`warning`), the health check's reason.
    public init(signal: AlertSignal, subject: String, bad: Bool, since: Date, venueID: String? = nil, venueName: String? = nil,
                tier: String? = nil, placement: String? = nil, supervisor: String? = nil, detail: String = "", baseline: Bool = false) {
        self.signal = signal
        self.bad = bad
        member = AlertMember(subject: subject, venueID: venueID, venueName: venueName, tier: tier, placement: placement,
                             supervisor: supervisor, detail: detail, since: since)
        self.baseline = baseline
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<AlertMember, T>) -> T { member[keyPath: keyPath] }
}

/// A subject inside an alert: what it is, where, what is wrong, since when.
public struct AlertMember: Sendable, Equatable, Codable {
    public var subject: String
    public var venueID: String?
    public var venueName: String?
    public var tier: String?
    public var placement: String?
    public var supervisor: String?
    public var detail: String
    public var since: Date

    public init(subject: String, venueID: String?, venueName: String?, tier: String?, placement: String?, supervisor: String?,
                detail: String, since: Date) {
        self.subject = subject
        self.venueID = venueID
        self.venueName = venueName
        self.tier = tier
        self.placement = placement
        self.supervisor = supervisor
        self.detail = detail
        self.since = since
    }
}

extension AlertRule {
    /// Whether the rule covers `change`.
    func covers(_ change: AlertChange) -> Bool {
        guard change.signal == signal else { return false }
        switch signal {
        case .camera:
            return (tiers.isEmpty || change.tier.map(tiers.contains) == true)
                && (placements.isEmpty || change.placement.map(placements.contains) == true)
        case .registration:
            return tiers.isEmpty || change.tier.map(tiers.contains) == true
        case .ledger:
            return (tiers.isEmpty || change.tier.map(tiers.contains) == true)
                && (steps.isEmpty ? AlertRule.defaultSteps : steps).contains(change.detail)
        case .health:
            return checks.isEmpty || HealthCheck(rawValue: change.subject).map(checks.contains) == true
        }
    }
}
