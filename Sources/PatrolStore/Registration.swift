import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolRegistration
import PatrolSettings

/// The registration platform's reads as kept: every read (failed ones too, which is how a day
/// knows how long the platform could be read), every sample of a system of the inventory, and
/// each system's online state since when.
enum RegistrationSchema {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE venue ADD COLUMN registration TEXT;   -- NULL: not declared; 'none'; or ids separated by ';'
            CREATE TABLE registration_system (
                system_id TEXT PRIMARY KEY,
                venue_id TEXT NOT NULL REFERENCES venue(id)
            );
            CREATE INDEX registration_system_venue ON registration_system(venue_id);
            CREATE TABLE registration_read (
                id INTEGER PRIMARY KEY,
                at DATETIME NOT NULL,                 -- Patrol's clock at the answer; a file: its generated_at
                source TEXT NOT NULL,                 -- http, or file:NAME
                ok BOOLEAN NOT NULL,
                error TEXT,                           -- why it failed; for a partial answer, what was left out
                systems INTEGER NOT NULL DEFAULT 0,   -- samples kept: systems of the inventory
                unknown_systems INTEGER NOT NULL DEFAULT 0,
                missing_systems INTEGER NOT NULL DEFAULT 0,
                platform_offset REAL,                 -- the platform's clock minus Patrol's, seconds
                encoding TEXT,                        -- a file: utf-8 or gb18030
                sha256 TEXT                           -- a file: its bytes' hash (a file is applied once)
            );
            CREATE INDEX registration_read_at ON registration_read(at);
            CREATE UNIQUE INDEX registration_read_file ON registration_read(sha256) WHERE ok AND sha256 IS NOT NULL;
            CREATE TABLE registration_sample (
                read_id INTEGER NOT NULL REFERENCES registration_read(id),
                system_id TEXT NOT NULL,
                at DATETIME NOT NULL,
                online BOOLEAN NOT NULL,
                last_heartbeat DATETIME,              -- on Patrol's clock
                last_upload DATETIME,
                uploaded_today INTEGER NOT NULL,
                waiting INTEGER NOT NULL,
                oldest_waiting DATETIME,
                upload_errors INTEGER,
                last_error TEXT,
                PRIMARY KEY (system_id, at, read_id)
            ) WITHOUT ROWID;
            CREATE INDEX registration_sample_at ON registration_sample(at);
            CREATE TABLE registration_state (
                system_id TEXT PRIMARY KEY,
                online BOOLEAN NOT NULL,              -- online and heard from within the heartbeat timeout
                since DATETIME NOT NULL,
                sample_at DATETIME NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE registration_day (
                day TEXT NOT NULL,
                system_id TEXT NOT NULL,
                venue_id TEXT NOT NULL,
                verdict TEXT NOT NULL,
                reason TEXT NOT NULL,
                read_s REAL NOT NULL,
                seen_s REAL NOT NULL,
                online_s REAL NOT NULL,
                longest_wait_s REAL NOT NULL,
                waiting INTEGER NOT NULL,
                stuck_since DATETIME,
                upload_errors BOOLEAN NOT NULL,
                last_error TEXT,
                uploaded INTEGER NOT NULL,
                samples INTEGER NOT NULL,
                quiet BOOLEAN NOT NULL,
                PRIMARY KEY (day, system_id)
            ) WITHOUT ROWID;
            CREATE INDEX registration_day_venue ON registration_day(venue_id, day);
            """)
        try LedgerSchema.appendOnly("registration_day", db)
    }

    /// The columns a day's seal covers, in order.
    static let sealedColumns = ["day", "system_id", "venue_id", "verdict", "reason", "read_s", "seen_s", "online_s", "longest_wait_s",
                                "waiting", "stuck_since", "upload_errors", "last_error", "uploaded", "samples", "quiet"]
}

/// What one read added.
public struct RegistrationRecorded: Sendable, Equatable {
    /// Samples kept: systems of the inventory in the answer.
    public var kept: Int
    /// Systems in the answer that no venue of the inventory declares (not kept).
    public var unknown: Int
    /// Systems the inventory declares that the answer left out.
    public var missing: [String]
    /// Systems whose online state changed with this read.
    public var changed: [(systemID: String, online: Bool)]
    /// Of the samples kept, the systems offline (or silent past the heartbeat timeout), and those
    /// online with a record waiting longer than the judging allows.
    public var offline: Int
    public var stuck: Int

    public static func == (a: Self, b: Self) -> Bool {
        a.kept == b.kept && a.unknown == b.unknown && a.missing == b.missing && a.offline == b.offline && a.stuck == b.stuck
            && a.changed.map(\.systemID) == b.changed.map(\.systemID) && a.changed.map(\.online) == b.changed.map(\.online)
    }
}

extension Store {
    /// Why a file was not applied: the same bytes were applied before.
    public struct AlreadyApplied: Error, CustomStringConvertible {
        public var name: String
        public var firstName: String
        public var at: Date
        public var description: String { "\(name) has the same content as \(firstName), applied at \(LedgerEntry.timestamp(at)): not applied again" }
    }

    /// Keeps one read of the platform: the read, a sample for each system of the inventory,
    /// each system's online state. A file already applied (the same bytes) is refused whole.
    @discardableResult
    public func recordRegistration(_ reading: RegistrationReading, heartbeatTimeout: TimeInterval,
                                   maxWaiting: TimeInterval = RegistrationJudging().maxWaitingSeconds) throws -> RegistrationRecorded {
        try pool.write { db in
            var encoding: String?, sha: String?
            if case .file(let name, let used, let hash) = reading.source {
                (encoding, sha) = (used, hash)
                if let first = try Row.fetchOne(db, sql: "SELECT source, at FROM registration_read WHERE sha256 = ? AND ok",
                                                arguments: [hash]) {
                    throw AlreadyApplied(name: name, firstName: String((first["source"] as String).dropFirst(5)), at: first["at"])
                }
            }
            let declared = try Dictionary(Row.fetchAll(db, sql: "SELECT system_id, venue_id FROM registration_system")
                .map { ($0["system_id"] as String, $0["venue_id"] as String) }, uniquingKeysWith: { a, _ in a })
            let kept = reading.samples.filter { declared[$0.systemID] != nil }
            let present = Set(reading.samples.map(\.systemID))
            // A file speaks for the systems it lists; an answer of the endpoint for all of them.
            let missing = reading.source == .platform ? declared.keys.filter { !present.contains($0) }.sorted() : []
            var problems = reading.problems
            if !missing.isEmpty {
                problems.append("\(missing.count) registration systems of the inventory missing from the answer: "
                                + missing.prefix(10).joined(separator: ", ") + (missing.count > 10 ? ", …" : ""))
            }
            try db.execute(sql: """
                INSERT INTO registration_read (at, source, ok, error, systems, unknown_systems, missing_systems, platform_offset, encoding, sha256)
                VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [reading.at, reading.source.label, problems.isEmpty ? nil : problems.joined(separator: "\n"), kept.count,
                                 reading.samples.count - kept.count, missing.count, reading.platformOffset, encoding, sha])
            let readID = db.lastInsertedRowID
            var changed: [(String, Bool)] = []
            for sample in kept {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO registration_sample (read_id, system_id, at, online, last_heartbeat, last_upload, uploaded_today,
                                                               waiting, oldest_waiting, upload_errors, last_error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [readID, sample.systemID, sample.at, sample.online, sample.lastHeartbeat, sample.lastUpload,
                                     sample.uploadedToday, sample.waiting, sample.oldestWaiting, sample.uploadErrors, sample.lastError])
                let online = sample.isOnline(heartbeatTimeout: heartbeatTimeout)
                let state = try Row.fetchOne(db, sql: "SELECT online, sample_at FROM registration_state WHERE system_id = ?",
                                             arguments: [sample.systemID])
                // A file exported earlier than what is known already changes nothing of the state.
                if let state, (state["sample_at"] as Date) > sample.at { continue }
                if state == nil || (state?["online"] as Bool?) != online {
                    changed.append((sample.systemID, online))
                    // Gone offline: since its last heartbeat, when that came after what was known before.
                    var since = sample.at
                    if !online, let heartbeat = sample.lastHeartbeat, heartbeat < sample.at {
                        since = max(heartbeat, (state?["sample_at"] as Date?) ?? .distantPast)
                    }
                    try db.execute(sql: """
                        INSERT INTO registration_state (system_id, online, since, sample_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (system_id) DO UPDATE SET online = excluded.online, since = excluded.since, sample_at = excluded.sample_at
                        """, arguments: [sample.systemID, online, since, sample.at])
                } else {
                    try db.execute(sql: "UPDATE registration_state SET sample_at = ? WHERE system_id = ?", arguments: [sample.at, sample.systemID])
                }
            }
            return RegistrationRecorded(kept: kept.count, unknown: reading.samples.count - kept.count, missing: missing,
                                        changed: changed, offline: kept.filter { !$0.isOnline(heartbeatTimeout: heartbeatTimeout) }.count,
                                        stuck: kept.filter { $0.isOnline(heartbeatTimeout: heartbeatTimeout) && $0.longestWait > maxWaiting }.count)
        }
    }

    /// Keeps a read that gave nothing: the platform could not be read at `at`. A bad file is
    /// kept with its hash and problems (it was never applied: ok is false).
    public func recordRegistrationFailure(at: Date, source: String, reason: String, sha256: String? = nil) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO registration_read (at, source, ok, error, sha256) VALUES (?, ?, 0, ?, ?)",
                           arguments: [at, source, reason, sha256])
        }
    }

    /// The systems each venue declares, kept beside the venue for the reads: called in the
    /// inventory import's transaction.
    static func declareRegistration(of venues: [Venue], retiring: [Venue], in db: Database) throws {
        for venue in venues + retiring {
            try db.execute(sql: "DELETE FROM registration_system WHERE venue_id = ?", arguments: [venue.id])
        }
        for venue in venues {
            for id in venue.registration.ids {
                try db.execute(sql: "INSERT INTO registration_system (system_id, venue_id) VALUES (?, ?)", arguments: [id, venue.id])
            }
        }
    }
}

