import ArgumentParser
import PatrolLedger
import PatrolStore

struct RevokeCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "revoke", abstract: say(.revokeAbstract), discussion: say(.revokeDiscussion))
    }

    @Argument(help: ArgumentHelp(say(.revokeHelpSeq), valueName: "seq"))
    var seq: Int

    @OptionGroup var act: ActOptions

    func run() throws {
        try act.record { _, store, _ in
            let target = try LedgerView(try store.ledger()).revocable(seq)
            return Step(act: .revoked, venue: target.venueID, day: target.day, options: act, refersTo: seq)
        }
    }
}
