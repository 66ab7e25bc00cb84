import ArgumentParser
import PatrolLedger

struct ViolationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "violation",
        abstract: "Record a serious violation (e.g. cameras deliberately disabled): the venue is closed at once.",
        discussion: "One strike. A closure recorded in error can be revoked (`patrol revoke`). Exit status 65 when the venue is already closed."
    )

    @Argument(help: ArgumentHelp("The venue's id.", valueName: "venue-id"))
    var venue: String

    @OptionGroup var act: ActOptions

    func run() throws {
        try act.record { today, store, states in
            guard !(try ActOptions.venue(venue, in: store, states: states)).closed else {
                throw CommandFailure(message: "venue \(venue) is already closed", exit: .invalidInput)
            }
            return Step(act: .seriousViolation, venue: venue, day: today, options: act)
        }
    }
}
