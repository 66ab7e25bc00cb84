import ArgumentParser
import Foundation
import PatrolLedger
import PatrolOutput
import PatrolStore

struct CameraCommand: ReadCommand {
    static let configuration = CommandConfiguration(
        commandName: "camera",
        abstract: "One camera: its status and since when, its latest probes, uptime, stream metadata and changes.",
        discussion: """
        Uptime is the share of probes that found the camera online: over the last 24 hours \
        (hourly roll-ups), and the last 7 and 30 days (daily roll-ups, today included). \
        Exit status 66 when there is no such camera.

        `patrol camera ID reference` shows the camera's reference picture (the scene its pictures \
        are compared with); with --approve --by NAME --reason TEXT the camera's newest picture \
        becomes its reference (after the camera was re-aimed on purpose), recorded in the ledger as \
        a note on its venue. Exit 65 when the newest picture is black or frozen, 66 when the camera \
        has no picture yet.
        """
    )

    @Argument(help: ArgumentHelp("The camera's id, e.g. C00017.", valueName: "camera-id"))
    var id: String

    @Argument(help: ArgumentHelp("`reference`: the camera's reference picture.", valueName: "reference"))
    var subject: Subject?

    enum Subject: String, ExpressibleByArgument { case reference }

    @Flag(help: "With `reference`: make the camera's newest picture its reference.")
    var approve = false

    @Option(help: ArgumentHelp("With --approve: your name, as the ledger records it.", valueName: "name"))
    var by: String?

    @Option(help: ArgumentHelp("With --approve: why (the ledger keeps it).", valueName: "text"))
    var reason: String?

