import ArgumentParser
import Foundation
import PatrolConfig
import PatrolStore

/// Where the command line finds the database: `--db` (and `--vault`), or the configuration file.
struct StoreOptions: ParsableArguments {
    @Option(help: "Configuration file (YAML); gives the database and credential vault paths.")
    var config: String?

    @Option(help: "Database file (overrides the configuration's).")
    var db: String?

    @Option(help: "Credential vault file (overrides the configuration's).")
    var vault: String?

    static let defaultConfig = "/etc/patrol/patrol.yaml"

    func configuration() throws -> Configuration {
        if let config { return try load(config) }
        if db == nil, FileManager.default.fileExists(atPath: Self.defaultConfig) { return try load(Self.defaultConfig) }
        return Configuration()
    }

    private func load(_ path: String) throws -> Configuration {
        do {
            return try Configuration.load(path)
        } catch {
            throw CommandFailure(message: "\(error)", exit: .configuration)
        }
    }

    func openStore() throws -> Store {
        let path = try db ?? configuration().database
        do {
            return try Store(path: path)
        } catch {
            throw CommandFailure(message: "\(error)", exit: .databaseUnavailable)
        }
    }

    func openVault() throws -> CredentialVault {
        let path: String
        if let vault {
            path = vault
        } else if let db {
            path = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("credentials.sqlite").path
        } else {
            path = try configuration().credentials
        }
        do {
            return try CredentialVault(path: path)
        } catch {
            throw CommandFailure(message: "\(error)", exit: .databaseUnavailable)
        }
    }
}

/// A failure with a one-line message and a documented exit status; never a stack trace.
struct CommandFailure: Error, CustomStringConvertible {
    enum Exit: Int32 {
        case failure = 1
        case invalidInput = 65
        case databaseUnavailable = 74
        case configuration = 78
    }

    var message: String
    var exit: Exit
    var description: String { message }
}
