import ArgumentParser
import PatrolLedger

struct ReinstateCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "reinstate", abstract: say(.reinstateAbstract), discussion: say(.reinstateDiscussion))
    }

    @Argument(help: ArgumentHelp(say(.actHelpVenue), valueName: "venue-id"), completion: Completion.venues)
    var venue: String

    @OptionGroup var act: ActOptions

    func run() throws {
        try act.record { today, store, states in
            let (venue, state) = try ActOptions.venue(venue, in: store, states: states)
            try state.checkReinstatement(of: venue)
            return Step(act: .reinstated, venue: venue, day: today, options: act)
        }
    }
}
