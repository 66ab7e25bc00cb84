import ArgumentParser
import Foundation
import PatrolOutput
import PatrolSettings
import PatrolStore
import PatrolViews

struct RegistrationCommand: ReadCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "registration", abstract: say(.registrationAbstract), discussion: say(.registrationDiscussion))
    }

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var list: ListOptions

    @Option(help: ArgumentHelp(say(.registrationHelpVenue), valueName: "venue-id"), completion: Completion.venues)
    var venue: String?

    @Flag(help: ArgumentHelp(say(.registrationHelpDown)))
    var down = false

    /// The overview, its systems cut to `--limit` in the JSON; `total` says how many there were.
    struct Listed: Encodable {
        var overview: RegistrationOverview
        var systems: Listing<RegistrationSystemStatus>

        enum Key: String, CodingKey { case total }

        func encode(to encoder: Encoder) throws {
            var shown = overview
            shown.systems = systems.shown
            try shown.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(overview.systems.count, forKey: .total)
        }
    }

    func report(from store: Store, now: Date) throws -> Listed {
        let venue = try self.venue.map(store.existingVenueID)
        let maxWaiting = (try? self.store.configuration().registration.judging.maxWaitingSeconds) ?? RegistrationJudging().maxWaitingSeconds
        let overview = try store.registration(venue: venue, downOnly: down, maxWaiting: maxWaiting, now: now)
        return Listed(overview: overview, systems: Listing("systems", overview.systems, limit: list.limit))
    }

    func text(_ listed: Listed, now: Date) -> String {
        let overview = listed.overview
        var lines: [String] = []
        if overview.systems.isEmpty {
            lines.append(down ? say(.registrationNoneDown) : say(.registrationNoneOnRecord))
        } else {
            lines.append(Self.table(listed.systems.shown, now: now, showVenue: venue == nil))
            if let note = listed.systems.note { lines.append(note) }
        }
        lines.append(Self.summary(overview, now: now))
        if let days = overview.days, !days.isEmpty {
            var table = Table([.left(say(.registrationColumnDay)), .left(say(.registrationColumnSystem)),
                               .left(say(.registrationColumnVerdict)), .left(say(.registrationColumnReason))])
            for day in days {
                table.add([Format.day(day.day.description), day.systemID, word(day.verdict) + (day.quiet ? say(.registrationQuiet) : ""),
                           Reasons.say(day.reason)])
            }
            lines += ["", say(.registrationRecentDays), table.render()]
        }
        return lines.joined(separator: "\n")
    }

    /// The systems' table, also used by `patrol venue` (without the venue column).
    static func table(_ systems: [RegistrationSystemStatus], now: Date, showVenue: Bool) -> String {
        var table = Table([.left(say(.registrationColumnSystem))] + (showVenue ? [.left(say(.columnVenue)), .left(say(.columnTier))] : [])
            + [.left(say(.registrationColumnState)), .left(say(.columnSince)), .left(say(.registrationColumnHeartbeat)),
               .left(say(.registrationColumnLastUpload)), .right(say(.registrationColumnToday)), .right(say(.registrationColumnWaiting)),
               .left(say(.registrationColumnOldestWaiting))])
        for system in systems {
            table.add([system.systemID] + (showVenue ? ["\(system.venueID) \(system.venueName)", word(system.tier)] : [])
                + [word(.registrationState, system.state), Format.since(system.since, now: now), age(system.lastHeartbeat, now: now),
                   age(system.lastUpload, now: now),
                   system.uploadedToday.map(String.init) ?? "-", system.waiting.map(String.init) ?? "-",
                   (system.waiting ?? 0) > 0 ? age(system.oldestWaiting, now: now) : "-"])
        }
        // The platform's words for a failing upload, under the table: they would widen a column.
        let words = systems.filter(\.isDown).compactMap { system in system.lastError.map { say(.registrationPlatformSays, system.systemID, $0) } }
        return ([table.render()] + words.map(Output.printable)).joined(separator: "\n")
    }

    /// `3m ago`, or `-` when never.
    static func age(_ date: Date?, now: Date) -> String {
        date.map { Format.ago($0, now: now) } ?? "-"
    }

    /// The counts and the platform's reads, in two lines.
    static func summary(_ overview: RegistrationOverview, now: Date) -> String {
        var counts = say(.registrationCounts, overview.systems.count, overview.online, overview.offline, overview.stuck, overview.unseen)
        if overview.venuesWithout > 0 { counts += say(.registrationVenuesWithout, overview.venuesWithout) }
        if overview.venuesUndeclared > 0 { counts += say(.registrationVenuesUndeclared, overview.venuesUndeclared) }
        return counts + "\n" + say(.registrationPlatform, platform(overview.platform, now: now))
    }

    /// How the platform's reads go: `last read … ; 0 of 288 reads failed in 24 h`, or `never read`.
    static func platform(_ platform: RegistrationPlatformStatus, now: Date) -> String {
        guard let lastRead = platform.lastRead else { return say(.registrationNeverRead) }
        var line = say(.registrationLastRead, Format.since(lastRead, now: now))
        if let since = platform.failingSince {
            line += say(.registrationUnreadableSince, Format.time(since), platform.lastError ?? "?")
        }
        line += say(.registrationReadsFailed, platform.failedLastDay, platform.readsLastDay)
        if let offset = platform.clockOffset, abs(offset) > 60 { line += say(.registrationClockOff, Int(offset.rounded())) }
        return line
    }
}
