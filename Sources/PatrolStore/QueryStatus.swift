import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolProbe

/// A count of cameras under one name (a status, an outcome, a tier), perimeter beside interior.
public struct Tally: Sendable, Equatable, Codable {
    public var name: String
    public var perimeter: Int
    public var interior: Int
    public var total: Int

    public init(_ name: String, perimeter: Int = 0, interior: Int = 0) {
        self.name = name
        self.perimeter = perimeter
        self.interior = interior
        total = perimeter + interior
    }

    /// One tally per name, in the order given, of the cameras `name` maps to it (nil: none).
    static func count(_ cameras: [CameraSummary], names: [String], by name: (CameraSummary) -> String?) -> [Tally] {
        var perimeter: [String: Int] = [:], interior: [String: Int] = [:]
        for camera in cameras {
            guard let key = name(camera) else { continue }
            switch camera.placement {
            case .perimeter: perimeter[key, default: 0] += 1
            case .interior: interior[key, default: 0] += 1
            }
        }
        return names.map { Tally($0, perimeter: perimeter[$0] ?? 0, interior: interior[$0] ?? 0) }
    }
}

/// The last sweep `patrold --once` recorded.
public struct SweepRecord: Sendable, Equatable, Codable {
    public var startedAt: Date
    public var finishedAt: Date
    public var probes: Int
    public var summary: String
}

/// Whether the daemon is probing: the newest probe and how old it is. A daemon running
/// continuously writes no sweep rows, so the newest probe result is what tells it is alive.
public struct Probing: Sendable, Equatable, Codable {
    public var lastProbeAt: Date?
    public var lastSweep: SweepRecord?
    public var checkedAt: Date
    public var secondsSinceLastProbe: Double?
    /// Seconds without a probe after which the data is stale.
    public var staleAfter: Double
    /// No probe at all, or none for longer than `staleAfter`: the daemon is not probing.
    public var stale: Bool

    public init(lastProbeAt: Date?, lastSweep: SweepRecord?, now: Date, staleAfter: Double) {
        self.lastProbeAt = lastProbeAt
        self.lastSweep = lastSweep
        checkedAt = now
        self.staleAfter = staleAfter
        secondsSinceLastProbe = lastProbeAt.map { now.timeIntervalSince($0) }
        stale = secondsSinceLastProbe.map { $0 > staleAfter } ?? true
    }
}

/// The venues in service by tier, and how many have a camera down.
public struct VenueTotals: Sendable, Equatable, Codable {
    public var total = 0
    public var priority = 0
    public var watch = 0
    public var general = 0
    /// Venues with at least one interior camera down (the owner must act).
    public var withInteriorDown = 0
    /// Venues with at least one perimeter camera down (the city must act).
    public var withPerimeterDown = 0
}

/// The district at a glance, for `patrol status`.
/// The pictures patrold keeps (snapshots beside the database), for the on-call engineer.
public struct PictureStorage: Sendable, Equatable, Codable {
    /// Pictures kept (rows), and the distinct files they name.
    public var pictures = 0
    public var files = 0
    /// Bytes of those files: what the disk budget bounds.
    public var bytes = 0
    /// Cameras with a reference picture.
    public var references = 0
    /// Pictures a ledger entry cites: never pruned.
    public var cited = 0
    /// The newest picture kept.
    public var newest: Date?

    public init() {}
}

public struct DistrictStatus: Sendable, Equatable, Codable {
    /// Every camera in service (`name` is "all").
    public var cameras: Tally
    /// Cameras per debounced status: up, down, unknown.
    public var byStatus: [Tally]
    /// Cameras per outcome of their latest probe, then "not_probed".
    public var byOutcome: [Tally]
    /// Down cameras per venue tier: priority, watch, general.
    public var downByTier: [Tally]
    public var venues: VenueTotals
    public var probing: Probing
    public var pictures = PictureStorage()
    /// The registration side: nil when no venue declares a registration system and the platform was never read.
    public var registration: RegistrationCounts?
    // The escalation ledger's figures (venues per ladder state, orders due today and tomorrow,
    // the last daily patrol) are read from the ledger tables and stand beside these.

