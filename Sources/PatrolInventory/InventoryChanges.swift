/// What a re-import changes: venues and cameras added, changed and removed, matched by id.
///
/// The store applies only these, so each camera keeps its history across imports.
public struct InventoryChanges: Sendable, Hashable, CustomStringConvertible {
    /// One item present in both inventories with different values.
    public struct Change<Item: Sendable & Hashable, Field: Sendable & Hashable>: Sendable, Hashable {
        public var old: Item
        public var new: Item
        /// Which fields differ, in column order.
        public var fields: [Field]
    }

    public var addedVenues: [Venue] = []
    public var changedVenues: [Change<Venue, Venue.Field>] = []
    public var removedVenues: [Venue] = []
    public var addedCameras: [Camera] = []
    public var changedCameras: [Change<Camera, Camera.Field>] = []
    public var removedCameras: [Camera] = []

    /// Whether the two inventories are the same.
    public var isEmpty: Bool {
        addedVenues.isEmpty && changedVenues.isEmpty && removedVenues.isEmpty
            && addedCameras.isEmpty && changedCameras.isEmpty && removedCameras.isEmpty
    }

    /// The changes that turn `old` into `new`, each list sorted by id.
    public static func between(old: Inventory, new: Inventory) -> InventoryChanges {
        var changes = InventoryChanges()
        (changes.addedVenues, changes.changedVenues, changes.removedVenues) =
            compare(old.venues, new.venues, fields: Venue.Field.differences)
        (changes.addedCameras, changes.changedCameras, changes.removedCameras) =
            compare(old.cameras, new.cameras, fields: Camera.Field.differences)
        return changes
    }

    private static func compare<Item: Identifiable<String> & Sendable & Hashable, Field>(
        _ old: [Item], _ new: [Item], fields: (Item, Item) -> [Field]
    ) -> (added: [Item], changed: [Change<Item, Field>], removed: [Item]) {
        let oldByID = Dictionary(old.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let newIDs = Set(new.map(\.id))
        let added = new.filter { oldByID[$0.id] == nil }
        let changed = new.compactMap { item -> Change<Item, Field>? in
            guard let before = oldByID[item.id], before != item else { return nil }
            return Change(old: before, new: item, fields: fields(before, item))
        }
        let removed = old.filter { !newIDs.contains($0.id) }
        return (added, changed, removed)
    }

    /// The counts, in one line: `added 3 venues and 12 cameras; changed 1 camera; retired 2 cameras`.
    public var summary: String {
        func count(_ n: Int, _ noun: String) -> String? { n == 0 ? nil : "\(n) \(noun)\(n == 1 ? "" : "s")" }
        let parts = [("added", addedVenues.count, addedCameras.count), ("changed", changedVenues.count, changedCameras.count),
                     ("retired", removedVenues.count, removedCameras.count)].compactMap { verb, venues, cameras -> String? in
            let items = [count(venues, "venue"), count(cameras, "camera")].compactMap { $0 }
            return items.isEmpty ? nil : "\(verb) " + items.joined(separator: " and ")
        }
        return parts.isEmpty ? "no changes" : parts.joined(separator: "; ")
    }

    /// One line per change, credentials named but never shown:
    /// `venue V0007 changed: tier, supervisor`.
    public var description: String {
        var lines: [String] = []
        lines += addedVenues.map { "venue \($0.id) added: \($0.name)" }
        lines += changedVenues.map { "venue \($0.new.id) changed: \($0.fields.map(\.rawValue).joined(separator: ", "))" }
        lines += removedVenues.map { "venue \($0.id) removed: \($0.name)" }
        lines += addedCameras.map { "camera \($0.id) added: \($0.placement.rawValue) of \($0.venueID), \($0.stream)" }
        lines += changedCameras.map { "camera \($0.new.id) changed: \($0.fields.map(\.rawValue).joined(separator: ", "))" }
        lines += removedCameras.map { "camera \($0.id) removed: \($0.placement.rawValue) of \($0.venueID)" }
        return lines.isEmpty ? "no changes" : lines.joined(separator: "\n")
    }
}

extension Venue {
    /// A venue's fields that a re-import can change, named as their CSV columns.
    public enum Field: String, CaseIterable, Sendable, Hashable {
        case name, kind, tier, district, grid, address
        case ownerContact = "owner_contact"
        case supervisor
        case registration

        static func differences(_ old: Venue, _ new: Venue) -> [Field] {
            allCases.filter { field in
                switch field {
                case .name: old.name != new.name
                case .kind: old.kind != new.kind
                case .tier: old.tier != new.tier
                case .district: old.district != new.district
                case .grid: old.grid != new.grid
                case .address: old.address != new.address
                case .ownerContact: old.ownerContact != new.ownerContact
                case .supervisor: old.supervisor != new.supervisor
                case .registration: old.registration != new.registration
                }
            }
        }
    }
}

extension Camera {
    /// A camera's fields that a re-import can change. `credentials` (username or password)
    /// is reported by name only.
    public enum Field: String, CaseIterable, Sendable, Hashable {
        case venueID = "venue_id"
        case placement, url, credentials

        static func differences(_ old: Camera, _ new: Camera) -> [Field] {
            allCases.filter { field in
                switch field {
                case .venueID: old.venueID != new.venueID
                case .placement: old.placement != new.placement
                case .url: old.stream.address != new.stream.address
                case .credentials: old.stream.credentials != new.stream.credentials
                }
            }
        }
    }
}
