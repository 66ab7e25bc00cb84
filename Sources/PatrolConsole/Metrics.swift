import Foundation
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolStore
import Synchronization

/// What patrold counts as it runs, for `/metrics`: the probe results handed to the writer, by
/// outcome, and their durations. Counted from the daemon's start (Prometheus' counters: a
/// restart begins again at zero, which `rate()` and `increase()` understand).
public final class ProbeMetrics: Sendable {
    /// The upper bounds of the duration histogram's buckets, in seconds: a probe's deadline is 8 s
    /// by default, a healthy probe takes well under 2.
    public static let buckets: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16]

    struct Counts {
        var byOutcome: [Outcome: Int] = [:]
        var bucketCounts = [Int](repeating: 0, count: ProbeMetrics.buckets.count)
        var count = 0
        var sum = 0.0
    }

    private let counts = Mutex(Counts())

    public init() {}

    /// Counts results as they are handed to the writer.
    public func record(_ results: [ProbeResult]) {
        counts.withLock { counts in
            for result in results {
                counts.byOutcome[result.outcome, default: 0] += 1
                let seconds = result.timings.totalMs / 1000
                for (index, bound) in Self.buckets.enumerated() where seconds <= bound { counts.bucketCounts[index] += 1 }
                counts.count += 1
                counts.sum += seconds
            }
        }
    }

    /// The writer found `count` of the results counted as online showing the picture of their
    /// camera's previous probe: they are written, and counted, as frozen.
    public func frozenAcrossProbes(_ count: Int) {
        guard count > 0 else { return }
        counts.withLock { counts in
            counts.byOutcome[.online, default: 0] -= count
            counts.byOutcome[.frozen, default: 0] += count
        }
    }

    var snapshot: Counts { counts.withLock { $0 } }
}

/// What only the running daemon knows, read at each scrape.
public struct LiveFigures: Sendable {
    /// Probe results waiting for the writer.
    public var writerBacklog: @Sendable () -> Int
    /// How long the last daily patrol took, once this daemon has run one.
    public var lastPatrolDuration: @Sendable () -> Double?
    public var probes: ProbeMetrics

    public init(writerBacklog: @escaping @Sendable () -> Int, lastPatrolDuration: @escaping @Sendable () -> Double?, probes: ProbeMetrics) {
        self.writerBacklog = writerBacklog
        self.lastPatrolDuration = lastPatrolDuration
        self.probes = probes
    }
}

/// The Prometheus text exposition format (version 0.0.4), written directly: a few dozen lines
/// need no client library.
struct Exposition {
    private(set) var text = ""