    public init(cameras: [CameraSummary], venues: [Venue], probing: Probing) {
        let all = Tally.count(cameras, names: ["all"]) { _ in "all" }[0]
        self.cameras = all
        byStatus = Tally.count(cameras, names: ["up", "down", "unknown"]) { $0.status.rawValue }
        byOutcome = Tally.count(cameras, names: Outcome.allCases.map(\.rawValue) + ["not_probed"]) {
            $0.lastOutcome?.rawValue ?? "not_probed"
        }
        downByTier = Tally.count(cameras, names: Tier.allCases.reversed().map(\.rawValue)) {
            $0.status == .down ? $0.tier.rawValue : nil
        }
        var totals = VenueTotals()
        let byVenue = Dictionary(grouping: cameras, by: \.venueID).mapValues { CameraCounts($0) }
        for venue in venues {
            totals.total += 1
            switch venue.tier {
            case .priority: totals.priority += 1
            case .watch: totals.watch += 1
            case .general: totals.general += 1
            }
            if let counts = byVenue[venue.id] {
                if counts.interiorDown > 0 { totals.withInteriorDown += 1 }
                if counts.perimeterDown > 0 { totals.withPerimeterDown += 1 }
            }
        }
        self.venues = totals
        self.probing = probing
    }
}

extension Store {
    /// The district at a glance; the data is stale when no probe came for `staleAfter` seconds.
    public func districtStatus(now: Date = Date(), staleAfter: Double) throws -> DistrictStatus {
        let cameras = try cameras(), venues = try venueList()
        let (lastProbe, lastSweep, pictures) = try pool.read { db in
            (try Date.fetchOne(db, sql: "SELECT max(at) FROM probe_result"),
             try Row.fetchOne(db, sql: "SELECT * FROM sweep ORDER BY id DESC LIMIT 1").map {
                 SweepRecord(startedAt: $0["started_at"], finishedAt: $0["finished_at"], probes: $0["probes"], summary: $0["summary"])
             },
             try Self.pictureStorage(db))
        }
        var status = DistrictStatus(cameras: cameras, venues: venues,
                                    probing: Probing(lastProbeAt: lastProbe, lastSweep: lastSweep, now: now, staleAfter: staleAfter))
        status.pictures = pictures
        let registration = try self.registration(now: now)
        if !registration.systems.isEmpty || registration.platform.lastRead != nil {
            status.registration = RegistrationCounts(registration)
        }
        return status
    }
}

extension Store {
    static func pictureStorage(_ db: Database) throws -> PictureStorage {
        var storage = PictureStorage()
        if let row = try Row.fetchOne(db, sql: "SELECT count(*) AS n, max(taken_at) AS newest FROM snapshot") {
            storage.pictures = row["n"]
            storage.newest = row["newest"]
        }
        if let row = try Row.fetchOne(db, sql: """
            SELECT count(*) AS files, coalesce(sum(bytes), 0) AS bytes FROM (SELECT sha256, max(bytes) AS bytes FROM snapshot GROUP BY sha256)
            """) {
            storage.files = row["files"]
            storage.bytes = row["bytes"]
        }
        storage.references = try Int.fetchOne(db, sql: "SELECT count(*) FROM camera_reference") ?? 0
        storage.cited = try Int.fetchOne(db, sql: "SELECT count(DISTINCT sha256) FROM evidence_picture") ?? 0
        return storage
    }

    /// The cameras in service by debounced status (cameras never probed have no status yet).
    public func cameraStatusCounts() throws -> [CameraStatus: Int] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.status, count(*) AS n FROM camera_state s JOIN camera c ON c.id = s.camera_id
                WHERE c.retired_at IS NULL GROUP BY s.status
                """).reduce(into: [CameraStatus: Int]()) { counts, row in
                if let status = CameraStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
        }
    }
}
