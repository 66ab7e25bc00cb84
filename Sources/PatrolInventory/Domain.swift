import Foundation
import PatrolProbe
import PatrolSettings

/// The three kinds of high-risk small venue the district patrols.
public enum VenueKind: String, CaseIterable, Codable, Sendable {
    case hotel
    case rental
    case internetCafe = "internet_cafe"
}

/// How closely a venue is supervised, re-graded every half year.
///
/// Ordered `general < watch < priority`; priority venues have an assigned supervisor and
/// tighter rectification deadlines.
public enum Tier: String, CaseIterable, Codable, Sendable, Comparable {
    case general
    case watch
    case priority

    public static func < (lhs: Tier, rhs: Tier) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension PerTier {
    /// The value for `tier`: the field named as the tier is.
    public subscript(tier: Tier) -> Value {
        get {
            switch tier {
            case .general: general
            case .watch: watch
            case .priority: priority
            }
        }
        set {
            switch tier {
            case .general: general = newValue
            case .watch: watch = newValue
            case .priority: priority = newValue
            }
        }
    }
}

/// Where a camera is, which decides who must fix it.
public enum Placement: String, CaseIterable, Codable, Sendable {
    /// A public camera around the venue, installed and maintained by the city: a failure is a
    /// maintenance ticket, never the venue's fault.
    case perimeter
    /// A camera the owner installed inside the venue: keeping it online is the owner's duty.
    case interior
}

/// A small hotel, rental housing or internet café under supervision.
public struct Venue: Sendable, Hashable, Codable, Identifiable {
    /// The inventory's identifier, e.g. `V0001`.
    public var id: String
    /// The venue's name as registered, usually Chinese (平安宾馆).
    public var name: String
    public var kind: VenueKind
    public var tier: Tier
    public var district: String
    /// The district's grid cell, e.g. `G03-12`.
    public var grid: String
    public var address: String
    /// How to reach the owner, usually a mobile number.
    public var ownerContact: String
    /// The assigned supervisor (a person and team, e.g. `张伟 (一组)`); required for priority venues.
    public var supervisor: String?
    /// The venue's real-name registration systems, by the ids the registration platform gives them.
    public var registration: RegistrationSystems

    public init(
        id: String, name: String, kind: VenueKind, tier: Tier, district: String, grid: String,
        address: String, ownerContact: String, supervisor: String? = nil, registration: RegistrationSystems = .undeclared
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.tier = tier
        self.district = district
        self.grid = grid
        self.address = address
        self.ownerContact = ownerContact
        self.supervisor = supervisor
        self.registration = registration
    }
}

/// A venue's real-name registration systems as the inventory declares them: the guest or user
/// registration terminal of a hotel or internet café, the phone-line terminal (一电通) of rental
/// housing run as lodging.
public enum RegistrationSystems: Sendable, Hashable {
    /// The inventory says nothing (its venues file has no `registration` column): the venue's
    /// days are judged on video alone, as before registration was patrolled.
    case undeclared
    /// The venue has no registration system, and the inventory says so (`none`).
    case noSystem
    /// The ids the registration platform knows the venue's systems by, in the inventory's order.
    case systems([String])

    /// The ids to patrol; empty unless the venue declares systems.
    public var ids: [String] {
        if case .systems(let ids) = self { ids } else { [] }
    }

    /// As the inventory and the database write it: `none`, or the ids separated by `;`; nil when undeclared.
    public var text: String? {
        switch self {
        case .undeclared: nil
        case .noSystem: "none"
        case .systems(let ids): ids.joined(separator: ";")
        }
    }

    /// What a registration system id may be: ASCII letters, digits, `.`, `_`, `-` and `:`, at most 64.
    public static func isValidID(_ id: String) -> Bool {
        (1...64).contains(id.unicodeScalars.count) && id.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "._-:".unicodeScalars.contains(scalar)
        }
    }

    /// Reads what `text` wrote (no validation: the inventory loader validates).
    public init(text: String?) {
        guard let text else { self = .undeclared; return }
        let ids = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        self = text.lowercased() == "none" || ids.isEmpty ? .noSystem : .systems(ids)
    }
}

