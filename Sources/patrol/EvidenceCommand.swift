import ArgumentParser
import Foundation
import PatrolCrypto
import PatrolInventory
import PatrolLedger
import PatrolOutput
import PatrolStore
import PatrolViews

/// `patrol evidence SEQ --out DIR`: one ledger step's evidence as a folder an inspector can hand over.
struct EvidenceCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "evidence", abstract: say(.evidenceAbstract), discussion: say(.evidenceDiscussion))
    }

    @Argument(help: ArgumentHelp(say(.evidenceHelpSeq), valueName: "entry"))
    var seq: Int

    @Option(help: ArgumentHelp(say(.evidenceHelpOut)))
    var out: String

    @OptionGroup var store: DatabaseOptions

    func run() throws {
        let database = try store.openForReading()
        let settings = try store.patrolSettings()
        guard let bundle = try database.evidence(seq: seq, zone: settings.timeZone, policy: settings.ladder) else {
            throw CommandFailure(message: say(.noEntry, seq), exit: .notFound)
        }
        let folder = URL(fileURLWithPath: out)
        let manager = FileManager.default
        if let existing = try? manager.contentsOfDirectory(atPath: folder.path), !existing.isEmpty {
            throw CommandFailure(message: say(.evidenceFolderNotEmpty, out), exit: .cannotCreate)
        }
        var written: [(name: String, data: Data)] = []
        do {
            try manager.createDirectory(at: folder.appendingPathComponent("pictures"), withIntermediateDirectories: true)
            func write(_ name: String, _ data: Data) throws {
                try data.write(to: folder.appendingPathComponent(name), options: .atomic)
                written.append((name, data))
            }
            try write("entry.json", Data(try Format.json(EntryFile(bundle), versioned: false).utf8))
            try write("probes.csv", Data(Self.probes(bundle).utf8))
            for picture in bundle.pictures {
                guard let path = picture.path, let data = manager.contents(atPath: path) else { continue }
                try write("pictures/\(picture.sha256).jpg", data)
            }
            try write("README.txt", Data(Self.readme(bundle).utf8))
            let sums = written.map { "\(SnapshotDirectory.sha256($0.data))  \($0.name)" }.joined(separator: "\n") + "\n"
            try sums.write(to: folder.appendingPathComponent("SHA256SUMS"), atomically: true, encoding: .utf8)
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(message: say(.evidenceCannotWrite, out, error.localizedDescription), exit: .cannotCreate)
        }
        let missing = bundle.pictures.filter { $0.path == nil }.count
        try Output.line(say(.evidenceWritten, seq, word(bundle.entry.kind), bundle.entry.venueID, Format.day(bundle.entry.day.description),
                            written.count, out, bundle.pictures.count - missing, bundle.pictures.count)
            + (bundle.check.ok ? say(.evidenceLedgerVerified) : say(.evidenceLedgerNotVerified, bundle.check.problem ?? "")))
    }

    /// entry.json: the entry's fields, its evidence as JSON, the chain's check at export.
    struct EntryFile: Encodable {
        var schemaVersion = Versioned<Self>.schemaVersion
        var seq: Int
        var kind: String
        var venue: String
        var day: String
        var deadline: String?
        var reason: String
        /// The evidence as an object; `canonical` holds it exactly as hashed.
        var evidence: JSONValue
        var actor: String
        var at: String
        var previousHash: String
        var hash: String
        /// What `hash` is the SHA-256 of: every field but the hash, as docs/LEDGER.md defines it.
        var canonical: String
        var ledgerVerified: Bool
        var ledgerProblem: String?
        var ledgerHead: String?
        var pictures: [Picture]

        struct Picture: Encodable {
            var sha256: String
            var file: String?
        }

        init(_ bundle: EvidenceBundle) {
            let entry = bundle.entry
            seq = entry.seq
            kind = entry.kind.rawValue
            venue = entry.venueID
            day = entry.day.description
            deadline = entry.deadline?.description
            reason = entry.reason
            evidence = JSONValue(json: entry.step.evidence) ?? .string(entry.step.evidence)
            actor = entry.step.actor
            at = entry.at
            previousHash = entry.previousHash
            hash = entry.hash
            canonical = entry.canonicalEncoding
            ledgerVerified = bundle.check.ok
            ledgerProblem = bundle.check.problem
            ledgerHead = bundle.check.head?.description
            pictures = bundle.pictures.map { Picture(sha256: $0.sha256, file: $0.path == nil ? nil : "pictures/\($0.sha256).jpg") }
        }
    }

    static func probes(_ bundle: EvidenceBundle) -> String {
        var text = CSV.line(["camera_id", "at", "outcome", "detail", "snapshot"])
        for camera in bundle.probes.keys.sorted() {
            for probe in bundle.probes[camera] ?? [] {
                text += CSV.line([camera, LedgerEntry.timestamp(probe.at), probe.outcome.rawValue, probe.detail, probe.snapshot ?? ""])
            }
        }
        return text
    }

    static func readme(_ bundle: EvidenceBundle) -> String {
        let entry = bundle.entry
        return """
        巡查台账第 \(entry.seq) 条证据（\(entry.venueID)，\(entry.day)，\(entry.kind.rawValue)）
        entry.json   台账记录原文、其证据、导出时台账校验结果（哈希链 previous_hash/hash）
        probes.csv   所引摄像头当日的每次巡检结果（原始结果保留期内）
        pictures/    证据所引图片，文件名即其 SHA-256
        SHA256SUMS   本文件夹每个文件的 SHA-256，可用 sha256sum -c SHA256SUMS 核对

        Evidence of ledger entry #\(entry.seq) (\(entry.venueID), \(entry.day), \(entry.kind.rawValue))
        entry.json   the entry as the ledger holds it, its evidence, the ledger's check at export (hash chain)
        probes.csv   every probe of the cited cameras that day (while raw results are kept)
        pictures/    the pictures the evidence names, each file named by its SHA-256
        SHA256SUMS   every file's SHA-256: check with sha256sum -c SHA256SUMS

        """
    }
}
