import Foundation
import GRDB
import PatrolProbe

/// Camera secrets, kept apart from the main database in a file only the service user can read
/// (mode 0600): operators read the main database; nobody but the daemon and the import reads
/// this one. A camera's secrets are its user name and password, and its full address when the
/// address's query carries credential-like values (`?token=…`), which the main database keeps
/// only as `***`.
///
/// The vault and the main database are two SQLite files, so no transaction spans both. The
/// vault's rows are therefore kept by *generation*: an import writes a whole new generation
/// beside the one in force, then names it in the main database's own transaction; readers take
/// the generation the main database names; older generations are pruned only after the main
/// database has named a newer one. docs/SWEEP.md gives the argument.
public final class CredentialVault: Sendable {
    /// What the vault keeps for one camera.
    public struct Secret: Sendable, Hashable {
        public var credentials: StreamURL.Credentials?
        /// The address with its query's secrets, when it has any.
        public var url: String?
        public init(credentials: StreamURL.Credentials?, url: String?) {
            self.credentials = credentials
            self.url = url
        }
    }

    public let path: String
    private let queue: DatabaseQueue

    public init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        do {
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            // Create it private before SQLite touches it; its journal inherits the mode.
            let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            if descriptor >= 0 { close(descriptor) }
            chmod(path, 0o600)
            queue = try DatabaseQueue(path: path)
            try Self.migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw Store.OpenError.unavailable(path: path, reason: error.message ?? "\(error.resultCode)")
        } catch {
            throw Store.OpenError.unavailable(path: path, reason: "\(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: credentials by camera") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS credential (
                    camera_id TEXT PRIMARY KEY,
                    username TEXT NOT NULL,
                    password TEXT NOT NULL
                )
                """)
        }
        migrator.registerMigration("generations: secrets by import generation, query secrets") { db in
            // The credentials before generations are generation 0, which a main database
            // without a generation of its own names.
            try db.execute(sql: """
                CREATE TABLE secret (
                    generation INTEGER NOT NULL,
                    camera_id TEXT NOT NULL,
                    username TEXT,
                    password TEXT,
                    url TEXT,
                    PRIMARY KEY (generation, camera_id)
                );
                INSERT INTO secret (generation, camera_id, username, password) SELECT 0, camera_id, username, password FROM credential;
                DROP TABLE credential;
                """)
        }
        return migrator
    }

    /// The secrets of `generation`, by camera.
    public func secrets(generation: Int64) throws -> [String: Secret] {
        try queue.read { db in
            var all: [String: Secret] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT camera_id, username, password, url FROM secret WHERE generation = ?",
                                        arguments: [generation]) {
                let username: String?, password: String?
                (username, password) = (row["username"], row["password"])
                let credentials = username.map { StreamURL.Credentials(username: $0, password: password ?? "") }
                all[row["camera_id"]] = Secret(credentials: credentials, url: row["url"])
            }
            return all
        }
    }

    /// Writes a new generation: `base`'s secrets with `changes` applied (nil removes a camera's),
    /// committed in the vault, and returns its number, higher than any generation in the vault.
    /// It is not in force until the main database names it.
    func stage(from base: Int64, _ changes: [String: Secret?]) throws -> Int64 {
        try queue.write { db in
            let generation = max(try Int64.fetchOne(db, sql: "SELECT max(generation) FROM secret") ?? 0, base) + 1
            try db.execute(sql: """
                INSERT INTO secret (generation, camera_id, username, password, url)
                SELECT ?, camera_id, username, password, url FROM secret WHERE generation = ?
                """, arguments: [generation, base])
            for (camera, secret) in changes {
                if let secret, secret.credentials != nil || secret.url != nil {
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO secret (generation, camera_id, username, password, url) VALUES (?, ?, ?, ?, ?)
                        """, arguments: [generation, camera, secret.credentials?.username, secret.credentials?.password, secret.url])
                } else {
                    try db.execute(sql: "DELETE FROM secret WHERE generation = ? AND camera_id = ?", arguments: [generation, camera])
                }
            }
            return generation
        }
    }

    /// Drops every generation older than `generation`, which the main database names: nobody
    /// reads them any more. (Generations newer than the one in force, left by an import that
    /// stopped before its main transaction, go at the next import's prune.)
    func prune(below generation: Int64) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM secret WHERE generation < ?", arguments: [generation])
        }
    }

    /// The generations the vault holds, oldest first (for tests and diagnosis).
    public func generations() throws -> [Int64] {
        try queue.read { try Int64.fetchAll($0, sql: "SELECT DISTINCT generation FROM secret ORDER BY generation") }
    }
}
