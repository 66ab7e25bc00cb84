import Foundation
import GRDB
import PatrolLedger
import PatrolProbe

/// Patrol's SQLite database: one file, WAL mode, so the daemon writes while the command line
/// and the sqlite3 tool read. Every schema change is a new named migration; an old database
/// upgrades in place when opened.
public final class Store: Sendable {
    public let path: String
    let pool: DatabasePool
    /// The key that seals the ledger's entries as they are written (docs/LEDGER.md); without
    /// one, entries are written unsealed into a ledger never sealed, and refused by a sealed one.
    public let ledgerKey: LedgerKeyFile?

    public enum OpenError: Error, CustomStringConvertible {
        case unavailable(path: String, reason: String)

        public var description: String {
            switch self {
            case .unavailable(let path, let reason): "cannot open the database \(path): \(reason)"
            }
        }
    }

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String, readOnly: Bool = false, ledgerKey: LedgerKeyFile? = nil) throws {
        self.path = path
        self.ledgerKey = ledgerKey
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.readonly = readOnly
        configuration.foreignKeysEnabled = true
        configuration.label = "patrol"
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                // WAL with NORMAL sync: a committed batch survives a process crash or kill -9;
                // only a power loss can lose the last transactions, never corrupt the file.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        do {
            if !readOnly {
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true)
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            if !readOnly { try Self.migrator.migrate(pool) }
        } catch let error as DatabaseError {
            throw OpenError.unavailable(path: path, reason: error.message ?? "\(error.resultCode)")
        } catch {
            throw OpenError.unavailable(path: path, reason: "\(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: inventory, camera state, probe history, roll-ups, metadata index") { db in
            try db.execute(sql: """
                CREATE TABLE venue (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    tier TEXT NOT NULL,
                    district TEXT NOT NULL,
                    grid TEXT NOT NULL,
                    address TEXT NOT NULL,
                    owner_contact TEXT NOT NULL,
                    supervisor TEXT,
                    added_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    retired_at DATETIME
                );
                CREATE TABLE camera (
                    id TEXT PRIMARY KEY,
                    venue_id TEXT NOT NULL REFERENCES venue(id),
                    placement TEXT NOT NULL,
                    url TEXT NOT NULL,            -- without credentials: they live in the vault
                    host TEXT NOT NULL,
                    has_credentials BOOLEAN NOT NULL,
                    added_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    retired_at DATETIME
                );
                CREATE INDEX camera_venue ON camera(venue_id);
                CREATE TABLE camera_state (
                    camera_id TEXT PRIMARY KEY REFERENCES camera(id),
                    status TEXT NOT NULL,
                    status_since DATETIME,
                    reason TEXT,
                    last_outcome TEXT,
                    last_detail TEXT,
                    last_probe_at DATETIME,
                    consecutive_failures INTEGER NOT NULL DEFAULT 0,
                    consecutive_successes INTEGER NOT NULL DEFAULT 0,
                    failing_since DATETIME,
                    fingerprint BLOB,
                    fingerprint_at DATETIME
                );
                CREATE TABLE probe_result (
                    id INTEGER PRIMARY KEY,
                    camera_id TEXT NOT NULL REFERENCES camera(id),
                    at DATETIME NOT NULL,
                    outcome TEXT NOT NULL,
                    status_code INTEGER,
                    detail TEXT NOT NULL,
                    open_ms REAL,
                    first_frame_ms REAL,
                    total_ms REAL NOT NULL,
                    frames INTEGER NOT NULL,
                    fps REAL,
                    bitrate_kbps REAL,
                    keyframe_interval REAL,
                    luma_mean REAL
                );
                CREATE INDEX probe_result_camera_at ON probe_result(camera_id, at);
                CREATE INDEX probe_result_at ON probe_result(at);
                CREATE TABLE state_event (
                    id INTEGER PRIMARY KEY,
                    camera_id TEXT NOT NULL REFERENCES camera(id),
                    at DATETIME NOT NULL,
                    from_status TEXT NOT NULL,
                    to_status TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    detail TEXT NOT NULL
                );
                CREATE INDEX state_event_camera_at ON state_event(camera_id, at);
                CREATE INDEX state_event_at ON state_event(at);
                CREATE TABLE rollup (
                    camera_id TEXT NOT NULL REFERENCES camera(id),
                    period TEXT NOT NULL CHECK (period IN ('hour', 'day')),
                    start DATETIME NOT NULL,
                    probes INTEGER NOT NULL DEFAULT 0,
                    n_online INTEGER NOT NULL DEFAULT 0,
                    n_refused INTEGER NOT NULL DEFAULT 0,
                    n_timeout INTEGER NOT NULL DEFAULT 0,
                    n_unauthorized INTEGER NOT NULL DEFAULT 0,
                    n_not_found INTEGER NOT NULL DEFAULT 0,
                    n_rtsp_error INTEGER NOT NULL DEFAULT 0,
                    n_no_video INTEGER NOT NULL DEFAULT 0,
                    n_stalled INTEGER NOT NULL DEFAULT 0,
                    n_frozen INTEGER NOT NULL DEFAULT 0,
                    n_black INTEGER NOT NULL DEFAULT 0,
                    n_corrupt INTEGER NOT NULL DEFAULT 0,
                    fps_sum REAL NOT NULL DEFAULT 0,
                    fps_count INTEGER NOT NULL DEFAULT 0,
                    bitrate_sum REAL NOT NULL DEFAULT 0,
                    bitrate_count INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (camera_id, period, start)
                ) WITHOUT ROWID;
                CREATE INDEX rollup_period_start ON rollup(period, start);
                CREATE TABLE stream_metadata (
                    camera_id TEXT PRIMARY KEY REFERENCES camera(id),
                    codec TEXT,
                    profile TEXT,
                    level INTEGER,
                    width INTEGER,
                    height INTEGER,
                    pixel_format TEXT,
                    fps REAL,
                    bitrate_kbps REAL,
                    keyframe_interval REAL,
                    transport TEXT,
                    has_audio BOOLEAN,
                    audio_codec TEXT,
                    updated_at DATETIME NOT NULL
                );
                CREATE INDEX stream_metadata_height ON stream_metadata(height);
                CREATE INDEX stream_metadata_codec ON stream_metadata(codec);
                CREATE TABLE metadata_change (
                    id INTEGER PRIMARY KEY,
                    camera_id TEXT NOT NULL REFERENCES camera(id),
                    at DATETIME NOT NULL,
                    field TEXT NOT NULL,
                    old_value TEXT,
                    new_value TEXT
                );
                CREATE INDEX metadata_change_at ON metadata_change(at, field);
                CREATE INDEX metadata_change_camera ON metadata_change(camera_id, at);
                CREATE TABLE sweep (
                    id INTEGER PRIMARY KEY,
                    started_at DATETIME NOT NULL,
                    finished_at DATETIME NOT NULL,
                    probes INTEGER NOT NULL,
                    summary TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("ledger: patrol days, camera-day and venue-day verdicts, the hash-chained ledger") { db in
            try LedgerSchema.create(db)
        }
        migrator.registerMigration("outbox: the daily report's mail, kept until sendmail takes it") { db in
            try db.execute(sql: """
                CREATE TABLE mail_outbox (
                    id INTEGER PRIMARY KEY,
                    day TEXT NOT NULL,                  -- the patrol day reported on, YYYY-MM-DD
                    audience TEXT NOT NULL,             -- office, supervisors, maintenance…
                    message_id TEXT NOT NULL UNIQUE,    -- <…@…>, as in the message's header
                    sender TEXT NOT NULL,
                    recipients TEXT NOT NULL,           -- one mailbox a line, To then Cc
                    subject TEXT NOT NULL,
                    message BLOB NOT NULL,              -- the rendered bytes, given to sendmail as they are
                    enqueued_at DATETIME NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    last_attempt_at DATETIME,
                    last_error TEXT,                    -- why the last attempt failed; NULL once sent
                    next_attempt_at DATETIME NOT NULL,
                    sent_at DATETIME,                   -- when sendmail took it; NULL while pending
                    UNIQUE (day, audience)
                );
                CREATE INDEX mail_outbox_pending ON mail_outbox(next_attempt_at) WHERE sent_at IS NULL;
                """)
        }
        migrator.registerMigration("ladder policy: the rules in force from each patrol day") { db in
            try LedgerSchema.createPolicies(db)
        }
        migrator.registerMigration("inventory: each venue's tier and supervisor as the inventory files registered them") { db in
            // The ladder moves `tier` and `supervisor`; a re-import compares the files with what they
            // said last, so an unchanged file never undoes the ladder.
            try db.execute(sql: """
                ALTER TABLE venue ADD COLUMN registered_tier TEXT;
                ALTER TABLE venue ADD COLUMN registered_supervisor TEXT;
                UPDATE venue SET registered_tier = tier, registered_supervisor = supervisor;
                """)
        }
        migrator.registerMigration("ladder states: each venue's place on the ladder as last derived") { db in
            try LedgerSchema.createLadderStates(db)
        }
        migrator.registerMigration("vault generation: the credential vault's rows the inventory goes with") { db in
            // Generation 0: the vault's rows from before generations.
            try db.execute(sql: """
                CREATE TABLE vault_generation (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    generation INTEGER NOT NULL
                );
                INSERT INTO vault_generation (id, generation) VALUES (1, 0);
                """)
        }
        migrator.registerMigration("ledger seals: signed heads of the ledger and of each patrol day's verdicts") { db in
            try LedgerSeals.create(db)
        }
        migrator.registerMigration("pictures: scene outcomes, snapshots kept as evidence, each camera's reference scene") { db in
            try db.execute(sql: """
                ALTER TABLE rollup ADD COLUMN n_moved INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE rollup ADD COLUMN n_obstructed INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE rollup ADD COLUMN n_blurred INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE probe_result ADD COLUMN snapshot TEXT;
                ALTER TABLE probe_result ADD COLUMN clock_offset REAL;
                ALTER TABLE camera_state ADD COLUMN clock_offset REAL;
                ALTER TABLE camera_state ADD COLUMN clock_offset_at DATETIME;
                ALTER TABLE camera_day ADD COLUMN pictures TEXT NOT NULL DEFAULT '[]';
                CREATE TABLE evidence_picture (
                    sha256 TEXT NOT NULL,
                    day TEXT NOT NULL,
                    venue_id TEXT NOT NULL,
                    PRIMARY KEY (sha256, day, venue_id)
                );
                CREATE TABLE snapshot (
                    id INTEGER PRIMARY KEY,
                    camera_id TEXT NOT NULL REFERENCES camera(id),
                    taken_at DATETIME NOT NULL,
                    sha256 TEXT NOT NULL,
                    bytes INTEGER NOT NULL,
                    width INTEGER NOT NULL,
                    height INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    cells BLOB,
                    sharpness REAL
                );
                CREATE INDEX snapshot_camera_at ON snapshot(camera_id, taken_at);
                CREATE INDEX snapshot_sha256 ON snapshot(sha256);
                CREATE TABLE camera_reference (
                    camera_id TEXT PRIMARY KEY REFERENCES camera(id),
                    sha256 TEXT NOT NULL,
                    cells BLOB NOT NULL,
                    sharpness REAL NOT NULL,
                    since DATETIME NOT NULL,
                    approved_by TEXT,
                    reason TEXT
                );
                """)
        }
        migrator.registerMigration("registration: each venue's registration systems, the platform's reads and samples, registration-day verdicts") { db in
            try RegistrationSchema.create(db)
        }
        migrator.registerMigration("alerts: each alert event and its deliveries per channel and recipient, the rules' memory") { db in
            try AlertSchema.create(db)
        }
        migrator.registerMigration("accounts: who may log in to the web console, with a bcrypt hash of each password") { db in
            try createAccounts(db)
        }
        return migrator
    }
}

/// The outcome counters of a roll-up row, one column per outcome: `n_` and the outcome's name.
/// A new outcome needs a migration that adds its column (a test checks every outcome has one).
enum RollupCounts {
    static func column(_ outcome: String) -> String { "n_\(outcome)" }
    static var columns: [String] { Outcome.allCases.map { column($0.rawValue) } }
}
