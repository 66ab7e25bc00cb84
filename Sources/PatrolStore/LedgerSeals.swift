import Foundation
import GRDB
import PatrolCrypto
import PatrolLedger

/// The ledger's seals (table `ledger_seal`): each transaction that writes ledger entries or
/// judges a patrol day signs the ledger's new head with the ledger key, listing the hashes of
/// the entries it adds and, for a patrol day, the digest of the day's verdicts. docs/LEDGER.md.
enum LedgerSeals {
    /// Literal SQL: the migration never reads application types.
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE ledger_seal (
                id INTEGER PRIMARY KEY,
                head_seq INTEGER NOT NULL,       -- the ledger's last entry when sealed
                head_hash TEXT NOT NULL,
                from_seq INTEGER NOT NULL,       -- the first entry listed: the one after the previous seal's head
                hashes TEXT NOT NULL,            -- the hashes of entries from_seq..head_seq, comma-separated
                predates INTEGER NOT NULL,       -- first seal: entries 1..predates were written before sealing began
                predates_day TEXT,               -- first seal: the last patrol day judged before then
                day TEXT,                        -- the patrol day whose verdicts this seal closes
                verdicts TEXT,                   -- SHA-256 of that day's patrol_day, camera_day, venue_day, registration_day and ladder_policy rows
                public_key TEXT NOT NULL,        -- Ed25519, hex: the key that signed
                at TEXT NOT NULL,                -- UTC, ISO 8601 with milliseconds
                signature TEXT NOT NULL          -- Ed25519 over every field above but id, hex
            );
            CREATE INDEX ledger_seal_day ON ledger_seal(day);
            CREATE TRIGGER ledger_seal_no_update BEFORE UPDATE ON ledger_seal
            BEGIN SELECT RAISE(ABORT, 'ledger_seal is append-only: rows cannot be changed'); END;
            CREATE TRIGGER ledger_seal_no_delete BEFORE DELETE ON ledger_seal
            BEGIN SELECT RAISE(ABORT, 'ledger_seal is append-only: rows cannot be deleted'); END;
            """)
    }

    static let columns = "id, head_seq, head_hash, from_seq, hashes, predates, predates_day, day, verdicts, public_key, at, signature"

    static func seal(_ row: Row) -> Seal {
        let hashes: String = row[4]
        return Seal(id: row[0], headSeq: row[1], headHash: row[2], fromSeq: row[3],
                    hashes: hashes.isEmpty ? [] : hashes.split(separator: ",").map(String.init), predates: row[5],
                    predatesDay: (row[6] as String?).flatMap(PatrolDay.init), day: (row[7] as String?).flatMap(PatrolDay.init),
                    verdicts: row[8], publicKey: row[9], at: row[10], signature: row[11])
    }

    static func all(in db: Database) throws -> [Seal] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM ledger_seal ORDER BY id").map(seal)
    }

    static func last(in db: Database) throws -> Seal? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM ledger_seal ORDER BY id DESC LIMIT 1").map(seal)
    }

    static func insert(_ seal: Seal, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO ledger_seal (head_seq, head_hash, from_seq, hashes, predates, predates_day, day, verdicts, public_key, at, signature)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [seal.headSeq, seal.headHash, seal.fromSeq, seal.hashes.joined(separator: ","), seal.predates,
                             seal.predatesDay?.description, seal.day?.description, seal.verdicts, seal.publicKey, seal.at,
                             seal.signature])
    }

    /// Signs the entries after the last seal (from `from` on) and `day`'s verdicts.
    static func write(with key: LedgerKey, from: Int, predates: Int = 0, predatesDay: PatrolDay? = nil, day: PatrolDay?,
                      at: Date, in db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT seq, hash FROM ledger WHERE seq >= ? ORDER BY seq", arguments: [from])
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")
        let seal = Seal(headSeq: head?[0] ?? 0, headHash: head?[1] ?? LedgerEntry.genesis, fromSeq: from,
                        hashes: rows.map { $0[1] }, predates: predates, predatesDay: predatesDay, day: day,
                        verdicts: try day.map { try verdictDigest($0, in: db) }, publicKey: key.publicKey,
                        at: LedgerEntry.timestamp(at))
        try insert(try seal.signed(by: key), in: db)
    }

    /// SHA-256 over the day's `patrol_day` row, then its `camera_day` rows by camera, its
    /// `venue_day` rows by venue and the ladder policy recorded from it, if any. SQLite writes
    /// each row's canonical line itself (a day has some 1,900 rows, and a year of them is checked
    /// at once): every value tagged with its type, text length-prefixed, reals to 17 digits.
    static func verdictDigest(_ day: PatrolDay, in db: Database) throws -> String {
        var canonical = Data()
        func add(_ table: String, _ columns: [String], day column: String = "day", order: String? = nil) throws {
            let line = columns.map { name in
                """
                CASE typeof(\(name)) WHEN 'null' THEN '-' WHEN 'integer' THEN 'i' || \(name) \
                WHEN 'real' THEN 'r' || printf('%!.17g', \(name)) \
                WHEN 'text' THEN 's' || length(CAST(\(name) AS BLOB)) || ':' || \(name) \
                ELSE 'b' || length(\(name)) || ':' || hex(\(name)) END
                """
            }.joined(separator: " || char(10) || ")
            let rows = try String.fetchCursor(db, sql: """
                SELECT '\(table)' || char(10) || \(line) || char(10) FROM \(table) WHERE \(column) = ?\(order.map { " ORDER BY \($0)" } ?? "")
                """, arguments: [day.description])
            while let row = try rows.next() { canonical.append(contentsOf: row.utf8) }
        }
        try add("patrol_day", ["day", "judged_at", "position", "head_seq", "head_hash", "cameras", "venues", "outage_hours", "summary"])
        try add("camera_day", ["day", "camera_id", "venue_id", "placement", "verdict", "reason", "watched_s", "online_s", "frozen_black_s",
                               "probes", "main_failure"], order: "camera_id")
        try add("venue_day", ["venue_id", "day", "tier", "supervisor", "verdict", "reason", "evidence"], order: "venue_id")
        // A day judged before registration was patrolled has no such row: its digest is unchanged.
        try add("registration_day", RegistrationSchema.sealedColumns, order: "system_id")
        try add("ladder_policy", ["from_day", "policy", "recorded_at"], day: "from_day")
        return Hex.sha256(canonical)
    }
}

extension Store {
    /// The ledger key, loaded now, and sealing begun with it. Nil when there is no key and the
    /// ledger was never sealed: its entries are then written chained but unsealed, and the
    /// first seal will say so. A sealed ledger without its key refuses to be written.
    func sealingKey(at: Date, in db: Database) throws -> LedgerKey? {
        let key = try ledgerKey?.load()
        guard let key else {
            if let sealed = try LedgerSeals.last(in: db) {
                throw LedgerKeyError.missing(path: ledgerKey?.path ?? "(no ledger_key configured)", sealedBy: sealed.publicKey)
            }
            return nil
        }
        if let last = try LedgerSeals.last(in: db) {
            // Only the key of the last seal goes on: an old key after a rotation, or a key put
            // in place of the real one, is refused rather than silently starting a new history.
            guard last.publicKey == key.publicKey else {
                throw LedgerKeyError.superseded(path: ledgerKey?.path ?? "", holds: key.publicKey, sealedBy: last.publicKey)
            }
        } else {
            // The first seal: whatever the ledger holds was written before the key, and says so.
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM ledger") ?? 0
            let lastDay = try String.fetchOne(db, sql: "SELECT max(day) FROM patrol_day").flatMap(PatrolDay.init)
            try LedgerSeals.write(with: key, from: 1, predates: count, predatesDay: lastDay, day: nil, at: at, in: db)
        }
        return key
    }

    /// Seals what the transaction appended since the last seal, and `day`'s verdicts.
    static func seal(with key: LedgerKey?, day: PatrolDay? = nil, at: Date, in db: Database) throws {
        guard let key, let last = try LedgerSeals.last(in: db) else { return }
        let head = try Int.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM ledger") ?? 0
        guard head > last.headSeq || day != nil else { return }
        try LedgerSeals.write(with: key, from: last.headSeq + 1, day: day, at: at, in: db)
    }

    /// A write transaction whose ledger entries are sealed before it commits.
    func sealedWrite<T>(at: Date = Date(), _ body: (Database) throws -> T) throws -> T {
        try pool.write { db in
            let key = try sealingKey(at: at, in: db)
            let result = try body(db)
            try Store.seal(with: key, at: at, in: db)
            return result
        }
    }

    /// Starts sealing the ledger with the store's key now, when it has none yet (patrold at
    /// start, `patrol ledger keygen`). Returns whether this made the first seal.
    @discardableResult
    public func beginSealing(at: Date = Date()) throws -> Bool {
        try pool.write { db in
            let sealed = try LedgerSeals.last(in: db) != nil
            _ = try sealingKey(at: at, in: db)
            return try !sealed && LedgerSeals.last(in: db) != nil
        }
    }

    /// What patrold does at start: makes the ledger key at first use (never over a sealed
    /// ledger, whose key must be restored instead) and begins sealing with it.
    public func prepareSealing(at: Date = Date()) throws -> (created: Bool, began: Bool) {
        guard let file = ledgerKey else { return (false, false) }
        var created = false
        if try file.load() == nil {
            if let sealed = try sealingPublicKey() { throw LedgerKeyError.missing(path: file.path, sealedBy: sealed) }
            do {
                try file.create()
            } catch .unwritable(_, let reason) {
                throw LedgerKeyError.notCreated(path: file.path, reason: reason)
            }
            created = true
        }
        return (created, try beginSealing(at: at))
    }

    /// The key that signed the ledger's last seal, if any (hex).
    public func sealingPublicKey() throws -> String? {
        try pool.read { db in try LedgerSeals.last(in: db)?.publicKey }
    }

    /// Hands the ledger over to `new`: a `key_rotated` entry naming it, sealed by the store's
    /// key, then a seal by the new key over the same head. From then on only the new key may
    /// seal; the caller puts it in place of the old one.
    @discardableResult
    public func rotateKey(to new: LedgerKey, day: PatrolDay, by actor: String, reason: String, at: Date = Date()) throws -> LedgerEntry {
        try pool.write { db in
            guard let old = try sealingKey(at: at, in: db) else {
                throw LedgerKeyError.unreadable(path: ledgerKey?.path ?? "(no ledger_key configured)",
                                                reason: "there is no key to rotate yet: `patrol ledger keygen` makes the first")
            }
            let entry = try Store.append([Step.keyRotation(to: new.publicKey, from: old.publicKey, day: day, by: actor, reason: reason)],
                                         at: at, in: db)[0]
            try Store.seal(with: old, at: at, in: db)
            try LedgerSeals.write(with: new, from: entry.seq + 1, day: nil, at: at, in: db)
            return entry
        }
    }
}

/// What the seals say about the ledger, for `patrol ledger verify` and the report.
struct SealCheck {
    /// Entries `1...predates` were written before the ledger was sealed.
    var predates = 0
    var predatesDay: PatrolDay?
    /// The key of the last seal, and whether a trusted key was there to compare it with.
    var sealedBy: String?
    var seals = 0
    var problem: String?
    var seq: Int?

    /// - Parameters:
    ///   - trusted: the public key the verifier trusts (hex), if it has one.
    ///   - verdictsFrom: recompute the verdict digests of the days from this one on (all when nil).
    init(_ entries: [LedgerEntry], trusted: String?, verdictsFrom: PatrolDay? = nil, in db: Database) throws {
        let seals = try LedgerSeals.all(in: db)
        self.seals = seals.count
        guard let first = seals.first else {
            predates = entries.count
            if let trusted, !entries.isEmpty {
                fail("ledger entries #1–#\(entries.count) are not sealed, yet the ledger key \(LedgerKey.fingerprint(trusted)) is "
                    + "configured: the seals are gone, or no holder of the key has written since the upgrade (start patrold)", seq: 1)
            }
            return
        }
        predates = first.predates
        predatesDay = first.predatesDay
        var current = first.publicKey
        var next = 1
        var sealedDays = Set<PatrolDay>()
        for seal in seals {
            let sealed = "sealed \(seal.at)"
            guard seal.signatureHolds else {
                fail("the seal of ledger entries \(seal.range) (\(sealed)) does not verify: its signature is not its key's", seq: seal.headSeq); return
            }
            guard seal.publicKey == current else {
                fail("the seal of ledger entries \(seal.range) (\(sealed)) is signed by key \(LedgerKey.fingerprint(seal.publicKey)), "
                    + "which no rotation sealed by key \(LedgerKey.fingerprint(current)) introduced", seq: seal.fromSeq); return
            }
            if seal.fromSeq > next {
                fail("ledger entries #\(next)–#\(seal.fromSeq - 1) have lost their seal", seq: next); return
            }
            guard seal.fromSeq == next, seal.hashes.count == max(0, seal.headSeq - seal.fromSeq + 1) else {
                fail("the seal of ledger entries \(seal.range) (\(sealed)) overlaps the seal before it", seq: seal.fromSeq); return
            }
            for (offset, hash) in seal.hashes.enumerated() {
                let seq = seal.fromSeq + offset
                guard seq <= entries.count else {
                    fail("ledger entry #\(seq) is missing: it was \(sealed), and the ledger ends at #\(entries.count)", seq: seq); return
                }
                guard entries[seq - 1].hash == hash else {
                    fail("ledger entry #\(seq) was altered after it was \(sealed): its hash is not the sealed one", seq: seq); return
                }
            }
            if seal.headSeq > entries.count {
                fail("ledger entry #\(seal.headSeq) is missing: it was \(sealed)", seq: seal.headSeq); return
            }
            if seal.headSeq > 0, entries[seal.headSeq - 1].hash != seal.headHash {
                fail("ledger entry #\(seal.headSeq) was altered after it was \(sealed)", seq: seal.headSeq); return
            }
            if let day = seal.day {
                let skipped = verdictsFrom.map { day < $0 } ?? false
                guard try skipped || LedgerSeals.verdictDigest(day, in: db) == seal.verdicts else {
                    fail("the verdicts of patrol day \(day) (its camera-day, venue-day or patrol-day rows, or the rules recorded "
                        + "from it) were altered after "
                        + "they were \(sealed)", seq: nil); return
                }
                sealedDays.insert(day)
            }
            if seal.headSeq >= seal.fromSeq {
                for entry in entries[(seal.fromSeq - 1)..<seal.headSeq] where entry.kind == .keyRotated {
                    guard let rotation = entry.step.rotation, rotation.from == current else {
                        fail("ledger entry #\(entry.seq) rotates the ledger key from another key than the one in force", seq: entry.seq); return
                    }
                    current = rotation.to
                }
            }
            next = max(next, seal.headSeq + 1)
        }
        sealedBy = seals.last?.publicKey
        if next <= entries.count {
            fail("ledger entry #\(next) is not sealed: it was written without the ledger key", seq: next); return
        }
        for text in try String.fetchAll(db, sql: "SELECT day FROM patrol_day ORDER BY day") {
            guard let day = PatrolDay(text), predatesDay.map({ day > $0 }) ?? true, !sealedDays.contains(day) else { continue }
            fail("patrol day \(day) is not sealed: its verdicts were written without the ledger key", seq: nil); return
        }
        if let trusted, let last = seals.last?.publicKey, last != trusted {
            fail("the ledger is sealed by key \(LedgerKey.fingerprint(last)), not by the trusted ledger key "
                + "\(LedgerKey.fingerprint(trusted)): its seals were made again with another key", seq: nil); return
        }
    }

    private mutating func fail(_ problem: String, seq: Int?) {
        self.problem = problem
        self.seq = seq
    }
}
