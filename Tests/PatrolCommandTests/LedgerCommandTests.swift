import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolStore
import PatrolTestSupport
import Testing

/// The ledger's commands and the operator's acts, through the real `patrol` binary, on a
/// database whose first day was patrolled: V1's interior camera was down all day.
@Suite("patrol ledger and the operator's acts, as commands")
struct LedgerCommandTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day1 = PatrolDay(year: 2026, month: 9, day: 1)

    let folder: URL
    let config: String
    let database: String

    init() throws {
        let temporary = try TemporaryStore()
        folder = temporary.folder
        database = temporary.database
        config = folder.appendingPathComponent("patrol.yaml").path
        try "database: patrol.sqlite\ncredentials: credentials.sqlite\n".write(toFile: config, atomically: true, encoding: .utf8)
        let cameras = try TestDistrict.cameras([("C1", "V1", .interior), ("C2", "V2", .interior), ("C3", "V3", .interior)]) {
            "rtsp://admin:cam-secret@10.0.0.1/\($0)"
        }
        try temporary.seed(Inventory(venues: [TestDistrict.pingan(), TestDistrict.xingkong(), TestDistrict.wenxin()], cameras: cameras),
                           since: Self.day1.start(in: Self.zone).addingTimeInterval(-86_400))
        // A probe of every camera every 15 minutes of day 1; C1 refuses all day.
        try temporary.probe(Self.day1, in: Self.zone, cameras: ["C1", "C2", "C3"]) { $0 == "C1" ? .refused : .online }
        try DailyPatrol(store: temporary.store, settings: DailyPatrolSettings())
            .runDue(now: Self.day1.adding(1).start(in: Self.zone, hour: 7))
    }

    func patrol(_ arguments: [String]) throws -> CommandRun {
        try CommandRun("patrol", arguments + ["--config", config])
    }

    func json(_ run: CommandRun) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
    }

    /// The list a command's JSON holds under `name` (`entries`, `venues`).
    func list(_ run: CommandRun, _ name: String) throws -> [[String: Any]]? {
        try (json(run) as? [String: Any])?[name] as? [[String: Any]]
    }

    @Test("the ledger lists the patrol's order; acts land with the operator's name and the ledger still verifies")
    func acts() throws {
        let ledger = try patrol(["ledger", "--json"])
        #expect(ledger.status == 0, "\(ledger.all)")
        let entries = try #require(try list(ledger, "entries"))
        #expect(entries.count == 1)
        #expect(entries.first?["kind"] as? String == "order" && entries.first?["venue_id"] as? String == "V1")
        #expect(entries.first?["deadline"] as? String == "2026-09-04")
        #expect(try patrol(["ledger"]).stdout.contains("C1 online 0% of 24.0 h watched"))

        let ordered = try #require(try list(try patrol(["venues", "--state", "ordered", "--json"]), "venues"))
        #expect(ordered.compactMap { ($0["venue"] as? [String: Any])?["id"] as? String } == ["V1"])
        #expect((ordered.first?["ladder"] as? [String: Any])?["deadline"] as? String == "2026-09-04")

        let note = try patrol(["note", "V1", "--by", "王芳", "--reason", "owner called: recorder being replaced"])
        #expect(note.status == 0, "\(note.all)")
        #expect(note.stdout.contains("note") && note.stdout.contains("王芳"))

        // The district had a power cut on day 1: the order it caused is withdrawn.
        let waiver = try patrol(["waive", "--district", "--from", "2026-09-01", "--by", "王芳", "--reason", "全区停电", "--json"])
        #expect(waiver.status == 0, "\(waiver.all)")
        let recorded = try #require(try list(waiver, "entries"))
        #expect(recorded.map { $0["kind"] as? String } == ["waiver", "revoked"])
        #expect(recorded.first?["actor"] as? String == "王芳" && recorded.first?["venue_id"] as? String == "*")
        #expect(recorded.last?["refers_to"] as? Int == 1)
        let venue = try #require(try json(try patrol(["venue", "V1", "--json"])) as? [String: Any])
        #expect(((venue["ladder"] as? [String: Any])?["ladder"] as? [String: Any])?["standing"] as? String == "clean")

        // One strike closes V3 at once.
        let strike = try patrol(["violation", "V3", "--by", "李娜", "--reason", "cameras deliberately disabled"])
        #expect(strike.status == 0, "\(strike.all)")
        let closed = try #require(try list(try patrol(["venues", "--state", "closed", "--json"]), "venues"))
        #expect(closed.compactMap { ($0["venue"] as? [String: Any])?["id"] as? String } == ["V3"])
        let actors = try #require(try list(try patrol(["ledger", "--venue", "V3", "--json"]), "entries"))
        #expect(actors.map { "\($0["kind"] as? String ?? "") \($0["actor"] as? String ?? "")" }
            == ["waiver 王芳", "serious_violation 李娜", "closure patrol"])  // the district's waiver is V3's too

        let status = try patrol(["status"])
        #expect(status.stdout.contains("0 ordered") && status.stdout.contains("1 closed"), "\(status.stdout)")
        #expect(status.stdout.contains("last patrol") && status.stdout.contains("2026-09-01 judged"))

        let verify = try patrol(["ledger", "verify"])
        #expect(verify.status == 0, "\(verify.all)")
        #expect(verify.stdout.contains("ledger verified: 6 entries"))
        #expect(!(try patrol(["ledger"]).all.contains("cam-secret")))
    }

    @Test("acts that make no sense are refused with a clear line and a distinct exit status", arguments: [
        (["reinstate", "V1", "--by", "王芳", "--reason", "inspected"], 65, "is not suspended"),
        (["revoke", "99", "--by", "王芳", "--reason", "wrong"], 66, "no ledger entry #99"),
        (["note", "V9", "--by", "王芳", "--reason", "x"], 66, "no venue V9"),
        (["note", "V1", "--reason", "x"], 64, "--by"),
        (["note", "V1", "--by", "patrol", "--reason", "x"], 64, "reserved for Patrol's own entries"),
        (["waive", "--from", "2026-09-01", "--by", "a", "--reason", "b"], 64, "either --venue ID or --district"),
        (["waive", "--venue", "V1", "--from", "2026-09-31", "--by", "a", "--reason", "b"], 64, "is not a day"),
        (["tier", "V1", "priority", "--by", "a", "--reason", "b"], 65, "needs a supervisor"),
        (["ledger", "--kind", "fine"], 64, "is not one of"),
    ] as [([String], Int32, String)])
    func refused(arguments: [String], status: Int32, message: String) throws {
        let run = try patrol(arguments)
        #expect(run.status == status, "\(run.all)")
        // The first line says what is wrong (a usage error adds the usage line after it).
        #expect(run.stderr.split(separator: "\n").first?.contains(message) == true, "\(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"))
        #expect(try patrol(["ledger", "--json"]).stdout.components(separatedBy: "\"seq\"").count - 1 == 1)
    }

    @Test("a ledger row edited with sqlite3 behind Patrol's back is caught by `patrol ledger verify`")
    func tampered() throws {
        #expect(try patrol(["note", "V2", "--by", "王芳", "--reason", "visited"]).status == 0)
        #expect(try patrol(["ledger", "verify"]).status == 0)
        // The triggers refuse the edit…
        let refused = try runSQLite("UPDATE ledger SET deadline = '2026-12-31' WHERE seq = 1;")
        #expect(refused.status != 0 && refused.stderr.contains("append-only"))
        // …so a tamperer drops them first.
        #expect(try runSQLite("DROP TRIGGER ledger_no_update; UPDATE ledger SET deadline = '2026-12-31' WHERE seq = 1;").status == 0)
        let verify = try patrol(["ledger", "verify"])
        #expect(verify.status == 1, "\(verify.all)")
        #expect(verify.stdout.contains("ledger entry #1 was altered"))
        let result = try #require(try json(try patrol(["ledger", "verify", "--json"])) as? [String: Any])
        #expect(result["ok"] as? Bool == false && result["seq"] as? Int == 1)
    }

    @Test("keygen, acts sealed with the key, `verify --head` against an act's receipt, and a key others may read refused")
    func sealedByTheKey() throws {
        let keygen = try patrol(["ledger", "keygen"])
        #expect(keygen.status == 0, "\(keygen.all)")
        let key = folder.appendingPathComponent("ledger.key").path
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(FileManager.default.fileExists(atPath: key + ".pub"))
        #expect(try patrol(["ledger", "keygen"]).status == 65, "a key is never overwritten")

        let note = try patrol(["note", "V2", "--by", "王芳", "--reason", "visited"])
        #expect(note.status == 0, "\(note.all)")
        let receipt = try #require(note.stdout.split(separator: "\n").first { $0.hasPrefix("ledger head: ") }?.dropFirst(13))
        #expect(receipt.hasSuffix(":2"))
        let verified = try #require(try json(try patrol(["ledger", "verify", "--json", "--head", String(receipt)])) as? [String: Any])
        #expect(verified["ok"] as? Bool == true && verified["trusted"] as? Bool == true && verified["predates"] as? Int == 1)
        #expect(try patrol(["ledger", "verify"]).stdout.contains("entries #1–#1 predate the key: chained but not sealed"))
        #expect(try patrol(["ledger", "verify", "--head", "nonsense"]).status == 64)

        // The note cut off with its seal: the ledger alone cannot tell, the receipt can.
        #expect(try runSQLite("DROP TRIGGER ledger_no_delete; DROP TRIGGER ledger_seal_no_delete; "
            + "DELETE FROM ledger WHERE seq = 2; DELETE FROM ledger_seal WHERE head_seq = 2;").status == 0)
        let cut = try patrol(["ledger", "verify", "--head", String(receipt)])
        #expect(cut.status == 1, "\(cut.all)")
        #expect(cut.stdout.contains("ledger entry #2 is missing"))

        #expect(chmod(key, 0o644) == 0)
        let exposed = try patrol(["note", "V2", "--by", "王芳", "--reason", "visited again"])
        #expect(exposed.status == 78, "\(exposed.all)")
        #expect(exposed.stderr.contains("chmod 600 \(key)"))
    }

    @Test("rotate-key hands the ledger to a new key: the entry names it, the key moves in place, and the ledger verifies with it")
    func rotateKey() throws {
        #expect(try patrol(["ledger", "keygen"]).status == 0)
        let next = folder.appendingPathComponent("next.key").path
        let made = try patrol(["ledger", "keygen", "--ledger-key", next])
        #expect(made.status == 0, "\(made.all)")
        let newPublic = try String(contentsOfFile: next + ".pub", encoding: .utf8)
        let rotated = try patrol(["ledger", "rotate-key", "--new-key", next, "--by", "王芳", "--reason", "yearly rotation"])
        #expect(rotated.status == 0, "\(rotated.all)")
        #expect(rotated.stdout.contains("key_rotated") && rotated.stdout.contains("is now key \(newPublic.prefix(16))"))
        #expect(!FileManager.default.fileExists(atPath: next))
        #expect(try String(contentsOfFile: folder.appendingPathComponent("ledger.key.pub").path, encoding: .utf8) == newPublic)
        let verified = try #require(try json(try patrol(["ledger", "verify", "--json"])) as? [String: Any])
        #expect(verified["ok"] as? Bool == true && verified["trusted"] as? Bool == true, "\(verified)")
        #expect(try patrol(["note", "V2", "--by", "王芳", "--reason", "after the rotation"]).status == 0)
        #expect(try patrol(["ledger", "verify"]).status == 0)
    }

    func runSQLite(_ sql: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [database, sql]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }
}
