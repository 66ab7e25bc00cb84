import Foundation
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolStore

/// The venues and cameras of the test districts, built one way for every test target. Every
/// venue is in 城东; its grid, address and owner's number follow from its number.
public enum TestDistrict {
    /// The supervisor of the priority venues.
    public static let supervisor = "张伟 (一组)"

    /// A venue numbered `number`: grid G01-`number`, 城东路`number`号, owner 138`number`.
    public static func venue(_ id: String, _ name: String, kind: VenueKind = .hotel, tier: Tier = .general, number: Int = 1,
                             supervisor: String? = nil) -> Venue {
        Venue(id: id, name: name, kind: kind, tier: tier, district: "城东", grid: String(format: "G01-%02d", number),
              address: "城东路\(number)号", ownerContact: String(format: "138%08d", number), supervisor: supervisor)
    }

    /// 平安宾馆, a hotel, number 1.
    public static func pingan(_ id: String = "V1", tier: Tier = .general) -> Venue {
        venue(id, "平安宾馆", tier: tier, number: 1, supervisor: tier == .priority ? supervisor : nil)
    }

    /// 星空网吧, an internet café of the priority tier under the supervisor, number 2.
    public static func xingkong(_ id: String = "V2", tier: Tier = .priority) -> Venue {
        venue(id, "星空网吧", kind: .internetCafe, tier: tier, number: 2, supervisor: tier == .priority ? supervisor : nil)
    }

    /// 温馨公寓, a rental building, number 3.
    public static func wenxin(_ id: String = "V3", tier: Tier = .general) -> Venue {
        venue(id, "温馨公寓", kind: .rental, tier: tier, number: 3, supervisor: tier == .priority ? supervisor : nil)
    }

    /// Hotels V0001… named 平安宾馆1号…, of `tier`; priority ones under the supervisor.
    public static func hotels(_ count: Int, tier: Tier = .general) -> [Venue] {
        (1...count).map {
            venue(String(format: "V%04d", $0), "平安宾馆\($0)号", tier: tier, number: $0, supervisor: tier == .priority ? supervisor : nil)
        }
    }

    /// `venues` hotels (`hotels`), each with a perimeter camera and two interior ones, C00001… in
    /// order, streaming from rtsp://10.1.<venue>.<1…3>:554/live, with `password` when given.
    public static func small(venues: Int, tier: Tier = .general, password: String? = nil) throws -> Inventory {
        let hotels = hotels(venues, tier: tier)
        let cameras = try hotels.enumerated().flatMap { v, venue in
            try (0..<3).map { c in
                try Camera(id: String(format: "C%05d", v * 3 + c + 1), venueID: venue.id, placement: c == 0 ? .perimeter : .interior,
                           url: "rtsp://10.1.\(v + 1).\(c + 1):554/live",
                           credentials: password.map { .init(username: "admin", password: $0) })
            }
        }
        return Inventory(venues: hotels, cameras: cameras)
    }

    /// Cameras given as (id, venue, placement), each streaming from `url(id)`.
    public static func cameras(_ list: [(String, String, Placement)], url: (String) -> String) throws -> [Camera] {
        try list.map { try Camera(id: $0.0, venueID: $0.1, placement: $0.2, url: url($0.0)) }
    }

    /// Writes `inventory` into `folder` as `patrol inventory import` reads it: venues.csv, and
    /// cameras.csv with the credentials.
    public static func writeCSV(_ inventory: Inventory, to folder: URL) throws {
        try inventory.write(venues: folder.appendingPathComponent("venues.csv"), cameras: folder.appendingPathComponent("cameras.csv"),
                            includeCredentials: true)
    }
}

/// A store in a fresh temporary folder: a real SQLite file, and its credential vault beside it.
public struct TemporaryStore: Sendable {
    public let folder: URL
    public let store: Store
    public let vault: CredentialVault

