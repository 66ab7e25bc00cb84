import PatrolCrypto
import Foundation

/// The ledger's signing key: an Ed25519 key pair. Whoever writes the ledger (patrold, an
/// operator's act run as the service user) signs with the private key; whoever holds the public
/// key verifies, and cannot forge. docs/LEDGER.md says why Ed25519 rather than a keyed hash.
public struct LedgerKey: Sendable {
    /// The private key's raw 32 bytes.
    let raw: Data

    public init(_ signing: Ed25519.PrivateKey = Ed25519.PrivateKey()) {
        raw = signing.rawRepresentation
    }

    var signing: Ed25519.PrivateKey { try! Ed25519.PrivateKey(rawRepresentation: raw) }

    /// The public key, hex: what the ledger names and verifiers compare with.
    public var publicKey: String { Hex.encode(signing.publicKey.rawRepresentation) }

    public func sign(_ message: Data) throws -> String {
        Hex.encode(try signing.signature(for: message))
    }

    /// Whether `signature` (hex) is `publicKey`'s (hex) over `message`.
    public static func check(_ signature: String, of message: Data, by publicKey: String) -> Bool {
        guard let raw = Hex.decode(publicKey), let key = try? Ed25519.PublicKey(rawRepresentation: raw),
              let signature = Hex.decode(signature)
        else { return false }
        return key.isValidSignature(signature, for: message)
    }

    /// The first 16 hex digits of a public key: enough for a person to tell keys apart.
    public static func fingerprint(_ publicKey: String) -> String { String(publicKey.prefix(16)) }
}

