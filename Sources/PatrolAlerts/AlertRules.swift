import Foundation
import PatrolSettings

/// What the rules decided to send: an alert opened (one subject, or a storm's summary), a
/// resolution, a reminder of what stays down, or a notice (a ledger step, never resolved).
public struct AlertNotice: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case open
        case resolve
        case remind
        case notice
    }

    /// Stable and unique within one database: `patrol-A17-open`, `patrol-A17-remind-2`,
    /// `patrol-A17-resolve`. A receiver drops a repeat by it.
    public var eventID: String
    /// The alert's number.
    public var alert: Int
    public var kind: Kind
    public var rule: String
    public var signal: AlertSignal
    /// When the rules decided it.
    public var at: Date
    /// When the earliest of its subjects' faults began.
    public var since: Date
    /// One summary for a storm of subjects, rather than one alert each.
    public var summary: Bool
    /// The subjects: all of the alert's for `open` and `resolve`, those still down for `remind`.
    public var members: [AlertMember]
    /// Of the alert's subjects, how many are down now (0 once resolved).
    public var stillDown: Int
    /// All of the alert's subjects.
    public var total: Int
    /// Recipient groups (`duty_desk`…), without `supervisor`.
    public var groups: [String]
    /// The supervisors of the members' venues, when the rule sends to `supervisor`.
    public var supervisors: [String]
    public var channels: [AlertChannel]
}

/// An alert sent and not resolved yet: its subjects, those still down, when it was last sent.
public struct OpenAlert: Sendable, Equatable, Codable {
    public var number: Int
    public var rule: String
    public var signal: AlertSignal
    public var summary: Bool
    public var openedAt: Date
    public var lastSentAt: Date
    public var reminders: Int
    /// Every subject of the alert, by subject.
    public var members: [String: AlertMember]
    /// The subjects still down.
    public var down: Set<String>
    /// When its last subject came back while its rule held (quiet hours): the resolution waits.
    public var recoveredAt: Date?
}

/// The rules' memory between passes, kept in the store (as JSON) so that open alerts, pending
/// faults and reminders survive a restart.
public struct AlertBook: Sendable, Equatable, Codable {
    /// A subject a rule follows: pending (down, not yet for long enough, or waiting for its
    /// batch), in an open alert, or known from before alerting began (baseline).
    struct Watch: Sendable, Equatable, Codable {
        var member: AlertMember
        /// When it becomes due (since + the rule's `after`); nil once in an alert, or baseline.
        var due: Date?
        var alert: Int?
        var baseline = false
    }

    public var nextAlert = 1
    /// By rule, then subject.
    var watches: [String: [String: Watch]] = [:]
    public var open: [Int: OpenAlert] = [:]

    public init() {}

    /// Open alerts, oldest first.
    public var openAlerts: [OpenAlert] { open.values.sorted { $0.number < $1.number } }

    /// Subjects down and not alerted yet, by rule: waiting out their debounce, their batch or quiet hours.
    public var pending: [(rule: String, member: AlertMember, due: Date)] {
        watches.sorted { $0.key < $1.key }.flatMap { rule, watches in
            watches.values.compactMap { watch in watch.due.map { (rule, watch.member, $0) } }.sorted { $0.due < $1.due }
        }
    }
}

/// The rules (docs/ALERTS.md), pure: fed changes and the time, they say which alerts to open,
/// resolve and remind, with no clock and no I/O of their own.
///
/// - **Debounce**: a fault alerts once it has lasted the rule's `after` from when it was declared
///   (the change's `since`); one that ends sooner sends nothing.
/// - **Storms**: a rule's faults falling due within `stormWindow` of the first are sent together,
///   at the window's end: each as its own alert, or, at least `stormThreshold` of them, as one
///   summary naming counts by venue and placement. A window of 0 sends at once.
/// - **Resolution**: an alert is resolved when the last of its subjects is well again; a subject
///   that fails again meanwhile is down in the same alert once more.
/// - **Quiet hours**: a rule that holds sends nothing while they last (no alert, resolution or
///   reminder); at their end what is still down is sent (grouped the same way) and alerts whose
///   subjects came back are resolved; what came and went within them sends nothing.
/// - **Reminders**: an open alert is sent again every `remindEvery` while any subject stays down.
public struct AlertRules: Sendable {
    public var settings: AlertSettings
    public var timeZone: TimeZone
    private let rules: [String: AlertRule]
    private let calendar: Calendar

