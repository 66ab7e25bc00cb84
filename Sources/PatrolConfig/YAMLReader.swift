import Yams

/// Reads a YAML mapping key by key, so that every problem names the key path and its line,
/// and a key nobody asked for (a typo) is an error rather than silently ignored. The
/// configuration is read with it, and so are other files in its manner (patrol-bench's scenarios).
public struct YAMLReader {
    public let file: String
    public let path: String
    let node: Node.Mapping
    /// The line of the mapping's key (or the document's first line).
    public let line: Int?
    private var used: Set<String> = []

    init(file: String, path: String, node: Node.Mapping, line: Int?) {
        self.file = file
        self.path = path
        self.node = node
        self.line = line
    }

    private func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// A YAML document whose top is a mapping; nil when the document is empty.
    public static func document(_ text: String, file: String) throws(ConfigError) -> YAMLReader? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(file: file, line: Configuration.line(of: error), key: nil,
                              reason: "not valid YAML: \(Configuration.problem(of: error))")
        } catch {
            throw ConfigError(file: file, line: nil, key: nil, reason: "not valid YAML: \(error)")
        }
        guard let root else { return nil }
        guard let mapping = root.mapping else {
            throw ConfigError(file: file, line: root.mark?.line, key: nil, reason: "expected a mapping of keys at the top")
        }
        return YAMLReader(file: file, path: "", node: mapping, line: 1)
    }

    /// A problem with `key`'s value, at its line.
    public func error(_ key: String, _ reason: String) -> ConfigError { error(key, reason, at: mark(of: key)) }

    func error(_ key: String, _ reason: String, at mark: Mark?) -> ConfigError {
        ConfigError(file: file, line: mark?.line ?? line, key: qualified(key), reason: reason)
    }

    /// Where `key`'s value is written, for errors about a value read as text.
    /// The line of `key`'s value, or the section's when it has no such key.
    public func line(of key: String) -> Int? { mark(of: key)?.line ?? line }

    func mark(of key: String) -> Mark? { node.first { $0.key.string == key }?.value.mark }

    private mutating func value(_ key: String) -> Node? {
        used.insert(key)
        return node.first { $0.key.string == key }?.value
    }

    /// Whether the mapping has `key` (without reading it).
    public func has(_ key: String) -> Bool { node.contains { $0.key.string == key } }

    /// A list of sections (`- key: value` items), each read in the list's path as `key[n]`.
    public mutating func sections(_ key: String) throws -> [YAMLReader]? {
        guard let value = value(key) else { return nil }
        guard let sequence = value.sequence else { throw error(key, "expected a list of sections", at: value.mark) }
        return try sequence.enumerated().map { index, item in
            guard let mapping = item.mapping else { throw error("\(key)[\(index + 1)]", "expected a section of keys", at: item.mark) }
            return YAMLReader(file: file, path: qualified("\(key)[\(index + 1)]"), node: mapping, line: item.mark?.line)
        }
    }

    public mutating func section(_ key: String) throws -> YAMLReader? {
        guard let value = value(key) else { return nil }
        guard let mapping = value.mapping else { throw error(key, "expected a section of keys", at: value.mark) }
        return YAMLReader(file: file, path: qualified(key), node: mapping, line: value.mark?.line)
    }

    public mutating func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .scalar(let scalar) = value, !scalar.string.isEmpty else {
            throw error(key, "expected a text value", at: value.mark)
        }
        return scalar.string
    }

    public mutating func number(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let value = value(key) else { return nil }
        guard let number = value.float ?? value.int.map(Double.init) else {
            throw error(key, "expected a number, got '\(value.string ?? "a section")'", at: value.mark)
        }
        guard range.contains(number) else {
            throw error(key, "\(number) is out of range (\(range.lowerBound)...\(range.upperBound))", at: value.mark)
        }
        return number
    }

    public mutating func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = value(key) else { return nil }
        guard let number = value.int else {
            throw error(key, "expected a whole number, got '\(value.string ?? "a section")'", at: value.mark)
        }
        guard range.contains(number) else {
            throw error(key, "\(number) is out of range (\(range.lowerBound)...\(range.upperBound))", at: value.mark)
        }
        return number
    }

    public mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, of type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let made = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(key, "'\(text)' is not one of: \(allowed)", at: mark(of: key))
        }
        return made
    }

    /// A list of texts; a single text is a list of one.
    public mutating func strings(_ key: String) throws -> [String]? {
        guard let value = value(key) else { return nil }
        if case .scalar(let scalar) = value { return scalar.string.isEmpty ? [] : [scalar.string] }
        guard let sequence = value.sequence else { throw error(key, "expected a list of texts", at: value.mark) }
        return try sequence.map { item in
            guard case .scalar(let scalar) = item, !scalar.string.isEmpty else {
                throw error(key, "expected a list of texts", at: item.mark)
            }
            return scalar.string
        }
    }

    /// The keys of the mapping, in order, for sections whose keys are data (names).
    public var keys: [String] { node.compactMap { $0.key.string } }

    /// Fails on the first key that was never asked for.
    public func rejectUnknownKeys() throws {
        for (key, _) in node where !used.contains(key.string ?? "") {
            throw ConfigError(file: file, line: key.mark?.line, key: qualified(key.string ?? "?"), reason: "unknown key")
        }
    }
}
