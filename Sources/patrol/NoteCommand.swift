import ArgumentParser
import PatrolLedger

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Add a note to a venue's ledger (a call, a visit, evidence received); it changes nothing else."
    )

    @Argument(help: ArgumentHelp("The venue's id.", valueName: "venue-id"))
    var venue: String

    @OptionGroup var act: ActOptions

    func run() throws {
        try act.record { today, store, states in
            _ = try ActOptions.venue(venue, in: store, states: states)
            return Step(act: .note, venue: venue, day: today, options: act)
        }
    }
}
