import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings

/// What one patrol day found and did.
public struct PatrolDayReport: Sendable, Equatable {
    public var day: PatrolDay
    public var cameras: [Verdict: Int]
    public var venues: [Verdict: Int]
    /// The registration systems' verdicts; empty when registration is not patrolled.
    public var registration: [Verdict: Int] = [:]
    public var outageHours: Int
    public var entries: [LedgerEntry]
    /// The ledger's last entry once the day was done: logged, so the journal witnesses it too.
    public var head: LedgerHead?

    public var summary: String {
        func counts(_ counts: [Verdict: Int]) -> String {
            Verdict.allCases.compactMap { verdict in counts[verdict].map { "\($0) \(verdict.rawValue)" } }.joined(separator: ", ")
        }
        return "patrol \(day): venues \(counts(venues)); cameras \(counts(cameras))"
            + (registration.isEmpty ? "" : "; registration systems \(counts(registration))")
            + "; \(entries.count) ledger entries"
            + (outageHours > 0 ? "; \(outageHours) h of Patrol's own outage not judged" : "")
            + (head.map { "; ledger head \($0)" } ?? "")
    }
}

/// Judges each day once, the day after, and applies the ladder: one transaction per day.
public struct DailyPatrol: Sendable {
    public let store: Store
    public let settings: DailyPatrolSettings
    /// A fault-injection point for crash tests: runs inside the transaction just before commit;
    /// what it throws rolls the day back.
    let beforeCommit: (@Sendable (PatrolDay) throws -> Void)?

    public init(store: Store, settings: DailyPatrolSettings, beforeCommit: (@Sendable (PatrolDay) throws -> Void)? = nil) {
        self.store = store
        self.settings = settings
        self.beforeCommit = beforeCommit
    }

    /// The days not yet patrolled whose patrol time has come, oldest first: after downtime,
    /// every missed day in order. Patrolling starts with the first day Patrol probed anything.
    public func dueDays(now: Date) throws -> [PatrolDay] {
        let zone = settings.timeZone
        let today = PatrolDay.containing(now, in: zone)
        let last = now >= today.start(in: zone, hour: settings.hour, minute: settings.minute) ? today.adding(-1) : today.adding(-2)
        let first: PatrolDay? = try store.pool.read { db in
            if let done = try String.fetchOne(db, sql: "SELECT max(day) FROM patrol_day"), let day = PatrolDay(done) {
                return day.adding(1)
            }
            return try Date.fetchOne(db, sql: "SELECT min(at) FROM probe_result").map { PatrolDay.containing($0, in: zone) }
        }
        guard let first, first <= last else { return [] }
        return (0...(last - first)).map { first.adding($0) }
    }

    /// When the next patrol is due after `now`.
    public func nextRun(after now: Date) -> Date {
        let zone = settings.timeZone
        let today = PatrolDay.containing(now, in: zone)
        let run = today.start(in: zone, hour: settings.hour, minute: settings.minute)
        return run > now ? run : today.adding(1).start(in: zone, hour: settings.hour, minute: settings.minute)
    }

    /// Patrols every due day. Stops at the first failure (the next run starts there again).
    @discardableResult
    public func runDue(now: Date) throws -> [PatrolDayReport] {
        try dueDays(now: now).compactMap { try patrol($0, now: now) }
    }

