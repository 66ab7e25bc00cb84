import ArgumentParser
import PatrolLedger

struct NoteCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "note", abstract: say(.noteAbstract))
    }

    @Argument(help: ArgumentHelp(say(.actHelpVenue), valueName: "venue-id"), completion: Completion.venues)
    var venue: String

    @OptionGroup var act: ActOptions

    func run() throws {
        try act.record { today, store, states in
            Step(act: .note, venue: try ActOptions.venue(venue, in: store, states: states).id, day: today, options: act)
        }
    }
}
