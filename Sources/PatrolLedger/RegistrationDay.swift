import Foundation
import PatrolSettings

/// What the registration platform said about one registration system at one read, with its
/// times on Patrol's clock (the platform's own clock offset taken out).
public struct RegistrationSample: Sendable, Equatable, Codable {
    public var systemID: String
    /// When Patrol read it.
    public var at: Date
    /// The terminal's connection as the platform sees it.
    public var online: Bool
    public var lastHeartbeat: Date?
    /// The last upload the platform accepted.
    public var lastUpload: Date?
    /// Records uploaded since the platform's midnight.
    public var uploadedToday: Int
    /// Records waiting to upload, and since when the oldest has waited.
    public var waiting: Int
    public var oldestWaiting: Date?
    /// Uploads the platform refused or lost today, and its words for the last one, when it says.
    public var uploadErrors: Int?
    public var lastError: String?

    public init(systemID: String, at: Date, online: Bool, lastHeartbeat: Date? = nil, lastUpload: Date? = nil, uploadedToday: Int = 0,
                waiting: Int = 0, oldestWaiting: Date? = nil, uploadErrors: Int? = nil, lastError: String? = nil) {
        self.systemID = systemID
        self.at = at
        self.online = online
        self.lastHeartbeat = lastHeartbeat
        self.lastUpload = lastUpload
        self.uploadedToday = uploadedToday
        self.waiting = waiting
        self.oldestWaiting = oldestWaiting
        self.uploadErrors = uploadErrors
        self.lastError = lastError
    }

    /// Online, and heard from recently enough: a terminal the platform still calls online
    /// without a heartbeat for `heartbeatTimeout` is not.
    public func isOnline(heartbeatTimeout: TimeInterval) -> Bool {
        guard online else { return false }
        guard let lastHeartbeat else { return true }
        return at.timeIntervalSince(lastHeartbeat) <= heartbeatTimeout
    }

    /// How long the oldest waiting record has waited at this read; 0 when none waits.
    public var longestWait: TimeInterval {
        guard waiting > 0, let oldestWaiting else { return 0 }
        return max(0, at.timeIntervalSince(oldestWaiting))
    }

    /// Whether the platform reported failed uploads at this read.
    public var reportsErrors: Bool { (uploadErrors ?? 0) > 0 || lastError != nil }
}

/// The facts behind a registration-day verdict.
public struct RegistrationDayFacts: Sendable, Equatable {
    /// Of the day, the time some read of the platform stood for.
    public var readSeconds: Double
    /// Of that, the time the system was in the platform's answers, and online in them.
    public var seenSeconds: Double
    public var onlineSeconds: Double
    /// The longest any record had waited to upload at a read, and how many waited then.
    public var longestWaitSeconds: Double
    public var waitingAtLongest: Int
    /// When the record that waited longest began waiting, if it waited too long.
    public var stuckSince: Date?
    /// Whether the platform reported failed uploads while the terminal was online and records waited.
    public var errorsWhileOnline: Bool
    public var lastError: String?
    /// The most records the platform counted as uploaded that day.
    public var uploaded: Int
    public var samples: Int

    public init(readSeconds: Double = 0, seenSeconds: Double = 0, onlineSeconds: Double = 0, longestWaitSeconds: Double = 0,
                waitingAtLongest: Int = 0, stuckSince: Date? = nil, errorsWhileOnline: Bool = false, lastError: String? = nil,
                uploaded: Int = 0, samples: Int = 0) {
        self.readSeconds = readSeconds
        self.seenSeconds = seenSeconds
        self.onlineSeconds = onlineSeconds
        self.longestWaitSeconds = longestWaitSeconds
        self.waitingAtLongest = waitingAtLongest
        self.stuckSince = stuckSince
        self.errorsWhileOnline = errorsWhileOnline
        self.lastError = lastError
        self.uploaded = uploaded
        self.samples = samples
    }

    public var onlineShare: Double { seenSeconds > 0 ? onlineSeconds / seenSeconds : 0 }
    public var offlineSeconds: Double { max(0, seenSeconds - onlineSeconds) }
}

/// One registration system's verdict for one day, and why.
public struct RegistrationDay: Sendable, Equatable {
    public var systemID: String
    public var venueID: String
    public var verdict: Verdict
    public var reason: String
    public var facts: RegistrationDayFacts
    /// Compliant, yet no record was uploaded all day: not a failure (a small hotel may have had
    /// no guest), but worth a look.
    public var quiet: Bool

    public init(systemID: String, venueID: String, verdict: Verdict, reason: String, facts: RegistrationDayFacts, quiet: Bool = false) {
        self.systemID = systemID
        self.venueID = venueID
        self.verdict = verdict
        self.reason = reason
        self.facts = facts
        self.quiet = quiet
    }

