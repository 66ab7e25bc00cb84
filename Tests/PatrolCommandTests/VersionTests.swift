import Foundation
import PatrolTestSupport
import PatrolVersion
import Testing

/// The version each binary prints is `git describe` of the checkout it was built from
/// (scripts/version, written into the PatrolVersion module by Plugins/PatrolVersionPlugin).
@Suite("the version comes from git")
struct VersionTests {
    @Test("patrol, patrold and patrol-bench print scripts/version of the checkout they were built from")
    func binaries() throws {
        let checkout = try Shell.run("scripts/version", in: Fleet.repository, environment: ["PATROL_VERSION": ProcessInfo.processInfo.environment["PATROL_VERSION"] ?? ""])
        #expect(checkout.status == 0 && !checkout.stdout.isEmpty)
        #expect(patrolVersion + "\n" == checkout.stdout)
        for tool in ["patrol", "patrold", "patrol-bench"] {
            let run = try CommandRun(tool, ["--version"])
            #expect(run.status == 0 && run.stdout == checkout.stdout, "\(tool): \(run.all)")
        }
    }

    @Test("scripts/version: the tag, the commits since it, a dirty tree, no tag, PATROL_VERSION, the Debian form")
    func describe() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-version-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clone = folder.appendingPathComponent("clone")
        let git = "git -c user.name=Patrol -c user.email=patrol@localhost -c commit.gpgsign=false"
        try Shell.check("git clone --quiet --shared \"$0\" \"$1\"", in: folder, arguments: [Fleet.repository.path, clone.path], create: true)

        func version(_ environment: [String: String] = [:], debian: Bool = false) throws -> String {
            try Shell.check("scripts/version" + (debian ? " --debian" : ""), in: clone, environment: environment)
        }
        func head() throws -> String { try Shell.check("git rev-parse --short HEAD", in: clone) }

        // A clone of a checkout without tags: 0.0.0 and the commit.
        try Shell.check("git tag -l | xargs -r git tag -d >/dev/null", in: clone)
        #expect(try version() == "0.0.0-g\(try head())")
        #expect(try version(debian: true) == "0.0.0+g\(try head())")

        try Shell.check("git tag v0.9.0", in: clone)
        #expect(try version() == "0.9.0")
        #expect(try version(debian: true) == "0.9.0")

        try Shell.check("\(git) commit --quiet --allow-empty -m one && \(git) commit --quiet --allow-empty -m two", in: clone)
        #expect(try version() == "0.9.0-2-g\(try head())")
        #expect(try version(debian: true) == "0.9.0+2.g\(try head())")

        try Shell.check("echo >> README.md", in: clone)
        #expect(try version() == "0.9.0-2-g\(try head())-dirty")
        #expect(try version(debian: true) == "0.9.0+2.g\(try head()).dirty")

        // A tarball build names its version.
        #expect(try version(["PATROL_VERSION": "1.2.3"]) == "1.2.3")
        #expect(try version(["PATROL_VERSION": "1.2.3"], debian: true) == "1.2.3")
    }
}

/// A shell command run through bash in `directory`, for the scripts.
enum Shell {
    static func run(_ script: String, in directory: URL, arguments: [String] = [], environment: [String: String] = [:],
                    create: Bool = false) throws -> CommandRun {
        if create { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        // A version named from outside would hide git's.
        return try CommandRun(program: URL(fileURLWithPath: "/bin/bash"), ["-c", script] + arguments,
                              environment: ["PATROL_VERSION": ""].merging(environment) { $1 }, directory: directory)
    }

    /// Its standard output without the last newline; a failure names the command and what it said.
    @discardableResult
    static func check(_ script: String, in directory: URL, arguments: [String] = [], environment: [String: String] = [:],
                      create: Bool = false) throws -> String {
        let run = try run(script, in: directory, arguments: arguments, environment: environment, create: create)
        guard run.status == 0 else { throw Failure(description: "\(script): exit \(run.status): \(run.stderr)") }
        return run.stdout.hasSuffix("\n") ? String(run.stdout.dropLast()) : run.stdout
    }

    struct Failure: Error, CustomStringConvertible { var description: String }
}
