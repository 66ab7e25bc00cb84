import ArgumentParser
import PatrolLedger

struct ViolationCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "violation", abstract: say(.violationAbstract), discussion: say(.violationDiscussion))
    }

    @Argument(help: ArgumentHelp(say(.actHelpVenue), valueName: "venue-id"), completion: Completion.venues)
    var venue: String

    @OptionGroup var act: ActOptions

    func run() throws {
        try act.record { today, store, states in
            let (venue, state) = try ActOptions.venue(venue, in: store, states: states)
            try state.checkViolation(of: venue)
            return Step(act: .seriousViolation, venue: venue, day: today, options: act)
        }
    }
}
