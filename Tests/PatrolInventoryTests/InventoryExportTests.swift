import Foundation
import PatrolProbe
import Testing
@testable import PatrolInventory

@Suite("Exporting an inventory")
struct InventoryExportTests {
    /// The fixture with names and addresses that need quoting.
    static func awkward() throws -> Inventory {
        let fixture = try Fixture.inventory()
        var venues = fixture.venues
        venues[0].name = "平安宾馆,建设路店"
        venues[1].name = "温馨\"公寓\"（二期）"
        venues[2].address = "  城南区人民路101号 "
        return Inventory(venues: venues, cameras: fixture.cameras)
    }

    @Test("with credentials, what is written loads back equal")
    func roundTrip() throws {
        let folder = try TemporaryFolder()
        let inventory = try Self.awkward()
        let venues = folder.url.appendingPathComponent("venues.csv")
        let cameras = folder.url.appendingPathComponent("cameras.csv")
        try inventory.write(venues: venues, cameras: cameras, includeCredentials: true)
        #expect(try Inventory.load(venues: venues, cameras: cameras) == inventory)
    }

    @Test("without credentials, the columns are empty and URLs carry no userinfo")
    func withoutCredentials() throws {
        let folder = try TemporaryFolder()
        let inventory = try Fixture.inventory()
        let venues = folder.url.appendingPathComponent("venues.csv")
        let cameras = folder.url.appendingPathComponent("cameras.csv")
        try inventory.write(venues: venues, cameras: cameras, includeCredentials: false)

        let text = try String(contentsOf: cameras, encoding: .utf8)
        #expect(text == """
            id,venue_id,placement,url,username,password
            C00001,V0001,perimeter,rtsp://127.0.0.1:8554/cam/0001,,
            C00002,V0001,interior,rtsp://127.0.0.1:8554/cam/0002,,
            C00003,V0002,interior,rtsp://10.20.1.17:554/Streaming/Channels/101,,
            C00004,V0003,interior,rtsp://10.20.1.18/live,,

            """)
        let loaded = try Inventory.load(venues: venues, cameras: cameras)
        #expect(loaded.venues == inventory.venues)
        #expect(loaded.cameras.map(\.address) == inventory.cameras.map(\.address))
        #expect(loaded.cameras.allSatisfy { $0.stream.credentials == nil })
    }

    @Test("fields are quoted only when needed; UTF-8 with LF line ends")
    func format() throws {
        let text = try Self.awkward().venuesCSV()
        #expect(text == """
            id,name,kind,tier,district,grid,address,owner_contact,supervisor
            V0001,"平安宾馆,建设路店",hotel,general,城南区,G03-12,城南区建设路12号,13800000001,
            V0002,"温馨""公寓""（二期）",rental,watch,城南区,G04-02,城南区解放路8号,13900000002,
            V0003,极速网吧,internet_cafe,priority,城南区,G05-07,"  城南区人民路101号 ",13700000003,张伟 (一组)

            """)
        #expect(!text.contains("\r"))
    }

    @Test("credentials written apart from a URL that had them reload to the same camera")
    func credentialsMoveToColumns() throws {
        let camera = try Camera(id: "C00001", venueID: "V0001", placement: .interior, url: "rtsp://admin:S3cret@cam:554/a")
        let columns = try Camera(
            id: "C00001", venueID: "V0001", placement: .interior, url: "rtsp://cam:554/a",
            credentials: .init(username: "admin", password: "S3cret"))
        #expect(camera == columns)
        #expect(camera.address == "rtsp://cam:554/a")
        let csv = Inventory(venues: [], cameras: [camera]).camerasCSV(includeCredentials: true)
        #expect(csv.hasSuffix("C00001,V0001,interior,rtsp://cam:554/a,admin,S3cret\n"))
    }

    @Test("JSON carries credentials only when asked")
    func json() throws {
        let inventory = try Fixture.inventory()
        let plain = try JSONEncoder().encode(inventory)
        #expect(!String(decoding: plain, as: UTF8.self).contains("S3cret"))
        let decoded = try JSONDecoder().decode(Inventory.self, from: plain)
        #expect(decoded.cameras.map(\.address) == inventory.cameras.map(\.address))
        #expect(decoded.cameras.allSatisfy { $0.stream.credentials == nil })

        let encoder = JSONEncoder()
        encoder.userInfo[.includeCredentials] = true
        #expect(try JSONDecoder().decode(Inventory.self, from: encoder.encode(inventory)) == inventory)
    }
}
