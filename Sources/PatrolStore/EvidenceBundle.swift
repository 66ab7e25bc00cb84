import Foundation
import GRDB
import PatrolLedger
import PatrolProbe
import PatrolSettings

/// One ledger step's evidence, gathered for an inspector: the entry, the chain's check, the
/// cited cameras' probes of the day, and the pictures it names.
public struct EvidenceBundle: Sendable {
    public var entry: LedgerEntry
    public var check: LedgerCheck
    /// The probes of each camera the evidence cites, over the step's patrol day (while raw
    /// results are kept), oldest first.
    public var probes: [String: [ProbeRecord]]
    /// The pictures the evidence names, in order, and where each is (nil: no longer here).
    public var pictures: [(sha256: String, path: String?)]
}

extension Store {
    /// The evidence of ledger entry `seq`; nil when there is no such entry.
    public func evidence(seq: Int, zone: TimeZone, policy: LadderPolicy) throws -> EvidenceBundle? {
        let check = try verifyLedger(policy: policy)
        return try pool.read { db in
            guard let entry = try Store.ledger(in: db).first(where: { $0.seq == seq }) else { return nil }
            struct Cited: Decodable { var cameras: [Camera]?; struct Camera: Decodable { var camera: String } }
            let cited = (try? JSONDecoder().decode(Cited.self, from: Data(entry.step.evidence.utf8)))?.cameras?.map(\.camera) ?? []
            let interval = entry.step.day.interval(in: zone)
            var probes: [String: [ProbeRecord]] = [:]
            for camera in cited {
                probes[camera] = try Row.fetchAll(db, sql: """
                    SELECT * FROM probe_result WHERE camera_id = ? AND at >= ? AND at < ? ORDER BY at
                    """, arguments: [camera, interval.start, interval.end]).map { try ProbeRecord(row: $0) }
            }
            let pictures = Evidence.pictures(in: entry.step.evidence).map { sha in
                let path = snapshots.path(of: sha)
                return (sha256: sha, path: FileManager.default.fileExists(atPath: path) ? path : nil)
            }
            return EvidenceBundle(entry: entry, check: check, probes: probes, pictures: pictures)
        }
    }
}
