import ArgumentParser
import PatrolInventory
import PatrolLedger

struct TierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tier",
        abstract: "Change a venue's tier (e.g. after the half-yearly re-grading); a priority venue needs a supervisor.",
        discussion: "An open order keeps its deadline; the next one follows the new tier."
    )

    @Argument(help: ArgumentHelp("The venue's id.", valueName: "venue-id"))
    var venue: String

    @Argument(help: ArgumentHelp("general, watch or priority.", valueName: "tier"))
    var tier: Tier

    @Option(help: ArgumentHelp("Who supervises it (required for priority when it has nobody yet).", valueName: "name"))
    var supervisor: String?

    @OptionGroup var act: ActOptions

    func run() throws {
        try act.record { today, store, states in
            let state = try ActOptions.venue(venue, in: store, states: states)
            if tier == .priority, (supervisor ?? state.supervisor) == nil {
                throw CommandFailure(message: "a priority venue needs a supervisor: give --supervisor NAME", exit: .invalidInput)
            }
            guard tier != state.tier || (supervisor != nil && supervisor != state.supervisor) else {
                throw CommandFailure(message: "venue \(venue) is already \(tier.rawValue)", exit: .invalidInput)
            }
            return Step(act: .tierChanged, venue: venue, day: today, options: act, tier: tier, supervisor: supervisor)
        }
    }
}