    public init(settings: AlertSettings, timeZone: TimeZone) {
        self.settings = settings
        self.timeZone = timeZone
        rules = Dictionary(settings.rules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// Whether `rule` holds its alerts at `now` (quiet hours and a rule that does not send in them).
    public func holds(_ rule: AlertRule, at now: Date) -> Bool {
        guard let quiet = settings.quietHours, !rule.sendInQuietHours else { return false }
        let parts = calendar.dateComponents([.hour, .minute], from: now)
        return quiet.contains(minute: (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    /// One pass: `changes` (in the order they happened) applied to `book`, then what is due at `now`.
    public func step(_ book: inout AlertBook, changes: [AlertChange], now: Date) -> [AlertNotice] {
        for change in changes {
            for rule in settings.rules where rule.covers(change) {
                apply(change, rule: rule, to: &book)
            }
        }
        var notices: [AlertNotice] = []
        for rule in settings.rules where !holds(rule, at: now) {
            notices += flush(rule, book: &book, now: now)
        }
        for number in book.open.keys.sorted() {
            guard let alert = book.open[number], let rule = rules[alert.rule] else {
                // A rule taken out of the configuration: its alerts are closed without a word.
                book.open[number] = nil
                continue
            }
            guard !holds(rule, at: now) else { continue }
            if alert.down.isEmpty {
                notices.append(notice(.resolve, alert, rule: rule, now: now))
                book.open[number] = nil
            } else if let every = rule.remindEvery, now.timeIntervalSince(alert.lastSentAt) >= every {
                var reminded = alert
                reminded.reminders += 1
                reminded.lastSentAt = now
                book.open[number] = reminded
                notices.append(notice(.remind, reminded, rule: rule, now: now))
            }
        }
        // Watches of rules no longer configured are forgotten.
        for name in book.watches.keys where rules[name] == nil { book.watches[name] = nil }
        return notices
    }

    private func apply(_ change: AlertChange, rule: AlertRule, to book: inout AlertBook) {
        // In place: a copy of the rule's watches per change would cost the whole district each time.
        let known = book.watches[rule.name]?[change.subject]
        guard change.bad else {
            guard let known else { return }
            book.watches[rule.name]?[change.subject] = nil
            if book.watches[rule.name]?.isEmpty == true { book.watches[rule.name] = nil }
            if let number = known.alert, book.open[number] != nil {
                book.open[number]?.down.remove(change.subject)
                if book.open[number]?.down.isEmpty == true { book.open[number]?.recoveredAt = change.since }
            }
            return
        }
        if var known {
            // Already followed: what is wrong may have changed, not when it began.
            let since = known.member.since
            known.member = change.member
            known.member.since = min(since, change.since)
            book.watches[rule.name]?[change.subject] = known
            if let number = known.alert { book.open[number]?.members[change.subject] = known.member }
            return
        }
        // Back down while its alert is still open (a storm's other subjects still down, or its
        // resolution held): down in that alert again, not a new one.
        if rule.signal != .ledger,
           let alert = book.open.values.first(where: { $0.rule == rule.name && $0.members[change.subject] != nil }) {
            book.open[alert.number]?.down.insert(change.subject)
            book.open[alert.number]?.recoveredAt = nil
            book.open[alert.number]?.members[change.subject] = change.member
            book.watches[rule.name, default: [:]][change.subject] = AlertBook.Watch(member: change.member, alert: alert.number)
            return
        }
        book.watches[rule.name, default: [:]][change.subject] = change.baseline
            ? AlertBook.Watch(member: change.member, baseline: true)
            : AlertBook.Watch(member: change.member, due: change.since.addingTimeInterval(rule.after))
    }

    /// The rule's due subjects, once the first of them has waited out the storm window: one
    /// alert each, or one summary.
    private func flush(_ rule: AlertRule, book: inout AlertBook, now: Date) -> [AlertNotice] {
        guard var watches = book.watches[rule.name] else { return [] }
        let due = watches.filter { $0.value.due.map { $0 <= now } == true }
        guard let first = due.values.compactMap(\.due).min(), now.timeIntervalSince(first) >= settings.stormWindow else { return [] }
        let members = due.values.map(\.member).sorted { ($0.since, $0.subject) < ($1.since, $1.subject) }
        let groups: [[AlertMember]] = members.count >= max(settings.stormThreshold, 2) ? [members] : members.map { [$0] }
        var notices: [AlertNotice] = []
        for group in groups {
            let number = book.nextAlert
            book.nextAlert += 1
            let alert = OpenAlert(number: number, rule: rule.name, signal: rule.signal, summary: group.count > 1, openedAt: now,
                                  lastSentAt: now, reminders: 0, members: Dictionary(group.map { ($0.subject, $0) }, uniquingKeysWith: { $1 }),
                                  down: Set(group.map(\.subject)))
            if rule.signal == .ledger {
                // A step is a notice: nothing to resolve.
                notices.append(notice(.notice, alert, rule: rule, now: now))
                for member in group { watches[member.subject] = nil }
            } else {
                book.open[number] = alert
                notices.append(notice(.open, alert, rule: rule, now: now))
                for member in group {
                    watches[member.subject]?.due = nil
                    watches[member.subject]?.alert = number
                }
            }
        }
        book.watches[rule.name] = watches.isEmpty ? nil : watches
        return notices
    }

    private func notice(_ kind: AlertNotice.Kind, _ alert: OpenAlert, rule: AlertRule, now: Date) -> AlertNotice {
        let all = alert.members.values.sorted { ($0.since, $0.subject) < ($1.since, $1.subject) }
        let shown = kind == .remind ? all.filter { alert.down.contains($0.subject) } : all
        let eventID: String = switch kind {
        case .open: "patrol-A\(alert.number)-open"
        case .resolve: "patrol-A\(alert.number)-resolve"
        case .remind: "patrol-A\(alert.number)-remind-\(alert.reminders)"
        case .notice: "patrol-A\(alert.number)-notice"
        }
        let supervisors = rule.to.contains("supervisor") ? Array(Set(shown.compactMap(\.supervisor))).sorted() : []
        return AlertNotice(eventID: eventID, alert: alert.number, kind: kind, rule: rule.name, signal: rule.signal, at: now,
                           since: all.map(\.since).min() ?? now, summary: alert.summary, members: shown,
                           stillDown: kind == .resolve ? 0 : alert.down.count, total: alert.members.count,
                           groups: rule.to.filter { $0 != "supervisor" }, supervisors: supervisors, channels: rule.channels)
    }
}

extension AlertNotice {
    /// Counts by venue and placement, the largest first: what a summary names.
    public var byVenue: [(venueID: String?, venueName: String?, placement: String?, count: Int)] {
        var counts: [String: (venueID: String?, venueName: String?, placement: String?, count: Int)] = [:]
        for member in members {
            let key = "\(member.venueID ?? "")\u{1F}\(member.placement ?? "")"
            counts[key, default: (member.venueID, member.venueName, member.placement, 0)].count += 1
        }
        return counts.values.sorted { ($1.count, $0.venueID ?? "", $0.placement ?? "") < ($0.count, $1.venueID ?? "", $1.placement ?? "") }
    }
}
