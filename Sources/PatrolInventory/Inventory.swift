import Foundation

/// The district's venues and their cameras, each sorted by id.
///
/// `load(venues:cameras:)` is the way in from the office's spreadsheets: it validates
/// everything. The memberwise initialiser trusts its input (ids unique, every camera's venue
/// present), as it comes from the store or from a loaded inventory.
public struct Inventory: Sendable, Hashable {
    /// Every venue, sorted by id.
    public let venues: [Venue]
    /// Every camera, sorted by id.
    public let cameras: [Camera]

    private let venuesByID: [String: Venue]
    private let camerasByID: [String: Camera]
    private let camerasByVenue: [String: [Camera]]

    public init(venues: [Venue], cameras: [Camera]) {
        self.venues = venues.sorted { $0.id < $1.id }
        self.cameras = cameras.sorted { $0.id < $1.id }
        venuesByID = Dictionary(venues.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        camerasByID = Dictionary(cameras.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        camerasByVenue = Dictionary(grouping: self.cameras, by: \.venueID)
    }

    /// The venue with this id, if any.
    public func venue(_ id: String) -> Venue? { venuesByID[id] }

    /// The camera with this id, if any.
    public func camera(_ id: String) -> Camera? { camerasByID[id] }

    /// The cameras of one venue, sorted by id.
    public func cameras(of venueID: String) -> [Camera] { camerasByVenue[venueID] ?? [] }
}

extension Inventory: Codable {
    private enum CodingKeys: String, CodingKey { case venues, cameras }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            venues: container.decode([Venue].self, forKey: .venues),
            cameras: container.decode([Camera].self, forKey: .cameras)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(venues, forKey: .venues)
        try container.encode(cameras, forKey: .cameras)
    }
}
