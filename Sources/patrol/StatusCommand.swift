import ArgumentParser
import Foundation
import PatrolSettings
import PatrolStore

struct StatusCommand: ReadCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The district at a glance: cameras up and down, perimeter beside interior, and whether patrold is probing.",
        discussion: """
        Counts the cameras in service by status (up, down, unknown), by the outcome of their \
        latest probe and, when down, by their venue's tier; shows the newest probe and the last \
        sweep. When no probe came for longer than --stale-after (default: twice the longest \
        cadence or backoff of the configuration, 30 minutes with the defaults) the data is \
        STALE and the output says so first: patrold is not probing. The exit status stays 0; \
        scripts read `probing.stale` from --json.
        """
    )

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Seconds without a probe after which the data is called stale.", valueName: "seconds"))
    var staleAfter: Double?

    func validate() throws {
        if let staleAfter, staleAfter <= 0 { throw ValidationError("--stale-after must be a positive number of seconds") }
    }

    func report(from store: Store, now: Date) throws -> WithLadder<DistrictStatus, LadderStatus> {
        WithLadder(base: try store.districtStatus(now: now, staleAfter: staleAfter ?? self.store.staleAfter()),
                   ladder: LadderStatus(try LadderReading(store, options: self.store, now: now), lastPatrol: try store.lastPatrolDay()))
    }

    func text(_ report: WithLadder<DistrictStatus, LadderStatus>, now: Date) -> String {
        let status = report.base
        var sections = ["District status at \(Format.time(now)) (times in \(Format.zone))"]
        if let warning = Self.staleWarning(status.probing) { sections.append(warning) }
        sections.append(Table.fields(Self.probing(status.probing, now: now) + Self.venues(status.venues)
            + Self.pictures(status.pictures, budget: (try? self.store.configuration().snapshots.budgetBytes) ?? SnapshotSettings().budgetBytes)))
        sections.append(Self.tallies("CAMERAS", status.byStatus + [status.cameras]))
        if status.byStatus.contains(where: { $0.name == "down" && $0.total > 0 }) {
            sections.append(Self.tallies("DOWN BY TIER", status.downByTier))
        }
        sections.append(Self.tallies("LAST OUTCOME", status.byOutcome.filter { $0.total > 0 || $0.name == "online" }))
        if let registration = status.registration { sections.append(Table.fields(Self.registration(registration, now: now))) }
        sections.append(Table.fields(report.ladder.fields))
        return sections.joined(separator: "\n\n")
    }

    static func staleWarning(_ probing: Probing) -> String? {
        guard probing.stale else { return nil }
        let what = probing.secondsSinceLastProbe.map {
            "no probe for \(Format.duration($0)) (expected within \(Format.duration(probing.staleAfter)))"
        } ?? "no probe recorded yet"
        return "!! STALE DATA: \(what). Is patrold running? Check `systemctl status patrold`."
    }

    static func probing(_ probing: Probing, now: Date) -> [(String, String)] {
        var lines = [("last probe", probing.lastProbeAt.map {
            "\(Format.preciseTime($0)) (\(Format.duration(now.timeIntervalSince($0))) ago)"
        } ?? "none")]
        if let sweep = probing.lastSweep {
            lines.append(("last sweep", "\(Format.time(sweep.startedAt)), \(sweep.probes) probes in "
                + Format.duration(sweep.finishedAt.timeIntervalSince(sweep.startedAt))))
        }
        return lines
    }

    /// The snapshot directory against its budget: a disk filling with pictures shows here first.
    static func pictures(_ storage: PictureStorage, budget: Int) -> [(String, String)] {
        let megabytes = { (bytes: Int) in String(format: "%.1f MB", Double(bytes) / 1_048_576) }
        let share = budget > 0 ? String(format: " (%.0f%%)", Double(storage.bytes) / Double(budget) * 100) : ""
        return [("pictures", "\(storage.pictures) kept in \(storage.files) files, \(megabytes(storage.bytes)) of "
                    + "\(megabytes(budget))\(share); \(storage.references) references, \(storage.cited) cited by the ledger")]
    }

    /// The registration side beside the video: systems by state, and how the platform's reads go.
    static func registration(_ counts: RegistrationCounts, now: Date) -> [(String, String)] {
        var lines = [("registration", "\(counts.systems) systems: \(counts.online) online, \(counts.offline) offline, "
                      + "\(counts.stuck) uploads stuck, \(counts.unseen) never seen")]
        if counts.venuesWithout + counts.venuesUndeclared > 0 {
            lines.append(("", "\(counts.venuesWithout) venues declare none, \(counts.venuesUndeclared) not declared"))
        }
        lines.append(("", String(RegistrationCommand.platform(counts.platform, now: now).dropFirst("registration ".count))))
        return lines
    }

    static func venues(_ venues: VenueTotals) -> [(String, String)] {
        [("venues", "\(venues.total): \(venues.priority) priority, \(venues.watch) watch, \(venues.general) general"),
         ("", "\(venues.withInteriorDown) with an interior camera down, \(venues.withPerimeterDown) with a perimeter camera down")]
    }

    static func tallies(_ title: String, _ tallies: [Tally]) -> String {
        var table = Table([.left(title), .right("PERIMETER"), .right("INTERIOR"), .right("ALL")])
        for tally in tallies { table.add([tally.name, "\(tally.perimeter)", "\(tally.interior)", "\(tally.total)"]) }
        return table.render()
    }
}