    @OptionGroup var key: LedgerKeyOptions

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "How many of the latest probes to show.")
    var probes = 10

    @Option(help: "How many of the latest status and metadata changes to show.")
    var changes = 10

    func validate() throws {
        if approve {
            guard subject == .reference else { throw ValidationError("--approve goes with `patrol camera \(id) reference`") }
            guard let by, !by.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--by: say who approves") }
            guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason: say why") }
            if by == LedgerEntry.patrolActor || by == LedgerEntry.inventoryActor {
                throw ValidationError("--by: '\(by)' is reserved for Patrol's own entries; give your name")
            }
        } else if by != nil || reason != nil {
            throw ValidationError("--by and --reason go with --approve")
        }
        guard (0...1000).contains(probes) else { throw ValidationError("--probes must be between 0 and 1000") }
        guard (0...1000).contains(changes) else { throw ValidationError("--changes must be between 0 and 1000") }
    }

    func run() throws {
        guard subject == .reference else { return try Output.line(try render()) }
        if approve, let by, let reason {
            let settings = try store.patrolSettings()
            let database = try store.openSealingStore(ledgerKey: key.ledgerKey)
            let approved: (reference: ReferenceRecord, entries: [LedgerEntry])
            do {
                approved = try database.approveReference(of: id, by: by, reason: reason, day: try store.today(), policy: settings.ladder)
            } catch let error as Store.ReferenceError {
                switch error {
                case .noCamera, .noPicture: throw CommandFailure(message: "\(error)", exit: .notFound)
                case .notAScene: throw CommandFailure(message: "\(error)", exit: .invalidInput)
                }
            } catch let error as LedgerKeyError {
                throw CommandFailure(message: "\(error)", exit: .configuration)
            }
            if output.json { return try Output.line(try Format.json(approved.reference)) }
            try Output.line("reference of \(id): \(approved.reference.path)")
            if let last = approved.entries.last {
                try Output.line("recorded: ledger entry #\(last.seq) (note on \(last.venueID))")
                try Output.line("ledger head: \(LedgerHead(seq: last.seq, hash: last.hash))")
            }
            return
        }
        let database = try store.openForReading()
        guard let reference = try database.reference(of: id) else {
            throw CommandFailure(message: "camera \(id) has no reference picture yet (or no such camera)", exit: .notFound)
        }
        if output.json { return try Output.line(try Format.json(reference)) }
        let by = reference.approvedBy.map { "approved by \($0): \(reference.reason ?? "")" } ?? "the first healthy picture patrold kept"
        try Output.line("reference of \(id): \(reference.path)\nsince \(Format.time(reference.since)), \(by)")
    }

    func report(from store: Store, now: Date) throws -> CameraDetail {
        guard let detail = try store.camera(id: id, probes: probes, changes: changes, now: now) else {
            throw CommandFailure(message: "no camera \(id): `patrol cameras` lists them", exit: .notFound)
        }
        return detail
    }

    func text(_ detail: CameraDetail, now: Date) -> String {
        let camera = detail.camera
        var sections = ["\(camera.id)  \(camera.placement.rawValue) camera of \(camera.venueID) \(camera.venueName) (\(camera.tier.rawValue) tier)"]
        sections.append(Table.fields(Self.facts(detail, now: now)))
        if !detail.probes.isEmpty {
            var table = Table([.left("PROBED"), .left("OUTCOME"), .right("TOTAL"), .right("FPS"), .right("KBIT/S"), .left("DETAIL")])
            for probe in detail.probes {
                table.add([Format.preciseTime(probe.at), probe.outcome.rawValue, String(format: "%.1f s", probe.totalMs / 1000),
                           probe.fps.map { String(format: "%.1f", $0) } ?? "-",
                           probe.bitrateKbps.map { String(format: "%.0f", $0) } ?? "-", probe.detail])
            }
            sections.append(table.render())
        }
        if !detail.statusChanges.isEmpty {
            var table = Table([.left("STATUS CHANGED"), .left("FROM"), .left("TO"), .left("OUTCOME"), .left("DETAIL")])
            for event in detail.statusChanges {
                table.add([Format.preciseTime(event.at), event.from.rawValue, event.to.rawValue, event.outcome.rawValue, event.detail])
            }
            sections.append(table.render())
        }
        if !detail.metadataChanges.isEmpty {
            var table = Table([.left("METADATA CHANGED"), .left("FIELD"), .left("OLD"), .left("NEW")])
            for change in detail.metadataChanges {
                table.add([Format.preciseTime(change.at), change.field, change.oldValue ?? "-", change.newValue ?? "-"])
            }
            sections.append(table.render())
        }
        return sections.joined(separator: "\n\n")
    }

    static func facts(_ detail: CameraDetail, now: Date) -> [(String, String)] {
        let camera = detail.camera
        var facts = [("url", detail.url + (detail.hasCredentials ? " (credentials in the vault)" : ""))]
        if let retired = detail.retiredAt { facts.append(("retired", Format.time(retired))) }
        var status = camera.status == .down ? "DOWN" : camera.status.rawValue
        if let since = camera.since { status += " since \(Format.since(since, now: now))" }
        if camera.status == .down, let reason = camera.reason { status += ", first failure: \(reason.rawValue)" }
        facts.append(("status", status))
        if let at = camera.lastProbeAt {
            let outcome = camera.lastOutcome?.rawValue ?? "-"
            facts.append(("last probe", "\(Format.preciseTime(at)) (\(Format.duration(now.timeIntervalSince(at))) ago): \(outcome)"
                + (detail.lastDetail.map { ", \($0)" } ?? "")))
        } else {
            facts.append(("last probe", "never probed"))
        }
        facts.append(("uptime", detail.uptime.map {
            "\($0.days == 1 ? "24h" : "\($0.days)d") \(Format.percent($0.ratio)) of \($0.probes)"
        }.joined(separator: " · ")))
        if let m = detail.metadata {
            let s = m.stream
            var parts = [[s.codec, s.profile].compactMap { $0 }.joined(separator: " ")]
            if let w = s.width, let h = s.height { parts.append("\(w)x\(h)") }
            if let fps = m.fps { parts.append(String(format: "%.0f fps", fps)) }
            if let kbps = m.bitrateKbps { parts.append(String(format: "%.0f kbit/s", kbps)) }
            if let gop = m.keyframeInterval { parts.append(String(format: "keyframe every %.1f s", gop)) }
            if !s.transport.isEmpty { parts.append(s.transport) }
            parts.append(s.hasAudio ? "audio \(s.audioCodec ?? "")" : "no audio")
            facts.append(("stream", parts.filter { !$0.isEmpty }.joined(separator: ", ") + " (as of \(Format.time(m.updatedAt)))"))
        }
        if let snapshot = detail.latestSnapshot {
            facts.append(("snapshot", "\(snapshot.path) (\(Format.time(snapshot.takenAt)), \(snapshot.outcome.rawValue), kept as \(snapshot.reason.rawValue))"))
        }
        if let reference = detail.reference {
            let by = reference.approvedBy.map { "approved by \($0)" } ?? "first healthy picture"
            facts.append(("reference", "\(reference.path) (since \(Format.time(reference.since)), \(by))"))
        }
        if let offset = detail.clockOffset {
            facts.append(("camera clock", String(format: "%+.1f s from Patrol's", offset)
                + (detail.clockOffsetAt.map { " (as of \(Format.time($0)))" } ?? "")))
        }
        return facts
    }
}
