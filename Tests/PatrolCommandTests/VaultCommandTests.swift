import Foundation
import GRDB
import PatrolInventory
import PatrolProbe
@testable import PatrolStore
import PatrolTestSupport
import Testing

/// The credential vault and the main database through `patrol inventory import`, the real
/// binary: they change together or not at all, and query secrets live in the vault only.
@Suite("The credential vault beside the main database, as commands")
struct VaultCommandTests {
    let folder: URL
    let config: String
    var venuesPath: String { folder.appendingPathComponent("venues.csv").path }
    var camerasPath: String { folder.appendingPathComponent("cameras.csv").path }
    var databasePath: String { folder.appendingPathComponent("patrol.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-vault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        config = folder.appendingPathComponent("patrol.yaml").path
        try "database: patrol.sqlite\ncredentials: credentials.sqlite\ninventory:\n  max_retire_percent: 100\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        try Inventory(venues: [TestDistrict.pingan()], cameras: []).venuesCSV().write(toFile: venuesPath, atomically: true, encoding: .utf8)
    }

    func cameras(_ rows: String...) throws {
        try ("id,venue_id,placement,url,username,password\n" + rows.joined(separator: "\n") + "\n")
            .write(toFile: camerasPath, atomically: true, encoding: .utf8)
    }

    func importFiles(_ extra: [String] = [], environment: [String: String] = [:]) throws -> CommandRun {
        try CommandRun("patrol", ["inventory", "import", venuesPath, camerasPath, "--config", config] + extra, environment: environment)
    }

    /// What the daemon would probe: each camera's full address and credentials, as it reads them.
    func inService() throws -> [String: String] {
        let store = try Store(path: databasePath)
        let vault = try CredentialVault(path: folder.appendingPathComponent("credentials.sqlite").path)
        var streams: [String: String] = [:]
        for camera in try store.inventory(vault: vault).cameras {
            let credentials = camera.stream.credentials.map { "\($0.username):\($0.password)@" } ?? ""
            streams[camera.id] = credentials + camera.stream.address
        }
        return streams
    }

    func generations() throws -> [Int64] {
        try CredentialVault(path: folder.appendingPathComponent("credentials.sqlite").path).generations()
    }

    @Test("an import killed between the vault's commit and the main transaction leaves both as they were; run again, it applies once")
    func killedBetweenTheWrites() throws {
        try cameras("C1,V1,interior,rtsp://10.0.0.1/live,admin,old-pass", "C2,V1,perimeter,rtsp://10.0.0.2/live?token=old-token,,",
                    "C3,V1,interior,rtsp://10.0.0.3/live,admin,c3-pass")
        #expect(try importFiles().status == 0)
        let before = try inService()
        #expect(before == ["C1": "admin:old-pass@rtsp://10.0.0.1/live", "C2": "rtsp://10.0.0.2/live?token=old-token",
                           "C3": "admin:c3-pass@rtsp://10.0.0.3/live"])

        // New passwords for C1 and C2, C3 taken out of service, C4 new.
        try cameras("C1,V1,interior,rtsp://10.0.0.1/live,admin,new-pass", "C2,V1,perimeter,rtsp://10.0.0.2/live?token=new-token,,",
                    "C4,V1,interior,rtsp://10.0.0.4/live,admin,c4-pass")
        let killed = try importFiles(environment: ["PATROL_FAULT": "after-vault-write"])
        #expect(killed.status == SIGKILL, "\(killed.all)")
        #expect(killed.stderr.contains("killed after the vault's commit"))
        // The old cameras keep their old secrets; nothing of the new import is visible.
        #expect(try inService() == before)
        #expect(try generations().count == 2)

        let again = try importFiles()
        #expect(again.status == 0, "\(again.all)")
        #expect(again.stdout.contains("added 1 camera"), "\(again.stdout)")
        #expect(try inService() == ["C1": "admin:new-pass@rtsp://10.0.0.1/live", "C2": "rtsp://10.0.0.2/live?token=new-token",
                                    "C4": "admin:c4-pass@rtsp://10.0.0.4/live"])
        #expect(try generations().count == 1)
        #expect(try importFiles().stdout.contains("no changes"))
    }

    @Test("query secrets go to the vault: the main database, a plain export and the output show ***")
    func querySecrets() throws {
        try cameras("C1,V1,perimeter,rtsp://10.0.0.2/live?channel=1&token=tok-Secret-9&pwd=pw-Secret-7,,")
        let imported = try importFiles(["--verbose"])
        #expect(imported.status == 0, "\(imported.all)")
        #expect(!imported.all.contains("Secret"))
        #expect(try inService()["C1"] == "rtsp://10.0.0.2/live?channel=1&token=tok-Secret-9&pwd=pw-Secret-7")

        let store = try Store(path: databasePath)
        _ = try store.pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        #expect(try store.pool.read { try String.fetchOne($0, sql: "SELECT url FROM camera") }
            == "rtsp://10.0.0.2/live?channel=1&token=***&pwd=***")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: databasePath))
        #expect(bytes.range(of: Data("Secret".utf8)) == nil)
        let listed = try CommandRun("patrol", ["cameras", "--config", config])
        #expect(listed.status == 0 && !listed.all.contains("Secret"), "\(listed.all)")

        let plain = folder.appendingPathComponent("plain"), secret = folder.appendingPathComponent("secret")
        #expect(try CommandRun("patrol", ["inventory", "export", plain.path, "--config", config]).status == 0)
        let plainText = try String(contentsOf: plain.appendingPathComponent("cameras.csv"), encoding: .utf8)
        #expect(plainText.contains("token=***&pwd=***") && !plainText.contains("Secret"))
        #expect(try CommandRun("patrol", ["inventory", "export", secret.path, "--with-credentials", "--config", config]).status == 0)
        #expect(try String(contentsOf: secret.appendingPathComponent("cameras.csv"), encoding: .utf8).contains("token=tok-Secret-9&pwd=pw-Secret-7"))

        // The plain export's *** is not a secret to import.
        let reimport = try CommandRun("patrol", ["inventory", "import", plain.appendingPathComponent("venues.csv").path,
                                                 plain.appendingPathComponent("cameras.csv").path, "--config", config])
        #expect(reimport.status == 65)
        #expect(reimport.stderr.contains("cameras.csv:2:url: the URL carries a secret shown as ***"), "\(reimport.stderr)")
        #expect(try inService()["C1"] == "rtsp://10.0.0.2/live?channel=1&token=tok-Secret-9&pwd=pw-Secret-7")
    }

    @Test("a query secret an older Patrol stored in the main database moves to the vault at the next import")
    func olderDatabase() throws {
        try cameras("C1,V1,perimeter,rtsp://10.0.0.2/live?token=tok-Secret-9,,")
        #expect(try importFiles().status == 0)
        let store = try Store(path: databasePath)
        try store.pool.write { try $0.execute(sql: "UPDATE camera SET url = 'rtsp://10.0.0.2/live?token=tok-Secret-9'") }
        try DatabaseQueue(path: folder.appendingPathComponent("credentials.sqlite").path).write { try $0.execute(sql: "DELETE FROM secret") }
        #expect(try importFiles().status == 0)
        #expect(try store.pool.read { try String.fetchOne($0, sql: "SELECT url FROM camera") } == "rtsp://10.0.0.2/live?token=***")
        #expect(try inService()["C1"] == "rtsp://10.0.0.2/live?token=tok-Secret-9")
    }
}