extension RegistrationSystems: Codable {
    /// In JSON: null when undeclared, `[]` for a venue declared to have none, else the ids.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .undeclared; return }
        let ids = try container.decode([String].self)
        self = ids.isEmpty ? .noSystem : .systems(ids)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .undeclared: try container.encodeNil()
        case .noSystem: try container.encode([String]())
        case .systems(let ids): try container.encode(ids)
        }
    }
}

/// One camera stream of a venue.
///
/// The stream's credentials live only in `stream` (which never prints them). `address` is the
/// same stream without any user name, password or query secret, as it may be shown, stored or exported.
public struct Camera: Sendable, Hashable, Identifiable {
    /// The inventory's identifier, e.g. `C00001`.
    public var id: String
    /// The `id` of the venue the camera watches.
    public var venueID: String
    public var placement: Placement
    /// The stream to probe, with its credentials.
    public let stream: StreamURL
    /// The stream's address without credentials, credential-like query values shown as `***`:
    /// `rtsp://10.20.1.17:554/Streaming/Channels/101`, `rtsp://10.0.0.5/live?token=***`.
    public let address: String

    /// A camera streaming from `url`; `credentials`, when given, replace any in the URL.
    public init(
        id: String, venueID: String, placement: Placement, url: String,
        credentials: StreamURL.Credentials? = nil
    ) throws(StreamURL.ParseError) {
        let parsed = try StreamURL(url, credentials: credentials)
        self.id = id
        self.venueID = venueID
        self.placement = placement
        // Rebuilt from the address so that a camera is equal however its credentials were given.
        self.stream = try StreamURL(parsed.address, credentials: parsed.credentials)
        self.address = Redaction.scrubURLs(in: parsed.address)
    }

    /// Whether the address's query carries credential-like values (`?token=…`): `address`
    /// shows them as `***`, the vault keeps them, and only `stream` has them.
    public var hasQuerySecrets: Bool { address != stream.address }

    /// What makes two cameras the same stream: the address without credentials, the host's
    /// case and the scheme's default port.
    static func streamKey(of stream: StreamURL) -> String {
        let defaultPort = switch stream.scheme {
        case .rtsp: 554
        case .rtsps: 322
        case .http: 80
        case .https, .rtmps: 443
        case .rtmp: 1935
        }
        let host = stream.host.contains(":") ? "[\(stream.host.lowercased())]" : stream.host.lowercased()
        return "\(stream.scheme.rawValue)://\(host):\(stream.port ?? defaultPort)\(stream.pathAndQuery)"
    }
}

extension CodingUserInfoKey {
    /// Set to `true` in an encoder's `userInfo` to encode cameras with their credentials.
    /// Without it a camera encodes its `address` only, so JSON output never carries a password.
    public static let includeCredentials = CodingUserInfoKey(rawValue: "patrol.includeCredentials")!
}

extension Camera: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, venueID, placement, url, username, password
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var credentials: StreamURL.Credentials?
        if let username = try container.decodeIfPresent(String.self, forKey: .username) {
            let password = try container.decode(String.self, forKey: .password)
            credentials = .init(username: username, password: password)
        }
        do {
            try self.init(
                id: container.decode(String.self, forKey: .id),
                venueID: container.decode(String.self, forKey: .venueID),
                placement: container.decode(Placement.self, forKey: .placement),
                url: container.decode(String.self, forKey: .url),
                credentials: credentials
            )
        } catch let error as StreamURL.ParseError {
            throw DecodingError.dataCorruptedError(forKey: .url, in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(venueID, forKey: .venueID)
        try container.encode(placement, forKey: .placement)
        let withCredentials = encoder.userInfo[.includeCredentials] as? Bool == true
        try container.encode(withCredentials ? stream.address : address, forKey: .url)
        if withCredentials, let credentials = stream.credentials {
            try container.encode(credentials.username, forKey: .username)
            try container.encode(credentials.password, forKey: .password)
        }
    }
}