    /// Judges `day` and applies the ladder in one transaction; nil when it was already done.
    @discardableResult
    public func patrol(_ day: PatrolDay, now: Date) throws -> PatrolDayReport? {
        try store.pool.write { db -> PatrolDayReport? in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM patrol_day WHERE day = ?", arguments: [day.description]) == nil
            else { return nil }
            let key = try store.sealingKey(at: now, in: db)
            let interval = day.interval(in: settings.timeZone)
            let closed = Set(try Store.closedVenues(in: db))
            let cameraDays = try judgeCameras(interval, day: day, skipping: closed, in: db)
            let venues = try Row.fetchAll(db, sql: """
                SELECT id, tier, supervisor FROM venue WHERE added_at < ? AND (retired_at IS NULL OR retired_at > ?)
                """, arguments: [interval.end, interval.start])
            let byVenue = Dictionary(grouping: cameraDays.days, by: \.venueID)
            let registration = try settings.registration.map {
                try Store.judgeRegistration(interval, day: day, policy: $0, zone: settings.timeZone, skipping: closed, in: db)
            } ?? [:]
            var venueCounts: [Verdict: Int] = [:]
            for venue in venues {
                let venueID: String = venue["id"]
                guard !closed.contains(venueID) else { continue }
                let judged = VenueDay.aggregate(venueID: venueID, day: day, cameras: byVenue[venueID] ?? [],
                                                registration: registration[venueID])
                venueCounts[judged.verdict, default: 0] += 1
                try Store.insert(judged, tier: venue["tier"], supervisor: venue["supervisor"], in: db)
                // Pictures a verdict cites are evidence: never pruned.
                for sha in Evidence.pictures(in: judged.evidence) {
                    try db.execute(sql: "INSERT OR IGNORE INTO evidence_picture (sha256, day, venue_id) VALUES (?, ?, ?)",
                                   arguments: [sha, day.description, venueID])
                }
            }
            try Store.adopt(settings.ladder, from: day, at: now, in: db)
            let position = try Int.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM ledger") ?? 0
            let entries = try Store.reconcile(nil, policy: settings.ladder, at: now, in: db, judging: (day, position))
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")
            let report = PatrolDayReport(day: day, cameras: cameraDays.days.reduce(into: [:]) { $0[$1.verdict, default: 0] += 1 },
                                         venues: venueCounts,
                                         registration: registration.values.flatMap(\.systems).reduce(into: [:]) { $0[$1.verdict, default: 0] += 1 }, outageHours: cameraDays.outageHours, entries: entries,
                                         head: head.map { LedgerHead(seq: $0["seq"], hash: $0["hash"]) })
            try db.execute(sql: """
                INSERT INTO patrol_day (day, judged_at, position, head_seq, head_hash, cameras, venues, outage_hours, summary)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [day.description, LedgerEntry.timestamp(now), position, head?["seq"] ?? 0, head?["hash"] ?? "",
                                 cameraDays.days.count, venueCounts.values.reduce(0, +), cameraDays.outageHours, report.summary])
            // The day's entries and verdicts are signed before anything reads them (the report).
            try Store.seal(with: key, day: day, at: now, in: db)
            try beforeCommit?(day)
            return report
        }
    }

    /// Every camera's verdict for the day, stored; cameras of closed venues are no longer judged.
    private func judgeCameras(_ interval: DateInterval, day: PatrolDay, skipping closed: Set<String>,
                              in db: Database) throws -> (days: [CameraDay], outageHours: Int) {
        let longest = settings.coverage.values.max()!
        let cameras = try Row.fetchAll(db, sql: """
            SELECT camera.id, camera.venue_id, camera.placement, venue.tier FROM camera JOIN venue ON venue.id = camera.venue_id
            WHERE camera.added_at < ? AND (camera.retired_at IS NULL OR camera.retired_at > ?)
            ORDER BY camera.id
            """, arguments: [interval.end, interval.start])
        var samples: [String: [ProbeSample]] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT camera_id, at, outcome FROM probe_result WHERE at >= ? AND at < ? ORDER BY camera_id, at
            """, arguments: [interval.start.addingTimeInterval(-longest), interval.end])
        while let row = try rows.next() {
            guard let outcome = Outcome(rawValue: row["outcome"]) else { continue }
            samples[row["camera_id"], default: []].append(ProbeSample(at: row["at"], outcome: outcome))
        }
        let outage = Outage.hours(of: interval, samples: samples.values.joined(), policy: settings.judging)
        var days: [CameraDay] = []
        for camera in cameras {
            let venueID: String = camera["venue_id"]
            guard !closed.contains(venueID), let placement = Placement(rawValue: camera["placement"]) else { continue }
            var own = samples[camera["id"]] ?? []
            // Of the probes before the day, only the last one speaks for the day's first minutes.
            if let firstToday = own.firstIndex(where: { $0.at >= interval.start }), firstToday > 1 {
                own.removeFirst(firstToday - 1)
            } else if own.allSatisfy({ $0.at < interval.start }), own.count > 1 {
                own.removeFirst(own.count - 1)
            }
            let tier = Tier(rawValue: camera["tier"]) ?? .general
            var judged = CameraDay.judge(cameraID: camera["id"], venueID: venueID, placement: placement, samples: own,
                                         day: interval, unwatched: outage, coverage: settings.coverage[tier],
                                         policy: settings.judging)
            if judged.verdict == .failed, judged.facts.frozenOrBlackSeconds > 0 {
                judged.pictures = try Store.faultPictures(of: judged.cameraID, in: interval, db: db)
            }
            days.append(judged)
            try db.execute(sql: """
                INSERT INTO camera_day (day, camera_id, venue_id, placement, verdict, reason, watched_s, online_s,
                                        frozen_black_s, probes, main_failure, pictures)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [day.description, judged.cameraID, venueID, placement.rawValue, judged.verdict.rawValue,
                                 judged.reason, judged.facts.watchedSeconds, judged.facts.onlineSeconds,
                                 judged.facts.frozenOrBlackSeconds, judged.facts.probes, judged.facts.mainFailure?.rawValue,
                                 Evidence.encode(judged.pictures)])
        }
        return (days, outage.count)
    }
}

extension Store {
    /// Venues closed through the ladder: their cameras leave the probe schedule.
    public func closedVenues() throws -> Set<String> {
        try pool.read { db in Set(try Store.closedVenues(in: db)) }
    }

    /// The same inside the caller's transaction: the venues whose closure is in force, from the
    /// ledger alone.
    static func closedVenues(in db: Database) throws -> [String] {
        Set(LedgerView(try Store.ledger(in: db)).effective.filter { $0.kind == .closure }.map(\.venueID)).sorted()
    }

    /// The perimeter cameras that failed on `day`: the city maintenance team's list.
    public func maintenanceList(day: PatrolDay) throws -> [(cameraID: String, venueID: String, reason: String)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT camera_id, venue_id, reason FROM camera_day
                WHERE day = ? AND placement = 'perimeter' AND verdict = 'failed' ORDER BY camera_id
                """, arguments: [day.description]).map { ($0["camera_id"], $0["venue_id"], $0["reason"]) }
        }
    }

    /// The last day patrolled, with the venues it judged and the ledger's head after it.
    public func lastPatrol() throws -> (day: PatrolDay, venues: Int, headSeq: Int)? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT day, venues, head_seq FROM patrol_day ORDER BY day DESC LIMIT 1").flatMap { row in
                PatrolDay(row["day"] as String).map { ($0, row["venues"], row["head_seq"]) }
            }
        }
    }

    /// The last day patrolled, if any.
    public func lastPatrolDay() throws -> PatrolDay? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT max(day) FROM patrol_day").flatMap(PatrolDay.init) }
    }
}
