import ArgumentParser
import Foundation
import PatrolOutput
import PatrolLedger
import PatrolStore

struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The escalation ledger: list its entries, or verify the chain.",
        subcommands: [LedgerList.self, LedgerVerify.self],
        defaultSubcommand: LedgerList.self
    )
}

struct LedgerList: ReadCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Ledger entries, oldest first: orders, warnings, suspensions, closures, operator acts.",
        discussion: "A venue's entries include the waivers that covered the whole district."
    )

    @Option(help: ArgumentHelp("Only this venue's entries.", valueName: "venue-id"))
    var venue: String?

    @Option(help: ArgumentHelp("Only entries about this patrol day or later (YYYY-MM-DD).", valueName: "day"))
    var since: String?

    @Option(help: ArgumentHelp("Only entries of this kind (repeatable): \(EntryKind.allCases.map(\.rawValue).joined(separator: ", ")).",
                               valueName: "kind"))
    var kind: [String] = []

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let since, PatrolDay(since) == nil { throw ValidationError("--since: '\(since)' is not a day (YYYY-MM-DD)") }
        for kind in kind where EntryKind(rawValue: kind) == nil {
            throw ValidationError("--kind: '\(kind)' is not one of: \(EntryKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func report(from store: Store, now: Date) throws -> [EntryView] {
        if let venue, try store.venue(id: venue) == nil {
            throw CommandFailure(message: "no venue \(venue): `patrol venues` lists them", exit: .notFound)
        }
        return try store.ledger(venue: venue, kinds: kind.compactMap(EntryKind.init), since: since.flatMap(PatrolDay.init))
            .map(EntryView.init)
    }

    func text(_ entries: [EntryView], now: Date) -> String {
        entries.isEmpty ? "no ledger entries" : EntryView.table(entries, showVenue: venue == nil)
    }
}

struct LedgerVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the ledger: the hash chain, its end, and that it follows from the stored verdicts.",
        discussion: "Exit status 0 when the ledger holds; 1 naming the first entry that does not match."
    )

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    struct Verification: Encodable {
        var ok: Bool
        var entries: Int
        var patrolDays: Int
        var problem: String?
        var seq: Int?
    }

    func run() throws {
        let check = try store.openForReading().verifyLedger(policy: store.patrolSettings().ladder)
        let result = Verification(ok: check.ok, entries: check.entries, patrolDays: check.days, problem: check.problem, seq: check.seq)
        if output.json {
            try Output.line(try Format.json(result))
        } else if let problem = check.problem {
            try Output.line("ledger does NOT verify: \(problem)")
        } else {
            try Output.line("ledger verified: \(check.entries) entries, chain intact, \(check.days) patrol days, re-derived identically")
        }
        if !check.ok { throw ExitCode(CommandFailure.Exit.failure.rawValue) }
    }
}
