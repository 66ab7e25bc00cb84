import Foundation
import PatrolInventory
import PatrolLedger
import PatrolProbe
@testable import PatrolStore
import PatrolTestSupport

/// A store in a fresh temporary folder: a real SQLite file.
struct TemporaryStore {
    let folder: URL
    let store: Store
    let vault: CredentialVault

    /// - Parameter sealed: with a ledger key (made in the folder, mode 0600) that seals the ledger.
    init(in parent: URL = FileManager.default.temporaryDirectory, sealed: Bool = false) throws {
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

    /// A small district: `venues` venues, each with one perimeter and two interior cameras.
    @discardableResult
    func seed(venues: Int = 2, tier: Tier = .general) throws -> Inventory {
        let inventory = try district(venues: venues, tier: tier)
        try store.apply(inventory, vault: vault, zone: patrolZone)
        return inventory
    }

    /// Backdates the inventory to the day before `day`: a camera is judged only for days it was on record.
    func onRecord(before day: PatrolDay, in zone: TimeZone) throws {
        try store.pool.write { db in
            try db.execute(sql: "UPDATE venue SET added_at = ?", arguments: [day.start(in: zone).addingTimeInterval(-86_400)])
            try db.execute(sql: "UPDATE camera SET added_at = ?", arguments: [day.start(in: zone).addingTimeInterval(-86_400)])
        }
    }

    /// Writes a day of probes of cameras C00001…C0000`cameras`, every 15 minutes, as the sweep would.
    func probe(_ day: PatrolDay, in zone: TimeZone, cameras: Int, hours: Range<Double> = 0..<24,
               _ outcome: (String) -> Outcome = { _ in .online }) throws {
        let start = day.start(in: zone)
        var batch: [(cameraID: String, result: ProbeResult)] = []
        for seconds in stride(from: hours.lowerBound * 3600, to: hours.upperBound * 3600, by: 900) {
            for camera in (1...cameras).map({ String(format: "C%05d", $0) }) {
                batch.append((camera, result(outcome(camera), at: start.addingTimeInterval(seconds))))
            }
        }
        try store.write(batch)
    }
}

func district(venues: Int, tier: Tier = .general, password: String? = nil) throws -> Inventory {
    var allVenues: [Venue] = [], cameras: [Camera] = []
    for v in 1...venues {
        let venueID = String(format: "V%04d", v)
        allVenues.append(Venue(id: venueID, name: "平安宾馆\(v)号", kind: .hotel, tier: tier, district: "城东", grid: "G01-0\(v)",
                               address: "城东路\(v)号", ownerContact: "1380000000\(v % 10)",
                               supervisor: tier == .priority ? "张伟 (一组)" : nil))
        for c in 0..<3 {
            let index = (v - 1) * 3 + c + 1
            cameras.append(try Camera(id: String(format: "C%05d", index), venueID: venueID,
                                      placement: c == 0 ? .perimeter : .interior,
                                      url: String(format: "rtsp://10.1.%d.%d:554/live", v, c + 1),
                                      credentials: password.map { .init(username: "admin", password: $0) }))
        }
    }
    return Inventory(venues: allVenues, cameras: cameras)
}

/// A probe result as the probe would return it.
func result(_ outcome: Outcome, at date: Date, width: Int? = 1280, height: Int? = 720, fps: Double? = 25,
            fingerprint seed: UInt8? = nil, codec: String = "h264") -> ProbeResult {
    let decoded = outcome == .online || outcome == .black || outcome == .frozen
    // Each probe sees a different picture unless a seed repeats (a frozen camera).
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

let t0 = Date(timeIntervalSince1970: 1_790_000_000)  // a fixed instant: 2026-09-21
