import Foundation
import PatrolSettings
import Yams

/// Patrol's configuration: one YAML file. Every key is optional; Samples/patrol.yaml lists
/// them all with their defaults, and docs/CONFIG.md explains each.
public struct Configuration: Sendable, Equatable {
    public var database = "/var/lib/patrol/patrol.sqlite"
    /// The credential vault: readable by the service user only.
    public var credentials = "/var/lib/patrol/credentials.sqlite"
    /// The ledger key (Ed25519, readable by the service user only) that seals the ledger;
    /// relative to the configuration file's folder, so /etc/patrol/ledger.key by default.
    public var ledgerKey = "ledger.key"
    public var probe = ProbeSettings()
    /// Pictures kept as evidence: size, quality, how often, for how long, within what disk budget.
    public var snapshots = SnapshotSettings()
    /// Seconds between probes of a camera, by its venue's tier.
    public var cadence = PerTier<TimeInterval>(general: 900, watch: 300, priority: 60)
    /// Seconds between picture checks of a healthy camera, by its venue's tier; probes in between
    /// prove liveness and frame flow only, unless the coded stream shows a sign (docs/PROBE.md).
    public var pictureEvery = PerTier<TimeInterval>(general: 900, watch: 900, priority: 300)
    public var schedule = ScheduleSettings()
    public var debounce = DebounceSettings()
    public var retention = RetentionSettings()
    public var writer = WriterSettings()
    /// The daily patrol: when it runs, how days are judged, and the ladder's numbers.
    public var patrol = DailyPatrolSettings()
    /// Who gets the daily report, and how it leaves.
    public var mail = MailSettings()
    /// What a re-import of the inventory may do unasked.
    public var inventory = InventoryImportSettings()
    /// Where the venues' registration systems are read, how often, and how their days are judged.
    public var registration = RegistrationSettings()
    /// The duty desk's alerts: rules, recipient groups, storms, quiet hours, the webhook.
    public var alerts = AlertSettings()
    /// The web console and `/metrics` (off unless a `console:` section is given).
    public var console = ConsoleSettings()

    public init() {
        coverPatrol()
    }

    /// A probe stands for the time until the camera's next one: from the cadence, the longest
    /// backoff and the probe's deadline (the longest of any host, in whole seconds).
    private mutating func coverPatrol() {
        patrol.cover(cadence: cadence, backoffLimit: schedule.backoffLimit,
                     deadline: Double(probe.longestDeadline.components.seconds))
        patrol.registration = registration.isConfigured ? registration.judging : nil
    }