    /// - Parameter sealed: with a ledger key (made in the folder, mode 0600) that seals the ledger.
    public init(in parent: URL = FileManager.default.temporaryDirectory, sealed: Bool = false) throws {
        folder = parent.appendingPathComponent("patrol-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var key: LedgerKeyFile?
        if sealed {
            key = LedgerKeyFile(path: folder.appendingPathComponent("ledger.key").path)
            try key?.create()
        }
        store = try Store(path: folder.appendingPathComponent("patrol.sqlite").path, ledgerKey: key)
        vault = try CredentialVault(path: folder.appendingPathComponent("credentials.sqlite").path)
    }

    public var database: String { folder.appendingPathComponent("patrol.sqlite").path }

    /// Imports `inventory`, on record since `since`: a camera is judged only for days it was on record.
    @discardableResult
    public func seed(_ inventory: Inventory, since: Date = Date()) throws -> Inventory {
        try store.apply(inventory, vault: vault, zone: patrolZone, now: since)
        return inventory
    }

    /// A small district (`TestDistrict.small`): `venues` venues, each with one perimeter and two
    /// interior cameras.
    @discardableResult
    public func seed(venues: Int = 2, tier: Tier = .general, since: Date = Date()) throws -> Inventory {
        try seed(TestDistrict.small(venues: venues, tier: tier), since: since)
    }

    /// Writes a day of probes of `cameras`, every 15 minutes of `hours`, as the sweep would.
    public func probe(_ day: PatrolDay, in zone: TimeZone, cameras: [String], hours: Range<Double> = 0..<24,
                      _ outcome: (String) -> Outcome = { _ in .online }) throws {
        let start = day.start(in: zone)
        var batch: [(cameraID: String, result: ProbeResult)] = []
        for seconds in stride(from: hours.lowerBound * 3600, to: hours.upperBound * 3600, by: 900) {
            for camera in cameras {
                batch.append((camera, probeResult(outcome(camera), at: start.addingTimeInterval(seconds))))
            }
        }
        try store.write(batch)
    }

    /// A day of probes of cameras C00001…C0000`cameras` (`TestDistrict.small`'s).
    public func probe(_ day: PatrolDay, in zone: TimeZone, cameras: Int, hours: Range<Double> = 0..<24,
                      _ outcome: (String) -> Outcome = { _ in .online }) throws {
        try probe(day, in: zone, cameras: (1...cameras).map { String(format: "C%05d", $0) }, hours: hours, outcome)
    }
}

/// A probe result as the probe returns it: a picture decoded for `online`, `black` and `frozen`,
/// nothing decoded for the failures.
/// - Parameter seed: the picture's fingerprint; by default each minute sees another picture, and
///   a repeated seed is a frozen camera.
public func probeResult(_ outcome: Outcome, at date: Date, width: Int? = 1280, height: Int? = 720, fps: Double? = 25,
                        fingerprint seed: UInt8? = nil, codec: String = "h264") -> ProbeResult {
    let decoded = outcome == .online || outcome == .black || outcome == .frozen
    let s = Int(seed ?? UInt8(truncatingIfNeeded: Int(date.timeIntervalSince1970 / 60)))
    let samples = (0..<576).map { UInt8(truncatingIfNeeded: s * 31 + $0 * 13) }
    return ProbeResult(
        outcome: outcome, detail: "test \(outcome.rawValue)", statusCode: nil, url: "rtsp://10.0.0.1/live", startedAt: date,
        timings: .init(openMs: decoded ? 20 : nil, firstFrameMs: decoded ? 40 : nil, firstKeyframeMs: decoded ? 60 : nil, totalMs: 300),
        measurements: .init(frames: decoded ? 8 : 0, keyframes: decoded ? 1 : 0, videoBytes: decoded ? 90_000 : 0,
                            fps: decoded ? fps : nil, bitrateKbps: decoded ? 2_000 : nil, keyframeInterval: nil),
        stream: .init(format: "rtsp", transport: "tcp", codec: decoded ? codec : nil, profile: decoded ? "Main" : nil,
                      level: nil, width: decoded ? width : nil, height: decoded ? height : nil,
                      pixelFormat: decoded ? "yuv420p" : nil, declaredFps: nil, hasAudio: false, audioCodec: nil),
        picture: decoded ? .init(lumaMean: 0.4, lumaSpread: 0.2, blackFraction: 0.01,
                                 fingerprint: Fingerprint(samples: samples)!,
                                 decodeErrors: 0, laterDifference: nil) : nil)
}
