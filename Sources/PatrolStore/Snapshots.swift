import Foundation
import GRDB
import PatrolCrypto
import PatrolLedger
import PatrolProbe
import PatrolSettings

/// One picture kept of a camera.
public struct SnapshotRecord: Sendable, Equatable, Codable {
    public var cameraID: String
    public var takenAt: Date
    /// SHA-256 of the JPEG, hex: its name in the snapshot directory.
    public var sha256: String
    public var bytes: Int
    public var width: Int
    public var height: Int
    /// The probe's outcome when it was taken.
    public var outcome: Outcome
    public var reason: SnapshotReason
    /// Where the file is (it may have been pruned).
    public var path: String

    enum CodingKeys: String, CodingKey {
        case cameraID = "cameraId", takenAt, sha256, bytes, width, height, outcome, reason, path
    }
}

/// A camera's reference picture: the scene its pictures are compared with.
public struct ReferenceRecord: Sendable, Equatable, Codable {
    public var cameraID: String
    public var sha256: String
    public var since: Date
    /// Who approved it; nil for the first healthy picture, adopted by patrold.
    public var approvedBy: String?
    public var reason: String?
    public var path: String

    enum CodingKeys: String, CodingKey { case cameraID = "cameraId", sha256, since, approvedBy, reason, path }
}

/// The pictures patrold keeps: JPEG files named by their SHA-256 in a directory beside the
/// database (`snapshots/ab/abcdef….jpg`), a row for each in `snapshot`. The files are written
/// before the row that names them; a file no row names is removed by `pruneSnapshots`.
public struct SnapshotDirectory: Sendable {
    public let root: URL

    public init(beside databasePath: String) {
        root = URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("snapshots")
    }

    public func path(of sha256: String) -> String {
        root.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256 + ".jpg").path
    }

    /// Writes `jpeg` under its hash (once: the same picture is one file) and returns the hash.
    func keep(_ jpeg: Data) throws -> String {
        let sha = Self.sha256(jpeg)
        let path = path(of: sha)
        if FileManager.default.fileExists(atPath: path) { return sha }
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try jpeg.write(to: URL(fileURLWithPath: path), options: .atomic)
        return sha
    }

    public static func sha256(_ data: Data) -> String {
        Hex.sha256(data)
    }
}

extension Store {
    public var snapshots: SnapshotDirectory { SnapshotDirectory(beside: path) }

