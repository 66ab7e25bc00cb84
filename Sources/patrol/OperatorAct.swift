import ArgumentParser
import Foundation
import PatrolConfig
import PatrolOutput
import PatrolInventory
import PatrolLedger
import PatrolStore
import PatrolViews

/// What every operator act requires: who records it, and why. The ledger keeps both.
struct ActOptions: ParsableArguments {
    @Option(help: ArgumentHelp(say(.actHelpBy), valueName: "name"))
    var by: String

    @Option(help: ArgumentHelp(say(.actHelpReason), valueName: "text"))
    var reason: String

    @OptionGroup var key: LedgerKeyOptions
    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if by.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError(say(.actSayWho)) }
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError(say(.actSayWhy)) }
        if by == LedgerEntry.patrolActor || by == LedgerEntry.inventoryActor {
            throw ValidationError(say(.actReservedName, by))
        }
    }

    /// Records `step` (built for today's patrol day) and prints it with what followed from it.
    func record(_ make: (PatrolDay, Store, [String: VenueState]) throws -> Step) throws {
        let settings = try store.patrolSettings()
        let database = try store.openSealingStore(ledgerKey: key.ledgerKey)
        let step: Step
        do {
            step = try make(try store.today(), database, try database.ladder(policy: settings.ladder))
        } catch let refusal as ActRefusal {
            throw refusal.failure
        }
        let recorded: [LedgerEntry]
        do {
            recorded = try database.record(step, policy: settings.ladder)
        } catch let error as LedgerKeyError {
            throw CommandFailure(message: Explain.ledgerKey(error), exit: .configuration)
        }
        let views = recorded.map(EntryView.init)
        if output.json {
            try Output.line(try Format.json(Listing("entries", views)))
        } else {
            try Output.line(say(.actRecorded) + "\n" + EntryView.table(views))
            // A receipt: `patrol ledger verify --head` checks later that these entries still stand.
            if let last = recorded.last { try Output.line(say(.ledgerHeadReceipt, LedgerHead(seq: last.seq, hash: last.hash))) }
        }
    }

    /// The venue `id` names (in any case), which must exist: its id as the inventory has it,
    /// and its place on the ladder.
    static func venue(_ id: String, in store: Store, states: [String: VenueState]) throws -> (id: String, state: VenueState) {
        let id = try store.existingVenueID(id)
        return (id, states[id] ?? VenueState(tier: .general, supervisor: nil))
    }
}

extension ActRefusal {
    /// The refusal said to the operator: an entry that does not exist is not found (66), the
    /// rest refused (65).
    var failure: CommandFailure {
        switch self {
        case .notSuspended(let venue, let standing):
            CommandFailure(message: say(.reinstateNotSuspended, venue, word(standing)), exit: .invalidInput)
        case .alreadyClosed(let venue): CommandFailure(message: say(.violationAlreadyClosed, venue), exit: .invalidInput)
        case .noEntry(let seq): CommandFailure(message: say(.noEntry, seq), exit: .notFound)
        case .revokesARevocation(let seq): CommandFailure(message: say(.revokeARevoke, seq), exit: .invalidInput)
        case .alreadyRevoked(let seq): CommandFailure(message: say(.revokeAlready, seq), exit: .invalidInput)
        case .priorityNeedsSupervisor: CommandFailure(message: say(.tierPriorityNeedsSupervisor), exit: .invalidInput)
        case .tierUnchanged(let venue, let tier): CommandFailure(message: say(.tierAlready, venue, word(tier)), exit: .invalidInput)
        }
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

/// Where the ledger key is: `--ledger-key`, else the configuration's `ledger_key`.
struct LedgerKeyOptions: ParsableArguments {
    @Option(help: ArgumentHelp(say(.helpLedgerKey), valueName: "file"))
    var ledgerKey: String?
}

extension DatabaseOptions {
    /// `override`, else the configuration's `ledger_key`; with `--db` and no configuration,
    /// `ledger.key` beside the database.
    func ledgerKeyFile(_ override: String?) throws -> LedgerKeyFile {
        if let override { return LedgerKeyFile(path: override) }
        if config != nil || (db == nil && FileManager.default.fileExists(atPath: Self.defaultConfig)) {
            return LedgerKeyFile(path: try configuration().ledgerKey)
        }
        let database = try db ?? configuration().database
        return LedgerKeyFile(path: URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent("ledger.key").path)
    }

    /// Opens the database to write ledger entries, sealed with the ledger key.
    func openSealingStore(ledgerKey override: String?) throws -> Store {
        let key = try ledgerKeyFile(override)
        let path = try db ?? configuration().database
        do {
            return try Store(path: path, ledgerKey: key)
        } catch let error as LedgerKeyError {
            throw CommandFailure(message: Explain.ledgerKey(error), exit: .configuration)
        } catch {
            throw CommandFailure(message: Explain.storage(error) ?? "\(error)", exit: .databaseUnavailable)
        }
    }
}
