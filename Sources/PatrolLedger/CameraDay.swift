import Foundation
import PatrolInventory
import PatrolProbe
import PatrolSettings

/// What Patrol concluded about one camera for one patrol day.
public enum Verdict: String, Codable, Sendable, CaseIterable {
    case compliant
    case failed
    /// Patrol watched too little of the day to judge (its own outage never counts against a venue).
    case unknown
    /// An operator set the day aside (force majeure, or an erroneous step revoked).
    case waived
}

/// One probe as the day's judgement needs it.
public struct ProbeSample: Sendable, Equatable {
    public var at: Date
    public var outcome: Outcome

    public init(at: Date, outcome: Outcome) {
        self.at = at
        self.outcome = outcome
    }
}

/// The facts behind a camera-day verdict: how long Patrol watched, and what it saw.
public struct CameraDayFacts: Sendable, Equatable, Codable {
    public var watchedSeconds: Double
    public var onlineSeconds: Double
    public var frozenOrBlackSeconds: Double
    public var probes: Int
    /// The failure outcome seen longest, if any.
    public var mainFailure: Outcome?

    public init(watchedSeconds: Double, onlineSeconds: Double, frozenOrBlackSeconds: Double, probes: Int, mainFailure: Outcome?) {
        self.watchedSeconds = watchedSeconds
        self.onlineSeconds = onlineSeconds
        self.frozenOrBlackSeconds = frozenOrBlackSeconds
        self.probes = probes
        self.mainFailure = mainFailure
    }

    /// Online share of the watched time, 0 when nothing was watched.
    public var onlineShare: Double { watchedSeconds > 0 ? onlineSeconds / watchedSeconds : 0 }

    /// The figures as evidence and reports give them: percent to a tenth, rounded down (94.96%
    /// never reads as 95%), whole minutes, hours to a tenth.
    public var onlinePercent: Double { (onlineShare * 1000).rounded(.down) / 10 }
    public var frozenOrBlackMinutes: Int { Int((frozenOrBlackSeconds / 60).rounded()) }
    public var watchedHours: Double { (watchedSeconds / 360).rounded() / 10 }
}

/// One camera's verdict for one day, and why.
public struct CameraDay: Sendable, Equatable {
    public var cameraID: String
    public var venueID: String
    public var placement: Placement
    public var verdict: Verdict
    public var reason: String
    public var facts: CameraDayFacts
    /// SHA-256 of the pictures kept of the camera's faulty picture that day (black, frozen,
    /// moved, obstructed, blurred), oldest first: part of the ledger's evidence when it fails.
    public var pictures: [String]

    public init(cameraID: String, venueID: String, placement: Placement, verdict: Verdict, reason: String, facts: CameraDayFacts,
                pictures: [String] = []) {
        self.cameraID = cameraID
        self.venueID = venueID
        self.placement = placement
        self.verdict = verdict
        self.reason = reason
        self.facts = facts
        self.pictures = pictures
    }

