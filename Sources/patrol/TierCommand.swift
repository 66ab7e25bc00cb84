import ArgumentParser
import PatrolInventory
import PatrolLedger

struct TierCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "tier", abstract: say(.tierAbstract), discussion: say(.tierDiscussion))
    }

    @Argument(help: ArgumentHelp(say(.actHelpVenue), valueName: "venue-id"), completion: Completion.venues)
    var venue: String

    @Argument(help: ArgumentHelp(say(.tierHelpTier), valueName: "tier"))
    var tier: Tier

    @Option(help: ArgumentHelp(say(.tierHelpSupervisor), valueName: "name"))
    var supervisor: String?

    @OptionGroup var act: ActOptions

    func run() throws {
        try act.record { today, store, states in
            let (venue, state) = try ActOptions.venue(venue, in: store, states: states)
            try state.checkTierChange(to: tier, supervisor: supervisor, of: venue)
            return Step(act: .tierChanged, venue: venue, day: today, options: act, tier: tier, supervisor: supervisor)
        }
    }
}
