import Foundation
@testable import PatrolInventory

/// A folder of its own for one test's files, removed when the test is done.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("PatrolInventoryTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `bytes` to the file `name` in the folder.
    @discardableResult
    func write(_ name: String, _ bytes: Data) throws -> URL {
        let file = url.appendingPathComponent(name)
        try bytes.write(to: file)
        return file
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        try write(name, Data(text.utf8))
    }

    /// Writes `venues.csv` and `cameras.csv` and loads them.
    func load(venues: String, cameras: String) throws -> Inventory {
        try Inventory.load(venues: write("venues.csv", venues), cameras: write("cameras.csv", cameras))
    }

    /// The problems loading the two files reports, as `file:line:field: reason` lines; none if it loads.
    func problems(venues: String, cameras: String) throws -> [String] {
        do {
            _ = try load(venues: venues, cameras: cameras)
            return []
        } catch let error as InventoryError {
            return error.problems.map(\.description)
        }
    }
}

/// A small, valid inventory: three venues (lines 2-4), four cameras (lines 2-5).
enum Fixture {
    static let venuesHeader = "id,name,kind,tier,district,grid,address,owner_contact,supervisor"
    static let camerasHeader = "id,venue_id,placement,url,username,password"

    static let venues = """
        \(venuesHeader)
        V0001,平安宾馆,hotel,general,城南区,G03-12,城南区建设路12号,13800000001,
        V0002,温馨公寓,rental,watch,城南区,G04-02,城南区解放路8号,13900000002,
        V0003,极速网吧,internet_cafe,priority,城南区,G05-07,城南区人民路101号,13700000003,张伟 (一组)

        """

    static let cameras = """
        \(camerasHeader)
        C00001,V0001,perimeter,rtsp://127.0.0.1:8554/cam/0001,,
        C00002,V0001,interior,rtsp://127.0.0.1:8554/cam/0002,,
        C00003,V0002,interior,rtsp://admin:S3cret@10.20.1.17:554/Streaming/Channels/101,,
        C00004,V0003,interior,rtsp://10.20.1.18/live,operator,pa55word

        """

    /// The fixture's venues with `row` added as line 5.
    static func venues(adding row: String) -> String { venues + row + "\n" }

    /// The fixture's cameras with `row` added as line 6.
    static func cameras(adding row: String) -> String { cameras + row + "\n" }

    /// The fixture as an inventory, built without the importer.
    static func inventory() throws -> Inventory {
        try Inventory(
            venues: [
                Venue(id: "V0001", name: "平安宾馆", kind: .hotel, tier: .general, district: "城南区", grid: "G03-12",
                      address: "城南区建设路12号", ownerContact: "13800000001"),
                Venue(id: "V0002", name: "温馨公寓", kind: .rental, tier: .watch, district: "城南区", grid: "G04-02",
                      address: "城南区解放路8号", ownerContact: "13900000002"),
                Venue(id: "V0003", name: "极速网吧", kind: .internetCafe, tier: .priority, district: "城南区",
                      grid: "G05-07", address: "城南区人民路101号", ownerContact: "13700000003", supervisor: "张伟 (一组)"),
            ],
            cameras: [
                Camera(id: "C00001", venueID: "V0001", placement: .perimeter, url: "rtsp://127.0.0.1:8554/cam/0001"),
                Camera(id: "C00002", venueID: "V0001", placement: .interior, url: "rtsp://127.0.0.1:8554/cam/0002"),
                Camera(id: "C00003", venueID: "V0002", placement: .interior,
                       url: "rtsp://10.20.1.17:554/Streaming/Channels/101",
                       credentials: .init(username: "admin", password: "S3cret")),
                Camera(id: "C00004", venueID: "V0003", placement: .interior, url: "rtsp://10.20.1.18/live",
                       credentials: .init(username: "operator", password: "pa55word")),
            ]
        )
    }
}