    mutating func family(_ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        let labelText = labels.isEmpty ? ""
            : "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
        text += "\(name)\(labelText) \(Self.number(value))\n"
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// `/metrics`: what the database holds (cameras, the outbox, the last patrol, the platform,
/// the sweep's lag) read at the scrape, beside what the daemon counts (LiveFigures).
struct MetricsPage {
    let store: Store
    let cadence: PerTier<TimeInterval>
    let zone: TimeZone
    let live: LiveFigures?

    func render(now: Date) throws -> String {
        var out = Exposition()
        let groups = try store.cameraCounts()

        out.family("patrol_cameras", "gauge", "Cameras in service by debounced status, placement and venue tier.")
        for status in CameraStatus.allCases {
            for placement in Placement.allCases {
                for tier in Tier.allCases {
                    let count = groups.first { $0.status == status && $0.placement == placement && $0.tier == tier }?.cameras ?? 0
                    out.sample("patrol_cameras", [("status", status.rawValue), ("placement", placement.rawValue), ("tier", tier.rawValue)],
                               Double(count))
                }
            }
        }

        // How far behind its schedule the latest camera is: the age of its last probe beyond its
        // tier's cadence (0 when every camera was probed within its cadence).
        let lag = groups.compactMap { group in group.oldestProbeAt.map { now.timeIntervalSince($0) - cadence[group.tier] } }.max() ?? 0
        out.family("patrol_sweep_lag_seconds", "gauge",
                   "Seconds the most overdue camera in service is past its tier's cadence (0 when none is late).")
        out.sample("patrol_sweep_lag_seconds", [], max(0, lag.rounded()))
        if let last = groups.compactMap(\.newestProbeAt).max() {
            out.family("patrol_last_probe_timestamp_seconds", "gauge", "When the last probe result was written (Unix time).")
            out.sample("patrol_last_probe_timestamp_seconds", [], last.timeIntervalSince1970.rounded())
        }

        out.family("patrol_outbox_pending", "gauge", "Report mail waiting for sendmail.")
        out.sample("patrol_outbox_pending", [], Double(try store.pendingMail().count))
        let alerts = try store.alertQueueDepth()
        out.family("patrol_alert_deliveries_pending", "gauge", "Alert deliveries waiting to go out (queued or retrying), by channel.")
        for channel in AlertChannel.allCases {
            out.sample("patrol_alert_deliveries_pending", [("channel", channel.rawValue)], Double(alerts.waiting[channel] ?? 0))
        }
        out.family("patrol_alerts_open", "gauge", "Alerts open: their subjects not all back yet.")
        out.sample("patrol_alerts_open", [], Double(alerts.open))

        if let last = try store.patrolledDays(limit: 1).first {
            out.family("patrol_last_patrol_day_timestamp_seconds", "gauge",
                       "The start of the last patrolled day, in the patrol's time zone (Unix time).")
            out.sample("patrol_last_patrol_day_timestamp_seconds", [], last.day.start(in: zone).timeIntervalSince1970)
            out.family("patrol_last_patrol_venues", "gauge", "Venues judged on the last patrolled day.")
            out.sample("patrol_last_patrol_venues", [], Double(last.venues))
        }

        let platform = try store.registration(now: now).platform
        if platform.lastRead != nil {
            out.family("patrol_registration_platform_up", "gauge", "1 when the registration platform's last read succeeded, 0 when it is failing.")
            out.sample("patrol_registration_platform_up", [], platform.failingSince == nil && platform.lastGoodRead != nil ? 1 : 0)
            out.family("patrol_registration_platform_reads_failed_last_day", "gauge", "Failed reads of the platform over the last 24 hours.")
            out.sample("patrol_registration_platform_reads_failed_last_day", [], Double(platform.failedLastDay))
            if let good = platform.lastGoodRead {
                out.family("patrol_registration_platform_last_good_read_timestamp_seconds", "gauge", "The platform's last good read (Unix time).")
                out.sample("patrol_registration_platform_last_good_read_timestamp_seconds", [], good.timeIntervalSince1970.rounded())
            }
        }

        if let live {
            let probes = live.probes.snapshot
            out.family("patrol_probes_total", "counter", "Probe results handed to the writer since patrold started, by outcome.")
            for outcome in Outcome.allCases {
                out.sample("patrol_probes_total", [("outcome", outcome.rawValue)], Double(probes.byOutcome[outcome] ?? 0))
            }
            out.family("patrol_probe_duration_seconds", "histogram", "How long each probe took, from start to result.")
            for (index, bound) in ProbeMetrics.buckets.enumerated() {
                out.sample("patrol_probe_duration_seconds_bucket", [("le", Exposition.number(bound))], Double(probes.bucketCounts[index]))
            }
            out.sample("patrol_probe_duration_seconds_bucket", [("le", "+Inf")], Double(probes.count))
            out.sample("patrol_probe_duration_seconds_sum", [], probes.sum)
            out.sample("patrol_probe_duration_seconds_count", [], Double(probes.count))
            out.family("patrol_writer_backlog", "gauge", "Probe results waiting for the store writer.")
            out.sample("patrol_writer_backlog", [], Double(live.writerBacklog()))
            if let duration = live.lastPatrolDuration() {
                out.family("patrol_last_patrol_duration_seconds", "gauge", "How long this daemon's last daily patrol run took.")
                out.sample("patrol_last_patrol_duration_seconds", [], duration)
            }
        }
        return out.text
    }
}
