import ArgumentParser
import Foundation
import PatrolOutput
import PatrolInventory
import PatrolStore

struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Import or export the venues and cameras.",
        subcommands: [ImportInventory.self, ExportInventory.self]
    )
}

struct ImportInventory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import venues and cameras from CSV; nothing is applied unless everything is valid.",
        discussion: """
        Every problem is reported as file:line:field: reason, and the command exits 65 without \
        changing anything. A re-import changes only what changed; cameras missing from the new \
        files are retired, keeping their history. An import that would retire more than \
        inventory.max_retire_percent (10%) of the cameras or of the venues in service is refused \
        (exit 65, nothing changed) unless --allow-retire is given. Credentials go to the credential vault.
        """
    )

    @Argument(help: "venues.csv")
    var venues: String

    @Argument(help: "cameras.csv")
    var cameras: String

    @Flag(help: "List every change, not only the counts.")
    var verbose = false

    @Flag(help: "Retire however many venues and cameras the files leave out.")
    var allowRetire = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        let inventory: Inventory
        do {
            inventory = try Inventory.load(venues: URL(fileURLWithPath: venues), cameras: URL(fileURLWithPath: cameras))
        } catch {
            throw CommandFailure(message: "\(error)\nnothing was imported", exit: .invalidInput)
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
        } catch let error as Store.ConcurrentImport {
            throw CommandFailure(message: "\(error)", exit: .databaseUnavailable)
        }
        let perimeter = inventory.cameras.filter { $0.placement == .perimeter }.count
        try Output.line("\(inventory.venues.count) venues, \(inventory.cameras.count) cameras (\(perimeter) perimeter, "
            + "\(inventory.cameras.count - perimeter) interior)")
        try Output.line(changes.summary)
        if verbose && !changes.isEmpty { try Output.line(changes.description) }
    }
}

extension ImportInventory {
    /// Why the import must not go ahead unasked: it retires more than `limit` percent of the
    /// cameras or of the venues in service (two files cut to their header would retire them all).
    static func retireRefusal(_ changes: InventoryChanges, before: Inventory, limit: Double) -> String? {
        func share(_ retired: Int, of total: Int) -> Double { total == 0 ? 0 : Double(retired) * 100 / Double(total) }
        let venues = changes.removedVenues.count, cameras = changes.removedCameras.count
        guard share(cameras, of: before.cameras.count) > limit || share(venues, of: before.venues.count) > limit else { return nil }
        return "this import would retire \(venues) of \(before.venues.count) venues and \(cameras) of \(before.cameras.count) "
            + "cameras, more than inventory.max_retire_percent (\(limit.formatted())%) allows; nothing was changed. "
            + "Check the files, or run again with --allow-retire"
    }
}

struct ExportInventory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the venues and cameras in service to CSV (without credentials unless asked)."
    )

    @Argument(help: "Folder to write venues.csv and cameras.csv into.")
    var folder: String

    @Flag(help: "Include camera credentials (the files are then made readable by you only).")
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
        try Output.line("\(inventory.venues.count) venues and \(inventory.cameras.count) cameras written to \(folder)")
    }
}