/// Where the ledger key lives: a file readable by the service user alone (mode 0600), holding
/// the private key in hex; beside it `<path>.pub`, the public key, which anyone may read.
public struct LedgerKeyFile: Sendable, Equatable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    public var publicPath: String { path + ".pub" }

    /// The key, or nil when there is no file. A file others than its owner may read is refused.
    public func load() throws(LedgerKeyError) -> LedgerKey? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { return nil }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else { throw .exposed(path: path, mode: mode) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied (it must be readable by the service user)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Hex.decode(text), let key = try? Ed25519.PrivateKey(rawRepresentation: raw) else {
            throw .malformed(path: path)
        }
        return LedgerKey(key)
    }

    /// Makes a new key: the private key with mode 0600 (never over an existing file), and the
    /// public key beside it.
    @discardableResult
    public func create() throws(LedgerKeyError) -> LedgerKey {
        let key = LedgerKey()
        try write(Hex.encode(key.raw) + "\n", to: path, mode: 0o600, exclusive: true)
        try writePublic(key)
        return key
    }

    /// Moves this key (and its public key) to `other`'s place: the last step of a rotation.
    public func move(to other: LedgerKeyFile) throws(LedgerKeyError) {
        for (from, to) in [(path, other.path), (publicPath, other.publicPath)] where rename(from, to) != 0 {
            throw .unwritable(path: to, reason: String(cString: strerror(errno)))
        }
    }

    /// The public key a verifier trusts: `<path>.pub`, else the private key's when readable.
    public func trustedPublicKey() throws(LedgerKeyError) -> String? {
        if let key = try Self.publicKey(at: publicPath) { return key }
        guard access(path, R_OK) == 0 else { return nil }
        return try load()?.publicKey
    }

    /// The public key in a `.pub` file (hex); nil when there is no such file.
    public static func publicKey(at path: String) throws(LedgerKeyError) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Hex.decode(text), (try? Ed25519.PublicKey(rawRepresentation: raw)) != nil else {
            throw .malformed(path: path)
        }
        return text.lowercased()
    }

    private func writePublic(_ key: LedgerKey) throws(LedgerKeyError) {
        let staging = publicPath + ".new"
        unlink(staging)
        try write(key.publicKey + "\n", to: staging, mode: 0o644, exclusive: true)
        guard rename(staging, publicPath) == 0 else { throw .unwritable(path: publicPath, reason: String(cString: strerror(errno))) }
    }

    private func write(_ text: String, to path: String, mode: mode_t, exclusive: Bool) throws(LedgerKeyError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC), mode)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw .exists(path: path) }
            throw .unwritable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard Glibc.write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
            throw .unwritable(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

public enum LedgerKeyError: Error, Equatable, CustomStringConvertible {
    case exposed(path: String, mode: mode_t)
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    case malformed(path: String)
    case exists(path: String)
    /// The ledger is sealed, and the key to go on sealing it is not there.
    case missing(path: String, sealedBy: String)
    /// There is no key yet, and it cannot be made where it is to live (patrold at first start).
    case notCreated(path: String, reason: String)
    /// The file holds another key than the one that sealed the ledger last.
    case superseded(path: String, holds: String, sealedBy: String)

    public var description: String {
        switch self {
        case .exposed(let path, let mode):
            "the ledger key \(path) may be read by others than its owner (mode \(String(mode, radix: 8))): "
                + "run `chmod 600 \(path)`, and make a new key (`patrol ledger rotate-key`) if anyone else may have read it"
        case .unreadable(let path, let reason): "cannot read the ledger key \(path): \(reason)"
        case .unwritable(let path, let reason): "cannot write the ledger key \(path): \(reason)"
        case .malformed(let path): "the ledger key \(path) is not an Ed25519 key in hex"
        case .exists(let path): "the ledger key \(path) exists already: a key is never overwritten (`patrol ledger rotate-key` replaces one)"
        case .missing(let path, let key):
            "the ledger is sealed by key \(LedgerKey.fingerprint(key)), but the ledger key \(path) is missing: point "
                + "ledger_key (or --ledger-key) at it, or restore it from its backup (docs/DEPLOY.md); Patrol does not write "
                + "unsealed entries into a sealed ledger"
        case .notCreated(let path, let reason):
            "there is no ledger key \(path) yet, and patrold cannot make it (\(reason)): make it with `patrol ledger keygen` "
                + "as root and give it to the service user (docs/DEPLOY.md)"
        case .superseded(let path, let holds, let key):
            "the ledger key \(path) is key \(LedgerKey.fingerprint(holds)), but the ledger was last sealed by key "
                + "\(LedgerKey.fingerprint(key)): after a rotation put the new key in its place; otherwise restore the right key "
                + "from its backup (docs/DEPLOY.md)"
        }
    }
}

/// A signed head of the ledger: every entry the seals before it did not cover, by hash, and for
/// a patrol day, the digest of that day's verdicts. Written in the transaction that wrote those
/// entries, so a writer without the key can neither add nor change a sealed entry or verdict.
public struct Seal: Sendable, Equatable {
    public var id: Int
    public var headSeq: Int
    public var headHash: String
    /// The first entry listed: the one after the previous seal's head.
    public var fromSeq: Int
    /// The hashes of entries `fromSeq...headSeq`, as they were sealed.
    public var hashes: [String]
    /// On the first seal: entries `1...predates` were written before the ledger was sealed, and
    /// patrol days up to `predatesDay` were judged before then.
    public var predates: Int
    public var predatesDay: PatrolDay?
    /// The patrol day this seal closes, and the SHA-256 of its verdict rows.
    public var day: PatrolDay?
    public var verdicts: String?
    /// The public key that signed (hex).
    public var publicKey: String
    public var at: String
    public var signature: String

    public init(id: Int = 0, headSeq: Int, headHash: String, fromSeq: Int, hashes: [String], predates: Int = 0,
                predatesDay: PatrolDay? = nil, day: PatrolDay? = nil, verdicts: String? = nil, publicKey: String,
                at: String, signature: String = "") {
        self.id = id
        self.headSeq = headSeq
        self.headHash = headHash
        self.fromSeq = fromSeq
        self.hashes = hashes
        self.predates = predates
        self.predatesDay = predatesDay
        self.day = day
        self.verdicts = verdicts
        self.publicKey = publicKey
        self.at = at
        self.signature = signature
    }

    /// What is signed: every field but the signature, length-prefixed like an entry's encoding.
    public var message: Data {
        let fields: [(String, String?)] = [
            ("head_seq", String(headSeq)), ("head_hash", headHash), ("from_seq", String(fromSeq)),
            ("hashes", hashes.joined(separator: ",")), ("predates", String(predates)), ("predates_day", predatesDay?.description),
            ("day", day?.description), ("verdicts", verdicts), ("public_key", publicKey), ("at", at),
        ]
        return Data(("patrol ledger seal v1\n" + LedgerEntry.canonical(fields)).utf8)
    }

    public func signed(by key: LedgerKey) throws -> Seal {
        var seal = self
        seal.publicKey = key.publicKey
        seal.signature = try key.sign(seal.message)
        return seal
    }

    public var signatureHolds: Bool { LedgerKey.check(signature, of: message, by: publicKey) }

    /// The entries it covers, for messages: `#4–#9`, `#4`, or `no new entry`.
    public var range: String {
        if headSeq < fromSeq { return "no new entry" }
        return headSeq == fromSeq ? "#\(headSeq)" : "#\(fromSeq)–#\(headSeq)"
    }
}

/// A ledger head as it leaves the machine: `HASH:N`, the hash of entry N (the report prints it).
public struct LedgerHead: Sendable, Equatable, CustomStringConvertible {
    public var seq: Int
    public var hash: String

    public init(seq: Int, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// `HASH:N`, with N ≥ 1 and HASH 64 hex digits.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = Int(parts[1]), seq >= 1, parts[0].count == 64,
              parts[0].allSatisfy({ $0.isHexDigit }) else { return nil }
        self.init(seq: seq, hash: parts[0].lowercased())
    }

    public var description: String { "\(hash):\(seq)" }
}

extension Step {
    /// A change of the ledger key, for the whole district: sealed by the old key, it names the
    /// new one, so the seals after it verify under a key the ledger itself introduced.
    public static func keyRotation(to new: String, from old: String, day: PatrolDay, by actor: String, reason: String) -> Step {
        Step(venueID: "*", kind: .keyRotated, day: day, reason: "ledger key \(LedgerKey.fingerprint(old)) → \(LedgerKey.fingerprint(new)): \(reason)",
             evidence: Evidence.encode(["ledger_key": new, "previous_key": old]), actor: actor)
    }

    /// The keys a rotation names: the new one and the one it replaces.
    public var rotation: (to: String, from: String)? {
        guard kind == .keyRotated,
              let keys = try? JSONDecoder().decode([String: String].self, from: Data(evidence.utf8)),
              let new = keys["ledger_key"], let old = keys["previous_key"] else { return nil }
        return (new, old)
    }
}
