import ArgumentParser
import PatrolLedger

struct SupervisorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supervisor",
        abstract: "Assign a venue's supervisor (a person and team, e.g. \"张伟 (一组)\")."
    )

    @Argument(help: ArgumentHelp("The venue's id.", valueName: "venue-id"))
    var venue: String

    @Argument(help: ArgumentHelp("The supervisor.", valueName: "name"))
    var name: String

    @OptionGroup var act: ActOptions

    func run() throws {
        try act.record { today, store, states in
            _ = try ActOptions.venue(venue, in: store, states: states)
            return Step(act: .supervisorChanged, venue: venue, day: today, options: act, supervisor: name)
        }
    }
}
