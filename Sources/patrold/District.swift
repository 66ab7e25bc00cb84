import PatrolConfig
import PatrolInventory
import PatrolSweep

/// The district as the sweeper sees it: every camera in service, with its venue's cadence.
struct District {
    let inventory: Inventory
    let streams: [Sweeper.Stream]
    let placements: [String: Placement]

    init(inventory: Inventory, cadence: Configuration.Cadence) {
        self.inventory = inventory
        streams = inventory.cameras.map { camera in
            let tier = inventory.venue(camera.venueID)?.tier ?? .general
            let seconds = switch tier {
            case .priority: cadence.priority
            case .watch: cadence.watch
            case .general: cadence.general
            }
            return Sweeper.Stream(target: ScheduleTarget(id: camera.id, host: camera.stream.host, cadence: seconds),
                                  url: camera.stream)
        }
        placements = Dictionary(uniqueKeysWithValues: inventory.cameras.map { ($0.id, $0.placement) })
    }
}
