import Foundation
import GRDB
import PatrolLedger
import PatrolSettings

/// A patrol day judged outside the daily patrol (a past made up for measuring): each venue's
/// verdict, and how many cameras stood behind them.
public struct JudgedDay: Sendable, Equatable {
    public var day: PatrolDay
    public var venues: [VenueDay]
    public var cameras: Int
    /// The patrol day's summary line, as `patrol_day` keeps it.
    public var summary: String

    public init(day: PatrolDay, venues: [VenueDay], cameras: Int, summary: String) {
        self.day = day
        self.venues = venues
        self.cameras = cameras
        self.summary = summary
    }
}

extension Store {
    public struct PatrolDaysExist: Error, CustomStringConvertible {
        public var description: String { "the database already has patrol days: fill a fresh one" }
    }

    public struct UnknownVenue: Error, CustomStringConvertible {
        public var venueID: String
        public var description: String { "no venue \(venueID) in the inventory" }
    }

    /// Writes `days` (oldest first, read one at a time) into a database never patrolled, in one
    /// transaction: the venue verdicts, under each venue's tier and supervisor of now; `policy`
    /// as in force from the first day; the ledger the rules derive from all of them; each day's
    /// patrol record with the ledger's head at the end, sealed like a real day when the store
    /// has the ledger key. Returns the venue-days and ledger entries written.
    @discardableResult
    public func appendPatrols(_ days: some Sequence<JudgedDay>, policy: LadderPolicy,
                              at: Date = Date()) throws -> (venueDays: Int, entries: Int) {
        try pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM patrol_day") == 0 else { throw PatrolDaysExist() }
            let key = try sealingKey(at: at, in: db)
            var registered: [String: (tier: String, supervisor: String?)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, tier, supervisor FROM venue") {
                registered[row[0]] = (row[1], row[2])
            }
            var patrolled: [(day: PatrolDay, cameras: Int, venues: Int, summary: String)] = []
            var written = 0
            for judged in days {
                for venueDay in judged.venues {
                    guard let venue = registered[venueDay.venueID] else { throw UnknownVenue(venueID: venueDay.venueID) }
                    try Store.insert(venueDay, tier: venue.tier, supervisor: venue.supervisor, in: db)
                }
                written += judged.venues.count
                patrolled.append((judged.day, judged.cameras, judged.venues.count, judged.summary))
            }
            guard let first = patrolled.first?.day else { return (0, 0) }
            try Store.adopt(policy, from: first, at: at, in: db)
            let entries = try Store.reconcile(nil, policy: policy, at: at, in: db)
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")
            for day in patrolled {
                try db.execute(sql: """
                    INSERT INTO patrol_day (day, judged_at, position, head_seq, head_hash, cameras, venues, outage_hours, summary)
                    VALUES (?, ?, 0, ?, ?, ?, ?, 0, ?)
                    """, arguments: [day.day.description, LedgerEntry.timestamp(at), head?["seq"] ?? 0, head?["hash"] ?? "",
                                     day.cameras, day.venues, day.summary])
                // The first day's seal lists the entries.
                try Store.seal(with: key, day: day.day, at: at, in: db)
            }
            return (written, entries.count)
        }
    }

    /// Stores a venue's verdict for its day.
    static func insert(_ judged: VenueDay, tier: String, supervisor: String?, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO venue_day (venue_id, day, tier, supervisor, verdict, reason, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [judged.venueID, judged.day.description, tier, supervisor, judged.verdict.rawValue,
                                     judged.reason, judged.evidence])
    }
}
