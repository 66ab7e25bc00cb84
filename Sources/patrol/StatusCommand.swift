import ArgumentParser
import Foundation
import PatrolSettings
import PatrolStore
import PatrolViews

struct StatusCommand: ReadCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "status", abstract: say(.statusAbstract), discussion: say(.statusDiscussion))
    }

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp(say(.statusHelpStaleAfter), valueName: "seconds"))
    var staleAfter: Double?

    func validate() throws {
        if let staleAfter, staleAfter <= 0 { throw ValidationError(say(.statusStaleAfterPositive)) }
    }

    func report(from store: Store, now: Date) throws -> WithLadder<DistrictStatus, LadderStatus> {
        try Reader(store: store, settings: self.store.patrolSettings()).status(now: now, staleAfter: staleAfter ?? self.store.staleAfter())
    }

    func text(_ report: WithLadder<DistrictStatus, LadderStatus>, now: Date) -> String {
        let status = report.base
        var sections = [say(.statusTitle, Format.time(now), Format.zone)]
        if let warning = Self.staleWarning(status.probing) { sections.append(warning) }
        sections.append(Table.fields(Self.probing(status.probing, now: now) + Self.venues(status.venues)
            + Self.pictures(status.pictures, budget: (try? self.store.configuration().snapshots.budgetBytes) ?? SnapshotSettings().budgetBytes)))
        sections.append(Self.tallies(say(.statusCameras), status.byStatus + [status.cameras], vocabulary: .cameraStatus))
        if status.byStatus.contains(where: { $0.name == "down" && $0.total > 0 }) {
            sections.append(Self.tallies(say(.statusDownByTier), status.downByTier, vocabulary: .tier))
        }
        sections.append(Self.tallies(say(.statusLastOutcome), status.byOutcome.filter { $0.total > 0 || $0.name == "online" },
                                     vocabulary: .outcome))
        if let registration = status.registration { sections.append(Table.fields(Self.registration(registration, now: now))) }
        sections.append(Table.fields(report.ladder.fields))
        return sections.joined(separator: "\n\n")
    }

    static func staleWarning(_ probing: Probing) -> String? {
        guard probing.stale else { return nil }
        let what = probing.secondsSinceLastProbe.map {
            say(.statusNoProbeFor, Format.duration($0), Format.duration(probing.staleAfter))
        } ?? say(.statusNoProbeYet)
        return say(.statusStale, what)
    }

    static func probing(_ probing: Probing, now: Date) -> [(String, String)] {
        var lines = [(say(.statusLastProbe), probing.lastProbeAt.map {
            say(.timeAndAgo, Format.preciseTime($0), Format.duration(now.timeIntervalSince($0)))
        } ?? say(.none))]
        if let sweep = probing.lastSweep {
            lines.append((say(.statusLastSweep), say(.statusSweep, Format.time(sweep.startedAt), sweep.probes,
                                                      Format.duration(sweep.finishedAt.timeIntervalSince(sweep.startedAt)))))
        }
        return lines
    }

    /// The snapshot directory against its budget: a disk filling with pictures shows here first.
    static func pictures(_ storage: PictureStorage, budget: Int) -> [(String, String)] {
        let megabytes = { (bytes: Int) in String(format: "%.1f MB", Double(bytes) / 1_048_576) }
        let share = budget > 0 ? say(.statusPicturesShare, String(format: "%.0f%%", Double(storage.bytes) / Double(budget) * 100)) : ""
        return [(say(.statusPictures), say(.statusPicturesKept, storage.pictures, storage.files, megabytes(storage.bytes),
                                             megabytes(budget), share, storage.references, storage.cited))]
    }

    /// The registration side beside the video: systems by state, and how the platform's reads go.
    static func registration(_ counts: RegistrationCounts, now: Date) -> [(String, String)] {
        var lines = [(say(.statusRegistration), say(.statusRegistrationSystems, counts.systems, counts.online, counts.offline,
                                                     counts.stuck, counts.unseen))]
        if counts.venuesWithout + counts.venuesUndeclared > 0 {
            lines.append(("", say(.statusRegistrationUndeclared, counts.venuesWithout, counts.venuesUndeclared)))
        }
        lines.append(("", say(.statusPlatform, RegistrationCommand.platform(counts.platform, now: now))))
        return lines
    }

    static func venues(_ venues: VenueTotals) -> [(String, String)] {
        [(say(.statusVenues), say(.statusVenuesByTier, venues.total, venues.priority, venues.watch, venues.general)),
         ("", say(.statusVenuesDown, venues.withInteriorDown, venues.withPerimeterDown))]
    }

    /// A tally's rows, named in the operator's words for `vocabulary`.
    static func tallies(_ title: String, _ tallies: [Tally], vocabulary: Vocabulary) -> String {
        var table = Table([.left(title), .right(say(.columnPerimeter)), .right(say(.columnInterior)), .right(say(.columnAll))])
        for tally in tallies {
            table.add([word(vocabulary, tally.name), "\(tally.perimeter)", "\(tally.interior)", "\(tally.total)"])
        }
        return table.render()
    }
}
