import ArgumentParser
import Foundation
import PatrolConfig
import PatrolStore
import PatrolViews

/// Where the command line finds the database: `--db`, or the configuration file.
struct DatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp(say(.helpConfig)), completion: .file())
    var config: String?

    @Option(help: ArgumentHelp(say(.helpDB)), completion: .file())
    var db: String?

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
            throw CommandFailure(message: Explain.storage(error) ?? "\(error)", exit: .databaseUnavailable)
        }
    }

    /// Opens the database read-only; never creates one. Failures are one line saying what to do.
    func openForReading() throws -> Store {
        let path = try db ?? configuration().database
        do throws(Store.ReadError) {
            return try Store.reading(path)
        } catch {
            throw CommandFailure(message: Explain.read(error), exit: .databaseUnavailable)
        }
    }

    /// Seconds without any probe after which `patrol status` calls the data stale: twice the
    /// longest interval between two probes of a camera (its tier's cadence, or the backoff
    /// of a camera that keeps failing).
    func staleAfter() throws -> Double {
        let configuration = try configuration()
        return Reader.staleAfter(cadence: configuration.cadence, backoffLimit: configuration.schedule.backoffLimit)
    }

}

/// The database and the credential vault: `--db` and `--vault`, or the configuration file.
struct StoreOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp(say(.helpVault)), completion: .file())
    var vault: String?

    var db: String? { database.db }
    func configuration() throws -> Configuration { try database.configuration() }
    func openStore() throws -> Store { try database.openStore() }

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
            throw CommandFailure(message: Explain.storage(error) ?? "\(error)", exit: .databaseUnavailable)
        }
    }
}

/// A failure with a one-line message and a documented exit status; never a stack trace.
struct CommandFailure: Error, CustomStringConvertible {
    /// Documented in docs/CLI.md.
    enum Exit: Int32 {
        case failure = 1
        case usage = 64
        case invalidInput = 65
        case notFound = 66
        case cannotCreate = 73
        case databaseUnavailable = 74
        case configuration = 78
    }

    var message: String
    var exit: Exit
    var description: String { message }

    init(message: String, exit: Exit) {
        self.message = message
        self.exit = exit
    }

    /// A question the shared reader could not answer: exit 66, said in the operator's words.
    init(_ failure: Reader.Failure) {
        switch failure {
        case .noVenue(let id): self.init(message: say(.noVenue, id), exit: .notFound)
        case .noCamera(let id): self.init(message: say(.noCamera, id), exit: .notFound)
        case .noDistrict(let name): self.init(message: say(.venuesNoDistrict, name), exit: .notFound)
        case .noSupervisor(let name): self.init(message: say(.venuesNoSupervisor, name), exit: .notFound)
        }
    }
}

extension Store {
    /// The id of the venue `id` names, in whatever case it was typed; exit 66 when there is none.
    func existingVenueID(_ id: String) throws -> String {
        guard let found = try venueID(matching: id) else { throw CommandFailure(message: say(.noVenue, id), exit: .notFound) }
        return found
    }

    /// The id of the camera `id` names, in whatever case it was typed; exit 66 when there is none.
    func existingCameraID(_ id: String) throws -> String {
        guard let found = try cameraID(matching: id) else { throw CommandFailure(message: say(.noCamera, id), exit: .notFound) }
        return found
    }
}
