import Foundation
import GRDB
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings
@testable import PatrolStore
import PatrolTestSupport
import Testing

/// A black camera's order carries its pictures: in the ledger's evidence, through `patrol
/// ledger verify` and `patrol evidence`, and past the snapshot pruning.
@Suite("Pictures as evidence: the ledger, its check and the inspector's folder")
struct EvidenceCommandTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day1 = PatrolDay(year: 2026, month: 9, day: 1)

    let folder: URL
    let config: String
    let store: Store

    init() throws {
        let temporary = try TemporaryStore()
        folder = temporary.folder
        store = temporary.store
        config = folder.appendingPathComponent("patrol.yaml").path
        try "database: patrol.sqlite\ncredentials: credentials.sqlite\n".write(toFile: config, atomically: true, encoding: .utf8)
        let cameras = try TestDistrict.cameras([("C1", "V1", .interior), ("C2", "V2", .interior)]) { "rtsp://10.0.0.1/\($0)" }
        try temporary.seed(Inventory(venues: [TestDistrict.pingan(), TestDistrict.xingkong(tier: .general)], cameras: cameras),
                           since: Self.day1.start(in: Self.zone).addingTimeInterval(-86_400))
        // Every 15 minutes of day 1: C1 black (a picture each probe, kept as the policy says), C2 online.
        var batch: [(cameraID: String, result: ProbeResult)] = []
        for minute in stride(from: 0, to: 1440, by: 15) {
            let at = Self.day1.start(in: Self.zone).addingTimeInterval(Double(minute) * 60)
            batch.append(("C1", Self.black(at: at)))
            batch.append(("C2", probeResult(.online, at: at)))
        }
        try store.write(batch)
        try DailyPatrol(store: store, settings: DailyPatrolSettings())
            .runDue(now: Self.day1.adding(1).start(in: Self.zone, hour: 7))
    }

    static func black(at date: Date) -> ProbeResult {
        var result = probeResult(.black, at: date)
        var jpeg = Data([0xFF, 0xD8])
        jpeg.append(Data("black picture at \(date.timeIntervalSince1970)".utf8))
        jpeg.append(contentsOf: [0xFF, 0xD9])
        result.snapshot = Snapshot(jpeg: jpeg, width: 640, height: 360)
        return result
    }

    func patrol(_ arguments: [String]) throws -> CommandRun {
        try CommandRun("patrol", arguments + ["--config", config])
    }

    @Test("the order cites the day's pictures of the fault; the ledger verifies them; the folder holds them with their hashes")
    func order() throws {
        let entries = try store.ledger(venue: "V1")
        let order = try #require(entries.first { $0.kind == .order })
        let cited = Evidence.pictures(in: order.step.evidence)
        // The first picture of the fault and the last two.
        let kept = try store.snapshots(of: "C1", limit: 100).reversed().map(\.sha256)
        #expect(kept.count == 24, "the first black picture, then one an hour")
        #expect(cited == [kept[0]] + kept.suffix(2))

        let verified = try patrol(["ledger", "verify"])
        #expect(verified.status == 0, "\(verified.all)")
        #expect(verified.stdout.contains("pictures: 3 cited as evidence match their hashes"))

        let out = folder.appendingPathComponent("inspector")
        let exported = try patrol(["evidence", String(order.seq), "--out", out.path])
        #expect(exported.status == 0, "\(exported.all)")
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("entry.json")))
            as? [String: Any])
        #expect(entry["hash"] as? String == order.hash)
        #expect(entry["ledger_verified"] as? Bool == true)
        // The canonical text it gives hashes to the entry's hash.
        #expect(SnapshotDirectory.sha256(Data(try #require(entry["canonical"] as? String).utf8)) == order.hash)
        for sha in cited {
            let picture = try Data(contentsOf: out.appendingPathComponent("pictures/\(sha).jpg"))
            #expect(SnapshotDirectory.sha256(picture) == sha)
        }
        let probes = try String(contentsOf: out.appendingPathComponent("probes.csv"), encoding: .utf8)
        #expect(probes.split(separator: "\n").filter { $0.hasPrefix("C1,") }.count == 96)
        // The inspector's own tool agrees with every file's hash.
        let sha256sum = Process()
        sha256sum.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        sha256sum.arguments = ["-c", "SHA256SUMS"]
        sha256sum.currentDirectoryURL = out
        let listing = Pipe()
        sha256sum.standardOutput = listing
        try sha256sum.run()
        let said = String(decoding: listing.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sha256sum.waitUntilExit()
        #expect(sha256sum.terminationStatus == 0, "\(said)")
        #expect(said.split(separator: "\n").filter { $0.hasSuffix(": OK") }.count == 6, "\(said)")

        #expect(try patrol(["evidence", String(order.seq), "--out", out.path]).status == 73)
        #expect(try patrol(["evidence", "999", "--out", folder.appendingPathComponent("none").path]).status == 66)
    }

    @Test("pruning to any budget never removes a cited picture; an altered one fails the ledger's check")
    func keptAndChecked() throws {
        var settings = SnapshotSettings()
        settings.budgetBytes = 1
        try store.pruneSnapshots(now: Self.day1.adding(40).start(in: Self.zone), settings: settings)
        let order = try #require(try store.ledger(venue: "V1").first { $0.kind == .order })
        let cited = Evidence.pictures(in: order.step.evidence)
        for sha in cited { #expect(FileManager.default.fileExists(atPath: store.snapshots.path(of: sha))) }
        #expect(try store.snapshots(of: "C1", limit: 100).count == 3, "the cited pictures (the newest among them)")

        let altered = store.snapshots.path(of: cited[1])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: altered))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0x00]))
        try handle.close()
        let verified = try patrol(["ledger", "verify"])
        #expect(verified.status == 1, "\(verified.all)")
        #expect(verified.stdout.contains("is not the one cited"))
    }
}
