import ArgumentParser
import PatrolLedger
import PatrolStore

struct RevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke an erroneous ledger entry: a new entry cancels it, and what follows is worked out again.",
        discussion: """
        Revoking a step Patrol took sets aside the day it was taken on, for that venue; revoking an \
        operator's act undoes the act (docs/LEDGER.md). Exit status 66 when there is no such entry, \
        65 when it is already revoked or is itself a revoke.
        """
    )

    @Argument(help: ArgumentHelp("The entry's number (`patrol ledger` shows it).", valueName: "seq"))
    var seq: Int

    @OptionGroup var act: ActOptions

    func run() throws {
        try act.record { _, store, _ in
            let entries = try store.ledger()
            guard let target = entries.first(where: { $0.seq == seq }) else {
                throw CommandFailure(message: "no ledger entry #\(seq): `patrol ledger` lists them", exit: .notFound)
            }
            guard target.kind != .revoked else {
                throw CommandFailure(message: "entry #\(seq) is itself a revoke; it cannot be revoked", exit: .invalidInput)
            }
            guard LedgerView(entries).effective.contains(where: { $0.seq == seq }) else {
                throw CommandFailure(message: "entry #\(seq) is already revoked", exit: .invalidInput)
            }
            return Step(act: .revoked, venue: target.venueID, day: target.day, options: act, refersTo: seq)
        }
    }
}
