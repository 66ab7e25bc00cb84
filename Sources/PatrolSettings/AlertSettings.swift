import Foundation

/// The duty desk's alerts (docs/ALERTS.md): which changes alert, after how long, to whom and
/// through which channel; storms grouped, quiet hours, reminders, the webhook. Plain values; the
/// rules on them are PatrolAlerts'.
public struct AlertSettings: Sendable, Equatable {
    /// Seconds between two passes of the alert service (read the changes, run the rules, deliver).
    public var every: Double = 5
    /// The rules, in the file's order; none: no alert at all.
    public var rules: [AlertRule] = []
    /// Named recipient groups and their mail addresses (`duty_desk`, `maintenance`…). The group
    /// `supervisor` is not listed here: it is the venue's supervisor, at `mail.supervisors`.
    public var groups: [String: [MailAddress]] = [:]
    /// Changes of one rule becoming due within this many seconds of the first are sent together:
    /// as they are, or as one summary when there are at least `stormThreshold` of them.
    public var stormWindow: Double = 60
    public var stormThreshold = 10
    /// Local times (in `patrol.time_zone`) between which rules that `hold` wait; nil: no quiet hours.
    public var quietHours: QuietHours?
    /// The office's messaging gateway, when alerts go there too.
    public var webhook: WebhookSettings?
    /// How long a failed delivery waits before it is tried again (mail and webhook alike).
    public var retry = RetryPolicy(firstDelay: 10, multiplier: 2, longestDelay: 600)

    public init() {}

    /// Whether any rule is configured.
    public var isEnabled: Bool { !rules.isEmpty }
}

/// What a rule watches.
public enum AlertSignal: String, Sendable, Codable, CaseIterable, Hashable {
    /// A camera's debounced status: down, up again.
    case camera
    /// A venue's registration system offline, online again.
    case registration
    /// A venue's new ledger step (an order, a warning…): a notice, never resolved.
    case ledger
    /// Patrol's own health: the sweep overdue, the writer stalled, the registration platform unreachable.
    case health
}

/// Patrol's own health checks a `health` rule may name.
public enum HealthCheck: String, Sendable, Codable, CaseIterable, Hashable {
    /// No probe written for longer than the longest cadence allows, or the probe pool wedged.
    case sweepOverdue = "sweep_overdue"
    /// Probe results wait and the store writer neither writes nor fails.
    case writerStalled = "writer_stalled"
    /// The registration platform's last read failed.
    case platformUnreachable = "platform_unreachable"
}

/// A channel an alert leaves through.
public enum AlertChannel: String, Sendable, Codable, CaseIterable, Hashable {
    /// Mail through the machine's sendmail, one message per recipient.
    case mail
    /// An HTTP POST of the alert's JSON body to `alerts.webhook.url`, signed.
    case webhook
}

/// One rule: which changes, after how long, to whom, through which channels.
public struct AlertRule: Sendable, Equatable {
    public var name: String
    public var signal: AlertSignal
    /// Venue tiers (`general`, `watch`, `priority`) the rule covers; empty: all.
    public var tiers: Set<String> = []
    /// Camera placements (`perimeter`, `interior`); empty: all. Cameras only.
    public var placements: Set<String> = []
    /// Ledger steps (`order`, `warning`…); empty: `AlertRule.defaultSteps`. Ledger only.
    public var steps: Set<String> = []
    /// Health checks; empty: all. Health only.
    public var checks: Set<HealthCheck> = []
    /// Seconds the fault must last, from when Patrol declared it (a camera's status change),
    /// before it alerts: a flap that ends sooner sends nothing.
    public var after: Double = 0
    /// Recipient groups: names of `alerts.groups`, or `supervisor` (the venue's).
    public var to: [String] = []
    public var channels: [AlertChannel] = [.mail]
    /// Seconds between reminders of what stays down; nil: no reminder.
    public var remindEvery: Double?
    /// During quiet hours: true, sent at once; false, held until they end (what is still down
    /// then is sent, what came back meanwhile is not).
    public var sendInQuietHours: Bool

    public init(name: String, signal: AlertSignal, sendInQuietHours: Bool? = nil) {
        self.name = name
        self.signal = signal
        // Patrol's own health always goes: nobody else will notice that Patrol is blind.
        self.sendInQuietHours = sendInQuietHours ?? (signal == .health)
    }

    /// The ledger steps a ledger rule covers when it names none: the ladder's steps against a venue.
    public static let defaultSteps: Set<String> = ["order", "warning", "suspension", "closure", "serious_violation"]
}

/// Quiet hours: from `start` to `end`, minutes after local midnight; past midnight when `end` is
/// before `start` (22:00 to 07:00).
public struct QuietHours: Sendable, Equatable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Whether `minute` (after local midnight) falls in the quiet hours.
    public func contains(minute: Int) -> Bool {
        start <= end ? (minute >= start && minute < end) : (minute >= start || minute < end)
    }
}

/// The office's messaging gateway: where alerts are posted and the secret they are signed with.
public struct WebhookSettings: Sendable, Equatable {
    public var url: String
    /// A file holding the shared secret (read at every delivery, never logged or stored)...
    public var secretFile: String?
    /// ...or the environment variable holding it.
    public var secretEnvironment: String?
    /// Seconds one POST may take.
    public var timeout: Double = 10

    public init(url: String) {
        self.url = url
    }
}

extension AlertRule {
    /// The ledger steps a rule may name: the ledger's kinds (PatrolLedger's `EntryKind`) but the key's rotation.
    public static let ledgerSteps = ["order", "rectified", "deadline_extended", "deadline_missed", "relapse", "warning", "suspension",
                                     "closure", "commended", "tier_changed", "supervisor_changed", "waiver", "reinstated",
                                     "serious_violation", "revoked", "note"]
}
