import Foundation
import GRDB
import PatrolInventory
@testable import PatrolStore
import PatrolTestSupport
import Testing

/// The real binaries when what they write cannot be written: a log on a full disk or a closed
/// descriptor never kills them; output that cannot be written is an error, exit 74.
@Suite("Unwritable standard error and output, through the real binaries")
struct UnwritableOutputTests {
    let folder: URL
    let config: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        config = folder.appendingPathComponent("patrol.yaml").path
        try "database: patrol.sqlite\ncredentials: credentials.sqlite\n".write(toFile: config, atomically: true, encoding: .utf8)
        try TestDistrict.writeCSV(Inventory(venues: [TestDistrict.pingan()], cameras: []), to: folder)
        let imported = try CommandRun("patrol", ["inventory", "import", "venues.csv", "cameras.csv", "--config", config],
                                      directory: folder)
        try #require(imported.status == 0, "\(imported.all)")
    }

    @Test("patrold logs to a full disk or a closed stderr and still sweeps, writes and prints as it would", arguments: [
        "2>/dev/full", "2>&-",
    ])
    func daemonLog(redirect: String) throws {
        // No cameras: patrold warns on stderr, sweeps nothing, and prints its summary.
        let normal = try CommandRun("patrold", ["--config", config, "--once"])
        #expect(normal.status == 0, "\(normal.all)")
        #expect(normal.stderr.contains("the inventory has no cameras"))
        let unlogged = try CommandRun("patrold", ["--config", config, "--once"], redirect: redirect)
        #expect(unlogged.status == 0)
        // The same summary; the sweep's duration is the machine's business.
        let duration = /in \d+\.\d s/
        #expect(unlogged.stdout.replacing(duration, with: "in … s") == normal.stdout.replacing(duration, with: "in … s"))
        #expect(!unlogged.stdout.isEmpty)
    }

    @Test("patrol reports its failure with the documented status though stderr cannot take the message", arguments: [
        "2>/dev/full", "2>&-",
    ])
    func commandLog(redirect: String) throws {
        let missing = ["cameras", "--db", folder.appendingPathComponent("none.sqlite").path]
        let normal = try CommandRun("patrol", missing)
        #expect(normal.status == 74)
        #expect(normal.stderr.contains("patrol inventory import"))
        let unlogged = try CommandRun("patrol", missing, redirect: redirect)
        #expect(unlogged.status == 74)
        #expect(unlogged.stdout.isEmpty)
        let listed = try CommandRun("patrol", ["venues", "--config", config], redirect: redirect)
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("平安宾馆"))
    }

    @Test("patrold logs to a pipe nobody reads (SIGPIPE ignored, as systemd starts it) and goes on")
    func brokenPipe() throws {
        let process = Process()
        process.executableURL = CommandRun.binary("patrold")
        process.arguments = ["--config", config, "--once"]
        let output = Pipe(), log = Pipe()
        process.standardOutput = output
        process.standardError = log
        // The reader is gone before the daemon writes its first line: every log line meets EPIPE.
        try log.fileHandleForReading.close()
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        #expect(printed.contains("sweep of 0 cameras"))
    }

    @Test("a name stored with an escape sequence and line ends is shown escaped in patrol's tables")
    func storedControlCharacters() throws {
        let store = try Store(path: folder.appendingPathComponent("patrol.sqlite").path)
        try store.pool.write { try $0.execute(sql: "UPDATE venue SET name = ? WHERE id = 'V1'", arguments: ["平安\u{1B}[2J宾馆\r\n伪造一行"]) }
        let venues = try CommandRun("patrol", ["venues", "--config", config])
        #expect(venues.status == 0, "\(venues.all)")
        #expect(!venues.stdout.contains("\u{1B}") && !venues.stdout.contains("\r"))
        #expect(venues.stdout.contains("平安\\x1B[2J宾馆\\x0D\\x0A伪造一行"), "\(venues.stdout)")
        // The header, the venue's one line, the count: the name started no line of its own.
        #expect(venues.stdout.split(separator: "\n").map { $0.prefix(2) } == ["ID", "V1", "1 "], "\(venues.stdout)")
    }

    @Test("output that cannot be written exits 74 with one line, for patrol and patrold alike")
    func fullOutput() throws {
        let venues = try CommandRun("patrol", ["venues", "--config", config], redirect: ">/dev/full")
        #expect(venues.status == 74)
        #expect(venues.stderr == "patrol: cannot write the output: No space left on device: free space where the output goes, then run the command again\n")
        let once = try CommandRun("patrold", ["--config", config, "--once"], redirect: ">/dev/full")
        #expect(once.status == 74)
        #expect(once.stderr.contains("cannot write the output: No space left on device"), "\(once.stderr)")
    }
}

/// Writes that the disk refuses: one line saying what to do, exit 74, never SQLite's statement.
@Suite("A database that cannot be written, through the real binaries",
       .enabled(if: SmallDisk.available, "mounting a tmpfs needs root"))
struct UnwritableDatabaseTests {
    /// An imported district (one venue, no cameras) on a small disk of its own.
    func district(on disk: SmallDisk) throws -> String {
        let config = disk.folder.appendingPathComponent("patrol.yaml").path
        try "database: patrol.sqlite\ncredentials: credentials.sqlite\n".write(toFile: config, atomically: true, encoding: .utf8)
        try TestDistrict.writeCSV(Inventory(venues: [TestDistrict.pingan()], cameras: []), to: disk.folder)
        let imported = try CommandRun("patrol", ["inventory", "import", "venues.csv", "cameras.csv", "--config", config],
                                      directory: disk.folder)
        try #require(imported.status == 0, "\(imported.all)")
        return config
    }

    func expectOneLine(_ run: CommandRun, saying advice: String) {
        #expect(run.status == 74, "\(run.all)")
        #expect(run.stderr.contains(advice), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(!run.stderr.contains("INSERT") && !run.stderr.contains("SQLite error"), "\(run.stderr)")
    }

    @Test("patrol note and patrold --once on a full disk exit 74 with what to do")
    func fullDisk() throws {
        try SmallDisk.with { disk in
            let config = try district(on: disk)
            try disk.fill()
            let note = try CommandRun("patrol", ["note", "V1", "--by", "王芳", "--reason", "owner called", "--config", config])
            expectOneLine(note, saying: "free space on")
            let once = try CommandRun("patrold", ["--config", config, "--once"], redirect: "2>&1")
            #expect(once.status == 74, "\(once.all)")
            #expect(!once.stdout.hasPrefix("<") && once.stdout.contains("free space on"), "\(once.stdout)")
            #expect(!once.stdout.contains("INSERT"))
        }
    }

    @Test("patrol note on a read-only file system exits 74 with what to do")
    func readOnly() throws {
        try SmallDisk.with { disk in
            let config = try district(on: disk)
            try disk.makeReadOnly()
            let note = try CommandRun("patrol", ["note", "V1", "--by", "王芳", "--reason", "owner called", "--config", config])
            expectOneLine(note, saying: "check that this user may write the file and its folder, and that the file system is not mounted read-only")
        }
    }
}
