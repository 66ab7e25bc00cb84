import Foundation
import GRDB
import PatrolProbe

/// Camera credentials, kept apart from the main database in a file only the service user can
/// read (mode 0600): operators read the main database; nobody but the daemon reads this one.
public final class CredentialVault: Sendable {
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
            try queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS credential (
                        camera_id TEXT PRIMARY KEY,
                        username TEXT NOT NULL,
                        password TEXT NOT NULL
                    )
                    """)
            }
        } catch let error as DatabaseError {
            throw Store.OpenError.unavailable(path: path, reason: error.message ?? "\(error.resultCode)")
        } catch {
            throw Store.OpenError.unavailable(path: path, reason: "\(error)")
        }
    }

    public func credentials() throws -> [String: StreamURL.Credentials] {
        try queue.read { db in
            var all: [String: StreamURL.Credentials] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT camera_id, username, password FROM credential") {
                all[row["camera_id"]] = StreamURL.Credentials(username: row["username"], password: row["password"])
            }
            return all
        }
    }

    /// Replaces the credentials of the given cameras (nil removes them).
    public func set(_ changes: [String: StreamURL.Credentials?]) throws {
        guard !changes.isEmpty else { return }
        try queue.write { db in
            for (camera, credentials) in changes {
                if let credentials {
                    try db.execute(sql: "INSERT OR REPLACE INTO credential (camera_id, username, password) VALUES (?, ?, ?)",
                                   arguments: [camera, credentials.username, credentials.password])
                } else {
                    try db.execute(sql: "DELETE FROM credential WHERE camera_id = ?", arguments: [camera])
                }
            }
        }
    }
}
