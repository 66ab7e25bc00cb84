import ArgumentParser
import Foundation
import PatrolOutput
import PatrolLedger
import PatrolStore

struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The escalation ledger: list its entries, verify the chain and its seals, manage the ledger key.",
        subcommands: [LedgerList.self, LedgerVerify.self, LedgerKeygen.self, LedgerRotateKey.self],
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

    func report(from store: Store, now: Date) throws -> Listing<EntryView> {
        if let venue, try store.venue(id: venue) == nil {
            throw CommandFailure(message: "no venue \(venue): `patrol venues` lists them", exit: .notFound)
        }
        return Listing("entries", try store.ledger(venue: venue, kinds: kind.compactMap(EntryKind.init), since: since.flatMap(PatrolDay.init))
            .map(EntryView.init))
    }

    func text(_ listing: Listing<EntryView>, now: Date) -> String {
        listing.all.isEmpty ? "no ledger entries" : EntryView.table(listing.all, showVenue: venue == nil)
    }
}

struct LedgerVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the ledger: the hash chain, its seals, its end, and that it follows from the stored verdicts.",
        discussion: """
            The seals are checked against the ledger's public key: --public-key, else the `.pub` file beside the \
            ledger key. --head HASH:N, as a daily report printed it, checks that the first N entries are still the ones \
            seen then. Exit status 0 when the ledger holds; 1 naming the first entry that does not match.
            """
    )

    @Option(help: ArgumentHelp("A head seen earlier (a daily report prints it): entry N must still have this hash.",
                               valueName: "HASH:N"))
    var head: String?

    @Option(help: ArgumentHelp("The ledger's public key file (hex) to check the seals against.", valueName: "file"))
    var publicKey: String?

    @OptionGroup var key: LedgerKeyOptions
    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    struct Verification: Encodable {
        var ok: Bool
        var entries: Int
        var patrolDays: Int
        var problem: String?
        var seq: Int?
        /// `HASH:N`: the ledger's last entry.
        var head: String?
        var sealedBy: String?
        var trusted: Bool
        var predates: Int
        /// Pictures cited as evidence that match their hashes, and those missing.
        var pictures: Int
        var missingPictures: [String]
    }

    func validate() throws {
        if let head, LedgerHead(head) == nil { throw ValidationError("--head: '\(head)' is not HASH:N (64 hex digits, a colon, an entry number)") }
    }

    func run() throws {
        let trusted = try trustedKey()
        let check = try store.openForReading().verifyLedger(policy: store.patrolSettings().ladder, trusted: trusted,
                                                            head: head.flatMap(LedgerHead.init))
        let result = Verification(ok: check.ok, entries: check.entries, patrolDays: check.days, problem: check.problem, seq: check.seq,
                                  head: check.head?.description, sealedBy: check.sealedBy, trusted: check.trusted,
                                  predates: check.predates, pictures: check.pictures, missingPictures: check.missingPictures)
        if output.json {
            try Output.line(try Format.json(result))
        } else if let problem = check.problem {
            try Output.line("ledger does NOT verify: \(problem)")
        } else {
            try Output.line("ledger verified: \(check.entries) entries, chain intact, \(check.days) patrol days, re-derived identically "
                + "(reasons and evidence included)\(head.map { ", matches the head \($0)" } ?? "")")
            try Output.line("seals: \(check.sealing)")
            if check.pictures + check.missingPictures.count > 0 {
                try Output.line("pictures: \(check.pictures) cited as evidence match their hashes"
                    + (check.missingPictures.isEmpty ? "" : "; \(check.missingPictures.count) missing from the snapshot directory: "
                        + check.missingPictures.joined(separator: ", ")))
            }
            if let head = check.head { try Output.line("head: \(head)") }
        }
        if !check.ok { throw ExitCode(CommandFailure.Exit.failure.rawValue) }
    }

    /// `--public-key`, else the one beside the ledger key; nil when there is neither.
    private func trustedKey() throws -> String? {
        do {
            if let publicKey {
                guard let key = try LedgerKeyFile.publicKey(at: publicKey) else {
                    throw CommandFailure(message: "cannot read the public key \(publicKey)", exit: .configuration)
                }
                return key
            }
            return try store.ledgerKeyFile(key.ledgerKey).trustedPublicKey()
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(message: "\(error)", exit: .configuration)
        }
    }
}