    /// Keeps the judged probe's snapshot when the policy wants it; returns its hash.
    func keepSnapshot(_ judged: ProbeJudgement, of cameraID: String, previousOutcome: Outcome?, policy: SnapshotPolicy,
                      db: Database) throws -> String? {
        guard let picture = judged.result.snapshot else { return nil }
        let result = judged.result
        let last = try Row.fetchOne(db, sql: """
            SELECT max(CASE WHEN reason = 'healthy' OR reason = 'reference' THEN taken_at END) AS good,
                   max(CASE WHEN reason = 'fault' OR reason = 'change' THEN taken_at END) AS evidence
            FROM snapshot WHERE camera_id = ?
            """, arguments: [cameraID])
        let memory = SnapshotPolicy.Memory(previousOutcome: previousOutcome, lastGood: last?["good"], lastEvidence: last?["evidence"])
        guard let reason = policy.reason(outcome: result.outcome, adoptedReference: judged.adoptedReference,
                                         at: result.startedAt, after: memory)
        else { return nil }
        let sha = try snapshots.keep(picture.jpeg)
        let scene = result.picture.flatMap { $0.damaged ? nil : $0.scene }
        try db.execute(sql: """
            INSERT INTO snapshot (camera_id, taken_at, sha256, bytes, width, height, outcome, reason, cells, sharpness)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [cameraID, result.startedAt, sha, picture.jpeg.count, picture.width, picture.height,
                             result.outcome.rawValue, reason.rawValue, scene.map { Data($0.cells) }, scene?.sharpness])
        if judged.adoptedReference, let scene = result.picture?.scene {
            try db.execute(sql: """
                INSERT INTO camera_reference (camera_id, sha256, cells, sharpness, since, approved_by, reason)
                VALUES (?, ?, ?, ?, ?, NULL, NULL)
                ON CONFLICT (camera_id) DO NOTHING
                """, arguments: [cameraID, sha, Data(scene.cells), scene.sharpness, result.startedAt])
        }
        return sha
    }

    /// The pictures kept of a camera's faulty picture within `interval`: the first and the
    /// last two, oldest first (a day-long fault is shown by its start and its end).
    static func faultPictures(of cameraID: String, in interval: DateInterval, db: Database) throws -> [String] {
        let faults = Outcome.allCases.filter(\.isPictureFault).map(\.rawValue)
        let all = try String.fetchAll(db, sql: """
            SELECT sha256 FROM snapshot WHERE camera_id = ? AND taken_at >= ? AND taken_at < ?
            AND outcome IN (\(Store.placeholders(faults.count))) ORDER BY taken_at, id
            """, arguments: StatementArguments([cameraID, interval.start, interval.end] as [any DatabaseValueConvertible]) + StatementArguments(faults))
        var chosen: [String] = []
        for sha in all.prefix(1) + all.suffix(2) where !chosen.contains(sha) { chosen.append(sha) }
        return chosen
    }

    /// The camera's reference scene, for the judge.
    static func referenceScene(of cameraID: String, db: Database) throws -> SceneSignature? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT cells, sharpness FROM camera_reference WHERE camera_id = ?"),
                                         arguments: [cameraID]) else { return nil }
        let cells: Data = row["cells"]
        return SceneSignature(cells: [UInt8](cells), sharpness: row["sharpness"])
    }

    /// The camera's pictures, newest first.
    public func snapshots(of cameraID: String, limit: Int = 20) throws -> [SnapshotRecord] {
        try pool.read { db in try snapshots(of: cameraID, limit: limit, db: db) }
    }

    func snapshots(of cameraID: String, limit: Int, db: Database) throws -> [SnapshotRecord] {
            try Row.fetchAll(db, sql: """
                SELECT taken_at, sha256, bytes, width, height, outcome, reason FROM snapshot
                WHERE camera_id = ? ORDER BY taken_at DESC, id DESC LIMIT ?
                """, arguments: [cameraID, limit]).map { row in
                SnapshotRecord(cameraID: cameraID, takenAt: row["taken_at"], sha256: row["sha256"], bytes: row["bytes"],
                               width: row["width"], height: row["height"],
                               outcome: try UnknownStoredValue.decode(row, "outcome"), reason: try UnknownStoredValue.decode(row, "reason"),
                               path: snapshots.path(of: row["sha256"]))
            }
    }

    /// The camera's reference picture, if it has one.
    public func reference(of cameraID: String) throws -> ReferenceRecord? {
        try pool.read { db in try reference(of: cameraID, db: db) }
    }

    func reference(of cameraID: String, db: Database) throws -> ReferenceRecord? {
            try Row.fetchOne(db, sql: "SELECT sha256, since, approved_by, reason FROM camera_reference WHERE camera_id = ?",
                             arguments: [cameraID]).map { row in
                ReferenceRecord(cameraID: cameraID, sha256: row["sha256"], since: row["since"], approvedBy: row["approved_by"],
                                reason: row["reason"], path: snapshots.path(of: row["sha256"]))
            }
    }

    /// What the pruning did.
    public struct SnapshotPruning: Sendable, Equatable {
        public var rows = 0
        public var files = 0
        public var bytesLeft = 0
    }

    /// Keeps the pictures inside their retention and the disk budget: rows older than
    /// `retentionDays` go, then the oldest rows until the files left fit `budgetBytes`. A
    /// camera's reference picture and its newest picture are never pruned. Files no row names
    /// any more are removed.
    @discardableResult
    public func pruneSnapshots(now: Date = Date(), settings: SnapshotSettings = SnapshotSettings()) throws -> SnapshotPruning {
        var pruning = SnapshotPruning()
        try pool.write { db in
            let prunable = """
                id NOT IN (SELECT max(id) FROM snapshot GROUP BY camera_id)
                AND sha256 NOT IN (SELECT sha256 FROM camera_reference)
                AND sha256 NOT IN (SELECT sha256 FROM evidence_picture)
                """
            try db.execute(sql: "DELETE FROM snapshot WHERE taken_at < ? AND \(prunable)",
                           arguments: [now.addingTimeInterval(-Double(settings.retentionDays) * 86_400)])
            pruning.rows += db.changesCount
            // Over the budget: the oldest prunable pictures first, by distinct file.
            var total = try Int.fetchOne(db, sql: "SELECT coalesce(sum(bytes), 0) FROM (SELECT DISTINCT sha256, bytes FROM snapshot)") ?? 0
            if total > settings.budgetBytes {
                // Files also kept under a protected row stay; of the others, the oldest go first.
                let candidates = try Row.fetchAll(db, sql: """
                    SELECT sha256, max(bytes) AS bytes FROM snapshot GROUP BY sha256
                    HAVING sum(CASE WHEN \(prunable) THEN 1 ELSE 0 END) = count(*)
                    ORDER BY max(taken_at)
                    """)
                var doomed: [String] = []
                for row in candidates where total > settings.budgetBytes {
                    doomed.append(row["sha256"])
                    total -= row["bytes"] as Int
                }
                for chunk in stride(from: 0, to: doomed.count, by: 500) {
                    let part = Array(doomed[chunk..<min(chunk + 500, doomed.count)])
                    try db.execute(sql: "DELETE FROM snapshot WHERE sha256 IN (\(part.map { _ in "?" }.joined(separator: ",")))",
                                   arguments: StatementArguments(part))
                    pruning.rows += db.changesCount
                }
            }
            pruning.bytesLeft = total
            // Inside the transaction: no writer can name one of these files meanwhile.
            let named = Set(try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM snapshot"))
            for sha in self.storedSnapshots() where !named.contains(sha) {
                if (try? FileManager.default.removeItem(atPath: snapshots.path(of: sha))) != nil { pruning.files += 1 }
            }
        }
        return pruning
    }

    /// Why a picture cannot become a camera's reference.
    public enum ReferenceError: Error, CustomStringConvertible {
        case noCamera(String)
        case noPicture(String)
        case notAScene(String, Outcome)

        public var description: String {
            switch self {
            case .noCamera(let id): "no camera \(id): `patrol cameras` lists them"
            case .noPicture(let id): "camera \(id) has no picture to approve yet: patrold keeps one when its outcome changes"
            case .notAScene(let id, let outcome):
                "camera \(id)'s newest picture is \(outcome.rawValue): a covered or frozen lens cannot be the scene it must watch"
            }
        }
    }

    /// Makes the camera's newest picture its reference, approved by `by`, and records the act in
    /// the ledger as a note on the camera's venue: one transaction.
    public func approveReference(of cameraID: String, by: String, reason: String, day: PatrolDay, policy: LadderPolicy,
                                 at date: Date = Date()) throws -> (reference: ReferenceRecord, entries: [LedgerEntry]) {
        try sealedWrite(at: date) { db in
            guard let venueID = try String.fetchOne(db, sql: "SELECT venue_id FROM camera WHERE id = ?", arguments: [cameraID])
            else { throw ReferenceError.noCamera(cameraID) }
            guard let newest = try Row.fetchOne(db, sql: """
                SELECT sha256, outcome, cells, sharpness FROM snapshot WHERE camera_id = ? AND cells IS NOT NULL
                ORDER BY taken_at DESC, id DESC LIMIT 1
                """, arguments: [cameraID]) else { throw ReferenceError.noPicture(cameraID) }
            let outcome: Outcome = try UnknownStoredValue.decode(newest, "outcome")
            guard outcome != .black, outcome != .frozen else { throw ReferenceError.notAScene(cameraID, outcome) }
            let sha: String = newest["sha256"]
            let replaced = try String.fetchOne(db, sql: "SELECT sha256 FROM camera_reference WHERE camera_id = ?", arguments: [cameraID])
            try db.execute(sql: """
                INSERT INTO camera_reference (camera_id, sha256, cells, sharpness, since, approved_by, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (camera_id) DO UPDATE SET sha256 = excluded.sha256, cells = excluded.cells,
                    sharpness = excluded.sharpness, since = excluded.since, approved_by = excluded.approved_by, reason = excluded.reason
                """, arguments: [cameraID, sha, newest["cells"] as Data, newest["sharpness"] as Double, date, by, reason])
            // The evidence cites the picture like a verdict's: verified with the ledger, never pruned.
            struct Approval: Encodable {
                struct Camera: Encodable { var camera: String; var pictures: [String] }
                var cameras: [Camera]
                var replaces: String?
            }
            let step = Step(venueID: venueID, kind: .note, day: day,
                            reason: "reference picture of camera \(cameraID) approved: \(reason)",
                            evidence: Evidence.encode(Approval(cameras: [.init(camera: cameraID, pictures: [sha])], replaces: replaced)),
                            actor: by)
            try db.execute(sql: "INSERT OR IGNORE INTO evidence_picture (sha256, day, venue_id) VALUES (?, ?, ?)",
                           arguments: [sha, day.description, venueID])
            let entries = try Store.append([step], at: date, in: db)
            let reference = ReferenceRecord(cameraID: cameraID, sha256: sha, since: date, approvedBy: by, reason: reason,
                                            path: snapshots.path(of: sha))
            return (reference, entries)
        }
    }

    /// The hashes of the picture files on disk.
    func storedSnapshots() -> [String] {
        let manager = FileManager.default
        guard let shards = try? manager.contentsOfDirectory(atPath: snapshots.root.path) else { return [] }
        return shards.flatMap { shard in
            ((try? manager.contentsOfDirectory(atPath: snapshots.root.appendingPathComponent(shard).path)) ?? [])
                .filter { $0.hasSuffix(".jpg") }.map { String($0.dropLast(4)) }
        }
    }
}

/// What the store knows of a camera's pictures, for deciding which probes bring one.
public struct PictureMemory: Sendable, Equatable {
    public var snapshots: SnapshotPolicy.Memory
    public var reference: SceneSignature?
    public var fingerprint: Fingerprint?
    /// When the camera's clock was last read (from its RTCP sender reports), or last asked for.
    public var clockAt: Date?
    /// When its picture was last checked (its last undamaged picture).
    public var pictureAt: Date?
    /// Its debounced status, as the rules last recorded it.
    public var tracker: StatusTracker
    /// When that status last changed from a known one (`PictureCadence.record`): the latest
    /// status change in the store unless it was the camera's first, from unknown.
    public var changedAt: Date?
    /// What its coded stream looked like at its last probe (kept in patrold's memory only: a
    /// camera's first probe after a start checks its picture).
    public var coded: CodedHistory?

    public init(snapshots: SnapshotPolicy.Memory = .init(), reference: SceneSignature? = nil, fingerprint: Fingerprint? = nil,
                clockAt: Date? = nil, pictureAt: Date? = nil, tracker: StatusTracker = StatusTracker(), changedAt: Date? = nil,
                coded: CodedHistory? = nil) {
        self.pictureAt = pictureAt
        self.tracker = tracker
        self.changedAt = changedAt
        self.coded = coded
        self.snapshots = snapshots
        self.reference = reference
        self.fingerprint = fingerprint
        self.clockAt = clockAt
    }
}

extension Store {
    /// Every camera's picture memory, by camera id (cameras never probed are absent).
    public func pictureMemory() throws -> [String: PictureMemory] {
        try pool.read { db in
            var memory: [String: PictureMemory] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT s.camera_id, s.last_outcome, s.fingerprint, s.fingerprint_at, s.clock_offset_at, r.cells, r.sharpness,
                       s.status, s.status_since, s.consecutive_failures, s.consecutive_successes, s.failing_since, s.reason,
                       (SELECT max(taken_at) FROM snapshot k WHERE k.camera_id = s.camera_id AND k.reason IN ('healthy', 'reference')) AS good,
                       (SELECT max(taken_at) FROM snapshot k WHERE k.camera_id = s.camera_id AND k.reason IN ('fault', 'change')) AS evidence,
                       (SELECT CASE e.from_status WHEN 'unknown' THEN NULL ELSE e.at END FROM state_event e
                        WHERE e.camera_id = s.camera_id ORDER BY e.at DESC, e.id DESC LIMIT 1) AS changed
                FROM camera_state s LEFT JOIN camera_reference r ON r.camera_id = s.camera_id
                """) {
                let cells: Data? = row["cells"]
                let fingerprint: Data? = row["fingerprint"]
                memory[row["camera_id"]] = PictureMemory(
                    snapshots: SnapshotPolicy.Memory(previousOutcome: (row["last_outcome"] as String?).flatMap(Outcome.init(rawValue:)),
                                                     lastGood: row["good"], lastEvidence: row["evidence"]),
                    reference: cells.flatMap { SceneSignature(cells: [UInt8]($0), sharpness: row["sharpness"]) },
                    fingerprint: fingerprint.flatMap { Fingerprint(samples: [UInt8]($0)) }, clockAt: row["clock_offset_at"],
                    pictureAt: row["fingerprint_at"],
                    tracker: StatusTracker(status: (row["status"] as String?).flatMap(CameraStatus.init(rawValue:)) ?? .unknown,
                                           since: row["status_since"], consecutiveFailures: row["consecutive_failures"],
                                           consecutiveSuccesses: row["consecutive_successes"], failingSince: row["failing_since"],
                                           reason: (row["reason"] as String?).flatMap(Outcome.init(rawValue:))),
                    changedAt: row["changed"])
            }
            return memory
        }
    }
}
