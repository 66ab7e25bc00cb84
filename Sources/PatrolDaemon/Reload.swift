import PatrolConfig
import PatrolInventory
import PatrolStore

/// SIGHUP: the configuration file and the inventory, read again and checked whole before
/// anything changes. A rejected reload leaves the running configuration in force.
struct Reload {
    let configuration: Configuration
    let district: District
    /// What changed, in a few words, for the log.
    let summary: String

    struct Rejection: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads `path` and the inventory in `store`. Nil when nothing changed.
    static func prepare(path: String, running: Engine, store: Store, vault: CredentialVault) throws(Rejection) -> Reload? {
        let configuration: Configuration
        do {
            configuration = try Configuration.load(path)
        } catch {
            throw Rejection(description: "\(error)")
        }
        let old = running.configuration
        for (key, was, now) in [("database", old.database, configuration.database),
                                ("credentials", old.credentials, configuration.credentials),
                                ("ledger_key", old.ledgerKey, configuration.ledgerKey)] where was != now {
            throw Rejection(description: "\(path): \(key): changed from \(was) to \(now); moving the store takes a restart")
        }
        let inventory: Inventory, closed: Set<String>
        do {
            inventory = try store.inventory(vault: vault)
            closed = try store.closedVenues()
        } catch {
            throw Rejection(description: "cannot read the inventory: \(error)")
        }
        let changes = InventoryChanges.between(old: running.district.inventory, new: inventory)
        let newlyClosed = closed.subtracting(running.district.closed)
        guard configuration != old || !changes.isEmpty || closed != running.district.closed else { return nil }
        var words: [String] = []
        if !changes.isEmpty { words.append("inventory: " + changes.summary) }
        if !newlyClosed.isEmpty { words.append("closed: \(newlyClosed.sorted().joined(separator: ", "))") }
        if configuration != old { words.append("configuration changed") }
        return Reload(configuration: configuration,
                      district: District(inventory: inventory, cadence: configuration.cadence, pictureEvery: configuration.pictureEvery,
                                        closed: closed),
                      summary: words.joined(separator: ", "))
    }
}
