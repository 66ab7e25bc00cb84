import PatrolInventory
import PatrolSettings
import PatrolSweep

/// The district as the sweeper sees it: every camera in service, with its venue's cadence. The
/// cameras of venues closed through the ladder leave the schedule; their record stays.
public struct District: Sendable {
    public let inventory: Inventory
    public let closed: Set<String>
    public let streams: [Sweeper.Stream]
    public let placements: [String: Placement]

    public init(inventory: Inventory, cadence: PerTier<Double>, closed: Set<String> = []) {
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
