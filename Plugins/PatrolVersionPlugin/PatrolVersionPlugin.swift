import Foundation
import PackagePlugin

/// Writes `public let patrolVersion = "…"` (scripts/version: `git describe --tags --dirty`, or
/// PATROL_VERSION) into the target's generated sources before every build. The file is rewritten
/// only when the version changed, so an unchanged checkout compiles nothing again; the command is
/// the shell and git, nothing to build.
@main
struct PatrolVersionPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "Generated")
        let script = context.package.directoryURL.appending(path: "scripts/version")
        var environment: [String: String] = [:]
        if let version = ProcessInfo.processInfo.environment["PATROL_VERSION"] { environment["PATROL_VERSION"] = version }
        let write = """
            set -e
            mkdir -p "$2"
            version=$(/bin/bash "$1" | tr -cd 'A-Za-z0-9.+~_-')
            line="public let patrolVersion = \\"${version:-0.0.0-unknown}\\""
            [ "$(cat "$2/PatrolVersion.swift" 2>/dev/null)" = "$line" ] || printf '%s\\n' "$line" > "$2/PatrolVersion.swift"
            """
        return [
            .prebuildCommand(
                displayName: "Patrol's version from git",
                executable: URL(filePath: "/bin/sh"),
                arguments: ["-c", write, "patrol-version", script.path(percentEncoded: false), output.path(percentEncoded: false)],
                environment: environment,
                outputFilesDirectory: output
            )
        ]
    }
}
