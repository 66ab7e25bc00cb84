import Foundation
import PatrolTestSupport
import Testing

/// The shell completion scripts patrol writes, run by a real bash: ids come from the database the
/// command line names, file names for --config.
@Suite("shell completion")
struct CompletionTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-completion-\(UUID().uuidString)")
    var database: String { folder.appendingPathComponent("patrol.sqlite").path }

    /// A database of the sample district, imported by the real binary, and the bash script.
    func prepare() throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let district = Fleet.repository.appendingPathComponent("Samples/district")
        let imported = try CommandRun("patrol", ["inventory", "import", "--db", database,
                                                 district.appendingPathComponent("venues.csv").path, district.appendingPathComponent("cameras.csv").path])
        #expect(imported.status == 0, "\(imported.all)")
        let script = try CommandRun("patrol", ["--generate-completion-script", "bash"])
        #expect(script.status == 0)
        let file = folder.appendingPathComponent("patrol.bash")
        try Data(script.stdout.utf8).write(to: file)
        return file
    }

    /// What bash offers for the last of `words` (typed after `patrol`), the cursor at the end of the line.
    func complete(_ words: [String], script: URL, environment: [String: String] = [:]) throws -> (offers: [String], stderr: String) {
        let program = CommandRun.binary("patrol").path
        let run = try CommandRun(program: URL(fileURLWithPath: "/bin/bash"), ["-c", """
            source "$0"
            COMP_WORDS=("$@")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMP_LINE="${COMP_WORDS[*]}"
            COMP_POINT=${#COMP_LINE}
            COMPREPLY=()
            _patrol patrol "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """, script.path, program] + words, environment: environment)
        #expect(run.status == 0, "\(run.all)")
        return (run.stdout.split(separator: "\n").map(String.init), run.stderr)
    }

    @Test("a venue id prefix completes to the venues in the database, in either language")
    func venues() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try prepare()
        let expected = (10...19).map { String(format: "V%04d", $0) }
        #expect(try complete(["venue", "--db", database, "V001"], script: script).offers == expected)
        #expect(try complete(["ledger", "list", "--db=\(database)", "--venue", "V001"], script: script).offers == expected)
        #expect(try complete(["reinstate", "--db", database, "V031"], script: script).offers == (310...319).map { String(format: "V%04d", $0) })
        #expect(try complete(["venue", "--db", database, "V001"], script: script, environment: ["LANG": "zh_CN.UTF-8"]).offers == expected)
    }

    @Test("a camera id prefix completes to the cameras in the database")
    func cameras() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try prepare()
        #expect(try complete(["camera", "--db", database, "C0001"], script: script).offers == (10...19).map { String(format: "C%05d", $0) })
    }

    @Test("--config completes file names; an id with no database to read completes to nothing, silently")
    func files() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try prepare()
        let etc = folder.appendingPathComponent("etc")
        try FileManager.default.createDirectory(at: etc, withIntermediateDirectories: true)
        for name in ["patrol.yaml", "patrol-test.yaml", "other.yaml"] { try Data().write(to: etc.appendingPathComponent(name)) }
        let offers = try complete(["status", "--config", etc.appendingPathComponent("patrol").path], script: script).offers
        #expect(offers.sorted() == ["patrol-test.yaml", "patrol.yaml"].map { etc.appendingPathComponent($0).path })
        let missing = folder.appendingPathComponent("none/patrol.sqlite").path
        let none = try complete(["venue", "--db", missing, "V00"], script: script)
        #expect(none.offers.isEmpty && none.stderr.isEmpty)
        let broken = try complete(["venue", "--config", etc.appendingPathComponent("patrol.yaml").path, "V00"], script: script)
        #expect(broken.offers.isEmpty && broken.stderr.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test("zsh and fish scripts ask patrol for the ids too")
    func otherShells() throws {
        for shell in ["zsh", "fish"] {
            let script = try CommandRun("patrol", ["--generate-completion-script", shell])
            #expect(script.status == 0)
            #expect(script.stdout.contains("---completion venue -- positional@0"), "\(shell)")
        }
    }
}
