import PatrolCrypto
import Foundation
import PatrolInventory
import PatrolProbe

/// What a ledger entry records.
public enum EntryKind: String, Codable, Sendable, CaseIterable {
    // Steps the daily patrol derives from the verdicts (actor `patrol`).
    case order
    case rectified
    case deadlineExtended = "deadline_extended"
    case deadlineMissed = "deadline_missed"
    case relapse
    case warning
    case suspension
    case closure
    case commended
    // Operator acts (actor: the operator's name), and tier changes either way.
    case tierChanged = "tier_changed"
    case supervisorChanged = "supervisor_changed"
    case waiver
    case reinstated
    case seriousViolation = "serious_violation"
    case revoked
    case note
    /// The ledger key changed: sealed by the old key, naming the new one (docs/LEDGER.md).
    case keyRotated = "key_rotated"
}

/// One line of the ledger: a sealed step, append-only, chained by SHA-256 to the line before.
/// The step's fields read straight through: `entry.kind`, `entry.deadline`.
@dynamicMemberLookup
public struct LedgerEntry: Sendable, Equatable {
    public var seq: Int
    public var step: Step
    /// When the entry was written: UTC, ISO 8601 with milliseconds.
    public var at: String
    public var previousHash: String
    public var hash: String

    public init(seq: Int, step: Step, at: String, previousHash: String, hash: String) {
        self.seq = seq
        self.step = step
        self.at = at
        self.previousHash = previousHash
        self.hash = hash
    }

    public subscript<T>(dynamicMember keyPath: WritableKeyPath<Step, T>) -> T {
        get { step[keyPath: keyPath] }
        set { step[keyPath: keyPath] = newValue }
    }

    public static let genesis = String(repeating: "0", count: 64)
    public static let patrolActor = "patrol"
    public static let inventoryActor = "inventory"

    public var isDerived: Bool { step.actor == Self.patrolActor }

    /// Every field but the hash, length-prefixed so no two entries encode alike.
    public var canonicalEncoding: String {
        let fields: [(String, String?)] = [
            ("seq", String(seq)), ("venue", step.venueID), ("kind", step.kind.rawValue), ("day", step.day.description),
            ("deadline", step.deadline?.description), ("until", step.until?.description), ("tier", step.tier?.rawValue),
            ("supervisor", step.supervisor), ("refers_to", step.refersTo.map(String.init)), ("reason", step.reason),
            ("evidence", step.evidence), ("actor", step.actor), ("at", at), ("previous", previousHash),
        ]
        return Self.canonical(fields)
    }

    /// `name=LENGTH:value` lines, `name=-` for none: no two lists of fields encode alike.
    static func canonical(_ fields: [(String, String?)]) -> String {
        fields.map { name, value in
            guard let value else { return "\(name)=-\n" }
            return "\(name)=\(value.utf8.count):\(value)\n"
        }.joined()
    }

    public var computedHash: String {
        Hex.sha256(Data(canonicalEncoding.utf8))
    }

    /// An entry's `at`, as hashed: JSONTime's form, the one every time in Patrol's JSON takes.
    public static func timestamp(_ date: Date) -> String { JSONTime.string(date) }
}

/// A chain that does not hold: the first entry that does not match, and how.
public struct ChainBreak: Error, Sendable, Equatable, CustomStringConvertible {
    public var seq: Int
    public var problem: String

    public var description: String { "ledger entry #\(seq) \(problem)" }
}

public enum Chain {
    /// Checks sequence numbers run 1, 2, 3… without a gap, that each entry names its
    /// predecessor's hash, and that each hash matches the entry's content.
    public static func verify(_ entries: [LedgerEntry]) -> ChainBreak? {
        var previous = LedgerEntry.genesis
        for (index, entry) in entries.enumerated() {
            if entry.seq != index + 1 {
                return ChainBreak(seq: index + 1, problem: "is missing (found #\(entry.seq) in its place)")
            }
            if entry.previousHash != previous {
                return ChainBreak(seq: entry.seq, problem: "does not follow from #\(entry.seq - 1): its previous hash differs")
            }
            if entry.computedHash != entry.hash {
                return ChainBreak(seq: entry.seq, problem: "was altered: its content no longer matches its hash")
            }
            previous = entry.hash
        }
        return nil
    }

    /// Seals `step` as entry `seq` after `previous` (the hash of the entry before, or genesis).
    public static func seal(_ step: Step, seq: Int, at: Date, after previous: String) -> LedgerEntry {
        var entry = LedgerEntry(seq: seq, step: step, at: LedgerEntry.timestamp(at), previousHash: previous, hash: "")
        entry.hash = entry.computedHash
        return entry
    }
}

/// An entry before it is sealed into the ledger: what the ladder derives or an operator records.
public struct Step: Sendable, Equatable, CustomStringConvertible {
    public var venueID: String
    public var kind: EntryKind
    public var day: PatrolDay
    public var deadline: PatrolDay?
    public var until: PatrolDay?
    public var tier: Tier?
    public var supervisor: String?
    public var refersTo: Int?
    public var reason: String
    public var evidence: String
    public var actor: String

    public init(venueID: String, kind: EntryKind, day: PatrolDay, deadline: PatrolDay? = nil, until: PatrolDay? = nil,
                tier: Tier? = nil, supervisor: String? = nil, refersTo: Int? = nil, reason: String,
                evidence: String = Evidence.none, actor: String = LedgerEntry.patrolActor) {
        self.venueID = venueID
        self.kind = kind
        self.day = day
        self.deadline = deadline
        self.until = until
        self.tier = tier
        self.supervisor = supervisor
        self.refersTo = refersTo
        self.reason = reason
        self.evidence = evidence
        self.actor = actor
    }

    /// What makes two derived steps the same step, whatever their wording.
    public var identity: String {
        [kind.rawValue, day.description, deadline?.description ?? "-", tier?.rawValue ?? "-", supervisor ?? "-",
         refersTo.map(String.init) ?? "-"].joined(separator: "|")
    }

    public var description: String {
        var text = "\(day) \(venueID) \(kind.rawValue)"
        if let deadline { text += " until \(deadline)" }
        if let tier { text += " -> \(tier.rawValue)" }
        if let supervisor { text += " (\(supervisor))" }
        return text
    }
}
