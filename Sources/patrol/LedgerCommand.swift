import ArgumentParser
import Foundation
import PatrolOutput
import PatrolLedger
import PatrolStore
import PatrolViews

struct LedgerCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "ledger", abstract: say(.ledgerAbstract),
                             subcommands: [LedgerList.self, LedgerVerify.self, LedgerKeygen.self, LedgerRotateKey.self],
                             defaultSubcommand: LedgerList.self)
    }
}

struct LedgerList: ReadCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: say(.ledgerListAbstract), discussion: say(.ledgerListDiscussion))
    }

    @Option(help: ArgumentHelp(say(.ledgerHelpVenue), valueName: "venue-id"), completion: Completion.venues)
    var venue: String?

    @Option(help: ArgumentHelp(say(.ledgerHelpSince), valueName: "day"))
    var since: String?

    @Option(help: ArgumentHelp(say(.ledgerHelpKind, EntryKind.allCases.map(\.rawValue).joined(separator: ", ")), valueName: "kind"))
    var kind: [String] = []

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var list: ListOptions

    func validate() throws {
        if let since, PatrolDay(since) == nil { throw ValidationError(say(.notADay, "--since", since)) }
        for kind in kind where EntryKind(rawValue: kind) == nil {
            throw ValidationError(say(.ledgerKindNotOneOf, kind, EntryKind.allCases.map(\.rawValue).joined(separator: ", ")))
        }
    }

    /// The entries found; `--limit` keeps the newest.
    func report(from store: Store, now: Date) throws -> Listing<EntryView> {
        Listing("entries", try Reader(store: store, settings: self.store.patrolSettings())
            .ledger(venue: venue, kinds: kind.compactMap(EntryKind.init), since: since.flatMap(PatrolDay.init)),
                limit: list.limit, keepsLast: true)
    }

    func text(_ listing: Listing<EntryView>, now: Date) -> String {
        listing.all.isEmpty ? say(.ledgerNoEntries)
            : EntryView.table(listing.shown, showVenue: venue == nil) + (listing.note.map { "\n" + $0 } ?? "")
    }
}

struct LedgerVerify: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "verify", abstract: say(.verifyAbstract), discussion: say(.verifyDiscussion))
    }

    @Option(help: ArgumentHelp(say(.verifyHelpHead), valueName: "HASH:N"))
    var head: String?

    @Option(help: ArgumentHelp(say(.verifyHelpPublicKey), valueName: "file"))
    var publicKey: String?

    @OptionGroup var key: LedgerKeyOptions
    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let head, LedgerHead(head) == nil { throw ValidationError(say(.verifyHeadMalformed, head)) }
    }

    func run() throws {
        let trusted = try trustedKey()
        let (check, result) = try Reader(store: store.openForReading(), settings: store.patrolSettings())
            .verify(trusted: trusted, head: head.flatMap(LedgerHead.init))
        if output.json {
            try Output.line(try Format.json(result))
        } else if let problem = check.problem {
            try Output.line(say(.verifyFailed, problem))
        } else {
            try Output.line(say(.verifyPassed, check.entries, check.days) + (head.map { say(.verifyMatchesHead, $0) } ?? ""))
            try Output.line(say(.verifySeals, Explain.sealing(check)))
            if check.pictures + check.missingPictures.count > 0 {
                try Output.line(say(.verifyPictures, check.pictures)
                    + (check.missingPictures.isEmpty ? "" : say(.verifyPicturesMissing, check.missingPictures.count,
                                                                 check.missingPictures.joined(separator: ", "))))
            }
            if let head = check.head { try Output.line(say(.verifyHead, head)) }
        }
        if !check.ok { throw ExitCode(CommandFailure.Exit.failure.rawValue) }
    }

    /// `--public-key`, else the one beside the ledger key; nil when there is neither.
    private func trustedKey() throws -> String? {
        do {
            if let publicKey {
                guard let key = try LedgerKeyFile.publicKey(at: publicKey) else {
                    throw CommandFailure(message: say(.verifyCannotReadPublicKey, publicKey), exit: .configuration)
                }
                return key
            }
            return try store.ledgerKeyFile(key.ledgerKey).trustedPublicKey()
        } catch let error as CommandFailure {
            throw error
        } catch let error as LedgerKeyError {
            throw CommandFailure(message: Explain.ledgerKey(error), exit: .configuration)
        } catch {
            throw CommandFailure(message: "\(error)", exit: .configuration)
        }
    }
}

struct LedgerKeygen: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "keygen", abstract: say(.keygenAbstract), discussion: say(.keygenDiscussion))
    }

    @OptionGroup var key: LedgerKeyOptions
    @OptionGroup var store: DatabaseOptions

    func run() throws {
        let file = try store.ledgerKeyFile(key.ledgerKey)
        let made: LedgerKey
        do {
            made = try file.create()
        } catch .exists(let path) {
            throw CommandFailure(message: Explain.ledgerKey(.exists(path: path)), exit: .invalidInput)
        } catch {
            throw CommandFailure(message: Explain.ledgerKey(error), exit: .databaseUnavailable)
        }
        try Output.line(say(.keygenPrivate, file.path))
        try Output.line(say(.keygenPublic, file.publicPath, made.publicKey))
        try Output.line(say(.keygenBackUp))
    }
}

struct LedgerRotateKey: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "rotate-key", abstract: say(.rotateAbstract), discussion: say(.rotateDiscussion))
    }

    @Option(help: ArgumentHelp(say(.rotateHelpNewKey), valueName: "file"))
    var newKey: String

    @OptionGroup var act: ActOptions

    func run() throws {
        let current = try act.store.ledgerKeyFile(act.key.ledgerKey)
        let incoming = LedgerKeyFile(path: newKey)
        let new: LedgerKey
        do {
            guard let loaded = try incoming.load() else {
                throw CommandFailure(message: say(.rotateNoKey, newKey), exit: .notFound)
            }
            new = loaded
        } catch let error as LedgerKeyError {
            throw CommandFailure(message: Explain.ledgerKey(error), exit: .configuration)
        }
        let database = try act.store.openSealingStore(ledgerKey: act.key.ledgerKey)
        let entry: LedgerEntry
        do {
            entry = try database.rotateKey(to: new, day: try act.store.today(), by: act.by, reason: act.reason)
        } catch let error as LedgerKeyError {
            throw CommandFailure(message: Explain.ledgerKey(error), exit: .configuration)
        }
        let views = [EntryView(entry)]
        try Output.line(act.output.json ? try Format.json(Listing("entries", views)) : say(.actRecorded) + "\n" + EntryView.table(views))
        do {
            try incoming.move(to: current)
            if !act.output.json {
                try Output.line(say(.ledgerHeadReceipt, LedgerHead(seq: entry.seq, hash: entry.hash)))
                try Output.line(say(.rotateDone, current.path, LedgerKey.fingerprint(new.publicKey)))
            }
        } catch {
            throw CommandFailure(message: say(.rotateMoveFailed, LedgerKey.fingerprint(new.publicKey),
                                              (error as? LedgerKeyError).map(Explain.ledgerKey) ?? "\(error)", incoming.path, current.path,
                                              incoming.publicPath, current.publicPath),
                                 exit: .configuration)
        }
    }
}
