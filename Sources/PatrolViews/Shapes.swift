import Foundation
import PatrolProbe
import PatrolStore

/// The JSON the command line's `--json` writes and the console's API answers: one form for both.
public enum Shapes {
    /// Stable JSON for scripts: one object with `schema_version` beside the value's fields,
    /// snake_case fields, sorted, times as JSONTime writes them (UTC, to the millisecond).
    /// A list handed over whole (`patrol report outbox`) goes in an object under its name.
    /// - Parameter versioned: false for a value that holds its own `schema_version` (a file's).
    public static func json(_ value: some Encodable, versioned: Bool = true) throws -> String {
        String(decoding: try data(value, versioned: versioned), as: UTF8.self)
    }

    /// The same, as bytes.
    public static func data(_ value: some Encodable, versioned: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = JSONTime.encoding
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return if !versioned { try encoder.encode(value) }
            else if let list = value as? any NamedList { try encoder.encode(list.versioned) }
            else { try encoder.encode(Versioned(value)) }
    }
}

/// A command's JSON: `schema_version` (docs/CLI.md says what each version holds) beside the
/// fields of the value, which must encode as an object (a list goes in one: `Listing`).
public struct Versioned<Value: Encodable>: Encodable {
    /// The version of the shapes docs/CLI.md documents; it changes when a field is removed or
    /// changes its meaning, not when one is added.
    public static var schemaVersion: Int { 1 }

    public var value: Value

    public init(_ value: Value) { self.value = value }

    enum Key: String, CodingKey { case schemaVersion = "schema_version" }

    public func encode(to encoder: Encoder) throws {
        try value.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(Self.schemaVersion, forKey: .schemaVersion)
    }
}

/// A listing: every item found, of which `--limit` shows the first (or, for the ledger, the
/// newest) few. JSON holds the items shown under their name (`cameras`, `venues`, `entries`…)
/// and `total`, how many were found.
public struct Listing<Item: Encodable>: Encodable {
    public var name: String
    public var all: [Item]
    public var limit: Int?
    /// Whether `limit` keeps the last items (the newest entries of the ledger) rather than the first.
    public var keepsLast = false

    public init(_ name: String, _ all: [Item], limit: Int? = nil, keepsLast: Bool = false) {
        self.name = name
        self.all = all
        self.limit = limit
        self.keepsLast = keepsLast
    }

    public var shown: [Item] {
        guard let limit, limit < all.count else { return all }
        return keepsLast ? Array(all.suffix(limit)) : Array(all.prefix(limit))
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(shown, forKey: Key(stringValue: name))
        try container.encode(all.count, forKey: Key(stringValue: "total"))
    }
}

/// A list of values whose JSON goes under a name of its own.
public protocol NamedList {
    /// The list in its object, with `schema_version`.
    var versioned: any Encodable { get }
}

/// The outbox's messages: `{"messages": [...], "total": N, "schema_version": 1}`.
extension Array: NamedList where Element == OutboxEntry {
    public var versioned: any Encodable { Versioned(Listing("messages", self)) }
}

/// A report with one more field beside its own: `{...report's fields, "ladder": ...}` in JSON.
public struct WithLadder<Base: Encodable, Ladder: Encodable>: Encodable {
    public var base: Base
    public var ladder: Ladder

    public init(base: Base, ladder: Ladder) {
        self.base = base
        self.ladder = ladder
    }

    enum Key: String, CodingKey { case ladder }

    public func encode(to encoder: Encoder) throws {
        try base.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(ladder, forKey: .ladder)
    }
}

extension Versioned: Sendable where Value: Sendable {}
extension Listing: Sendable where Item: Sendable {}
extension WithLadder: Sendable where Base: Sendable, Ladder: Sendable {}
