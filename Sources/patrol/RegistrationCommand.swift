import ArgumentParser
import Foundation
import PatrolOutput
import PatrolSettings
import PatrolStore

struct RegistrationCommand: ReadCommand {
    static let configuration = CommandConfiguration(
        commandName: "registration",
        abstract: "List the venues' real-name registration systems: online or not and since when, last heartbeat and upload, records.",
        discussion: """
        What the registration platform said at its last read of each system. STATE is online, \
        offline (the platform says so, or no heartbeat for registration.heartbeat_timeout), stuck \
        (online, but a record has waited longer than registration.max_waiting_minutes to upload) \
        or unseen (never in the platform's answers). Example: the systems down, and since when:

          patrol registration --down

        Exit status 0 even when no system matches.
        """
    )

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Only the systems of this venue, with their last 14 days as judged.", valueName: "venue-id"))
    var venue: String?

    @Flag(help: "Only the systems offline, stuck or never seen.")
    var down = false

    func report(from store: Store, now: Date) throws -> RegistrationOverview {
        if let venue, try store.venue(id: venue) == nil {
            throw CommandFailure(message: "no venue \(venue): `patrol venues` lists them", exit: .notFound)
        }
        let maxWaiting = (try? self.store.configuration().registration.judging.maxWaitingSeconds) ?? RegistrationJudging().maxWaitingSeconds
        return try store.registration(venue: venue, downOnly: down, maxWaiting: maxWaiting, now: now)
    }

    func text(_ overview: RegistrationOverview, now: Date) -> String {
        var lines: [String] = []
        if overview.systems.isEmpty {
            lines.append(down ? "no registration system is down" : "no registration system on record")
        } else {
            lines.append(Self.table(overview.systems, now: now, showVenue: venue == nil))
        }
        lines.append(Self.summary(overview, now: now))
        if let days = overview.days, !days.isEmpty {
            var table = Table([.left("DAY"), .left("SYSTEM"), .left("VERDICT"), .left("REASON")])
            for day in days { table.add([day.day.description, day.systemID, day.verdict.rawValue + (day.quiet ? " (quiet)" : ""), day.reason]) }
            lines += ["", "RECENT DAYS", table.render()]
        }
        return lines.joined(separator: "\n")
    }

    /// The systems' table, also used by `patrol venue` (without the venue column).
    static func table(_ systems: [RegistrationSystemStatus], now: Date, showVenue: Bool) -> String {
        var table = Table([.left("SYSTEM")] + (showVenue ? [.left("VENUE"), .left("TIER")] : [])
            + [.left("STATE"), .left("SINCE"), .left("HEARTBEAT"), .left("LAST UPLOAD"), .right("TODAY"), .right("WAITING"), .left("OLDEST WAITING")])
        for system in systems {
            table.add([system.systemID] + (showVenue ? ["\(system.venueID) \(system.venueName)", system.tier.rawValue] : [])
                + [system.state, Format.since(system.since, now: now), age(system.lastHeartbeat, now: now), age(system.lastUpload, now: now),
                   system.uploadedToday.map(String.init) ?? "-", system.waiting.map(String.init) ?? "-",
                   (system.waiting ?? 0) > 0 ? age(system.oldestWaiting, now: now) : "-"])
        }
        // The platform's words for a failing upload, under the table: they would widen a column.
        let words = systems.filter(\.isDown).compactMap { system in system.lastError.map { "\(system.systemID): the platform says \($0)" } }
        return ([table.render()] + words.map(Output.printable)).joined(separator: "\n")
    }

    /// `3m ago`, or `-` when never.
    static func age(_ date: Date?, now: Date) -> String {
        date.map { "\(Format.duration(now.timeIntervalSince($0))) ago" } ?? "-"
    }

    /// The counts and the platform's reads, in two lines.
    static func summary(_ overview: RegistrationOverview, now: Date) -> String {
        var counts = "\(overview.systems.count) registration systems: \(overview.online) online, \(overview.offline) offline, "
            + "\(overview.stuck) uploads stuck, \(overview.unseen) never seen"
        if overview.venuesWithout > 0 { counts += "; \(overview.venuesWithout) venues declare none" }
        if overview.venuesUndeclared > 0 { counts += "; \(overview.venuesUndeclared) venues not declared (judged on video alone)" }
        return counts + "\n" + platform(overview.platform, now: now)
    }

    static func platform(_ platform: RegistrationPlatformStatus, now: Date) -> String {
        guard let lastRead = platform.lastRead else { return "registration platform: never read" }
        var line = "registration platform: last read \(Format.since(lastRead, now: now))"
        if let since = platform.failingSince {
            line += "; unreadable since \(Format.time(since)): \(platform.lastError ?? "?")"
        }
        line += "; \(platform.failedLastDay) of \(platform.readsLastDay) reads failed in 24 h"
        if let offset = platform.clockOffset, abs(offset) > 60 { line += "; its clock is \(Int(offset.rounded())) s off" }
        return line
    }
}
