import Foundation
import PatrolTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Priority prefixes (`<3>`) are for journald: patrold and patrol write them only when their
/// stderr is the stream systemd named in JOURNAL_STREAM (its device and inode), and plain lines
/// on a terminal, a pipe or a file of one's own.
@Suite("journald priority prefixes only when stderr is the journal")
struct JournalTests {
    let folder: URL
    let config: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        config = folder.appendingPathComponent("patrol.yaml").path
        try "database: patrol.sqlite\ncredentials: credentials.sqlite\nprobe:\n  deadline: soon\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
    }

    /// A file standing for the journal's stream, and the JOURNAL_STREAM that names it.
    func journal() throws -> (path: String, stream: String) {
        let path = folder.appendingPathComponent("journal-\(UUID().uuidString)").path
        try Data().write(to: URL(fileURLWithPath: path))
        var info = stat()
        try #require(stat(path, &info) == 0)
        return (path, "\(info.st_dev):\(info.st_ino)")
    }

    @Test("patrold: `<3>` on each line when stderr is the journal; plain when JOURNAL_STREAM names another stream")
    func daemon() throws {
        let (path, stream) = try journal()
        let journaled = try CommandRun("patrold", ["--config", config, "--once"], environment: ["JOURNAL_STREAM": stream],
                                       redirect: "2>>'\(path)'")
        #expect(journaled.status == 78)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("<3>") }, "\(lines)")
        #expect(lines.first?.contains("probe.deadline: expected a number") == true, "\(lines)")

        // The variable inherited, but stderr sent elsewhere (a pipe): plain lines.
        let piped = try CommandRun("patrold", ["--config", config, "--once"], environment: ["JOURNAL_STREAM": stream])
        #expect(piped.status == 78)
        #expect(piped.stderr.hasPrefix("configuration rejected: ") && !piped.stderr.contains("<3>"), "\(piped.stderr)")
    }

    @Test("patrol: its failure line carries `<3>` in the journal, and is plain elsewhere")
    func command() throws {
        let (path, stream) = try journal()
        let missing = ["venue", "V1", "--db", folder.appendingPathComponent("none.sqlite").path]
        let journaled = try CommandRun("patrol", missing, environment: ["JOURNAL_STREAM": stream], redirect: "2>>'\(path)'")
        #expect(journaled.status == 74)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("<3>patrol: no database at ") && text.hasSuffix("\n") && text.split(separator: "\n").count == 1, "\(text)")
        let plain = try CommandRun("patrol", missing, environment: ["JOURNAL_STREAM": stream])
        #expect(plain.status == 74 && plain.stderr.hasPrefix("patrol: no database at "), "\(plain.stderr)")
        // A JOURNAL_STREAM that is not DEVICE:INODE names nothing.
        let malformed = try CommandRun("patrol", missing, environment: ["JOURNAL_STREAM": "journal"], redirect: "2>>'\(path)x'")
        #expect(malformed.status == 74)
        #expect(try String(contentsOfFile: path + "x", encoding: .utf8).hasPrefix("patrol: no database at "))
    }
}
