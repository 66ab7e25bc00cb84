import Foundation
import Testing
@testable import PatrolInventory

@Suite("The sample district in Samples/district")
struct SampleDistrictTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Samples/district")

    @Test("loads without problems: 320 venues, 1,580 cameras (320 perimeter, 1,260 interior)")
    func sample() throws {
        let inventory = try Inventory.load(
            venues: Self.folder.appendingPathComponent("venues.csv"),
            cameras: Self.folder.appendingPathComponent("cameras.csv"))
        #expect(inventory.venues.count == 320)
        #expect(inventory.cameras.count == 1580)
        #expect(inventory.cameras.filter { $0.placement == .perimeter }.count == 320)
        #expect(inventory.cameras.filter { $0.placement == .interior }.count == 1260)
        #expect(Set(inventory.venues.map(\.kind)) == Set(VenueKind.allCases))
        // Every venue declares its registration system: a hotel's HTL-, an internet café's NET-, a
        // rental's 一电通 YDT-; ten rentals none.
        let systems = inventory.venues.flatMap(\.registration.ids)
        #expect(systems.count == 310)
        #expect(inventory.venues.filter { $0.registration == .noSystem }.map(\.kind) == Array(repeating: .rental, count: 10))
        for venue in inventory.venues {
            let prefix = switch venue.kind { case .hotel: "HTL-"; case .internetCafe: "NET-"; case .rental: "YDT-" }
            #expect(venue.registration.ids.allSatisfy { $0 == prefix + venue.id.dropFirst() })
        }

        let priority = inventory.venues.filter { $0.tier == .priority }
        #expect(priority.count == 32)
        #expect(priority.allSatisfy { $0.supervisor?.isEmpty == false })

        for (index, camera) in inventory.cameras.enumerated() {
            let number = String(format: "%04d", index + 1)
            #expect(camera.address == "rtsp://127.0.0.1:8554/cam/\(number)")
            #expect(camera.stream.credentials == nil)
        }
        for venue in inventory.venues {
            let cameras = inventory.cameras(of: venue.id)
            #expect(cameras.filter { $0.placement == .perimeter }.count == 1)
            #expect((2...8).contains(cameras.filter { $0.placement == .interior }.count))
        }
    }
}
