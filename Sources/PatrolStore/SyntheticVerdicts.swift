import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolSettings

/// A synthetic past of daily patrols: each venue's judged days, and the ladder the real rules
/// derive from them sealed into the ledger, as a year or two of service leaves them. For
/// measuring the commands on a database of that age (`patrol bench-history --verdict-days`).
public struct SyntheticVerdicts: Sendable {
    /// Patrol days, ending with `last`.
    public var days = 365
    public var last: PatrolDay
    /// Share of venue-days on which one interior camera failed.
    public var failedShare = 0.01
    public var seed: UInt64 = 1

    public init(last: PatrolDay) {
        self.last = last
    }
}

extension Store {
    public struct VerdictsExist: Error, CustomStringConvertible {
        public var description: String { "the database already has patrol days: fill a fresh one" }
    }

    /// Writes `verdicts`: every venue's camera and venue verdicts for each day, the patrol days,
    /// and the ledger the ladder derives from them (one transaction). Returns the venue-days
    /// and ledger entries written.
    @discardableResult
    public func fill(_ verdicts: SyntheticVerdicts, policy: LadderPolicy, at: Date = Date()) throws -> (venueDays: Int, entries: Int) {
        try pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM patrol_day") == 0 else { throw VerdictsExist() }
            let key = try sealingKey(at: at, in: db)
            var interior: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, venue_id FROM camera WHERE placement = 'interior' ORDER BY id") {
                interior[row[1], default: []].append(row[0])
            }
            let venues = try Row.fetchAll(db, sql: "SELECT id, tier, supervisor FROM venue ORDER BY id")
            var random = SplitMix64(seed: verdicts.seed)
            let good = CameraDayFacts(watchedSeconds: 86_400, onlineSeconds: 86_400, frozenOrBlackSeconds: 0, probes: 96, mainFailure: nil)
            let bad = CameraDayFacts(watchedSeconds: 86_400, onlineSeconds: 34_560, frozenOrBlackSeconds: 0, probes: 96, mainFailure: .timeout)
            let first = verdicts.last.adding(1 - verdicts.days)
            var written = 0
            for offset in 0..<verdicts.days {
                let day = first.adding(offset)
                for venue in venues {
                    let venueID: String = venue[0]
                    let cameras = interior[venueID] ?? []
                    let failing = random.unit() < verdicts.failedShare ? cameras.randomElement(using: &random) : nil
                    let judged = VenueDay.aggregate(venueID: venueID, day: day, cameras: cameras.map { camera in
                        camera == failing
                            ? CameraDay(cameraID: camera, venueID: venueID, placement: .interior, verdict: .failed,
                                        reason: "online 40% of 24.0 h watched (needs 95%), mostly timeout", facts: bad)
                            : CameraDay(cameraID: camera, venueID: venueID, placement: .interior, verdict: .compliant,
                                        reason: "online 100% of 24.0 h watched", facts: good)
                    })
                    try db.execute(sql: """
                        INSERT INTO venue_day (venue_id, day, tier, supervisor, verdict, reason, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [venueID, day.description, venue[1] as String, venue[2] as String?,
                                         judged.verdict.rawValue, judged.reason, judged.evidence])
                    written += 1
                }
            }
            try Store.adopt(policy, from: first, at: at, in: db)
            let entries = try Store.reconcile(nil, policy: policy, at: at, in: db)
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")
            for offset in 0..<verdicts.days {
                try db.execute(sql: """
                    INSERT INTO patrol_day (day, judged_at, position, head_seq, head_hash, cameras, venues, outage_hours, summary)
                    VALUES (?, ?, 0, ?, ?, ?, ?, 0, 'synthetic')
                    """, arguments: [first.adding(offset).description, LedgerEntry.timestamp(at), head?["seq"] ?? 0,
                                     head?["hash"] ?? "", interior.values.map(\.count).reduce(0, +), venues.count])
                // Sealed like a real day when the store has the ledger key: the first day's seal lists the entries.
                try Store.seal(with: key, day: first.adding(offset), at: at, in: db)
            }
            return (written, entries.count)
        }
    }
}

extension SplitMix64: RandomNumberGenerator {}
