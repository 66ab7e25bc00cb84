import ArgumentParser
import Foundation
import PatrolOutput
import PatrolInventory
import PatrolLedger
import PatrolStore

/// What every operator act requires: who records it, and why. The ledger keeps both.
struct ActOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Your name, as the ledger records it.", valueName: "name"))
    var by: String

    @Option(help: ArgumentHelp("Why: the ledger keeps it with the entry.", valueName: "text"))
    var reason: String

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if by.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--by: say who records this") }
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason: say why") }
        if by == LedgerEntry.patrolActor || by == LedgerEntry.inventoryActor {
            throw ValidationError("--by: '\(by)' is reserved for Patrol's own entries; give your name")
        }
    }

    /// Records `step` (built for today's patrol day) and prints it with what followed from it.
    func record(_ make: (PatrolDay, Store, [String: VenueState]) throws -> Step) throws {
        let settings = try store.patrolSettings()
        let database = try store.openStore()
        let step = try make(try store.today(), database, try database.ladder(policy: settings.ladder))
        let recorded = try database.record(step, policy: settings.ladder)
        let views = recorded.map(EntryView.init)
        try Output.line(output.json ? try Format.json(views) : "recorded:\n" + EntryView.table(views))
    }

    /// The venue, which must exist; and its place on the ladder.
    static func venue(_ id: String, in store: Store, states: [String: VenueState]) throws -> VenueState {
        guard try store.venue(id: id) != nil else {
            throw CommandFailure(message: "no venue \(id): `patrol venues` lists them", exit: .notFound)
        }
        return states[id] ?? VenueState(tier: .general, supervisor: nil)
    }
}

extension Step {
    /// An operator's act: `actor` is the operator, as `--by` gave it.
    init(act kind: EntryKind, venue: String, day: PatrolDay, options: ActOptions, until: PatrolDay? = nil, tier: Tier? = nil,
         supervisor: String? = nil, refersTo: Int? = nil) {
        self.init(venueID: venue, kind: kind, day: day, until: until, tier: tier, supervisor: supervisor, refersTo: refersTo,
                  reason: options.reason, actor: options.by)
    }
}
