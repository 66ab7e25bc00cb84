import ArgumentParser
import Foundation
import PatrolOutput
import PatrolInventory
import PatrolStore

struct InventoryCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "inventory", abstract: say(.inventoryAbstract),
                             subcommands: [ImportInventory.self, ExportInventory.self])
    }
}

struct ImportInventory: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "import", abstract: say(.importAbstract), discussion: say(.importDiscussion))
    }

    @Argument(help: "venues.csv")
    var venues: String

    @Argument(help: "cameras.csv")
    var cameras: String

    @Flag(help: ArgumentHelp(say(.importHelpVerbose)))
    var verbose = false

    @Flag(help: ArgumentHelp(say(.importHelpAllowRetire)))
    var allowRetire = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        let inventory: Inventory
        do {
            inventory = try Inventory.load(venues: URL(fileURLWithPath: venues), cameras: URL(fileURLWithPath: cameras))
        } catch {
            throw CommandFailure(message: "\(error)\n" + say(.importNothingImported), exit: .invalidInput)
        }
        let database = try store.database.openSealingStore(ledgerKey: nil)
        let vault = try store.openVault()
        let configuration = try store.configuration()
        let limit = configuration.inventory.maxRetirePercent
        let changes: InventoryChanges
        do {
            changes = try database.apply(inventory, vault: vault, zone: configuration.patrol.timeZone, approve: { changes, before in
                guard !allowRetire, let refusal = Self.retireRefusal(changes, before: before, limit: limit) else { return }
                throw CommandFailure(message: refusal, exit: .invalidInput)
            }, afterVaultWrite: FaultInjection.afterVaultWrite)
        } catch is Store.ConcurrentImport {
            throw CommandFailure(message: say(.importConcurrent), exit: .databaseUnavailable)
        }
        let perimeter = inventory.cameras.filter { $0.placement == .perimeter }.count
        try Output.line(say(.importCounts, inventory.venues.count, inventory.cameras.count, perimeter, inventory.cameras.count - perimeter))
        try Output.line(Explain.summary(changes))
        if verbose && !changes.isEmpty { try Output.line(Explain.lines(changes)) }
    }
}

extension ImportInventory {
    /// Why the import must not go ahead unasked: it retires more than `limit` percent of the
    /// cameras or of the venues in service (two files cut to their header would retire them all).
    static func retireRefusal(_ changes: InventoryChanges, before: Inventory, limit: Double) -> String? {
        func share(_ retired: Int, of total: Int) -> Double { total == 0 ? 0 : Double(retired) * 100 / Double(total) }
        let venues = changes.removedVenues.count, cameras = changes.removedCameras.count
        guard share(cameras, of: before.cameras.count) > limit || share(venues, of: before.venues.count) > limit else { return nil }
        return say(.importRetireRefused, venues, before.venues.count, cameras, before.cameras.count, limit.formatted())
    }
}

struct ExportInventory: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "export", abstract: say(.exportAbstract))
    }

    @Argument(help: ArgumentHelp(say(.exportHelpFolder)))
    var folder: String

    @Flag(help: ArgumentHelp(say(.exportHelpWithCredentials)))
    var withCredentials = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.openStore()
        let inventory = try database.inventory(vault: withCredentials ? try store.openVault() : nil, registered: true)
        let base = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let venues = base.appendingPathComponent("venues.csv"), cameras = base.appendingPathComponent("cameras.csv")
        // With credentials, the files are created private: no moment when others could read them.
        let previousMask = withCredentials ? umask(0o077) : nil
        defer { previousMask.map { _ = umask($0) } }
        try inventory.write(venues: venues, cameras: cameras, includeCredentials: withCredentials)
        try Output.line(say(.exportWritten, inventory.venues.count, inventory.cameras.count, folder))
    }
}
