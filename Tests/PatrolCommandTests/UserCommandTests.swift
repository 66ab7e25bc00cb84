import Foundation
import GRDB
import PatrolStore
import PatrolTestSupport
import Testing

/// `patrol user`, the real binary on a real database: the console's accounts, their passwords
/// kept only as bcrypt hashes and never printed.
@Suite("patrol user: the console's accounts")
struct UserCommandTests {
    let folder: URL
    let database: String

    init() throws {
        let temporary = try TemporaryStore()
        folder = temporary.folder
        database = temporary.database
    }

    func patrol(_ arguments: [String], input: String? = nil) throws -> CommandRun {
        if let input { return try CommandRun("patrol", arguments + ["--db", database], input: input) }
        return try CommandRun("patrol", arguments + ["--db", database])
    }

    func hashes() throws -> [String: String] {
        try DatabaseQueue(path: database).read { db in
            try Row.fetchAll(db, sql: "SELECT name, password_hash FROM account").reduce(into: [String: String]()) { $0[$1["name"]] = $1["password_hash"] }
        }
    }

    @Test("add, list, passwd and remove; the database holds bcrypt hashes, never the password, and no output shows it")
    func accounts() throws {
        let password = "Zhiban-2026-night"
        let added = try patrol(["user", "add", "王芳", "--role", "operator"], input: password + "\n")
        #expect(added.status == 0, "\(added.all)")
        #expect(added.stdout.contains("王芳") && added.stdout.contains("operator"))
        #expect(!added.all.contains(password))
        let viewer = try patrol(["user", "add", "li.na", "--role", "viewer"], input: "another-good-one\n")
        #expect(viewer.status == 0, "\(viewer.all)")

        var stored = try hashes()
        let hash = try #require(stored["王芳"])
        #expect(hash.hasPrefix("$2b$12$") && hash.count == 60, "a bcrypt hash of cost 12: \(hash)")
        #expect(!hash.contains(password))
        let file = try Data(contentsOf: URL(fileURLWithPath: database)) + ((try? Data(contentsOf: URL(fileURLWithPath: database + "-wal"))) ?? Data())
        #expect(file.range(of: Data(password.utf8)) == nil, "the password is nowhere in the database's files")

        let list = try patrol(["user", "list", "--json"])
        #expect(list.status == 0, "\(list.all)")
        let users = try #require((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])?["users"] as? [[String: Any]])
        #expect(users.compactMap { $0["name"] as? String } == ["li.na", "王芳"])
        #expect(users.compactMap { $0["role"] as? String } == ["viewer", "operator"])
        #expect(!list.stdout.contains("$2b$") && !list.stdout.contains("hash"))
        #expect(try patrol(["user", "list"]).stdout.contains("王芳"))

        // The same name twice is refused; so is a short password, and nothing is written.
        #expect(try patrol(["user", "add", "王芳", "--role", "viewer"], input: "whatever-long\n").status == 65)
        #expect(try patrol(["user", "add", "张伟", "--role", "viewer"], input: "short\n").status == 65)
        #expect(try patrol(["user", "add", "张伟", "--role", "admin"], input: "whatever-long\n").status == 64)
        #expect(try patrol(["user", "add", "张伟", "--role", "viewer"], input: "").status == 65)
        #expect(try hashes().count == 2)

        let changed = try patrol(["user", "passwd", "王芳"], input: "a-new-password\n")
        #expect(changed.status == 0, "\(changed.all)")
        #expect(!changed.all.contains("a-new-password"))
        stored = try hashes()
        #expect(stored["王芳"] != hash && stored["王芳"]?.hasPrefix("$2b$12$") == true)
        #expect(try patrol(["user", "passwd", "nobody"], input: "a-new-password\n").status == 66)

        #expect(try patrol(["user", "remove", "li.na"]).status == 0)
        #expect(try patrol(["user", "remove", "li.na"]).status == 66)
        #expect(try hashes().keys.sorted() == ["王芳"])
    }
}
