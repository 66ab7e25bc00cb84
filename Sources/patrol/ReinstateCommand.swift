import ArgumentParser
import PatrolLedger

struct ReinstateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reinstate",
        abstract: "Reinstate a suspended venue after an on-site inspection.",
        discussion: "Exit status 65 when the venue is not suspended."
    )

    @Argument(help: ArgumentHelp("The venue's id.", valueName: "venue-id"))
    var venue: String

    @OptionGroup var act: ActOptions

    func run() throws {
        try act.record { today, store, states in
            let state = try ActOptions.venue(venue, in: store, states: states)
            guard state.suspended, !state.closed else {
                throw CommandFailure(message: "venue \(venue) is not suspended (it stands \(state.standing.rawValue)): nothing to reinstate",
                                     exit: .invalidInput)
            }
            return Step(act: .reinstated, venue: venue, day: today, options: act)
        }
    }
}
