import Foundation
import PatrolVersion
import PatrolVersion
import PatrolTestSupport
import Testing

/// `patrol` as the real binary before any database: what its command tree gives, and what each
/// reading command says when there is no database.
@Suite("patrol's command tree, and no database")
struct CommandTreeTests {
    @Test("--version, shell completions and help come from the command tree")
    func tooling() throws {
        let version = try CommandRun("patrol", ["--version"])
        #expect(version.status == 0 && version.stdout == "\(patrolVersion)\n")
        let bash = try CommandRun("patrol", ["--generate-completion-script", "bash"])
        #expect(bash.status == 0)
        #expect(bash.stdout.contains("cameras") && bash.stdout.contains("--changed-since"))
        let help = try CommandRun("patrol", ["--help"])
        #expect(help.stdout.contains("patrol cameras --tier priority --placement interior --down"))
        #expect(help.stdout.contains("status") && !help.stdout.contains("bench"))
    }

    @Test("no database: one line saying what to do, exit 74, and nothing created")
    func missingDatabase() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-none-\(UUID().uuidString)/patrol.sqlite").path
        for command in [["status"], ["cameras"], ["camera", "C01"], ["venue", "V01"], ["venues"]] {
            let run = try CommandRun("patrol", command + ["--db", path])
            #expect(run.status == 74, "\(command): \(run.all)")
            #expect(run.stderr == "patrol: no database at \(path): run `patrol inventory import` first, or point --db (or --config) at patrold's database\n")
            #expect(run.stdout.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
