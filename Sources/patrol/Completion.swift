import ArgumentParser
import Foundation
import PatrolConfig
import PatrolStore

/// What a shell completes for Patrol's ids, read from the database the command line names
/// (`--db`, or the `database` of `--config`, or of /etc/patrol/patrol.yaml): read-only, no
/// waiting on a lock, and nothing at all on any failure, since a completion must never print an
/// error into the operator's prompt.
enum Completion {
    /// Venue ids in service starting with the word being typed.
    static let venues = CompletionKind.custom { words, _, prefix in
        ids(words: words) { try $0.venueIDs(startingWith: prefix) }
    }

    /// Camera ids in service starting with the word being typed.
    static let cameras = CompletionKind.custom { words, _, prefix in
        ids(words: words) { try $0.cameraIDs(startingWith: prefix) }
    }

    private static func ids(words: [String], _ read: (Store) throws -> [String]) -> [String] {
        guard let path = database(words: words), let store = try? Store.reading(path, wait: 0) else { return [] }
        return (try? read(store)) ?? []
    }

    /// The database the words name: `--db PATH` (or `--db=PATH`), else `--config FILE`'s, else the
    /// default configuration's when it exists; nil when a configuration cannot be read.
    static func database(words: [String]) -> String? {
        if let db = value(of: "--db", in: words) { return db }
        if let config = value(of: "--config", in: words) { return try? Configuration.load(config).database }
        guard FileManager.default.fileExists(atPath: DatabaseOptions.defaultConfig) else { return Configuration().database }
        return try? Configuration.load(DatabaseOptions.defaultConfig).database
    }

    /// The last value given to `option` among the shell's words, unquoted, `~/` expanded.
    static func value(of option: String, in words: [String]) -> String? {
        var found: String?
        for (index, word) in words.enumerated() {
            if word == option, index + 1 < words.count {
                found = words[index + 1]
            } else if word.hasPrefix(option + "=") {
                found = String(word.dropFirst(option.count + 1))
            }
        }
        guard var value = found, !value.isEmpty else { return nil }
        if value.count >= 2, let first = value.first, first == "'" || first == "\"", value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        if value.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            value = home + value.dropFirst()
        }
        return value
    }
}
