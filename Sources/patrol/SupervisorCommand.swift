import ArgumentParser
import PatrolLedger

struct SupervisorCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "supervisor", abstract: say(.supervisorAbstract))
    }

    @Argument(help: ArgumentHelp(say(.actHelpVenue), valueName: "venue-id"), completion: Completion.venues)
    var venue: String

    @Argument(help: ArgumentHelp(say(.supervisorHelpName), valueName: "name"))
    var name: String

    @OptionGroup var act: ActOptions

    func run() throws {
        try act.record { today, store, states in
            Step(act: .supervisorChanged, venue: try ActOptions.venue(venue, in: store, states: states).id, day: today, options: act,
                 supervisor: name)
        }
    }
}
