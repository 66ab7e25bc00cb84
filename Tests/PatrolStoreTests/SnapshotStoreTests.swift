import Foundation
import GRDB
import PatrolLedger
import PatrolProbe
import PatrolSettings
@testable import PatrolStore
import PatrolTestSupport
import Testing

/// A probe result carrying a picture: `size` bytes standing for a JPEG, different for every
/// probe (the store names files by their hash and never reads them as pictures).
func pictured(_ outcome: Outcome, at date: Date, camera: String, size: Int = 20_000) -> ProbeResult {
    var probe = probeResult(outcome, at: date)
    var bytes = Data("\(camera) \(date.timeIntervalSince1970)".utf8)
    bytes.append(Data(repeating: UInt8(truncatingIfNeeded: bytes.count), count: size - bytes.count))
    probe.snapshot = Snapshot(jpeg: bytes, width: 640, height: 360)
    let cells = (0..<(SceneSignature.columns * SceneSignature.rows)).map { (index: Int) -> UInt8 in
        let band: Int = (index % 80) / 8 + (index / 80) / 5
        return UInt8(60 + band % 3 * 50)
    }
    probe.picture?.scene = SceneSignature(cells: cells, sharpness: 2)
    return probe
}

@Suite("Snapshots kept as evidence: what is kept, and the disk budget over a month")
struct SnapshotStoreTests {
    @Test("a month of probes: pictures stay inside retention and budget; references and each camera's newest stay; no file without a row")
    func month() throws {
        let t = try TemporaryStore()
        try t.seed(venues: 2)
        var settings = SnapshotSettings()
        settings.retentionDays = 10
        settings.budgetBytes = 3_000_000
        let policy = SnapshotPolicy(settings: settings)
        let cameras = (1...6).map { String(format: "C%05d", $0) }
        // C00001 flaps between online and black every 6 hours; C00002 goes black on day 3 and stays so.
        func outcome(_ camera: String, hour: Int) -> Outcome {
            switch camera {
            case "C00001": (hour / 6) % 2 == 0 ? .online : .black
            case "C00002": hour >= 72 ? .black : .online
            default: .online
            }
        }
        var keptInAll = 0
        for day in 0..<30 {
            var batch: [(cameraID: String, result: ProbeResult)] = []
            for hour in (day * 24)..<(day * 24 + 24) {
                for camera in cameras {
                    batch.append((camera, pictured(outcome(camera, hour: hour), at: t0.addingTimeInterval(Double(hour) * 3600),
                                                   camera: camera)))
                }
            }
            keptInAll += try t.store.write(batch, snapshots: policy).snapshotsKept
            let pruned = try t.store.pruneSnapshots(now: t0.addingTimeInterval(Double(day + 1) * 86_400), settings: settings)

            let files = t.store.storedSnapshots()
            let bytes = try files.reduce(0) {
                $0 + (try FileManager.default.attributesOfItem(atPath: t.store.snapshots.path(of: $1))[.size] as! Int)
            }
            #expect(bytes <= settings.budgetBytes, "day \(day): \(bytes) bytes on disk")
            #expect(bytes == pruned.bytesLeft)
            // What `patrol status` shows of it.
            let storage = try t.store.districtStatus(staleAfter: 1800).pictures
            #expect(storage.bytes == bytes && storage.files == files.count && storage.references == cameras.count)
            let named = try t.store.pool.read { try Set(String.fetchAll($0, sql: "SELECT DISTINCT sha256 FROM snapshot")) }
            #expect(named == Set(files), "day \(day): every row names a file and every file is named")
            for camera in cameras {
                let newest = try #require(try t.store.snapshots(of: camera, limit: 1).first)
                #expect(FileManager.default.fileExists(atPath: newest.path))
                if let reference = try t.store.reference(of: camera) {
                    #expect(FileManager.default.fileExists(atPath: reference.path), "\(camera)'s reference, day \(day)")
                }
            }
        }
        // Every camera was healthy first: each has its reference, the first picture kept of it.
        for camera in cameras { #expect(try t.store.reference(of: camera)?.since == t0) }
        // Kept: the references, the daily "last good", the flapping camera's changes and the black
        // camera's hourly evidence; the budget, not the retention, bounded what stayed.
        let c1 = try t.store.snapshots(of: "C00001", limit: 10_000)
        #expect(c1.contains { $0.reason == .change && $0.outcome == .black })
        let c2 = try t.store.snapshots(of: "C00002", limit: 10_000)
        #expect(c2.first?.reason == .fault)
        #expect(keptInAll > 600)
        let oldest = try #require(try t.store.pool.read { try Date.fetchOne($0, sql: "SELECT min(taken_at) FROM snapshot") })
        #expect(oldest == t0, "the references stay")
    }

    @Test("a healthy camera is kept once a day, a faulty one at most hourly, and every change at once")
    func policy() {
        let policy = SnapshotPolicy()
        let day = 86_400.0
        var memory = SnapshotPolicy.Memory()
        #expect(policy.reason(outcome: .online, adoptedReference: true, at: t0, after: memory) == .reference)
        memory = .init(previousOutcome: .online, lastGood: t0, lastEvidence: nil)
        #expect(policy.reason(outcome: .online, adoptedReference: false, at: t0.addingTimeInterval(day - 1), after: memory) == nil)
        #expect(policy.reason(outcome: .online, adoptedReference: false, at: t0.addingTimeInterval(day), after: memory) == .healthy)
        #expect(policy.reason(outcome: .moved, adoptedReference: false, at: t0.addingTimeInterval(60), after: memory) == .change)
        memory = .init(previousOutcome: .black, lastGood: t0, lastEvidence: t0)
        #expect(policy.reason(outcome: .black, adoptedReference: false, at: t0.addingTimeInterval(3599), after: memory) == nil)
        #expect(policy.reason(outcome: .black, adoptedReference: false, at: t0.addingTimeInterval(3600), after: memory) == .fault)
        #expect(policy.isDue(memory, at: t0.addingTimeInterval(3600)))
        #expect(!policy.isDue(memory, at: t0.addingTimeInterval(60)))
        // A camera never seen: a failure without a picture is a change only when it is not online.
        #expect(policy.reason(outcome: .online, adoptedReference: false, at: t0, after: .init()) == .healthy)
        #expect(policy.reason(outcome: .black, adoptedReference: false, at: t0, after: .init()) == .change)
    }
}

@Suite("The picture planner's memory read back from the store")
struct PictureMemoryStoreTests {
    @Test("a camera's first status is no change; its latest change from a known status is, whichever way it went")
    func changedAt() throws {
        let t = try TemporaryStore()
        try t.seed(venues: 1)
        let minute = { (n: Int) in t0.addingTimeInterval(Double(n) * 60) }
        // C00001 online throughout; C00002 failing from minute 1, down at the third timeout (minute 3), up again at minute 5.
        let outcomes: [(String, [Outcome])] = [("C00001", Array(repeating: .online, count: 6)),
                                               ("C00002", [.online, .timeout, .timeout, .timeout, .online, .online])]
        for n in 0..<6 {
            _ = try t.store.write(outcomes.map { ($0.0, probeResult($0.1[n], at: minute(n))) }, snapshots: SnapshotPolicy())
            let memory = try t.store.pictureMemory()
            #expect(memory["C00001"]?.tracker.status == .up && memory["C00001"]?.changedAt == nil, "minute \(n)")
            switch n {
            case 0: #expect(memory["C00002"]?.changedAt == nil)
            case 3, 4: #expect(memory["C00002"]?.tracker.status == .down && memory["C00002"]?.changedAt == minute(3))
            case 5: #expect(memory["C00002"]?.tracker.status == .up && memory["C00002"]?.changedAt == minute(5))
            default: break
            }
        }
    }
}
