import ArgumentParser
import PatrolProbe

/// The daemon: it runs the probe pool, the store writer, the daily patrol and the mailer as
/// services side by side. This build only knows its version.
@main
struct Patrold: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrold",
        abstract: "Patrol daemon: probes the district's cameras on schedule.",
        version: PatrolVersion.current
    )

    func run() throws {
        throw ValidationError("the sweep is not available in this build; use `patrol probe URL`")
    }
}