struct LedgerKeygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make the ledger key (Ed25519): the private key with mode 0600, the public key beside it (.pub).",
        discussion: """
            Never overwrites a key. Run it where the key is to live (the configuration's ledger_key), then give the file \
            to the service user; patrold begins sealing at its next start. patrold makes the key itself at first use \
            when it may write that folder. Back the key up (docs/DEPLOY.md).
            """
    )

    @OptionGroup var key: LedgerKeyOptions
    @OptionGroup var store: DatabaseOptions

    func run() throws {
        let file = try store.ledgerKeyFile(key.ledgerKey)
        let made: LedgerKey
        do {
            made = try file.create()
        } catch .exists(let path) {
            throw CommandFailure(message: "\(LedgerKeyError.exists(path: path))", exit: .invalidInput)
        } catch {
            throw CommandFailure(message: "\(error)", exit: .databaseUnavailable)
        }
        try Output.line("ledger key: \(file.path) (mode 0600: the service user alone may read it)")
        try Output.line("public key: \(file.publicPath): \(made.publicKey)")
        try Output.line("back up the key file now, away from the database (docs/DEPLOY.md)")
    }
}

struct LedgerRotateKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Hand the ledger over to a new key: an entry naming it, sealed by the old key.",
        discussion: """
            Make the new key first (`patrol ledger keygen --ledger-key NEW`). The ledger records the change, sealed \
            by the current key and then by the new one, and the new key (with its .pub) is moved in place of the \
            current one. Stop patrold first: it seals with the key it reads, and only the new key may seal from now on.
            """
    )

    @Option(help: ArgumentHelp("The new key, made by `patrol ledger keygen --ledger-key FILE`.", valueName: "file"))
    var newKey: String

    @OptionGroup var act: ActOptions

    func run() throws {
        let current = try act.store.ledgerKeyFile(act.key.ledgerKey)
        let incoming = LedgerKeyFile(path: newKey)
        let new: LedgerKey
        do {
            guard let loaded = try incoming.load() else {
                throw CommandFailure(message: "no ledger key at \(newKey): make it with `patrol ledger keygen --ledger-key \(newKey)`",
                                     exit: .notFound)
            }
            new = loaded
        } catch let error as LedgerKeyError {
            throw CommandFailure(message: "\(error)", exit: .configuration)
        }
        let database = try act.store.openSealingStore(ledgerKey: act.key.ledgerKey)
        let entry: LedgerEntry
        do {
            entry = try database.rotateKey(to: new, day: try act.store.today(), by: act.by, reason: act.reason)
        } catch let error as LedgerKeyError {
            throw CommandFailure(message: "\(error)", exit: .configuration)
        }
        let views = [EntryView(entry)]
        try Output.line(act.output.json ? try Format.json(Listing("entries", views)) : "recorded:\n" + EntryView.table(views))
        do {
            try incoming.move(to: current)
            if !act.output.json {
                try Output.line("ledger head: \(LedgerHead(seq: entry.seq, hash: entry.hash))")
                try Output.line("\(current.path) is now key \(LedgerKey.fingerprint(new.publicKey)): back it up; the old key is no longer needed")
            }
        } catch {
            throw CommandFailure(message: "the ledger now names key \(LedgerKey.fingerprint(new.publicKey)), but \(error): move "
                + "\(incoming.path) to \(current.path) and \(incoming.publicPath) to \(current.publicPath) before patrold starts again",
                                 exit: .configuration)
        }
    }
}
