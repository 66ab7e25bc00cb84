import Foundation
import GRDB

extension Store {
    /// Why the database could not be read.
    public enum ReadError: Error, Equatable, CustomStringConvertible {
        /// No file at the path: reading never creates one.
        case missing(path: String)
        /// Another process holds the database exclusively (a recovery, a checkpoint, a tool).
        case locked(path: String)
        /// A file, but not Patrol's database (or not a database at all).
        case notPatrol(path: String)
        /// Patrol's database, not yet upgraded to this version's tables (patrold upgrades it when
        /// it starts).
        case outdated(path: String)
        /// Made by a newer Patrol than this one.
        case newer(path: String)
        case unavailable(path: String, reason: String)

        public var description: String {
            switch self {
            case .missing(let path): "no database at \(path)"
            case .locked(let path): "the database \(path) is locked by another process"
            case .notPatrol(let path): "\(path) is not a Patrol database"
            case .outdated(let path): "the database \(path) is from an older Patrol"
            case .newer(let path): "the database \(path) is from a newer Patrol"
            case .unavailable(let path, let reason): "cannot read the database \(path): \(reason)"
            }
        }
    }

    /// Opens the database at `path` for reading only, beside a running daemon (WAL). It never
    /// creates or migrates a database; it checks that the file holds Patrol's tables. A lock
    /// held longer than `wait` seconds (a checkpoint, the recovery after a crash) is `locked`.
    public static func reading(_ path: String, wait: Double = 5) throws(ReadError) -> Store {
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(path: path) }
        do {
            // A first look through a plain connection, whose errors keep SQLite's result code.
            var configuration = Configuration()
            configuration.readonly = true
            // Wait out a short exclusive lock (a checkpoint, the recovery after a crash).
            configuration.busyMode = .timeout(wait)
            let tables = try DatabaseQueue(path: path, configuration: configuration).read { db in
                try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM sqlite_master
                    WHERE type = 'table' AND name IN ('venue', 'camera', 'camera_state', 'probe_result')
                    """) ?? 0
            }
            guard tables == 4 else { throw ReadError.notPatrol(path: path) }
            let store = try Store(path: path, readOnly: true)
            let (superseded, complete) = try store.pool.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
            }
            if superseded { throw ReadError.newer(path: path) }
            if !complete { throw ReadError.outdated(path: path) }
            return store
        } catch let error as ReadError {
            throw error
        } catch let error as DatabaseError {
            throw classify(error, path: path)
        } catch Store.OpenError.unavailable(_, let reason) {
            throw .unavailable(path: path, reason: reason)
        } catch {
            throw .unavailable(path: path, reason: "\(error)")
        }
    }

    private static func classify(_ error: DatabaseError, path: String) -> ReadError {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: .locked(path: path)
        case .SQLITE_NOTADB: .notPatrol(path: path)
        default: .unavailable(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }
}

/// A stored name that no case of its type has: a row written by a newer Patrol, or edited by hand.
public struct UnknownStoredValue: Error, Equatable, CustomStringConvertible {
    public var column: String
    public var value: String

    public var description: String { "\(column) holds '\(value)', which this version of Patrol does not know" }

    /// The stored `column` of `row` as its enum.
    static func decode<Value: RawRepresentable>(_ row: Row, _ column: String) throws -> Value where Value.RawValue == String {
        let raw: String = row[column]
        guard let value = Value(rawValue: raw) else { throw UnknownStoredValue(column: column, value: raw) }
        return value
    }
}
