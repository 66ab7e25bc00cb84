import ArgumentParser
import Foundation
import PatrolLedger
import PatrolOutput
import PatrolStore
import PatrolViews

struct CameraCommand: ReadCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "camera", abstract: say(.cameraAbstract), discussion: say(.cameraDiscussion))
    }

    @Argument(help: ArgumentHelp(say(.cameraHelpID), valueName: "camera-id"), completion: Completion.cameras)
    var id: String

    @Argument(help: ArgumentHelp(say(.cameraHelpReference), valueName: "reference"))
    var subject: Subject?

    enum Subject: String, ExpressibleByArgument { case reference }

    @Flag(help: ArgumentHelp(say(.cameraHelpApprove)))
    var approve = false

    @Option(help: ArgumentHelp(say(.cameraHelpBy), valueName: "name"))
    var by: String?

    @Option(help: ArgumentHelp(say(.cameraHelpReason), valueName: "text"))
    var reason: String?

    @OptionGroup var key: LedgerKeyOptions

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp(say(.cameraHelpProbes)))
    var probes = 10

    @Option(help: ArgumentHelp(say(.cameraHelpChanges)))
    var changes = 10

    func validate() throws {
        if approve {
            guard subject == .reference else { throw ValidationError(say(.cameraApproveGoesWithReference, id)) }
            guard let by, !by.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError(say(.actSayWhoApproves)) }
            guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError(say(.actSayWhy)) }
            if by == LedgerEntry.patrolActor || by == LedgerEntry.inventoryActor {
                throw ValidationError(say(.actReservedName, by))
            }
        } else if by != nil || reason != nil {
            throw ValidationError(say(.cameraByGoesWithApprove))
        }
        guard (0...1000).contains(probes) else { throw ValidationError(say(.cameraProbesRange)) }
        guard (0...1000).contains(changes) else { throw ValidationError(say(.cameraChangesRange)) }
    }

    func run() throws {
        guard subject == .reference else { return try Pager.show(try render()) }
        if approve, let by, let reason {
            let settings = try store.patrolSettings()
            let database = try store.openSealingStore(ledgerKey: key.ledgerKey)
            let id = try database.existingCameraID(self.id)
            let approved: (reference: ReferenceRecord, entries: [LedgerEntry])
            do {
                approved = try database.approveReference(of: id, by: by, reason: reason, day: try store.today(), policy: settings.ladder)
            } catch let error as Store.ReferenceError {
                switch error {
                case .noCamera, .noPicture: throw CommandFailure(message: Explain.reference(error), exit: .notFound)
                case .notAScene: throw CommandFailure(message: Explain.reference(error), exit: .invalidInput)
                }
            } catch let error as LedgerKeyError {
                throw CommandFailure(message: Explain.ledgerKey(error), exit: .configuration)
            }
            if output.json { return try Output.line(try Format.json(approved.reference)) }
            try Output.line(say(.cameraReferenceOf, id, approved.reference.path))
            if let last = approved.entries.last {
                try Output.line(say(.cameraReferenceRecorded, last.seq, last.venueID))
                try Output.line(say(.ledgerHeadReceipt, LedgerHead(seq: last.seq, hash: last.hash)))
            }
            return
        }
        let database = try store.openForReading()
        let id = try database.existingCameraID(self.id)
        guard let reference = try database.reference(of: id) else {
            throw CommandFailure(message: say(.cameraNoReference, id), exit: .notFound)
        }
        if output.json { return try Output.line(try Format.json(reference)) }
        let by = reference.approvedBy.map { say(.cameraReferenceApprovedBy, $0, reference.reason ?? "") } ?? say(.cameraReferenceFirstHealthy)
        try Output.line(say(.cameraReferenceOf, id, reference.path) + "\n" + say(.cameraReferenceSince, Format.time(reference.since), by))
    }

    func report(from store: Store, now: Date) throws -> CameraDetail {
        try Reader(store: store, settings: self.store.patrolSettings()).camera(id, probes: probes, changes: changes, now: now)
    }

    func text(_ detail: CameraDetail, now: Date) -> String {
        let camera = detail.camera
        var sections = [say(.cameraTitle, camera.id, word(camera.placement), camera.venueID, camera.venueName, word(camera.tier))]
        sections.append(Table.fields(Self.facts(detail, now: now)))
        if !detail.probes.isEmpty {
            var table = Table([.left(say(.cameraColumnProbed)), .left(say(.columnOutcome)), .right(say(.cameraColumnTotal)), .right("FPS"),
                               .right("KBIT/S"), .left(say(.cameraColumnDetail))])
            for probe in detail.probes {
                table.add([Format.preciseTime(probe.at), word(probe.outcome), say(.probeSeconds, String(format: "%.1f", probe.totalMs / 1000)),
                           probe.fps.map { String(format: "%.1f", $0) } ?? "-",
                           probe.bitrateKbps.map { String(format: "%.0f", $0) } ?? "-", probe.detail])
            }
            sections.append(table.render())
        }
        if !detail.statusChanges.isEmpty {
            var table = Table([.left(say(.cameraColumnStatusChanged)), .left(say(.cameraColumnFrom)), .left(say(.cameraColumnTo)),
                               .left(say(.columnOutcome)), .left(say(.cameraColumnDetail))])
            for event in detail.statusChanges {
                table.add([Format.preciseTime(event.at), word(event.from), word(event.to), word(event.outcome), event.detail])
            }
            sections.append(table.render())
        }
        if !detail.metadataChanges.isEmpty {
            var table = Table([.left(say(.cameraColumnMetadataChanged)), .left(say(.cameraColumnField)), .left(say(.cameraColumnOld)),
                               .left(say(.cameraColumnNew))])
            for change in detail.metadataChanges {
                table.add([Format.preciseTime(change.at), change.field, change.oldValue ?? "-", change.newValue ?? "-"])
            }
            sections.append(table.render())
        }
        return sections.joined(separator: "\n\n")
    }

    static func facts(_ detail: CameraDetail, now: Date) -> [(String, String)] {
        let camera = detail.camera
        var facts = [(say(.cameraURL), detail.url + (detail.hasCredentials ? say(.cameraCredentialsInVault) : ""))]
        if let retired = detail.retiredAt { facts.append((say(.factRetired), Format.time(retired))) }
        var status = camera.status == .down ? say(.cameraDown) : word(camera.status)
        if let since = camera.since { status += say(.cameraStatusSince, Format.since(since, now: now)) }
        if camera.status == .down, let reason = camera.reason { status += say(.cameraFirstFailure, word(reason)) }
        facts.append((say(.cameraStatus), status))
        if let at = camera.lastProbeAt {
            let outcome = camera.lastOutcome.map(word) ?? "-"
            facts.append((say(.statusLastProbe), say(.cameraLastProbe, Format.preciseTime(at), Format.duration(now.timeIntervalSince(at)), outcome)
                + (detail.lastDetail.map { say(.cameraLastDetail, $0) } ?? "")))
        } else {
            facts.append((say(.statusLastProbe), say(.cameraNeverProbed)))
        }
        facts.append((say(.cameraUptime), detail.uptime.map {
            say(.cameraUptimeShare, $0.days == 1 ? say(.cameraUptimeDay) : say(.cameraUptimeDays, $0.days), Format.percent($0.ratio), $0.probes)
        }.joined(separator: " · ")))
        if let m = detail.metadata {
            let s = m.stream
            var parts = [[s.codec, s.profile].compactMap { $0 }.joined(separator: " ")]
            if let w = s.width, let h = s.height { parts.append("\(w)x\(h)") }
            if let fps = m.fps { parts.append(String(format: "%.0f fps", fps)) }
            if let kbps = m.bitrateKbps { parts.append(String(format: "%.0f kbit/s", kbps)) }
            if let gop = m.keyframeInterval { parts.append(say(.cameraKeyframeEvery, String(format: "%.1f", gop))) }
            if !s.transport.isEmpty { parts.append(s.transport) }
            parts.append(s.hasAudio ? say(.cameraAudio, s.audioCodec ?? "") : say(.cameraNoAudio))
            facts.append((say(.cameraStream), parts.filter { !$0.isEmpty }.joined(separator: say(.listSeparator))
                + say(.cameraAsOf, Format.time(m.updatedAt))))
        }
        if let snapshot = detail.latestSnapshot {
            facts.append((say(.cameraSnapshot), say(.cameraSnapshotFacts, snapshot.path, Format.time(snapshot.takenAt), word(snapshot.outcome),
                                                   word(snapshot.reason))))
        }
        if let reference = detail.reference {
            let by = reference.approvedBy.map { say(.cameraApprovedBy, $0) } ?? say(.cameraFirstHealthy)
            facts.append((say(.cameraReference), say(.cameraReferenceFacts, reference.path, Format.time(reference.since), by)))
        }
        if let offset = detail.clockOffset {
            facts.append((say(.cameraClock), say(.cameraClockOffset, String(format: "%+.1f", offset))
                + (detail.clockOffsetAt.map { say(.cameraAsOf, Format.time($0)) } ?? "")))
        }
        return facts
    }
}
