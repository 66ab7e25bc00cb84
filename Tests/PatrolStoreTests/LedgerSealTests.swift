import Foundation
import GRDB
import PatrolFixtures
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolTestSupport
import Testing
@testable import PatrolStore

/// The sealed ledger against someone who can write the database file but does not hold the
/// ledger key: each attack is done with raw SQL through GRDB on the real SQLite file, after
/// dropping the triggers, and `verify` must name the break.
@Suite("The sealed ledger: tampering without the key")
struct LedgerSealTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day1 = PatrolDay(year: 2026, month: 11, day: 10)

    let fixture: TemporaryStore
    let patrol: DailyPatrol

    init() throws {
        try self.init(sealed: true)
    }

    init(sealed: Bool) throws {
        fixture = try TemporaryStore(sealed: sealed)
        // V0001..V0003, general; C00002 and C00003 are V0001's interior cameras, C00005 and C00006 V0002's.
        try fixture.seed(venues: 3, since: Self.day1.start(in: Self.zone).addingTimeInterval(-86_400))
        patrol = DailyPatrol(store: fixture.store, settings: DailyPatrolSettings())
    }

    static func day(_ number: Int) -> PatrolDay { day1.adding(number - 1) }
    static func morning(of number: Int) -> Date { day(number).start(in: zone, hour: 7) }

    /// Day 1: C00002 times out all day (#1 order for V0001). Day 2: all online (#2 rectified).
    @discardableResult
    func patrolTwoDays() throws -> [PatrolDayReport] {
        try fixture.probe(Self.day(1), in: Self.zone, cameras: 9) { $0 == "C00002" ? .timeout : .online }
        try fixture.probe(Self.day(2), in: Self.zone, cameras: 9)
        let reports = try patrol.runDue(now: Self.morning(of: 3))
        #expect(try fixture.store.ledger().map(\.kind) == [.order, .rectified])
        return reports
    }

    /// An operator's note, as `patrol note` records it; its receipt is the head it leaves.
    func note(_ venue: String, by actor: String, _ reason: String) throws -> LedgerHead {
        let entry = try #require(try fixture.store.record(Step(venueID: venue, kind: .note, day: Self.day(3), reason: reason, actor: actor),
                                                          policy: LadderPolicy(), at: Self.morning(of: 3)).last)
        return LedgerHead(seq: entry.seq, hash: entry.hash)
    }

    func verify(head: LedgerHead? = nil) throws -> LedgerCheck {
        try fixture.store.verifyLedger(policy: LadderPolicy(), trusted: try fixture.store.ledgerKey?.trustedPublicKey(), head: head)
    }

    /// What someone who can write the file does: drop every trigger, then change rows.
    func tamper(_ change: (Database) throws -> Void) throws {
        let queue = try DatabaseQueue(path: fixture.store.path)
        try queue.write { db in
            for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'") {
                try db.execute(sql: "DROP TRIGGER \(name)")
            }
            try change(db)
        }
    }

    /// Recomputes the plain SHA-256 chain over the edited rows, and the heads the patrol days
    /// recorded, as the attacker can.
    static func rechain(_ db: Database) throws {
        var previous = LedgerEntry.genesis
        for var entry in try Store.ledger(in: db) {
            entry.previousHash = previous
            entry.hash = entry.computedHash
            try db.execute(sql: "UPDATE ledger SET previous_hash = ?, hash = ? WHERE seq = ?",
                           arguments: [entry.previousHash, entry.hash, entry.seq])
            try db.execute(sql: "UPDATE patrol_day SET head_hash = ? WHERE head_seq = ?", arguments: [entry.hash, entry.seq])
            previous = entry.hash
        }
    }

    /// What the ledger's checks saw before the seals: the plain chain and the heads the patrol
    /// days recorded. Each attack below leaves them whole, so only the seals can tell.
    func plainChainHolds() throws -> Bool {
        try fixture.store.pool.read { db in
            let entries = try Store.ledger(in: db)
            guard Chain.verify(entries) == nil else { return false }
            return try Row.fetchAll(db, sql: "SELECT head_seq, head_hash FROM patrol_day").allSatisfy { row in
                let seq: Int = row[0]
                return seq == 0 || (seq <= entries.count && entries[seq - 1].hash == row[1] as String)
            }
        }
    }

    @Test("the untouched sealed ledger verifies against the trusted key, and says what it proves")
    func untouched() throws {
        try patrolTwoDays()
        _ = try note("V0002", by: "王芳", "owner called")
        let check = try verify()
        #expect(check.ok, "\(check.problem ?? "")")
        #expect(check.trusted)
        #expect(check.predates == 0)
        #expect(check.head?.seq == 3)
        #expect(check.sealing.contains("the trusted key"))
    }

    @Test("operator acts cut from the end after the last patrol day: their seals name them; with the seals gone too, the receipt's head does")
    func cutActsAfterTheLastDay() throws {
        try patrolTwoDays()
        _ = try note("V0002", by: "王芳", "owner called")
        let receipt = try note("V0003", by: "李娜", "recorder replaced")
        #expect(receipt.seq == 4)
        try tamper { db in try db.execute(sql: "DELETE FROM ledger WHERE seq > 2") }
        #expect(try plainChainHolds())
        let check = try verify()
        #expect(!check.ok)
        #expect(check.seq == 3)
        #expect(check.problem?.contains("ledger entry #3 is missing") == true)
        // Their seals removed as well, the ledger is an older copy of itself: only a head seen
        // earlier tells (docs/LEDGER.md, what verify cannot prove).
        try tamper { db in try db.execute(sql: "DELETE FROM ledger_seal WHERE head_seq > 2") }
        #expect(try verify().ok)
        let against = try verify(head: receipt)
        #expect(!against.ok)
        #expect(against.seq == 4)
        #expect(against.problem?.contains("ledger entry #4 is missing") == true)
    }

    @Test("a whole last day erased consistently: its seal names its entry; with the seal gone too, the report's head does")
    func eraseTheLastDay() throws {
        try patrolTwoDays()
        try fixture.probe(Self.day(3), in: Self.zone, cameras: 9) { $0 == "C00005" ? .black : .online }
        let day3 = try #require(try patrol.runDue(now: Self.morning(of: 4)).last)
        let reported = try #require(day3.head)
        #expect(reported.seq == 3)
        try tamper { db in
            for table in ["patrol_day", "camera_day", "venue_day"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE day = ?", arguments: [Self.day(3).description])
            }
            try db.execute(sql: "DELETE FROM ledger WHERE seq = 3")
        }
        #expect(try plainChainHolds())
        let check = try verify()
        #expect(check.seq == 3)
        #expect(check.problem?.contains("ledger entry #3 is missing") == true)
        try tamper { db in try db.execute(sql: "DELETE FROM ledger_seal WHERE day = ?", arguments: [Self.day(3).description]) }
        let against = try verify(head: reported)
        #expect(!against.ok)
        #expect(against.seq == 3)
    }

    @Test("an act's actor and reason rewritten, the plain chain recomputed: the seal names the entry")
    func rewriteAnAct() throws {
        try patrolTwoDays()
        _ = try note("V0002", by: "王芳", "owner called")
        try tamper { db in
            try db.execute(sql: "UPDATE ledger SET actor = '李娜', reason = 'owner visited' WHERE seq = 3")
            try Self.rechain(db)
        }
        #expect(try plainChainHolds())
        let check = try verify()
        #expect(check.seq == 3)
        #expect(check.problem?.contains("ledger entry #3 was altered after it was sealed") == true)
    }

    @Test("a derived step's reason and evidence rewritten, the plain chain recomputed: the seal names the entry")
    func rewriteADerivedStep() throws {
        try patrolTwoDays()
        try tamper { db in
            try db.execute(sql: "UPDATE ledger SET reason = 'rectify by 2026-11-13: cameras fine', evidence = '{}' WHERE seq = 1")
            try Self.rechain(db)
        }
        #expect(try plainChainHolds())
        let check = try verify()
        #expect(check.seq == 1)
        #expect(check.problem?.contains("ledger entry #1 was altered after it was sealed") == true)
    }

    @Test("without any seal, re-derivation compares a derived step's reason and evidence too")
    func rederivationComparesReasons() throws {
        let unsealed = try LedgerSealTests(sealed: false)
        try unsealed.patrolTwoDays()
        let genuine = try #require(try unsealed.fixture.store.ledger().first)
        try unsealed.tamper { db in
            try db.execute(sql: "UPDATE ledger SET reason = 'rectify by 2026-11-13: cameras fine' WHERE seq = 1")
            try Self.rechain(db)
        }
        var check = try unsealed.verify()
        #expect(check.seq == 1)
        #expect(check.problem?.contains("its reason is not the one the stored verdicts give") == true)
        try unsealed.tamper { db in
            try db.execute(sql: "UPDATE ledger SET reason = ?, evidence = '{\"cameras\":[]}' WHERE seq = 1", arguments: [genuine.reason])
            try Self.rechain(db)
        }
        check = try unsealed.verify()
        #expect(check.seq == 1)
        #expect(check.problem?.contains("its evidence is not the one the stored verdicts give") == true)
    }

    @Test("a forged act appended with a good plain hash is not sealed; sealed with the forger's own key, that key is named")
    func appendAForgedAct() throws {
        try patrolTwoDays()
        try tamper { db in
            let last = try #require(try Store.ledger(in: db).last)
            let forged = Chain.seal(Step(venueID: "V0001", kind: .note, day: Self.day(3), reason: "owner called", actor: "王芳"),
                                    seq: 3, at: Self.morning(of: 3), after: last.hash)
            try db.execute(sql: """
                INSERT INTO ledger (\(LedgerEntry.columns)) VALUES (?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL, ?, ?, ?, ?, ?, ?)
                """, arguments: [forged.seq, forged.venueID, forged.kind.rawValue, forged.day.description, forged.reason,
                                 forged.evidence, forged.actor, forged.at, forged.previousHash, forged.hash])
        }
        #expect(try plainChainHolds())
        var check = try verify()
        #expect(check.seq == 3)
        #expect(check.problem?.contains("ledger entry #3 is not sealed") == true)
        try tamper { db in try LedgerSeals.write(with: LedgerKey(), from: 3, day: nil, at: Self.morning(of: 3), in: db) }
        check = try verify()
        #expect(check.seq == 3)
        #expect(check.problem?.contains("which no rotation sealed by key") == true)
    }

    @Test("a camera-day or venue-day verdict, or the rules recorded from a day, edited: the day's sealed digest names the day")
    func editAVerdict() throws {
        try patrolTwoDays()
        let row = "FROM camera_day WHERE day = '2026-11-10' AND camera_id = 'C00002'"
        let genuine = try #require(try fixture.store.pool.read { db in try Row.fetchOne(db, sql: "SELECT verdict, reason, online_s \(row)") })
        try tamper { db in
            try db.execute(sql: """
                UPDATE camera_day SET verdict = 'compliant', reason = 'online 100% of 24.0 h watched', online_s = watched_s
                WHERE day = '2026-11-10' AND camera_id = 'C00002'
                """)
        }
        #expect(try plainChainHolds())
        var check = try verify()
        #expect(!check.ok)
        #expect(check.problem?.contains("the verdicts of patrol day 2026-11-10") == true)
        // The daily report recomputes the day it reports alone; `patrol ledger verify` every day.
        let reported = try fixture.store.pool.read { db in
            try Store.verifyLedger(in: db, policy: LadderPolicy(), trusted: try fixture.store.ledgerKey?.trustedPublicKey(),
                                   verdictsFrom: Self.day(2))
        }
        #expect(reported.ok)
        #expect(reported.sealing.contains("the verdicts recomputed from 2026-11-11 on"))
        try tamper { db in
            try db.execute(sql: "UPDATE camera_day SET verdict = ?, reason = ?, online_s = ? WHERE day = '2026-11-10' AND camera_id = 'C00002'",
                           arguments: [genuine[0], genuine[1], genuine[2]])
        }
        #expect(try verify().ok, "the rows restored exactly verify again")
        // The ladder rules recorded from a day are part of its digest.
        let recorded = try #require(try fixture.store.pool.read { db in try String.fetchOne(db, sql: "SELECT recorded_at FROM ladder_policy") })
        try tamper { db in try db.execute(sql: "UPDATE ladder_policy SET recorded_at = '2026-01-01T00:00:00.000Z'") }
        #expect(try verify().problem?.contains("the verdicts of patrol day 2026-11-10") == true)
        try tamper { db in try db.execute(sql: "UPDATE ladder_policy SET recorded_at = ?", arguments: [recorded]) }
        try tamper { db in try db.execute(sql: "UPDATE venue_day SET verdict = 'unknown' WHERE day = '2026-11-11' AND venue_id = 'V0003'") }
        check = try verify()
        #expect(check.problem?.contains("the verdicts of patrol day 2026-11-11") == true)
    }

    @Test("--head: the first N entries must still hash to the head seen earlier")
    func headSeenEarlier() throws {
        try patrolTwoDays()
        let head = try #require(try verify().head)
        #expect(LedgerHead(head.description) == head)
        #expect(LedgerHead("abc:2") == nil)
        _ = try note("V0002", by: "王芳", "owner called")
        #expect(try verify(head: head).ok)
        var check = try verify(head: LedgerHead(seq: 2, hash: String(repeating: "a", count: 64)))
        #expect(check.seq == 2)
        #expect(check.problem?.contains("is not the one seen earlier") == true)
        check = try verify(head: LedgerHead(seq: 9, hash: head.hash))
        #expect(check.seq == 9)
        #expect(check.problem?.contains("ledger entry #9 is missing") == true)
    }

    @Test("a key file others may read is refused with a clear error, and nothing is written")
    func keyPermissions() throws {
        try patrolTwoDays()
        let key = try #require(fixture.store.ledgerKey)
        #expect(chmod(key.path, 0o640) == 0)
        #expect(throws: LedgerKeyError.exposed(path: key.path, mode: 0o640)) { try key.load() }
        #expect("\(LedgerKeyError.exposed(path: key.path, mode: 0o640))".contains("chmod 600 \(key.path)"))
        #expect(throws: LedgerKeyError.self) { _ = try note("V0002", by: "王芳", "owner called") }
        #expect(try fixture.store.ledger().count == 2)
        // Gone altogether: a sealed ledger refuses unsealed entries.
        #expect(unlink(key.path) == 0)
        #expect(throws: LedgerKeyError.missing(path: key.path, sealedBy: try #require(try fixture.store.sealingPublicKey()))) {
            _ = try note("V0002", by: "王芳", "owner called")
        }
        // A key made anew is not the one that sealed: refused too.
        try key.create()
        #expect(throws: LedgerKeyError.self) { _ = try note("V0002", by: "王芳", "owner called") }
        #expect(try fixture.store.ledger().count == 2)
    }

    @Test("patrold's first start makes the key (mode 0600) where it may, and says what to do where it may not")
    func firstStart() throws {
        let database = fixture.folder.appendingPathComponent("fresh.sqlite").path
        let nowhere = LedgerKeyFile(path: fixture.folder.appendingPathComponent("no-such-folder/ledger.key").path)
        do {
            _ = try Store(path: database, ledgerKey: nowhere).prepareSealing()
            Issue.record("a key that cannot be made must stop patrold")
        } catch let error as LedgerKeyError {
            #expect("\(error)".contains("make it with `patrol ledger keygen`"))
        }
        let file = LedgerKeyFile(path: fixture.folder.appendingPathComponent("fresh.key").path)
        let store = try Store(path: database, ledgerKey: file)
        #expect(try store.prepareSealing() == (created: true, began: true))
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)
        #expect(try store.prepareSealing() == (created: false, began: false))
        #expect(try store.verifyLedger(policy: LadderPolicy(), trusted: try file.trustedPublicKey()).ok)
    }

    @Test("synthetic patrols for the benchmarks are sealed like real days when the store has the key")
    func syntheticVerdictsAreSealed() throws {
        var verdicts = SyntheticVerdicts(last: Self.day(30))
        verdicts.days = 30
        verdicts.failedShare = 0.2
        let filled = try fixture.store.fill(verdicts, policy: LadderPolicy(), at: Self.morning(of: 31))
        #expect(filled.venueDays == 90 && filled.entries > 0)
        let check = try verify()
        #expect(check.ok, "\(check.problem ?? "")")
        #expect(check.predates == 0 && check.trusted)
    }

    @Test("a database made before sealing upgrades in place: its entries are reported as predating the key, and fixed from then on")
    func migrationFromAnUnsealedLedger() throws {
        let old = try LedgerSealTests(sealed: false)
        try old.patrolTwoDays()
        // Back to the schema before the seals: the table gone, its migration not applied.
        try old.tamper { db in
            try db.execute(sql: "DROP TABLE ledger_seal")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'ledger seals%'")
        }
        let key = LedgerKeyFile(path: old.fixture.folder.appendingPathComponent("ledger.key").path)
        try key.create()
        let upgraded = try Store(path: old.fixture.store.path, ledgerKey: key)
        #expect(try upgraded.pool.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE name = 'ledger_seal'") } == true)
        #expect(try upgraded.prepareSealing() == (created: false, began: true))
        var check = try upgraded.verifyLedger(policy: LadderPolicy(), trusted: try key.trustedPublicKey())
        #expect(check.ok, "\(check.problem ?? "")")
        #expect(check.predates == 2)
        #expect(check.sealing.contains("entries #1–#2 predate the key: chained but not sealed"))
        // Later days are sealed; a later rewrite of an entry from before the key is caught too.
        try old.fixture.probe(Self.day(3), in: Self.zone, cameras: 9)
        try DailyPatrol(store: upgraded, settings: DailyPatrolSettings()).runDue(now: Self.morning(of: 4))
        #expect(try upgraded.verifyLedger(policy: LadderPolicy(), trusted: try key.trustedPublicKey()).ok)
        try old.tamper { db in
            try db.execute(sql: "UPDATE ledger SET actor = '李娜' WHERE seq = 2")
            try Self.rechain(db)
        }
        check = try upgraded.verifyLedger(policy: LadderPolicy(), trusted: try key.trustedPublicKey())
        #expect(check.seq == 2)
        #expect(check.problem?.contains("ledger entry #2 was altered after it was sealed") == true)
    }

    @Test("a key rotation is an entry sealed by the old key naming the new one; after it only the new key seals")
    func rotation() throws {
        try patrolTwoDays()
        let file = try #require(fixture.store.ledgerKey)
        let old = try #require(try file.load())
        let kept = fixture.folder.appendingPathComponent("old.key").path
        try FileManager.default.copyItem(atPath: file.path, toPath: kept)
        let incoming = LedgerKeyFile(path: fixture.folder.appendingPathComponent("new.key").path)
        let new = try incoming.create()
        let entry = try fixture.store.rotateKey(to: new, day: Self.day(3), by: "王芳", reason: "yearly rotation", at: Self.morning(of: 3))
        #expect(entry.kind == .keyRotated)
        #expect(entry.step.rotation?.to == new.publicKey)
        #expect(entry.step.rotation?.from == old.publicKey)
        try incoming.move(to: file)
        try fixture.probe(Self.day(3), in: Self.zone, cameras: 9)
        try patrol.runDue(now: Self.morning(of: 4))
        var check = try verify()
        #expect(check.ok, "\(check.problem ?? "")")
        #expect(check.sealedBy == new.publicKey)
        // A verifier holding the old public key is told the ledger is sealed by another key.
        check = try fixture.store.verifyLedger(policy: LadderPolicy(), trusted: old.publicKey)
        #expect(check.problem?.contains("not by the trusted ledger key") == true)
        // The old key put back is refused: only the key of the last seal goes on.
        #expect(unlink(file.path) == 0)
        try FileManager.default.copyItem(atPath: kept, toPath: file.path)
        #expect(throws: LedgerKeyError.superseded(path: file.path, holds: old.publicKey, sealedBy: new.publicKey)) {
            _ = try note("V0002", by: "王芳", "owner called")
        }
    }
}
