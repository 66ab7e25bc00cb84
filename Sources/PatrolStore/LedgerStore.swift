import Foundation
import GRDB
import PatrolCrypto
import PatrolInventory
import PatrolLedger
import PatrolSettings

/// The ledger's tables: the entries themselves, and what each patrol day judged (the input the
/// whole ledger can be re-derived from). SQLite refuses UPDATE and DELETE on all of them.
enum LedgerSchema {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE ledger (
                seq INTEGER PRIMARY KEY,
                venue_id TEXT NOT NULL,          -- '*' for a waiver over the whole district
                kind TEXT NOT NULL,
                day TEXT NOT NULL,               -- the patrol day, YYYY-MM-DD
                deadline TEXT,
                until TEXT,
                tier TEXT,
                supervisor TEXT,
                refers_to INTEGER,
                reason TEXT NOT NULL,
                evidence TEXT NOT NULL,          -- canonical JSON
                actor TEXT NOT NULL,
                at TEXT NOT NULL,                -- UTC, ISO 8601 with milliseconds
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE
            );
            CREATE INDEX ledger_venue ON ledger(venue_id, seq);
            CREATE INDEX ledger_kind_day ON ledger(kind, day);
            CREATE TABLE patrol_day (
                day TEXT PRIMARY KEY,
                judged_at TEXT NOT NULL,
                position INTEGER NOT NULL,       -- the last ledger entry before the day's steps
                head_seq INTEGER NOT NULL,       -- the ledger's last entry once the day was done
                head_hash TEXT NOT NULL,
                cameras INTEGER NOT NULL,
                venues INTEGER NOT NULL,
                outage_hours INTEGER NOT NULL,
                summary TEXT NOT NULL
            );
            CREATE TABLE camera_day (
                day TEXT NOT NULL,
                camera_id TEXT NOT NULL,
                venue_id TEXT NOT NULL,
                placement TEXT NOT NULL,
                verdict TEXT NOT NULL,
                reason TEXT NOT NULL,
                watched_s REAL NOT NULL,
                online_s REAL NOT NULL,
                frozen_black_s REAL NOT NULL,
                probes INTEGER NOT NULL,
                main_failure TEXT,
                PRIMARY KEY (day, camera_id)
            ) WITHOUT ROWID;
            CREATE INDEX camera_day_camera ON camera_day(camera_id, day);
            CREATE TABLE venue_day (
                venue_id TEXT NOT NULL,
                day TEXT NOT NULL,
                tier TEXT NOT NULL,
                supervisor TEXT,
                verdict TEXT NOT NULL,
                reason TEXT NOT NULL,
                evidence TEXT NOT NULL,
                PRIMARY KEY (venue_id, day)
            ) WITHOUT ROWID;
            CREATE INDEX venue_day_day ON venue_day(day);
            """)
        for table in ["ledger", "patrol_day", "camera_day", "venue_day"] { try appendOnly(table, db) }
    }

    /// The ladder policy in force from each patrol day on, recorded when the day is patrolled
    /// under rules that differ from the last recorded.
    static func createPolicies(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE ladder_policy (
                from_day TEXT PRIMARY KEY,       -- the first patrol day judged under it
                policy TEXT NOT NULL,            -- JSON, keys sorted
                recorded_at TEXT NOT NULL
            ) WITHOUT ROWID
            """)
        try appendOnly("ladder_policy", db)
    }

    /// Each venue's place on the ladder as last derived, and what it was derived from: read
    /// instead of deriving years of history again while nothing it depends on has changed.
    static func createLadderStates(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE ladder_state (
                venue_id TEXT PRIMARY KEY,
                state TEXT NOT NULL,             -- JSON
                head_seq INTEGER NOT NULL,       -- the ledger's last entry when derived
                verdict_day TEXT,                -- the last judged day then
                policy_day TEXT                  -- the last recorded ladder policy then
            ) WITHOUT ROWID
            """)
    }

    static func appendOnly(_ table: String, _ db: Database) throws {
        for (event, verb) in [("UPDATE", "changed"), ("DELETE", "deleted")] {
            try db.execute(sql: """
                CREATE TRIGGER \(table)_no_\(event.lowercased()) BEFORE \(event) ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) is append-only: rows cannot be \(verb)'); END
                """)
        }
    }
}

extension LedgerEntry {
    /// The columns `init(row:)` reads, in its order.
    static let columnNames = ["seq", "venue_id", "kind", "day", "deadline", "until", "tier", "supervisor", "refers_to",
                              "reason", "evidence", "actor", "at", "previous_hash", "hash"]
    /// What to select for `init(row:)`, never `*`.
    static let columns = columnNames.joined(separator: ", ")

    /// An entry from a row of `columns`, read by position (thousands of entries at a time).
    init(row: Row) throws {
        let names = Self.columnNames
        func day(_ index: Int) throws -> PatrolDay? {
            guard let text: String = row[index] else { return nil }
            guard let day = PatrolDay(text) else { throw LedgerReadError(seq: row[0], field: names[index], value: text) }
            return day
        }
        func value<T: RawRepresentable>(_ index: Int) throws -> T? where T.RawValue == String {
            guard let text: String = row[index] else { return nil }
            guard let value = T(rawValue: text) else { throw LedgerReadError(seq: row[0], field: names[index], value: text) }
            return value
        }
        let step = Step(
            venueID: row[1], kind: try value(2)!, day: try day(3)!, deadline: try day(4), until: try day(5), tier: try value(6),
            supervisor: row[7], refersTo: row[8], reason: row[9], evidence: row[10], actor: row[11])
        self.init(seq: row[0], step: step, at: row[12], previousHash: row[13], hash: row[14])
    }
}

/// A ledger row whose fields cannot be read back: itself a sign of tampering.
public struct LedgerReadError: Error, CustomStringConvertible {
    public var seq: Int
    public var field: String
    public var value: String

    public var description: String { "ledger entry #\(seq) has an unreadable \(field): \(value)" }
}

/// A recorded ladder policy that cannot be read back: the ledger cannot be derived without it.
public struct PolicyReadError: Error, CustomStringConvertible {
    public var from: String
    public var problem: String

    public var description: String { "the ladder policy recorded from \(from) cannot be read: \(problem)" }
}

/// What `patrol ledger verify` found.
public struct LedgerCheck: Sendable, Equatable {
    public var entries: Int
    public var days: Int
    /// The first problem, or nil when the ledger holds.
    public var problem: String?
    /// The entry it concerns, when there is one.
    public var seq: Int?
    /// The ledger's last entry: what a report or a receipt hands on as `HASH:N`.
    public var head: LedgerHead?
    /// Entries `1...predates` were written before the ledger was sealed: chained, not sealed.
    public var predates = 0
    /// The key of the last seal (hex), if the ledger is sealed.
    public var sealedBy: String?
    /// Whether `sealedBy` was compared with a public key the verifier trusts.
    public var trusted = false
    /// The sealed verdicts were recomputed for the days from this one on; every day's when nil.
    public var verdictsFrom: PatrolDay?
    /// Pictures cited as evidence whose content still has the hash it is cited by.
    public var pictures = 0
    /// Pictures cited as evidence that are no longer in the snapshot directory.
    public var missingPictures: [String] = []

    public init(entries: Int, days: Int, problem: String? = nil, seq: Int? = nil) {
        self.entries = entries
        self.days = days
        self.problem = problem
        self.seq = seq
    }

    public var ok: Bool { problem == nil }

    /// What the seals prove, in one sentence.
    public var sealing: String {
        guard let sealedBy else {
            return entries == 0 ? "nothing sealed yet" : "entries #1–#\(entries) are chained but not sealed (no ledger key has signed them)"
        }
        var text = "sealed by key \(LedgerKey.fingerprint(sealedBy))"
        text += trusted ? ", the trusted key" : " (not compared with a trusted public key: none was given)"
        if predates > 0 { text += "; entries #1–#\(predates) predate the key: chained but not sealed" }
        if let verdictsFrom { text += "; the verdicts recomputed from \(verdictsFrom) on (`patrol ledger verify` recomputes every day's)" }
        return text
    }
}

extension Store {
    /// Seals `steps` onto the end of the ledger inside the caller's transaction.
    @discardableResult
    static func append(_ steps: [Step], at: Date, in db: Database) throws -> [LedgerEntry] {
        let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")
        var seq: Int = head?["seq"] ?? 0
        var previous: String = head?["hash"] ?? LedgerEntry.genesis
        var sealed: [LedgerEntry] = []
        for step in steps {
            seq += 1
            let entry = Chain.seal(step, seq: seq, at: at, after: previous)
            try db.execute(sql: """
                INSERT INTO ledger (seq, venue_id, kind, day, deadline, until, tier, supervisor, refers_to, reason,
                                    evidence, actor, at, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [entry.seq, step.venueID, step.kind.rawValue, step.day.description, step.deadline?.description,
                                 step.until?.description, step.tier?.rawValue, step.supervisor, step.refersTo, step.reason,
                                 step.evidence, step.actor, entry.at, entry.previousHash, entry.hash])
            previous = entry.hash
            sealed.append(entry)
        }
        return sealed
    }

    /// `?, ?, …`: `count` placeholders for an `IN (…)` list.
    static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ",") }

    /// The ledger's entries after `after` and up to `through` (all of them by default), in
    /// order, inside the caller's transaction.
    static func ledger(in db: Database, after: Int = 0, through: Int = .max) throws -> [LedgerEntry] {
        try Row.fetchAll(db, sql: "SELECT \(LedgerEntry.columns) FROM ledger WHERE seq > ? AND seq <= ? ORDER BY seq", arguments: [after, through])
            .map(LedgerEntry.init(row:))
    }

    /// Ledger entries, oldest first, optionally for one venue (with the district's waivers),
    /// of some kinds, from a day on.
    public func ledger(venue: String? = nil, kinds: [EntryKind] = [], since: PatrolDay? = nil) throws -> [LedgerEntry] {
        try pool.read { db in
            var conditions: [String] = [], arguments: StatementArguments = []
            if let venue {
                conditions.append("venue_id IN (?, '*')")
                arguments += [venue]
            }
            if !kinds.isEmpty {
                conditions.append("kind IN (\(Store.placeholders(kinds.count)))")
                arguments += StatementArguments(kinds.map(\.rawValue))
            }
            if let since {
                conditions.append("day >= ?")
                arguments += [since.description]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(db, sql: "SELECT \(LedgerEntry.columns) FROM ledger \(filter) ORDER BY seq", arguments: arguments)
                .map(LedgerEntry.init(row:))
        }
    }

    /// Everything the ladder is derived from, read in one transaction.
    struct History {
        var ledger: LedgerView
        var days: [String: [JudgedVenueDay]]
        var positions: [PatrolDay: Int]
        var venues: [String: (tier: Tier, supervisor: String?)]
        /// The ladder policies recorded as days were patrolled.
        var policies: [PolicyChange]

        /// - Parameters:
        ///   - judging: the day being judged in this transaction, and its position.
        ///   - only: these venues' history alone (with the district's waivers); all when nil.
        ///   - reasons: read each day's reason and evidence, which the steps carry; a caller that
        ///     wants only where venues stand skips them.
        init(_ db: Database, judging: (day: PatrolDay, position: Int)? = nil, only: [String]? = nil, reasons: Bool = true) throws {
            // Each table's rows for `only`, by its venue column; the ledger keeps the district's too.
            func scope(_ column: String, district: Bool = false) -> String {
                guard let only else { return "" }
                return "WHERE \(column) IN (\(Store.placeholders(only.count))\(district ? ", '*'" : ""))"
            }
            let arguments = StatementArguments(only ?? [])
            ledger = LedgerView(try Row.fetchAll(db, sql: "SELECT \(LedgerEntry.columns) FROM ledger \(scope("venue_id", district: true)) ORDER BY seq",
                                                 arguments: arguments).map(LedgerEntry.init(row:)))
            positions = [:]
            if let judging { positions[judging.day] = judging.position }
            var parsed: [String: PatrolDay] = [:]  // a day's text once per day, not once per venue
            func day(_ text: String) -> PatrolDay? {
                if let day = parsed[text] { return day }
                let day = PatrolDay(text)
                parsed[text] = day
                return day
            }
            for row in try Row.fetchAll(db, sql: "SELECT day, position FROM patrol_day") {
                if let day = day(row[0]) { positions[day] = row[1] }
            }
            days = [:]
            // Up to a row per venue and day for years: read by position, through a cursor.
            let details = reasons ? "reason, evidence" : "'', ''"
            let rows = try Row.fetchCursor(db, sql: """
                SELECT venue_id, day, tier, supervisor, verdict, \(details) FROM venue_day \(scope("venue_id")) ORDER BY venue_id, day
                """, arguments: arguments)
            while let row = try rows.next() {
                guard let day = day(row[1]), let tier = Tier(rawValue: row[2]), let verdict = Verdict(rawValue: row[4]) else { continue }
                let venueID: String = row[0]
                days[venueID, default: []].append(JudgedVenueDay(
                    venueID: venueID, day: day, tier: tier, supervisor: row[3], verdict: verdict, reason: row[5], evidence: row[6]))
            }
            venues = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, tier, supervisor FROM venue \(scope("id"))", arguments: arguments) {
                venues[row[0]] = (Tier(rawValue: row[1]) ?? .general, row[2])
            }
            policies = try Store.policyChanges(in: db)
        }

        /// Every venue the ledger or the verdicts know.
        var venueIDs: [String] {
            Set(venues.keys).union(days.keys).union(ledger.effective.map(\.venueID).filter { $0 != "*" }).sorted()
        }

        /// - Parameter policy: the configured policy, in force where none is recorded yet.
        func derive(_ venueID: String, policy: LadderPolicy) -> (steps: [Step], state: VenueState) {
            let own = venues[venueID] ?? (.general, nil)
            return Replay.derive(venueID: venueID, tier: own.tier, supervisor: own.supervisor, days: days[venueID] ?? [],
                                 ledger: ledger, positions: positions,
                                 policies: PolicyHistory(changes: policies, otherwise: policy))
        }
    }

    /// Re-derives `venueIDs` (all when nil) and appends what reconciles the ledger with that, in
    /// the caller's transaction; keeps the venue table's tier and supervisor as the ledger has them.
    @discardableResult
    static func reconcile(_ venueIDs: [String]?, policy: LadderPolicy, at: Date, in db: Database,
                          judging: (day: PatrolDay, position: Int)? = nil) throws -> [LedgerEntry] {
        // A step's identity leaves out its reason and evidence: the venues whose ledger needs
        // steps are found without reading years of evidence, which is read for those alone.
        let outline = try History(db, judging: judging, only: venueIDs, reasons: false)
        var changed: [String] = []
        var states: [String: VenueState] = [:]
        for venueID in venueIDs ?? outline.venueIDs {
            let (derived, state) = outline.derive(venueID, policy: policy)
            states[venueID] = state
            if !Replay.reconcile(venueID: venueID, derived: derived, ledger: outline.ledger).isEmpty { changed.append(venueID) }
            if let own = outline.venues[venueID], own.tier != state.tier || own.supervisor != state.supervisor {
                try db.execute(sql: "UPDATE venue SET tier = ?, supervisor = ? WHERE id = ?",
                               arguments: [state.tier.rawValue, state.supervisor, venueID])
            }
        }
        var appended: [LedgerEntry] = []
        if !changed.isEmpty {
            let history = try History(db, judging: judging, only: changed)
            let steps = changed.flatMap { venueID in
                Replay.reconcile(venueID: venueID, derived: history.derive(venueID, policy: policy).steps, ledger: history.ledger)
            }
            appended = try append(steps, at: at, in: db)
        }
        // The steps follow from the state, not the other way round: the states hold after them.
        try LadderStates.save(states, in: db)
        return appended
    }

    /// The ladder policies recorded so far, in order.
    public func policyChanges() throws -> [PolicyChange] {
        try pool.read { db in try Store.policyChanges(in: db) }
    }

    static func policyChanges(in db: Database) throws -> [PolicyChange] {
        try Row.fetchAll(db, sql: "SELECT from_day, policy FROM ladder_policy ORDER BY from_day").map { row in
            let from: String = row["from_day"], json: String = row["policy"]
            guard let day = PatrolDay(from) else { throw PolicyReadError(from: from, problem: "not a day") }
            do {
                return PolicyChange(from: day, policy: try JSONDecoder().decode(LadderPolicy.self, from: Data(json.utf8)))
            } catch {
                throw PolicyReadError(from: from, problem: "\(error)")
            }
        }
    }

    /// Records `policy` as in force from `day` when it differs from the policy recorded last.
    /// A change after the first is also noted in the ledger (actor `config`), so the rules'
    /// history is part of the chain. Days already patrolled keep the rules they were judged by.
    @discardableResult
    static func adopt(_ policy: LadderPolicy, from day: PatrolDay, at: Date, in db: Database) throws -> [LedgerEntry] {
        let recorded = try policyChanges(in: db)
        if let last = recorded.last, last.policy == policy || day <= last.from { return [] }
        try db.execute(sql: "INSERT INTO ladder_policy (from_day, policy, recorded_at) VALUES (?, ?, ?)",
                       arguments: [day.description, Evidence.encode(policy), LedgerEntry.timestamp(at)])
        guard let last = recorded.last else { return [] }
        let note = Step(venueID: "*", kind: .note, day: day,
                        reason: "ladder policy from \(day): \(policy.summary) (until \(day.adding(-1)): \(last.policy.summary))",
                        actor: "config")
        return try append([note], at: at, in: db)
    }

    /// Each venue's place on the ladder now.
    public func ladder(policy: LadderPolicy, venues: [String]? = nil) throws -> [String: VenueState] {
        try pool.read { db in try Store.ladder(in: db, policy: policy, venues: venues) }
    }

    /// The same inside the caller's transaction; only `venues`' states when given. States saved
    /// by the last derivation are used while nothing they depend on has changed since; the
    /// others are derived.
    static func ladder(in db: Database, policy: LadderPolicy, venues: [String]? = nil) throws -> [String: VenueState] {
        var states = try LadderStates.fresh(venues, in: db)
        // Venues are retired, never deleted: the venue table knows every venue with a history.
        let known = try venues ?? String.fetchAll(db, sql: "SELECT id FROM venue")
        let stale = known.filter { states[$0] == nil }
        guard !stale.isEmpty else { return states }
        let history = try History(db, only: stale, reasons: false)
        for venueID in history.venueIDs { states[venueID] = history.derive(venueID, policy: policy).state }
        return states
    }

    /// Records an operator's act and what follows from it, in one transaction.
    @discardableResult
    public func record(_ act: Step, policy: LadderPolicy, at: Date = Date()) throws -> [LedgerEntry] {
        try sealedWrite(at: at) { db in
            let recorded = try Store.append([act], at: at, in: db)
            let venues = act.venueID == "*" ? nil : [act.venueID]
            return try recorded + Store.reconcile(venues, policy: policy, at: at, in: db)
        }
    }

    /// Checks the chain, its seals, that no entry was cut off its end (each patrol day recorded
    /// the head it left; `head`, one seen earlier, must still be there), and that deriving the
    /// ledger again from the stored verdicts changes nothing, reasons and evidence included.
    /// - Parameter trusted: the ledger's public key as the verifier knows it (hex), if it has one.
    /// The pictures the entries cite are checked too: each one still here must have the hash it
    /// is named by (a picture altered after it was cited fails the check); a missing one is listed.
    public func verifyLedger(policy: LadderPolicy, trusted: String? = nil, head: LedgerHead? = nil) throws -> LedgerCheck {
        try pool.read { db in
            var check = try Store.verifyLedger(in: db, policy: policy, trusted: trusted, head: head)
            guard check.ok else { return check }
            for entry in try Store.ledger(in: db) {
                for sha in Evidence.pictures(in: entry.step.evidence) where !check.missingPictures.contains(sha) {
                    guard let data = FileManager.default.contents(atPath: snapshots.path(of: sha)) else {
                        check.missingPictures.append(sha)
                        continue
                    }
                    guard SnapshotDirectory.sha256(data) == sha else {
                        check.problem = "the picture \(snapshots.path(of: sha)) cited by ledger entry #\(entry.seq) is not the one "
                            + "cited: its content no longer has its SHA-256"
                        check.seq = entry.seq
                        return check
                    }
                    check.pictures += 1
                }
            }
            return check
        }
    }

    /// The same inside the caller's transaction.
    /// - Parameter verdictsFrom: recompute the sealed verdict digests of the days from this one on
    ///   only (the daily report: the day it reports); every day's when nil. Everything else is
    ///   checked whole.
    static func verifyLedger(in db: Database, policy: LadderPolicy, trusted: String? = nil,
                                    head expected: LedgerHead? = nil, verdictsFrom: PatrolDay? = nil) throws -> LedgerCheck {
        let entries: [LedgerEntry]
        do {
            entries = try Store.ledger(in: db)
        } catch let error as LedgerReadError {
            return LedgerCheck(entries: 0, days: 0, problem: error.description, seq: error.seq)
        }
        let heads = try Row.fetchAll(db, sql: "SELECT day, head_seq, head_hash FROM patrol_day ORDER BY day")
        var check = LedgerCheck(entries: entries.count, days: heads.count)
        check.head = entries.last.map { LedgerHead(seq: $0.seq, hash: $0.hash) }
        func fail(_ problem: String, seq: Int?) -> LedgerCheck {
            check.problem = problem
            check.seq = seq
            return check
        }
        if let broken = Chain.verify(entries) { return fail(broken.description, seq: broken.seq) }
        if let expected {
            guard expected.seq <= entries.count else {
                return fail("ledger entry #\(expected.seq) is missing: the head \(expected) was seen earlier, and the ledger now ends at "
                    + "#\(entries.count)", seq: expected.seq)
            }
            guard entries[expected.seq - 1].hash == expected.hash else {
                return fail("the ledger up to entry #\(expected.seq) is not the one seen earlier as \(expected): an entry up to "
                    + "#\(expected.seq) was changed, removed or replaced", seq: expected.seq)
            }
        }
        let seals = try SealCheck(entries, trusted: trusted, verdictsFrom: verdictsFrom, in: db)
        check.verdictsFrom = verdictsFrom
        check.predates = seals.predates
        check.sealedBy = seals.sealedBy
        check.trusted = trusted != nil && seals.sealedBy != nil
        if let problem = seals.problem { return fail(problem, seq: seals.seq) }
        for head in heads {
            let seq: Int = head["head_seq"], hash: String = head["head_hash"]
            guard seq == 0 || (seq <= entries.count && entries[seq - 1].hash == hash) else {
                return fail("ledger entry #\(seq) is missing or altered: patrol day \(head["day"] as String) ended there", seq: seq)
            }
        }
        var history: History
        do {
            history = try History(db, reasons: false)
        } catch let error as PolicyReadError {
            return fail(error.description, seq: nil)
        }
        // A step carries its day's reason and evidence: they are read for the days the ledger has
        // derived steps on, not for years of compliant days.
        var stepDays: [String: Set<String>] = [:]
        for entry in history.ledger.effective where entry.isDerived && entry.kind != .revoked {
            stepDays[entry.venueID, default: []].insert(entry.day.description)
        }
        for (venueID, days) in stepDays {
            var details: [PatrolDay: (String, String)] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT day, reason, evidence FROM venue_day WHERE venue_id = ? AND day IN (\(Store.placeholders(days.count)))
                """, arguments: StatementArguments([venueID] + days.sorted())) {
                if let day = PatrolDay(row[0]) { details[day] = (row[1], row[2]) }
            }
            history.days[venueID] = history.days[venueID]?.map { judged in
                var judged = judged
                if let (reason, evidence) = details[judged.day] { (judged.reason, judged.evidence) = (reason, evidence) }
                return judged
            }
        }
        let saved = try LadderStates.fresh(nil, in: db)
        for venueID in history.venueIDs {
            let (derived, state) = history.derive(venueID, policy: policy)
            if let first = Replay.reconcile(venueID: venueID, derived: derived, ledger: history.ledger).first {
                return fail("venue \(venueID): the ledger does not follow from the stored verdicts (\(first.kind == .revoked ? "#\(first.refersTo ?? 0) should not stand" : "missing: \(first)"))",
                            seq: first.kind == .revoked ? first.refersTo : nil)
            }
            // The same steps by identity; then each one's words and evidence.
            var standing = history.ledger.inForce(for: venueID).filter { $0.venueID == venueID && $0.isDerived && $0.kind != .revoked }
            for step in derived {
                guard let index = standing.firstIndex(where: { $0.step.identity == step.identity }) else { continue }
                let entry = standing.remove(at: index)
                for (field, recorded, expected) in [("reason", entry.reason, step.reason), ("evidence", entry.evidence, step.evidence)]
                where recorded != expected {
                    return fail("ledger entry #\(entry.seq) (venue \(venueID), \(entry.kind.rawValue) of \(entry.day)): its \(field) is not "
                        + "the one the stored verdicts give", seq: entry.seq)
                }
            }
            // What `patrol status` and the report show must be what the ledger gives.
            if let kept = saved[venueID], kept != state {
                return fail("venue \(venueID): the saved ladder state differs from the one the ledger gives", seq: nil)
            }
        }
        return check
    }
}

/// The ladder states saved by each derivation (table `ladder_state`). A saved state stands
/// while the ledger has no newer entry for its venue or the whole district, no later day has
/// been judged and no newer ladder policy recorded; otherwise it is derived again.
enum LadderStates {
    struct Mark: Equatable {
        var verdictDay: String?
        var policyDay: String?

        init(_ db: Database) throws {
            verdictDay = try String.fetchOne(db, sql: "SELECT max(day) FROM venue_day")
            policyDay = try String.fetchOne(db, sql: "SELECT max(from_day) FROM ladder_policy")
        }
    }

    static func save(_ states: [String: VenueState], in db: Database) throws {
        let head = try Int.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM ledger") ?? 0
        let mark = try Mark(db)
        for (venueID, state) in states {
            try db.execute(sql: """
                INSERT OR REPLACE INTO ladder_state (venue_id, state, head_seq, verdict_day, policy_day) VALUES (?, ?, ?, ?, ?)
                """, arguments: [venueID, Evidence.encode(state), head, mark.verdictDay, mark.policyDay])
        }
    }

    /// The saved states that still stand, of `venues` (all when nil).
    static func fresh(_ venues: [String]?, in db: Database) throws -> [String: VenueState] {
        let mark = try Mark(db)
        var latest: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT venue_id, max(seq) FROM ledger GROUP BY venue_id") { latest[row[0]] = row[1] }
        let district = latest["*"] ?? 0
        let filter = venues.map { "WHERE venue_id IN (\(Store.placeholders($0.count)))" } ?? ""
        let arguments = StatementArguments(venues ?? [])
        let decoder = JSONDecoder()
        var states: [String: VenueState] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT venue_id, state, head_seq, verdict_day, policy_day FROM ladder_state \(filter)
            """, arguments: arguments) {
            let venueID: String = row[0], head: Int = row[2]
            guard row[3] as String? == mark.verdictDay, row[4] as String? == mark.policyDay,
                  max(latest[venueID] ?? 0, district) <= head,
                  let state = try? decoder.decode(VenueState.self, from: Data((row[1] as String).utf8))
            else { continue }
            states[venueID] = state
        }
        return states
    }
}