    /// Judges a camera's day from its probes.
    ///
    /// Each probe stands for the time until the camera's next probe, but for no longer than
    /// `coverage` (a probe says nothing about the camera an hour later): what no probe covers,
    /// and the `unwatched` stretches (Patrol's own outages), is time Patrol did not watch.
    /// - Parameters:
    ///   - samples: the camera's probes in time order, from the last one before the day began.
    public static func judge(
        cameraID: String, venueID: String, placement: Placement, samples: [ProbeSample], day: DateInterval,
        unwatched: [DateInterval] = [], coverage: TimeInterval, policy: JudgingPolicy
    ) -> CameraDay {
        var seconds: [Outcome: Double] = [:]
        var probes = 0
        for (index, sample) in samples.enumerated() {
            if sample.at >= day.start, sample.at < day.end { probes += 1 }
            let next = index + 1 < samples.count ? samples[index + 1].at : .distantFuture
            let start = max(sample.at, day.start)
            let end = min(next, sample.at.addingTimeInterval(coverage), day.end)
            guard end > start else { continue }
            seconds[sample.outcome, default: 0] += watched(DateInterval(start: start, end: end), minus: unwatched)
        }
        let watchedSeconds = seconds.values.reduce(0, +)
        let mainFailure = seconds.filter { $0.key != .online && $0.value > 0 }
            .max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }?.key
        let facts = CameraDayFacts(
            watchedSeconds: watchedSeconds, onlineSeconds: seconds[.online] ?? 0,
            frozenOrBlackSeconds: seconds.filter(\.key.isPictureFault).values.reduce(0, +), probes: probes, mainFailure: mainFailure)
        let (verdict, reason) = decide(facts, daySeconds: day.duration, policy: policy)
        return CameraDay(cameraID: cameraID, venueID: venueID, placement: placement, verdict: verdict, reason: reason, facts: facts)
    }

    static func decide(_ facts: CameraDayFacts, daySeconds: Double, policy: JudgingPolicy) -> (Verdict, String) {
        let watchedHours = Format.hours(facts.watchedSeconds)
        if facts.watchedSeconds < policy.minWatchedShare * daySeconds {
            return (.unknown, "watched \(watchedHours) of \(Format.hours(daySeconds)); not enough to judge")
        }
        var problems: [String] = []
        if facts.onlineShare < policy.minOnlineShare {
            let mostly = facts.mainFailure.map { ", mostly \($0.rawValue)" } ?? ""
            problems.append("online \(Format.percent(facts.onlineShare)) of \(watchedHours) watched (needs \(Format.percent(policy.minOnlineShare)))\(mostly)")
        }
        if facts.frozenOrBlackSeconds > policy.maxFrozenOrBlackSeconds {
            // A camera turned away, covered or smeared is named as such; the words for frozen and black stay as they were.
            let kind = facts.mainFailure.flatMap { [.moved, .obstructed, .blurred].contains($0) ? $0 : nil }
                .map { "picture faulty (mostly \($0.rawValue))" } ?? "frozen or black"
            problems.append("\(kind) for \(Format.minutes(facts.frozenOrBlackSeconds)) (at most \(Format.minutes(policy.maxFrozenOrBlackSeconds)))")
        }
        if problems.isEmpty {
            return (.compliant, "online \(Format.percent(facts.onlineShare)) of \(watchedHours) watched")
        }
        return (.failed, problems.joined(separator: "; "))
    }

    /// The length of `interval` outside the `unwatched` stretches.
    static func watched(_ interval: DateInterval, minus unwatched: [DateInterval]) -> Double {
        var total = interval.duration
        for gap in unwatched {
            let start = max(gap.start, interval.start), end = min(gap.end, interval.end)
            if end > start { total -= end.timeIntervalSince(start) }
        }
        return max(0, total)
    }
}

/// Patrol's own outages: hours in which most probes of the whole district failed at the
/// network level. A district whose cameras are mostly fine does not lose half of them at once;
/// when that happens it is Patrol's host or its network that is down.
public enum Outage {
    /// The hours of `day` that were Patrol's outage, from every probe of the district that day.
    public static func hours(of day: DateInterval, samples: some Sequence<ProbeSample>, policy: JudgingPolicy) -> [DateInterval] {
        var probes: [Int: (all: Int, network: Int)] = [:]
        for sample in samples where sample.at >= day.start && sample.at < day.end {
            let hour = Int(sample.at.timeIntervalSince(day.start) / 3600)
            var counts = probes[hour, default: (0, 0)]
            counts.all += 1
            if sample.outcome == .timeout || sample.outcome == .refused { counts.network += 1 }
            probes[hour] = counts
        }
        return probes.keys.sorted().compactMap { hour in
            let counts = probes[hour]!
            guard counts.all >= policy.outageMinProbes, Double(counts.network) > policy.outageShare * Double(counts.all)
            else { return nil }
            let start = day.start.addingTimeInterval(Double(hour) * 3600)
            return DateInterval(start: start, end: min(start.addingTimeInterval(3600), day.end))
        }
    }
}

/// The few number formats a verdict's reason uses, so reasons read the same everywhere.
public enum Format {
    public static func percent(_ share: Double) -> String {
        let value = (share * 1000).rounded(.down) / 10
        return value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
    }

    public static func hours(_ seconds: Double) -> String { String(format: "%.1f h", seconds / 3600) }

    public static func minutes(_ seconds: Double) -> String { "\(Int((seconds / 60).rounded())) min" }
}
