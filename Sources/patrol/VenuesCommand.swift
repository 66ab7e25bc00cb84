import ArgumentParser
import Foundation
import PatrolInventory
import PatrolLedger
import PatrolStore
import PatrolViews

struct VenuesCommand: ReadCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "venues", abstract: say(.venuesAbstract), discussion: say(.venuesDiscussion))
    }

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var list: ListOptions

    @Option(help: ArgumentHelp(say(.venuesHelpKind)))
    var kind: VenueKind?

    @Option(help: ArgumentHelp(say(.venuesHelpTier)))
    var tier: Tier?

    @Option(help: ArgumentHelp(say(.venuesHelpDistrict), valueName: "district"))
    var district: String?

    @Option(help: ArgumentHelp(say(.venuesHelpSupervisor), valueName: "name"))
    var supervisor: String?

    typealias State = Reader.StandingFilter

    @Option(help: ArgumentHelp(say(.venuesHelpState, State.allCases.map(\.rawValue).joined(separator: ", ")), valueName: "state"))
    var state: State?

    func report(from store: Store, now: Date) throws -> Listing<WithLadder<VenueSummary, LadderView>> {
        var filter = VenueFilter()
        filter.kind = kind
        filter.tier = tier
        filter.district = district
        filter.supervisor = supervisor
        return Listing("venues", try Reader(store: store, settings: self.store.patrolSettings()).venues(filter, standing: state, now: now),
                       limit: list.limit)
    }

    func text(_ listing: Listing<WithLadder<VenueSummary, LadderView>>, now: Date) -> String {
        let venues = listing.all.map(\.base)
        guard !venues.isEmpty else { return say(.venuesNoMatch) }
        var table = Table([.left(say(.columnID)), .left(say(.venuesColumnName)), .left(say(.venuesColumnKind)), .left(say(.columnTier)),
                           .left(say(.venuesColumnDistrict)), .left(say(.venuesColumnGrid)), .right(say(.venuesColumnCameras)),
                           .right(say(.venuesColumnDown)), .right(say(.venuesColumnInteriorDown)), .left(say(.venuesColumnRegistration)),
                           .left(say(.venuesColumnStanding)), .left(say(.venuesColumnDeadline))])
        for line in listing.shown {
            let venue = line.base.venue, cameras = line.base.cameras
            table.add([venue.id, venue.name, word(venue.kind), word(venue.tier), venue.district, venue.grid,
                       "\(cameras.total)", "\(cameras.down)", "\(cameras.interiorDown)",
                       line.base.registration.map { word(.registrationState, $0) } ?? "-", word(.standing, line.ladder.standing),
                       line.ladder.deadline.map { say(.venuesDeadline, word(.entryKind, line.ladder.open ?? ""), Format.day($0)) } ?? "-"])
        }
        let withDown = venues.filter { $0.cameras.interiorDown > 0 }.count
        let registrationDown = venues.filter { ["offline", "stuck"].contains($0.registration) }.count
        return table.render() + "\n" + say(.venuesSummary, venues.count, withDown)
            + (venues.contains { $0.registration != nil } ? say(.venuesRegistrationDown, registrationDown) : "")
            + (listing.note.map { "\n" + $0 } ?? "")
    }
}

extension Reader.StandingFilter: ExpressibleByArgument {}