    /// Loads `path`; relative paths in it are relative to the file's folder.
    public static func load(_ path: String) throws(ConfigError) -> Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, key: nil, reason: "cannot read the configuration file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, key: nil, reason: "the configuration file is not UTF-8")
        }
        var configuration = try parse(text, file: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        for keyPath in [\Configuration.database, \Configuration.credentials, \Configuration.ledgerKey] where !configuration[keyPath: keyPath].hasPrefix("/") {
            configuration[keyPath: keyPath] = folder.appendingPathComponent(configuration[keyPath: keyPath]).standardizedFileURL.path
        }
        for keyPath in [\Configuration.registration.tokenFile, \Configuration.registration.dropFolder, \Configuration.console.metricsTokenFile] {
            if let path = configuration[keyPath: keyPath], !path.hasPrefix("/") {
                configuration[keyPath: keyPath] = folder.appendingPathComponent(path).standardizedFileURL.path
            }
        }
        if let path = configuration.alerts.webhook?.secretFile, !path.hasPrefix("/") {
            configuration.alerts.webhook?.secretFile = folder.appendingPathComponent(path).standardizedFileURL.path
        }
        return configuration
    }

    /// Parses configuration text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> Configuration {
        var configuration = Configuration()
        guard let top = try YAMLReader.document(text, file: file) else { return configuration }
        try configuration.apply(top)
        return configuration
    }

    /// Reads `section`'s keys over this configuration, as a configuration file's top level is
    /// read (a scenario's `settings`); unknown keys are refused.
    public mutating func apply(_ section: YAMLReader) throws(ConfigError) {
        do {
            try read(section)
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(file: section.file, line: section.line, key: nil, reason: "\(error)")
        }
    }

    private mutating func read(_ top: YAMLReader) throws {
        var top = top
        database = try top.string("database") ?? database
        credentials = try top.string("credentials") ?? credentials
        ledgerKey = try top.string("ledger_key") ?? ledgerKey
        if var section = try top.section("inventory") {
            inventory.maxRetirePercent = try section.number("max_retire_percent", in: 0...100) ?? inventory.maxRetirePercent
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("probe") {
            if let seconds = try section.number("deadline", in: 0.5...300) { probe.deadline = .milliseconds(Int64(seconds * 1000)) }
            if let seconds = try section.number("window", in: 0.1...60) { probe.window = .milliseconds(Int64(seconds * 1000)) }
            probe.transport = try section.choice("transport", of: ProbeSettings.Transport.self) ?? probe.transport
            if var hosts = try section.section("hosts") {
                for host in hosts.keys {
                    guard var entry = try hosts.section(host) else { continue }
                    var own = ProbeSettings.HostSettings()
                    own.transport = try entry.choice("transport", of: ProbeSettings.Transport.self)
                    if let seconds = try entry.number("deadline", in: 0.5...300) { own.deadline = .milliseconds(Int64(seconds * 1000)) }
                    try entry.rejectUnknownKeys()
                    probe.hosts[host.lowercased()] = own
                }
            }
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("schedule") {
            if var tiers = try section.section("cadence") {
                cadence.priority = try tiers.number("priority", in: 5...86_400) ?? cadence.priority
                cadence.watch = try tiers.number("watch", in: 5...86_400) ?? cadence.watch
                cadence.general = try tiers.number("general", in: 5...86_400) ?? cadence.general
                try tiers.rejectUnknownKeys()
            }
            if var tiers = try section.section("picture_every") {
                pictureEvery.priority = try tiers.number("priority", in: 5...86_400) ?? pictureEvery.priority
                pictureEvery.watch = try tiers.number("watch", in: 5...86_400) ?? pictureEvery.watch
                pictureEvery.general = try tiers.number("general", in: 5...86_400) ?? pictureEvery.general
                try tiers.rejectUnknownKeys()
            }
            schedule.concurrency = try section.integer("concurrency", in: 1...4096) ?? schedule.concurrency
            schedule.workers = try section.integer("workers", in: 1...4096) ?? schedule.workers
            schedule.slowAfter = try section.number("slow_after", in: 0.1...300) ?? schedule.slowAfter
            schedule.perHostSessions = try section.integer("per_host_sessions", in: 1...1024) ?? schedule.perHostSessions
            schedule.backoffAfter = try section.integer("backoff_after", in: 1...1000) ?? schedule.backoffAfter
            schedule.backoffLimit = try section.number("backoff_limit", in: 5...86_400) ?? schedule.backoffLimit
            try section.rejectUnknownKeys()
            if schedule.workers < schedule.concurrency {
                throw section.error("workers", "must be at least schedule.concurrency (\(schedule.concurrency))", at: nil)
            }
        }
        if var section = try top.section("status") {
            debounce.downAfterFailures = try section.integer("down_after_failures", in: 1...1000) ?? debounce.downAfterFailures
            debounce.downAfterSeconds = try section.number("down_after_seconds", in: 0...86_400) ?? debounce.downAfterSeconds
            debounce.upAfterSuccesses = try section.integer("up_after_successes", in: 1...1000) ?? debounce.upAfterSuccesses
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("retention") {
            retention.rawDays = try section.integer("raw_days", in: 1...3650) ?? retention.rawDays
            retention.rollupDays = try section.integer("rollup_days", in: 1...36_500) ?? retention.rollupDays
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("snapshots") {
            snapshots.maxWidth = try section.integer("max_width", in: 64...3840) ?? snapshots.maxWidth
            snapshots.quality = try section.integer("quality", in: 1...100) ?? snapshots.quality
            snapshots.evidenceInterval = try section.number("evidence_interval", in: 60...604_800) ?? snapshots.evidenceInterval
            snapshots.healthyInterval = try section.number("healthy_interval", in: 60...2_592_000) ?? snapshots.healthyInterval
            snapshots.retentionDays = try section.integer("retention_days", in: 1...3650) ?? snapshots.retentionDays
            if let megabytes = try section.number("budget_mb", in: 1...10_000_000) { snapshots.budgetBytes = Int(megabytes * 1_048_576) }
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("writer") {
            writer.batchSize = try section.integer("batch_size", in: 1...100_000) ?? writer.batchSize
            writer.batchInterval = try section.number("batch_interval", in: 0.01...60) ?? writer.batchInterval
            writer.stallLimit = try section.number("stall_limit", in: 1...3600) ?? writer.stallLimit
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("patrol") {
            if let name = try section.string("time_zone") {
                guard let zone = TimeZone(identifier: name) else {
                    throw section.error("time_zone", "'\(name)' is not a time zone (e.g. Asia/Shanghai)", at: section.mark(of: "time_zone"))
                }
                patrol.timeZone = zone
            }
            patrol.clockTolerance = try section.number("clock_tolerance", in: 1...86_400) ?? patrol.clockTolerance
            if let text = try section.string("run_at") {
                let parts = text.split(separator: ":").map { Int($0) }
                guard parts.count == 2, let hour = parts[0], let minute = parts[1], (0..<24).contains(hour), (0..<60).contains(minute)
                else {
                    throw section.error("run_at", "'\(text)' is not a time of day as HH:MM (e.g. \"06:00\")", at: section.mark(of: "run_at"))
                }
                (patrol.hour, patrol.minute) = (hour, minute)
            }
            var judging = patrol.judging
            judging.minOnlineShare = try section.number("min_online_percent", in: 0...100).map { $0 / 100 } ?? judging.minOnlineShare
            judging.maxFrozenOrBlackSeconds = try section.number("max_frozen_or_black_minutes", in: 0...1440).map { $0 * 60 }
                ?? judging.maxFrozenOrBlackSeconds
            judging.minWatchedShare = try section.number("min_watched_percent", in: 1...100).map { $0 / 100 } ?? judging.minWatchedShare
            judging.outageShare = try section.number("outage_percent", in: 1...100).map { $0 / 100 } ?? judging.outageShare
            judging.outageMinProbes = try section.integer("outage_min_probes", in: 1...1_000_000) ?? judging.outageMinProbes
            patrol.judging = judging
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("ladder") {
            var ladder = patrol.ladder
            if var deadlines = try section.section("deadline_days") {
                for (tier, field) in PerTier<Int>.fields {
                    if let days = try deadlines.integer(tier, in: 1...365) { ladder.deadlineDays[keyPath: field] = days }
                }
                try deadlines.rejectUnknownKeys()
            }
            ladder.recheckDays = try section.integer("recheck_days", in: 1...365) ?? ladder.recheckDays
            ladder.failureWindowDays = try section.integer("failure_window_days", in: 1...3650) ?? ladder.failureWindowDays
            ladder.cleanDaysForCommendation = try section.integer("commendation_days", in: 1...3650) ?? ladder.cleanDaysForCommendation
            ladder.defaultSupervisor = try section.string("default_supervisor") ?? ladder.defaultSupervisor
            patrol.ladder = ladder
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("report") {
            patrol.reportLanguage = try section.choice("language", of: ReportLanguage.self) ?? patrol.reportLanguage
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("mail") {
            mail.sendmail = try section.string("sendmail") ?? mail.sendmail
            mail.sendmailArguments = try section.strings("sendmail_arguments") ?? mail.sendmailArguments
            if let from = try section.string("from") { mail.from = try address(from, key: "from", in: section) }
            mail.office = try section.strings("office").map { try $0.map { try address($0, key: "office", in: section) } } ?? []
            mail.maintenance = try section.strings("maintenance").map { try $0.map { try address($0, key: "maintenance", in: section) } } ?? []
            if var teams = try section.section("supervisors") {
                for name in teams.keys {
                    if name.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
                        throw teams.error(name, "a supervisor's name cannot carry a control character", at: teams.mark(of: name))
                    }
                    mail.supervisors[name] = try teams.strings(name).map { try $0.map { try address($0, key: "supervisors", in: section) } }
                }
                try teams.rejectUnknownKeys()
            }
            mail.messageIDDomain = try section.string("message_id_domain")
            mail.retry.firstDelay = try section.number("retry_first", in: 1...86_400) ?? mail.retry.firstDelay
            mail.retry.longestDelay = try section.number("retry_longest", in: 1...604_800) ?? mail.retry.longestDelay
            try section.rejectUnknownKeys()
        }
        if var section = try top.section("registration") {
            try readRegistration(&section)
        }
        if var section = try top.section("alerts") {
            try readAlerts(&section)
        }
        if var section = try top.section("console") {
            console.enabled = try section.choice("enabled", of: Switch.self).map { $0 == .yes } ?? true
            if let listen = try section.string("listen") {
                guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65_535).contains(port),
                      colon > listen.startIndex
                else {
                    throw section.error("listen", "'\(listen)' is not an address and port (e.g. 127.0.0.1:8780)", at: section.mark(of: "listen"))
                }
                console.host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                console.port = port
            }
            console.sessionHours = try section.number("session_hours", in: 0.01...720) ?? console.sessionHours
            console.secureCookie = try section.choice("secure_cookie", of: Switch.self).map { $0 == .yes } ?? console.secureCookie
            console.maxFailures = try section.integer("max_failures", in: 1...1000) ?? console.maxFailures
            console.lockoutMinutes = try section.number("lockout_minutes", in: 0.1...10_080) ?? console.lockoutMinutes
            console.metricsTokenFile = try section.string("metrics_token_file") ?? console.metricsTokenFile
            try section.rejectUnknownKeys()
        }
        try top.rejectUnknownKeys()
        coverPatrol()
    }

    private mutating func readRegistration(_ section: inout YAMLReader) throws {
        if let text = try section.string("platform") {
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                // Not echoed when it may carry a password.
                let shown = text.contains("@") ? "the value" : "'\(text)'"
                throw section.error("platform", "\(shown) is not an http:// or https:// URL", at: section.mark(of: "platform"))
            }
            guard url.user == nil, url.password == nil else {
                throw section.error("platform", "the URL carries credentials: put the platform's token in registration.token_file",
                                    at: section.mark(of: "platform"))
            }
            registration.platform = url
        }
        registration.tokenFile = try section.string("token_file") ?? registration.tokenFile
        registration.dropFolder = try section.string("drop_folder") ?? registration.dropFolder
        registration.every = try section.number("every", in: 10...86_400) ?? registration.every
        registration.deadline = try section.number("deadline", in: 1...600) ?? registration.deadline
        registration.retries = try section.integer("retries", in: 0...10) ?? registration.retries
        registration.retryFirst = try section.number("retry_first", in: 0...600) ?? registration.retryFirst
        var judging = registration.judging
        judging.minOnlineShare = try section.number("min_online_percent", in: 0...100).map { $0 / 100 } ?? judging.minOnlineShare
        judging.maxWaitingSeconds = try section.number("max_waiting_minutes", in: 1...10_080).map { $0 * 60 } ?? judging.maxWaitingSeconds
        judging.minReadShare = try section.number("min_read_percent", in: 1...100).map { $0 / 100 } ?? judging.minReadShare
        judging.heartbeatTimeout = try section.number("heartbeat_timeout", in: 10...86_400) ?? judging.heartbeatTimeout
        // A read stands for the time to the next one and one missed read more, plus the request's budget.
        judging.coverage = try section.number("coverage", in: 10...86_400) ?? (2 * registration.every + registration.deadline)
        registration.judging = judging
        try section.rejectUnknownKeys()
    }

    private mutating func readAlerts(_ section: inout YAMLReader) throws {
        alerts.every = try section.number("every", in: 1...3600) ?? alerts.every
        alerts.stormWindow = try section.number("storm_window", in: 0...3600) ?? alerts.stormWindow
        alerts.stormThreshold = try section.integer("storm_threshold", in: 2...100_000) ?? alerts.stormThreshold
        alerts.retry.firstDelay = try section.number("retry_first", in: 1...86_400) ?? alerts.retry.firstDelay
        alerts.retry.longestDelay = try section.number("retry_longest", in: 1...604_800) ?? alerts.retry.longestDelay
        if var quiet = try section.section("quiet_hours") {
            func minute(_ key: String) throws -> Int {
                guard let text = try quiet.string(key) else { throw quiet.error(key, "missing: a time of day as HH:MM (e.g. \"22:00\")") }
                let parts = text.split(separator: ":").map { Int($0) }
                guard parts.count == 2, let hour = parts[0], let minute = parts[1], (0..<24).contains(hour), (0..<60).contains(minute) else {
                    throw quiet.error(key, "'\(text)' is not a time of day as HH:MM (e.g. \"22:00\")")
                }
                return hour * 60 + minute
            }
            let hours = QuietHours(start: try minute("from"), end: try minute("to"))
            if hours.start == hours.end { throw quiet.error("to", "the quiet hours end when they start: give two different times") }
            alerts.quietHours = hours
            try quiet.rejectUnknownKeys()
        }
        if var groups = try section.section("groups") {
            for name in groups.keys {
                guard name.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil, name != "supervisor" else {
                    throw groups.error(name, "a group's name is lowercase letters, digits and _ (and `supervisor` is the venue's own)", at: groups.mark(of: name))
                }
                alerts.groups[name] = try groups.strings(name).map { try $0.map { try address($0, key: name, in: groups) } } ?? []
            }
            try groups.rejectUnknownKeys()
        }
        if var hook = try section.section("webhook") {
            guard let url = try hook.string("url") else { throw hook.error("url", "missing: the gateway's http:// or https:// address") }
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
                throw hook.error("url", "'\(url)' is not an http:// or https:// address")
            }
            if parsed.user != nil || parsed.password != nil {
                throw hook.error("url", "a user name or password in the address would be logged: put the secret in secret_file")
            }
            var webhook = WebhookSettings(url: url)
            webhook.secretFile = try hook.string("secret_file")
            webhook.secretEnvironment = try hook.string("secret_env")
            webhook.timeout = try hook.number("timeout", in: 1...120) ?? webhook.timeout
            guard webhook.secretFile != nil || webhook.secretEnvironment != nil else {
                throw hook.error("url", "every post is signed: give secret_file or secret_env")
            }
            try hook.rejectUnknownKeys()
            alerts.webhook = webhook
        }
        if let rules = try section.sections("rules") {
            var names: Set<String> = []
            for var entry in rules {
                alerts.rules.append(try alertRule(&entry, names: &names))
            }
        }
        try section.rejectUnknownKeys()
    }

    private func alertRule(_ entry: inout YAMLReader, names known: inout Set<String>) throws -> AlertRule {
        guard let name = try entry.string("name") else { throw entry.error("name", "missing: every rule has a name") }
        guard known.insert(name).inserted else { throw entry.error("name", "'\(name)' names another rule too") }
        guard let signal = try entry.choice("on", of: AlertSignal.self) else {
            throw entry.error("on", "missing: what the rule watches (\(AlertSignal.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var rule = AlertRule(name: name, signal: signal)
        func names(_ key: String, allowed: [String], only: [AlertSignal]) throws -> Set<String> {
            guard let values = try entry.strings(key) else { return [] }
            guard only.contains(signal) else {
                throw entry.error(key, "only a rule on \(only.map(\.rawValue).joined(separator: " or ")) takes \(key)")
            }
            for value in values where !allowed.contains(value) {
                throw entry.error(key, "'\(value)' is not one of: \(allowed.joined(separator: ", "))")
            }
            return Set(values)
        }
        rule.tiers = try names("tiers", allowed: ["general", "watch", "priority"], only: [.camera, .registration, .ledger])
        rule.placements = try names("placements", allowed: ["perimeter", "interior"], only: [.camera])
        rule.steps = try names("steps", allowed: AlertRule.ledgerSteps, only: [.ledger])
        rule.checks = Set(try names("checks", allowed: HealthCheck.allCases.map(\.rawValue), only: [.health]).compactMap(HealthCheck.init))
        rule.after = try entry.number("after", in: 0...604_800) ?? rule.after
        rule.remindEvery = try entry.number("remind_every", in: 60...604_800)
        if let quiet = try entry.string("quiet_hours") {
            guard ["send", "hold"].contains(quiet) else { throw entry.error("quiet_hours", "'\(quiet)' is not one of: send, hold") }
            rule.sendInQuietHours = quiet == "send"
        }
        if let via = try entry.strings("via") {
            rule.channels = []
            for text in via {
                guard let channel = AlertChannel(rawValue: text) else {
                    throw entry.error("via", "'\(text)' is not one of: \(AlertChannel.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                if channel == .webhook && alerts.webhook == nil {
                    throw entry.error("via", "sends through the webhook, but alerts.webhook is not configured")
                }
                if !rule.channels.contains(channel) { rule.channels.append(channel) }
            }
            if rule.channels.isEmpty { throw entry.error("via", "names no channel: mail, webhook or both") }
        }
        rule.to = try entry.strings("to") ?? []
        for group in rule.to where group != "supervisor" && alerts.groups[group] == nil {
            let known = (alerts.groups.keys.sorted() + ["supervisor"]).joined(separator: ", ")
            throw entry.error("to", "'\(group)' is no group of alerts.groups (known: \(known))")
        }
        if rule.channels.contains(.mail) && rule.to.isEmpty {
            throw entry.error("to", "missing: a rule that mails needs recipients (a group of alerts.groups, or supervisor)")
        }
        if rule.to.contains("supervisor") && ![.camera, .registration, .ledger].contains(signal) {
            throw entry.error("to", "Patrol's health belongs to no venue: it has no supervisor")
        }
        try entry.rejectUnknownKeys()
        return rule
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(error)"
        }
    }

    /// `Name <mailbox@host>` or `mailbox@host`.
    private func address(_ text: String, key: String, in section: YAMLReader) throws -> MailAddress {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var name: String?, mailbox = trimmed
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            name = trimmed[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            mailbox = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        }
        let parts = mailbox.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, mailbox.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw section.error(key, "'\(text)' is not a mail address (name@host, or Name <name@host>)", at: section.mark(of: key))
        }
        let address = MailAddress(mailbox, name: name?.isEmpty == true ? nil : name)
        do {
            try address.validate()
        } catch {
            throw section.error(key, "\(text.debugDescription) is not a usable mail address: \(error)", at: section.mark(of: key))
        }
        return address
    }
}

/// A yes-or-no key, as YAML 1.1 and 1.2 both read it.
enum Switch: String, CaseIterable {
    case yes = "true", no = "false"
}
