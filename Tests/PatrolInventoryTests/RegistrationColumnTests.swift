import Foundation
import Testing
@testable import PatrolInventory

/// The venues file's `registration` column: each venue's registration system ids, or `none`.
@Suite("The inventory's registration systems")
struct RegistrationColumnTests {
    static let header = "id,name,kind,tier,district,grid,address,owner_contact,supervisor,registration"
    static let cameras = """
        id,venue_id,placement,url
        C00001,V0001,interior,rtsp://10.0.0.1/live
        """

    static func venues(_ cells: [String]) -> String {
        ([header] + cells.enumerated().map { index, cell in
            String(format: "V%04d,旅馆%d,hotel,general,城南区,G01-01,城南区建设路%d号,1380000%04d,,", index + 1, index + 1, index + 1, index + 1) + cell
        }).joined(separator: "\n")
    }

    @Test("ids separated by ;, none, and a file without the column: each venue says what it has")
    func declared() throws {
        let folder = try TemporaryFolder()
        let inventory = try folder.load(venues: Self.venues(["HTL-0001", "none", " YDT-0003 ; NET:0003.b "]), cameras: Self.cameras)
        #expect(inventory.venue("V0001")?.registration == .systems(["HTL-0001"]))
        #expect(inventory.venue("V0002")?.registration == .noSystem)
        #expect(inventory.venue("V0003")?.registration == .systems(["YDT-0003", "NET:0003.b"]))
        // Exported and read back: the same.
        let again = try folder.load(venues: inventory.venuesCSV(), cameras: inventory.camerasCSV(includeCredentials: true))
        #expect(again == inventory)
        #expect(inventory.venuesCSV().hasPrefix(Self.header + "\n"))
        // Without the column: undeclared, and exported without it.
        let old = try folder.load(venues: "id,name,kind,tier,district,grid,address,owner_contact,supervisor\n"
                                      + "V0001,旅馆1,hotel,general,城南区,G01-01,城南区建设路1号,13800000001,", cameras: Self.cameras)
        #expect(old.venue("V0001")?.registration == .undeclared)
        #expect(old.venuesCSV().hasPrefix("id,name,kind,tier,district,grid,address,owner_contact,supervisor\n"))
        // In JSON: null, [] or the ids.
        let json = String(decoding: try JSONEncoder().encode(inventory.venues.map(\.registration) + [old.venues[0].registration]), as: UTF8.self)
        #expect(json == #"[["HTL-0001"],[],["YDT-0003","NET:0003.b"],null]"#)
    }

    @Test("a wrong registration cell is refused with file:line:field, and nothing loads", arguments: [
        (["HTL-0001", ""], "venues.csv:3:registration: required field is empty: write the venue's registration system id(s), or none"),
        (["HTL-0001", "HTL-0001"], "venues.csv:3:registration: registration system \"HTL-0001\" is already declared by venue V0001 (line 2)"),
        (["HTL-0001;HTL-0001"], "venues.csv:2:registration: registration system \"HTL-0001\" is named twice"),
        (["none;HTL-0001"], "venues.csv:2:registration: \"none\" cannot stand beside registration system ids"),
        (["HTL-0001;;HTL-0002"], "venues.csv:2:registration: an empty registration system id (ids are separated by \";\")"),
        (["旅馆终端"], "venues.csv:2:registration: \"旅馆终端\" is not a registration system id (letters, digits, \".\", \"_\", \"-\" and \":\", at most 64)"),
        ([String(repeating: "A", count: 65)], "venues.csv:2:registration: \"\(String(repeating: "A", count: 65))\" is not a registration system id (letters, digits, \".\", \"_\", \"-\" and \":\", at most 64)"),
    ])
    func refused(cells: [String], problem: String) throws {
        let folder = try TemporaryFolder()
        #expect(try folder.problems(venues: Self.venues(cells), cameras: Self.cameras) == [problem])
    }

    @Test("a venue whose systems change is a changed venue; its registration field is named")
    func changes() throws {
        let folder = try TemporaryFolder()
        let before = try folder.load(venues: Self.venues(["HTL-0001"]), cameras: Self.cameras)
        let after = try folder.load(venues: Self.venues(["HTL-0001;HTL-0001B"]), cameras: Self.cameras)
        let changes = InventoryChanges.between(old: before, new: after)
        #expect(changes.description == "venue V0001 changed: registration")
    }
}
