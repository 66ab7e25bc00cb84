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

    /// - Parameter pictureEvery: seconds between picture checks of a healthy camera, by tier; nil:
    ///   every probe checks the picture.
    public init(inventory: Inventory, cadence: PerTier<Double>, pictureEvery: PerTier<Double>? = nil, closed: Set<String> = []) {
        self.inventory = inventory
        self.closed = closed
        streams = inventory.cameras.filter { !closed.contains($0.venueID) }.map { camera in
            let tier = inventory.venue(camera.venueID)?.tier ?? .general
            return Sweeper.Stream(target: ScheduleTarget(id: camera.id, host: camera.stream.host, cadence: cadence[tier],
                                                         pictureEvery: pictureEvery?[tier]),
                                  url: camera.stream)
        }
        placements = Dictionary(uniqueKeysWithValues: inventory.cameras.map { ($0.id, $0.placement) })
    }
}
