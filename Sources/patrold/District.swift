import PatrolInventory
import PatrolSettings
import PatrolSweep

/// The district as the sweeper sees it: every camera in service, with its venue's cadence. The
/// cameras of venues closed through the ladder leave the schedule; their record stays.
struct District {
    let inventory: Inventory
    let closed: Set<String>
    let streams: [Sweeper.Stream]
    let placements: [String: Placement]

    init(inventory: Inventory, cadence: PerTier<Double>, closed: Set<String> = []) {
        self.inventory = inventory
        self.closed = closed
        streams = inventory.cameras.filter { !closed.contains($0.venueID) }.map { camera in
            let seconds = cadence[inventory.venue(camera.venueID)?.tier ?? .general]
            return Sweeper.Stream(target: ScheduleTarget(id: camera.id, host: camera.stream.host, cadence: seconds),
                                  url: camera.stream)
        }
        placements = Dictionary(uniqueKeysWithValues: inventory.cameras.map { ($0.id, $0.placement) })
    }
}
