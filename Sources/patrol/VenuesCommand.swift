import ArgumentParser
import Foundation
import PatrolInventory
import PatrolStore

struct VenuesCommand: ReadCommand {
    static let configuration = CommandConfiguration(
        commandName: "venues",
        abstract: "List the venues in service, filtered by kind, tier or district, with their cameras down.",
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

    func report(from store: Store, now: Date) throws -> [VenueSummary] {
        var filter = VenueFilter()
        filter.kind = kind
        filter.tier = tier
        filter.district = district
        return try store.venues(matching: filter)
    }

    func text(_ venues: [VenueSummary], now: Date) -> String {
        guard !venues.isEmpty else { return "no venue matches" }
        var table = Table([.left("ID"), .left("NAME"), .left("KIND"), .left("TIER"), .left("DISTRICT"), .left("GRID"),
                           .right("CAMERAS"), .right("DOWN"), .right("INTERIOR DOWN")])
        for summary in venues {
            let venue = summary.venue, cameras = summary.cameras
            table.add([venue.id, venue.name, venue.kind.rawValue, venue.tier.rawValue, venue.district, venue.grid,
                       "\(cameras.total)", "\(cameras.down)", "\(cameras.interiorDown)"])
        }
        let withDown = venues.filter { $0.cameras.interiorDown > 0 }.count
        return table.render() + "\n\(venues.count) venue\(venues.count == 1 ? "" : "s"), \(withDown) with an interior camera down"
    }
}
