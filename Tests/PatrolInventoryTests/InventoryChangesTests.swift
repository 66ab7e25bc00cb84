import Foundation
import PatrolProbe
import Testing
@testable import PatrolInventory

@Suite("What a re-import changes")
struct InventoryChangesTests {
    @Test("the same inventory changes nothing")
    func same() throws {
        let changes = InventoryChanges.between(old: try Fixture.inventory(), new: try Fixture.inventory())
        #expect(changes.isEmpty)
        #expect(changes.description == "no changes")
    }

    @Test("added, changed (with the fields) and removed venues and cameras")
    func changes() throws {
        let old = try Fixture.inventory()
        var venues = old.venues.filter { $0.id != "V0001" }
        venues[0].tier = .priority
        venues[0].supervisor = "李娜 (二组)"
        venues.append(Venue(
            id: "V0004", name: "好运来宾馆", kind: .hotel, tier: .general, district: "城南区", grid: "G01-01",
            address: "城南区人民路1号", ownerContact: "13800000004"))
        var cameras = old.cameras.filter { $0.id != "C00001" }
        cameras[0].venueID = "V0004"
        cameras[1] = try Camera(
            id: "C00003", venueID: "V0002", placement: .interior, url: "rtsp://10.20.1.17:554/Streaming/Channels/101",
            credentials: .init(username: "admin", password: "N3wSecret"))
        cameras[2] = try Camera(
            id: "C00004", venueID: "V0003", placement: .perimeter, url: "rtsp://10.20.1.19/live",
            credentials: .init(username: "operator", password: "pa55word"))
        cameras.append(try Camera(id: "C00005", venueID: "V0004", placement: .perimeter, url: "rtsp://10.0.0.5/live"))
        let new = Inventory(venues: venues, cameras: cameras)

        let changes = InventoryChanges.between(old: old, new: new)
        #expect(changes.addedVenues.map(\.id) == ["V0004"])
        #expect(changes.changedVenues.map(\.new.id) == ["V0002"])
        #expect(changes.changedVenues.first?.fields == [.tier, .supervisor])
        #expect(changes.changedVenues.first?.old.tier == .watch)
        #expect(changes.removedVenues.map(\.id) == ["V0001"])
        #expect(changes.addedCameras.map(\.id) == ["C00005"])
        #expect(changes.changedCameras.map(\.new.id) == ["C00002", "C00003", "C00004"])
        #expect(changes.changedCameras.map(\.fields) == [[.venueID], [.credentials], [.placement, .url]])
        #expect(changes.removedCameras.map(\.id) == ["C00001"])
        #expect(changes.description == """
            venue V0004 added: 好运来宾馆
            venue V0002 changed: tier, supervisor
            venue V0001 removed: 平安宾馆
            camera C00005 added: perimeter of V0004, rtsp://10.0.0.5/live
            camera C00002 changed: venue_id
            camera C00003 changed: credentials
            camera C00004 changed: placement, url
            camera C00001 removed: perimeter of V0001
            """)
        #expect(!changes.description.contains("S3cret") && !changes.description.contains("N3wSecret"))
    }

    @Test("credentials moved from the URL to the columns are no change")
    func credentialsMoved() throws {
        let folder = try TemporaryFolder()
        let old = try folder.load(venues: Fixture.venues, cameras: Fixture.cameras)
        let moved = Fixture.cameras.replacingOccurrences(
            of: "rtsp://admin:S3cret@10.20.1.17:554/Streaming/Channels/101,,",
            with: "rtsp://10.20.1.17:554/Streaming/Channels/101,admin,S3cret")
        let new = try folder.load(venues: Fixture.venues, cameras: moved)
        #expect(InventoryChanges.between(old: old, new: new).isEmpty)
    }
}
