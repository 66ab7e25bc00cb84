import Foundation
import GRDB
import PatrolInventory

/// Which venues in service to list; every criterion given must hold.
public struct VenueFilter: Sendable, Equatable {
    public var kind: VenueKind?
    public var tier: Tier?
    public var district: String?
    /// The venue's supervisor: the name as registered (`张伟 (一组)`), or the person's name
    /// before the team (`张伟`).
    public var supervisor: String?

    public init() {}

    /// Whether `registered` (a venue's supervisor) is the one `wanted` names.
    public static func supervisor(_ registered: String?, is wanted: String) -> Bool {
        guard let registered else { return false }
        return registered == wanted || [" (", "（", "("].contains { registered.hasPrefix(wanted + $0) }
    }
}

extension Venue {
    /// A venue from its row in the `venue` table.
    init(row: Row) {
        self.init(id: row["id"], name: row["name"], kind: VenueKind(rawValue: row["kind"]) ?? .hotel,
                  tier: Tier(rawValue: row["tier"]) ?? .general, district: row["district"], grid: row["grid"],
                  address: row["address"], ownerContact: row["owner_contact"], supervisor: row["supervisor"],
                  registration: RegistrationSystems(text: row["registration"]))
    }
}

/// How many of a set of cameras there are, and how many are down, perimeter beside interior.
public struct CameraCounts: Sendable, Equatable, Codable {
    public var total = 0
    public var perimeter = 0
    public var interior = 0
    public var up = 0
    public var down = 0
    public var unknown = 0
    /// Down interior cameras: the owner's duty.
    public var interiorDown = 0
    /// Down perimeter cameras: a maintenance ticket for the city.
    public var perimeterDown = 0

    public init() {}

    public init(_ cameras: some Sequence<CameraSummary>) {
        for camera in cameras { add(camera) }
    }

    public mutating func add(_ camera: CameraSummary) {
        total += 1
        switch camera.placement {
        case .perimeter: perimeter += 1
        case .interior: interior += 1
        }
        switch camera.status {
        case .up: up += 1
        case .unknown: unknown += 1
        case .down:
            down += 1
            switch camera.placement {
            case .perimeter: perimeterDown += 1
            case .interior: interiorDown += 1
            }
        }
    }
}

/// A venue as `patrol venues` lists it.
public struct VenueSummary: Sendable, Equatable, Codable {
    public var venue: Venue
    public var cameras: CameraCounts
    /// The registration side in a word: online, offline, stuck or unseen (the worst of its
    /// systems), none (declared to have none), or nil when the inventory does not say.
    public var registration: String?
}

/// A venue with each of its cameras, for `patrol venue ID`.
public struct VenueDetail: Sendable, Equatable, Codable {
    public var venue: Venue
    /// When the venue left the inventory; nil while in service.
    public var retiredAt: Date?
    public var counts: CameraCounts
    /// Cameras in service, by id.
    public var cameras: [CameraSummary]
    /// Its registration systems, with the platform's last word on each.
    public var registration: [RegistrationSystemStatus] = []
}

extension Store {
    /// The venues in service matching `filter`, by id, with their cameras counted.
    public func venues(matching filter: VenueFilter = VenueFilter()) throws -> [VenueSummary] {
        let venues = try venueList(matching: filter)
        let counts = Dictionary(grouping: try cameras(), by: \.venueID).mapValues { CameraCounts($0) }
        let systems = Dictionary(grouping: try registration().systems, by: \.venueID)
        return venues.map { venue in
            let states = (systems[venue.id] ?? []).map(\.state)
            let word: String? = switch venue.registration {
            case .undeclared: nil
            case .noSystem: "none"
            case .systems: ["offline", "stuck", "unseen", "online"].first { states.contains($0) } ?? "unseen"
            }
            return VenueSummary(venue: venue, cameras: counts[venue.id] ?? CameraCounts(), registration: word)
        }
    }

    /// How many venues in service match `filter`: none for a district or supervisor that no
    /// venue has.
    public func venueCount(matching filter: VenueFilter) throws -> Int {
        try venueList(matching: filter).count
    }

    /// The id of the venue (retired ones included) that `id` names: `id` itself when a venue
    /// has it, else the one venue whose id differs from it in case alone (`v0017` finds
    /// `V0017`); nil when none does, or several.
    public func venueID(matching id: String) throws -> String? {
        try pool.read { db in try Self.id(matching: id, in: "venue", db) }
    }

    /// The ids of the venues in service that start with `prefix` (in any case), by id: what a
    /// shell completes after `patrol venue`.
    public func venueIDs(startingWith prefix: String, limit: Int = 2000) throws -> [String] {
        try pool.read { db in try Self.ids(startingWith: prefix, in: "venue", limit: limit, db) }
    }

    static func ids(startingWith prefix: String, in table: String, limit: Int, _ db: Database) throws -> [String] {
        let pattern = prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        return try String.fetchAll(db, sql: """
            SELECT id FROM \(table) WHERE retired_at IS NULL AND id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?
            """, arguments: [pattern, limit])
    }

    /// The id in `table` that `id` names, exactly or but for case (ASCII), when just one does.
    static func id(matching id: String, in table: String, _ db: Database) throws -> String? {
        let ids = try String.fetchAll(db, sql: "SELECT id FROM \(table) WHERE id = ? COLLATE NOCASE", arguments: [id])
        if ids.contains(id) { return id }
        return ids.count == 1 ? ids[0] : nil
    }

    /// The venues in service matching `filter`, by id.
    func venueList(matching filter: VenueFilter = VenueFilter()) throws -> [Venue] {
        var conditions = ["retired_at IS NULL"]
        var arguments = StatementArguments()
        for (condition, value) in [("kind = ?", filter.kind?.rawValue), ("tier = ?", filter.tier?.rawValue),
                                   ("district = ?", filter.district)] {
            guard let value else { continue }
            conditions.append(condition)
            arguments += [value]
        }
        let venues = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM venue WHERE \(conditions.joined(separator: " AND ")) ORDER BY id",
                             arguments: arguments).map(Venue.init(row:))
        }
        guard let supervisor = filter.supervisor else { return venues }
        return venues.filter { VenueFilter.supervisor($0.supervisor, is: supervisor) }
    }

    /// One venue (retired ones included) with its cameras in service, or nil when there is none.
    public func venue(id: String) throws -> VenueDetail? {
        guard let row = try pool.read({ try Row.fetchOne($0, sql: "SELECT * FROM venue WHERE id = ?", arguments: [id]) })
        else { return nil }
        var filter = CameraFilter()
        filter.venueID = id
        let cameras = try cameras(matching: filter)
        return VenueDetail(venue: Venue(row: row), retiredAt: row["retired_at"], counts: CameraCounts(cameras), cameras: cameras,
                           registration: try registration(venue: id).systems)
    }
}
