import Foundation
import GRDB
import PatrolLedger

/// Who may log in to the web console, and as what: `patrol user` writes the rows, the console
/// reads them. The password is kept only as the hash the caller made of it (bcrypt); this file
/// never sees the password itself.
public struct Account: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable, CaseIterable {
        /// Reads every page and the API.
        case viewer
        /// The same today; operator acts stay on the command line.
        case `operator`
    }

    public var name: String
    public var role: Role
    public var createdAt: Date
    public var passwordChangedAt: Date

    public init(name: String, role: Role, createdAt: Date, passwordChangedAt: Date) {
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.passwordChangedAt = passwordChangedAt
    }
}

extension Store {
    /// The accounts table, as its migration creates it.
    static func createAccounts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE account (
                name TEXT PRIMARY KEY,
                role TEXT NOT NULL CHECK (role IN ('viewer', 'operator')),
                password_hash TEXT NOT NULL,        -- bcrypt ($2b$…): never the password
                created_at DATETIME NOT NULL,
                password_changed_at DATETIME NOT NULL
            );
            """)
    }

    public enum AccountError: Error, Equatable {
        case exists(String)
        case noAccount(String)
    }

    /// Adds an account; `exists` when the name is taken.
    public func addAccount(name: String, role: Account.Role, passwordHash: String, now: Date = Date()) throws {
        try pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE name = ?", arguments: [name]) == true {
                throw AccountError.exists(name)
            }
            try db.execute(sql: """
                INSERT INTO account (name, role, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [name, role.rawValue, passwordHash, now, now])
        }
    }

    /// Every account, by name.
    public func accounts() throws -> [Account] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, role, created_at, password_changed_at FROM account ORDER BY name").map { row in
                Account(name: row["name"], role: try UnknownStoredValue.decode(row, "role"), createdAt: row["created_at"],
                        passwordChangedAt: row["password_changed_at"])
            }
        }
    }

    /// The account `name` with its password hash, for checking a login; nil when there is none.
    public func credentials(of name: String) throws -> (account: Account, passwordHash: String)? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]).map { row in
                (Account(name: row["name"], role: try UnknownStoredValue.decode(row, "role"), createdAt: row["created_at"],
                         passwordChangedAt: row["password_changed_at"]), row["password_hash"])
            }
        }
    }

    public func removeAccount(name: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM account WHERE name = ?", arguments: [name])
            if db.changesCount == 0 { throw AccountError.noAccount(name) }
        }
    }

    public func setPassword(of name: String, passwordHash: String, now: Date = Date()) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE account SET password_hash = ?, password_changed_at = ? WHERE name = ?",
                           arguments: [passwordHash, now, name])
            if db.changesCount == 0 { throw AccountError.noAccount(name) }
        }
    }

    /// The days patrolled, newest first, with when each was judged: the console's reports archive.
    public func patrolledDays(limit: Int = 400) throws -> [(day: PatrolDay, judgedAt: String, venues: Int)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT day, judged_at, venues FROM patrol_day ORDER BY day DESC LIMIT ?", arguments: [limit])
                .compactMap { row in PatrolDay(row["day"] as String).map { ($0, row["judged_at"], row["venues"]) } }
        }
    }
}