// MARK: The patrol day

extension Store {
    /// Each registration system's verdict for the day, stored, by venue. Venues whose
    /// registration is not patrolled (undeclared, or declared to have none) have no entry.
    static func judgeRegistration(_ interval: DateInterval, day: PatrolDay, policy: RegistrationJudging, zone: TimeZone,
                                  skipping closed: Set<String>, in db: Database) throws -> [String: RegistrationVerdict] {
        let from = interval.start.addingTimeInterval(-policy.coverage)
        // A rejected file is no read of the platform: it neither stands for time nor ends another read's.
        var reads = try Row.fetchAll(db, sql: """
            SELECT at, ok FROM registration_read WHERE at >= ? AND at < ? AND (ok OR source = 'http') ORDER BY at, id
            """,
                                     arguments: [from, interval.end]).map { (at: $0["at"] as Date, ok: $0["ok"] as Bool) }
        // Of the reads before the day, only the last one speaks for the day's first minutes.
        if let first = reads.firstIndex(where: { $0.at >= interval.start }), first > 1 { reads.removeFirst(first - 1) }
        var samples: [String: [RegistrationSample]] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT system_id, at, online, last_heartbeat, last_upload, uploaded_today, waiting, oldest_waiting, upload_errors, last_error
            FROM registration_sample WHERE at >= ? AND at < ? ORDER BY system_id, at
            """, arguments: [from, interval.end])
        while let row = try rows.next() {
            samples[row["system_id"], default: []].append(RegistrationSample(
                systemID: row["system_id"], at: row["at"], online: row["online"], lastHeartbeat: row["last_heartbeat"],
                lastUpload: row["last_upload"], uploadedToday: row["uploaded_today"], waiting: row["waiting"],
                oldestWaiting: row["oldest_waiting"], uploadErrors: row["upload_errors"], lastError: row["last_error"]))
        }
        let systems = try Row.fetchAll(db, sql: """
            SELECT registration_system.system_id, registration_system.venue_id FROM registration_system
            JOIN venue ON venue.id = registration_system.venue_id
            WHERE venue.added_at < ? AND (venue.retired_at IS NULL OR venue.retired_at > ?)
            ORDER BY registration_system.system_id
            """, arguments: [interval.end, interval.start])
        var byVenue: [String: [RegistrationDay]] = [:]
        for system in systems {
            let venueID: String = system["venue_id"], systemID: String = system["system_id"]
            guard !closed.contains(venueID) else { continue }
            var own = samples[systemID] ?? []
            if let first = own.firstIndex(where: { $0.at >= interval.start }), first > 1 {
                own.removeFirst(first - 1)
            } else if own.allSatisfy({ $0.at < interval.start }), own.count > 1 {
                own.removeFirst(own.count - 1)
            }
            let judged = RegistrationDay.judge(systemID: systemID, venueID: venueID, samples: own, reads: reads, day: interval,
                                               policy: policy, zone: zone)
            let facts = judged.facts
            try db.execute(sql: """
                INSERT INTO registration_day (day, system_id, venue_id, verdict, reason, read_s, seen_s, online_s, longest_wait_s, waiting,
                                              stuck_since, upload_errors, last_error, uploaded, samples, quiet)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [day.description, systemID, venueID, judged.verdict.rawValue, judged.reason, facts.readSeconds,
                                 facts.seenSeconds, facts.onlineSeconds, facts.longestWaitSeconds, facts.waitingAtLongest,
                                 facts.stuckSince, facts.errorsWhileOnline, facts.lastError, facts.uploaded, facts.samples, judged.quiet])
            byVenue[venueID, default: []].append(judged)
        }
        return byVenue.mapValues { RegistrationVerdict(systems: $0) }
    }
}
