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
            let entries = try store.ledger()
            guard let target = entries.first(where: { $0.seq == seq }) else {
                throw CommandFailure(message: say(.noEntry, seq), exit: .notFound)
            }
            guard target.kind != .revoked else {
                throw CommandFailure(message: say(.revokeARevoke, seq), exit: .invalidInput)
            }
            guard LedgerView(entries).effective.contains(where: { $0.seq == seq }) else {
                throw CommandFailure(message: say(.revokeAlready, seq), exit: .invalidInput)
            }
            return Step(act: .revoked, venue: target.venueID, day: target.day, options: act, refersTo: seq)
        }
    }
}