    /// Judges a system's day from the platform's reads.
    ///
    /// Each successful read stands for the time until the next read (successful or not), but
    /// for no longer than `policy.coverage`. A read in which the system is missing says nothing
    /// about it: neither online nor offline.
    /// - Parameters:
    ///   - samples: the system's samples in time order, from the last one before the day began.
    ///   - reads: every read of the platform (`ok` false when it failed) in time order, from the
    ///     last one before the day began.
    ///   - zone: the district's time zone, for the times a reason names.
    public static func judge(systemID: String, venueID: String, samples: [RegistrationSample], reads: [(at: Date, ok: Bool)],
                             day: DateInterval, policy: RegistrationJudging, zone: TimeZone) -> RegistrationDay {
        let attempts = reads.map(\.at)
        /// The stretch of the day a read at `at` stands for.
        func span(from at: Date) -> Double {
            // The first read after `at` (the reads are in time order): a binary search, as a day has hundreds.
            var low = 0, high = attempts.count
            while low < high {
                let middle = (low + high) / 2
                if attempts[middle] > at { high = middle } else { low = middle + 1 }
            }
            let next = low < attempts.count ? attempts[low] : .distantFuture
            let end = min(next, at.addingTimeInterval(policy.coverage), day.end)
            let start = max(at, day.start)
            return end > start ? end.timeIntervalSince(start) : 0
        }
        var facts = RegistrationDayFacts()
        facts.readSeconds = reads.filter(\.ok).reduce(0) { $0 + span(from: $1.at) }
        for sample in samples {
            let seconds = span(from: sample.at)
            facts.seenSeconds += seconds
            if sample.isOnline(heartbeatTimeout: policy.heartbeatTimeout) { facts.onlineSeconds += seconds }
            guard day.contains(sample.at), sample.at < day.end else { continue }
            facts.samples += 1
            facts.uploaded = max(facts.uploaded, sample.uploadedToday)
            if sample.longestWait > facts.longestWaitSeconds {
                facts.longestWaitSeconds = sample.longestWait
                facts.waitingAtLongest = sample.waiting
                if sample.longestWait > policy.maxWaitingSeconds { facts.stuckSince = sample.oldestWaiting }
            }
            if sample.online, sample.waiting > 0, sample.reportsErrors {
                facts.errorsWhileOnline = true
                facts.lastError = sample.lastError ?? facts.lastError
            }
        }
        let (verdict, reason, quiet) = decide(facts, day: day, policy: policy, zone: zone)
        return RegistrationDay(systemID: systemID, venueID: venueID, verdict: verdict, reason: reason, facts: facts, quiet: quiet)
    }

    static func decide(_ facts: RegistrationDayFacts, day: DateInterval, policy: RegistrationJudging,
                       zone: TimeZone) -> (Verdict, String, Bool) {
        let daySeconds = day.duration
        if facts.readSeconds < policy.minReadShare * daySeconds {
            return (.unknown, "registration platform read for \(Format.hours(facts.readSeconds)) of \(Format.hours(daySeconds)); not enough to judge", false)
        }
        if facts.seenSeconds < policy.minReadShare * daySeconds {
            return (.unknown, "in the platform's answers for \(Format.hours(facts.seenSeconds)) of \(Format.hours(facts.readSeconds)) read; not enough to judge", false)
        }
        var problems: [String] = []
        if facts.onlineShare < policy.minOnlineShare {
            problems.append("offline for \(Format.minutes(facts.offlineSeconds)) (online \(Format.percent(facts.onlineShare)) of \(Format.hours(facts.seenSeconds)) seen, needs \(Format.percent(policy.minOnlineShare)))")
        }
        if let since = facts.stuckSince {
            let waited = "\(facts.waitingAtLongest) records waiting, the oldest for \(Format.hours(facts.longestWaitSeconds)); at most \(Format.minutes(policy.maxWaitingSeconds))"
            if facts.errorsWhileOnline {
                let words = facts.lastError.map { ": \($0)" } ?? ""
                problems.append("terminal online but the platform reports upload errors\(words); uploads stuck since \(Format.time(since, on: day, in: zone)) (\(waited))")
            } else {
                problems.append("uploads stuck since \(Format.time(since, on: day, in: zone)) (\(waited))")
            }
        }
        if !problems.isEmpty { return (.failed, problems.joined(separator: "; "), false) }
        let online = "online \(Format.percent(facts.onlineShare)) of \(Format.hours(facts.seenSeconds)) seen"
        if facts.uploaded == 0 { return (.compliant, "\(online); no record uploaded all day", true) }
        return (.compliant, "\(online); \(facts.uploaded) records uploaded", false)
    }
}

/// A venue's registration for one day, from its systems' days: failed if any failed, else
/// unknown if any was unknown, else compliant.
public struct RegistrationVerdict: Sendable, Equatable {
    public var verdict: Verdict
    public var reason: String
    public var systems: [RegistrationDay]

    public init(systems: [RegistrationDay]) {
        self.systems = systems.sorted { $0.systemID < $1.systemID }
        let failed = self.systems.filter { $0.verdict == .failed }
        let unknown = self.systems.filter { $0.verdict == .unknown }
        func named(_ days: [RegistrationDay]) -> String { days.map { "\($0.systemID) \($0.reason)" }.joined(separator: "; ") }
        if self.systems.isEmpty {
            (verdict, reason) = (.unknown, "no registration system on record")
        } else if !failed.isEmpty {
            (verdict, reason) = (.failed, named(failed))
        } else if !unknown.isEmpty {
            (verdict, reason) = (.unknown, named(unknown))
        } else {
            (verdict, reason) = (.compliant, named(self.systems))
        }
    }

    /// The systems the verdict rests on: the failed ones, else the unknown ones, else all.
    var cited: [RegistrationDay] {
        let failing = systems.filter { $0.verdict == verdict }
        return failing.isEmpty ? systems : failing
    }
}

extension Format {
    /// A time a reason names: `09:14` on the judged day, `2026-11-20 09:14` on another, in `zone`.
    public static func time(_ date: Date, on day: DateInterval, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let clock = String(format: "%02d:%02d", parts.hour!, parts.minute!)
        guard !day.contains(date) || date == day.end else { return clock }
        return String(format: "%04d-%02d-%02d ", parts.year!, parts.month!, parts.day!) + clock
    }
}
