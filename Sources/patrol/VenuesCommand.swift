import ArgumentParser
import Foundation
import PatrolInventory
import PatrolLedger
import PatrolStore

struct VenuesCommand: ReadCommand {
    static let configuration = CommandConfiguration(
        commandName: "venues",
        abstract: "List the venues in service, filtered by kind, tier, district or ladder state, with their cameras down.",
        discussion: "Every filter given must hold. Exit status 0 even when no venue matches."
    )

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Only venues of this kind.")
    var kind: VenueKind?

    @Option(help: "Only venues of this tier.")
    var tier: Tier?

    @Option(help: ArgumentHelp("Only venues of this district, as registered (城南区).", valueName: "district"))
    var district: String?

    /// A place on the ladder, or one of the questions an operator asks of it.
    enum State: String, ExpressibleByArgument, CaseIterable {
        case clean, ordered, warned, suspended, closed
        /// Missed a deadline and not yet made good.
        case overdue
        /// A deadline today or tomorrow.
        case due
    }

    @Option(help: ArgumentHelp("Only venues in this state: \(State.allCases.map(\.rawValue).joined(separator: ", ")).",
                               valueName: "state"))
    var state: State?

    func report(from store: Store, now: Date) throws -> Listing<WithLadder<VenueSummary, LadderView>> {
        var filter = VenueFilter()
        filter.kind = kind
        filter.tier = tier
        filter.district = district
        let reading = try LadderReading(store, options: self.store, now: now)
        return Listing("venues", try store.venues(matching: filter).compactMap { summary in
            let id = summary.venue.id
            let venueState = reading.states[id] ?? VenueState(tier: summary.venue.tier, supervisor: summary.venue.supervisor)
            switch state {
            case .overdue?: guard reading.isOverdue(venueState) else { return nil }
            case .due?: guard reading.isDue(venueState) else { return nil }
            case let wanted?: guard venueState.standing.rawValue == wanted.rawValue else { return nil }
            case nil: break
            }
            return WithLadder(base: summary, ladder: reading.view(id, tier: summary.venue.tier, supervisor: summary.venue.supervisor))
        })
    }

    func text(_ listing: Listing<WithLadder<VenueSummary, LadderView>>, now: Date) -> String {
        let lines = listing.all
        let venues = lines.map(\.base)
        guard !venues.isEmpty else { return "no venue matches" }
        var table = Table([.left("ID"), .left("NAME"), .left("KIND"), .left("TIER"), .left("DISTRICT"), .left("GRID"),
                           .right("CAMERAS"), .right("DOWN"), .right("INTERIOR DOWN"), .left("REGISTRATION"), .left("STANDING"),
                           .left("DEADLINE")])
        for line in lines {
            let venue = line.base.venue, cameras = line.base.cameras
            table.add([venue.id, venue.name, venue.kind.rawValue, venue.tier.rawValue, venue.district, venue.grid,
                       "\(cameras.total)", "\(cameras.down)", "\(cameras.interiorDown)", line.base.registration ?? "-", line.ladder.standing,
                       line.ladder.deadline.map { "\(line.ladder.open ?? "") by \($0)" } ?? "-"])
        }
        let withDown = venues.filter { $0.cameras.interiorDown > 0 }.count
        let registrationDown = venues.filter { ["offline", "stuck"].contains($0.registration) }.count
        return table.render() + "\n\(venues.count) venue\(venues.count == 1 ? "" : "s"), \(withDown) with an interior camera down"
            + (venues.contains { $0.registration != nil } ? ", \(registrationDown) with registration offline or stuck" : "")
    }
}
