import Foundation
import PatrolProbe
import Testing
@testable import PatrolInventory

@Suite("Loading venues.csv and cameras.csv")
struct InventoryLoadTests {
    @Test("a good inventory loads, sorted, with its lookups")
    func good() throws {
        let folder = try TemporaryFolder()
        let inventory = try folder.load(venues: Fixture.venues, cameras: Fixture.cameras)
        #expect(inventory == (try Fixture.inventory()))
        #expect(inventory.venues.map(\.id) == ["V0001", "V0002", "V0003"])
        #expect(inventory.venue("V0003")?.supervisor == "张伟 (一组)")
        #expect(inventory.venue("V0001")?.supervisor == nil)
        #expect(inventory.cameras(of: "V0001").map(\.id) == ["C00001", "C00002"])
        #expect(inventory.cameras(of: "V0404").isEmpty)
        let c3 = try #require(inventory.camera("C00003"))
        #expect(c3.stream.credentials == .init(username: "admin", password: "S3cret"))
        #expect(c3.address == "rtsp://10.20.1.17:554/Streaming/Channels/101")
        #expect(inventory.camera("C00004")?.stream.credentials == .init(username: "operator", password: "pa55word"))
    }

    @Test("columns are found by name in any order; unknown columns are ignored; credentials columns are optional")
    func columnsByName() throws {
        let folder = try TemporaryFolder()
        let venues = """
            Supervisor,ID,Name,Kind,Tier,District,Grid,Address,Owner_Contact,Notes
            ,V0001,平安宾馆,hotel,general,城南区,G03-12,城南区建设路12号,13800000001,old sign
            """
        let cameras = """
            url,placement,venue_id,id
            rtsp://127.0.0.1:8554/cam/0001,perimeter,V0001,C00001
            """
        let inventory = try folder.load(venues: venues, cameras: cameras)
        #expect(inventory.venues.count == 1)
        #expect(inventory.cameras.first?.address == "rtsp://127.0.0.1:8554/cam/0001")
    }

    /// Two files with one thing wrong, and the one problem it must give.
    struct BadInput: Sendable, CustomTestStringConvertible {
        var venues = Fixture.venues
        var cameras = Fixture.cameras
        var problem: String

        /// The fixture with a bad venue at line 5.
        static func venue(_ row: String, _ problem: String) -> BadInput {
            BadInput(venues: Fixture.venues(adding: row), problem: problem)
        }

        /// The fixture with a bad camera at line 6.
        static func camera(_ row: String, _ problem: String) -> BadInput {
            BadInput(cameras: Fixture.cameras(adding: row), problem: problem)
        }

        var testDescription: String { problem }
    }

    static let badInputs: [BadInput] = [
        .venue("V0004,好运来宾馆,hotel,vip,城南区,G01-01,城南区人民路1号,13800000004,",
               #"venues.csv:5:tier: unknown tier "vip" (expected general, watch or priority)"#),
        .venue("V0004,好运来宾馆,bar,general,城南区,G01-01,城南区人民路1号,13800000004,",
               #"venues.csv:5:kind: unknown kind "bar" (expected hotel, rental or internet_cafe)"#),
        .venue("V0004,好运来宾馆,hotel,priority,城南区,G01-01,城南区人民路1号,13800000004,",
               "venues.csv:5:supervisor: a priority venue needs an assigned supervisor"),
        .venue("V0002,好运来宾馆,hotel,general,城南区,G01-01,城南区人民路1号,13800000004,",
               #"venues.csv:5:id: duplicate id "V0002" (first on line 3)"#),
        .venue("V0004,,hotel,general,城南区,G01-01,城南区人民路1号,13800000004,",
               "venues.csv:5:name: required field is empty"),
        .venue("V0004,好运来宾馆,hotel,general,城南区,G01-01,城南区人民路1号,",
               "venues.csv:5: the record has 8 fields but the header has 9"),
        .venue("V0004,\"好运来宾馆,hotel,general,城南区,G01-01,城南区人民路1号,13800000004,",
               "venues.csv:5:name: a quoted field is never closed (a closing quote is missing)"),
        .venue("V0004,\"好运来\"宾馆,hotel,general,城南区,G01-01,城南区人民路1号,13800000004,",
               "venues.csv:5:name: text after the closing quote of a quoted field (double a quote inside quotes)"),
        .venue("V0004,好运来\u{1B}[2J\u{1B}[31m宾馆,hotel,general,城南区,G01-01,城南区人民路1号,13800000004,",
               "venues.csv:5:name: contains a control character (U+001B): the field must be plain text on one line"),
        .venue("V0004,\"好运来宾馆\r\nBcc: x@example.com\",hotel,general,城南区,G01-01,城南区人民路1号,13800000004,",
               "venues.csv:5:name: contains a control character (U+000A): the field must be plain text on one line"),
        .venue("V0004,好运来宾馆,hotel,general,城南区,G01-01,城南区人民路\u{0}1号,13800000004,",
               "venues.csv:5:address: contains a control character (U+0000): the field must be plain text on one line"),
        .venue("V0004,\(String(repeating: "宾", count: 201)),hotel,general,城南区,G01-01,城南区人民路1号,13800000004,",
               "venues.csv:5:name: is 201 characters long; the limit is 200"),
        BadInput(venues: Fixture.venues.replacingOccurrences(of: ",supervisor\n", with: "\n"),
                 problem: #"venues.csv:1:supervisor: missing column "supervisor" in the header"#),
        .camera("C00005,V0999,interior,rtsp://10.0.0.5/live,,",
                #"cameras.csv:6:venue_id: unknown venue "V0999""#),
        .camera("C00005,V0002,inside,rtsp://10.0.0.5/live,,",
                #"cameras.csv:6:placement: unknown placement "inside" (expected perimeter or interior)"#),
        .camera("C00001,V0002,interior,rtsp://10.0.0.5/live,,",
                #"cameras.csv:6:id: duplicate id "C00001" (first on line 2)"#),
        .camera("C00005,V0002,interior,,,",
                "cameras.csv:6:url: required field is empty"),
        .camera("C00005,V0002,interior,ftp://10.0.0.5/live,,",
                "cameras.csv:6:url: unsupported scheme 'ftp' (use rtsp, rtsps, http, https, rtmp or rtmps)"),
        .camera("C00005,V0002,interior,rtsp:///live,,",
                "cameras.csv:6:url: stream URL has no host: rtsp:///live"),
        .camera("C00005,V0002,interior,rtsp://127.0.0.1:8554/cam/0002,,",
                "cameras.csv:6:url: the stream rtsp://127.0.0.1:8554/cam/0002 is already used by camera C00002 (line 3)"),
        .camera("C00005,V0002,interior,RTSP://10.20.1.18:554/live,,",
                "cameras.csv:6:url: the stream rtsp://10.20.1.18:554/live is already used by camera C00004 (line 5)"),
        .camera("C00005,V0002,interior,rtsp://a:b@10.0.0.5/live,op,pw",
                "cameras.csv:6:url: credentials are given both in the URL and in the username/password columns; keep one"),
        .camera("C00005,V0002,interior,rtsp://10.0.0.5/live,op,",
                "cameras.csv:6:password: a username needs a password"),
        .camera("C00005,V0002,interior,rtsp://10.0.0.5/live,,pw",
                "cameras.csv:6:username: a password needs a username"),
        .camera("C00005,V0002,interior,rtsp://admin@10.0.0.5/live,,",
                "cameras.csv:6:url: the URL has a username but no password"),
        .camera("C00005,V0002,interior,rtsp://10.0.0.5:99999/live,,",
                "cameras.csv:6:url: port 99999 is out of range (1-65535)"),
        .camera("C00005,V0002,interior,rtsp://10.0.0.5:0/live,,",
                "cameras.csv:6:url: port 0 is out of range (1-65535)"),
        .camera("C00005,V0002,interior,rtsp://10.0.0.5/live,op,pass\u{7}word",
                "cameras.csv:6:password: contains a control character (U+0007): the field must be plain text on one line"),
        .camera("C00005,V0002,interior,rtsp://10.0.0.5/live,,,extra",
                "cameras.csv:6: the record has 7 fields but the header has 6"),
        BadInput(cameras: Fixture.cameras.replacingOccurrences(of: ",url,", with: ",address,"),
                 problem: #"cameras.csv:1:url: missing column "url" in the header"#),
    ]

    @Test("each kind of bad input is located as file:line:field", arguments: badInputs)
    func bad(input: BadInput) throws {
        let folder = try TemporaryFolder()
        #expect(try folder.problems(venues: input.venues, cameras: input.cameras) == [input.problem])
    }

    @Test("every problem in both files is reported, in line order, and nothing is loaded")
    func allProblems() throws {
        let venues = """
            \(Fixture.venuesHeader)
            V0001,平安宾馆,hotel,general,城南区,G03-12,城南区建设路12号,13800000001,
            V0002,温馨公寓,flat,vip,城南区,G04-02,城南区解放路8号,13900000002,
            V0003,极速网吧,internet_cafe,priority,城南区,G05-07,城南区人民路101号,13700000003,
            V0001,平安宾馆,hotel,general,城南区,G03-12,,13800000001,
            """
        let cameras = """
            \(Fixture.camerasHeader)
            C00001,V0001,perimeter,rtsp://127.0.0.1:8554/cam/0001,,
            C00002,V0999,interior,rtsp://127.0.0.1:8554/cam/0001,,
            C00003,V0002,,rtsp://10.0.0.3/live,admin,
            """
        let folder = try TemporaryFolder()
        #expect(try folder.problems(venues: venues, cameras: cameras) == [
            #"venues.csv:3:kind: unknown kind "flat" (expected hotel, rental or internet_cafe)"#,
            #"venues.csv:3:tier: unknown tier "vip" (expected general, watch or priority)"#,
            "venues.csv:4:supervisor: a priority venue needs an assigned supervisor",
            #"venues.csv:5:id: duplicate id "V0001" (first on line 2)"#,
            "venues.csv:5:address: required field is empty",
            #"cameras.csv:3:venue_id: unknown venue "V0999""#,
            "cameras.csv:3:url: the stream rtsp://127.0.0.1:8554/cam/0001 is already used by camera C00001 (line 2)",
            "cameras.csv:4:placement: required field is empty",
            "cameras.csv:4:password: a username needs a password",
        ])
    }

    @Test("the error lists its problems one per line")
    func errorDescription() throws {
        let folder = try TemporaryFolder()
        let cameras = Fixture.cameras(adding: "C00005,V0999,inside,rtsp://10.0.0.5/live,,")
        #expect(throws: InventoryError.self) { try folder.load(venues: Fixture.venues, cameras: cameras) }
        do {
            _ = try folder.load(venues: Fixture.venues, cameras: cameras)
        } catch let error as InventoryError {
            #expect(error.description == """
                cameras.csv:6:venue_id: unknown venue "V0999"
                cameras.csv:6:placement: unknown placement "inside" (expected perimeter or interior)
                """)
        }
    }

    @Test("a file that is not UTF-8 is one clear error")
    func notUTF8() throws {
        let folder = try TemporaryFolder()
        // 平安宾馆 in GBK, as Excel saves a Chinese sheet by default.
        let gbk = Data(Array("\(Fixture.venuesHeader)\nV0001,".utf8) + [0xC6, 0xBD, 0xB0, 0xB2, 0xB1, 0xF6, 0xB9, 0xDD]
            + Array(",hotel,general,城南区,G03-12,城南区建设路12号,13800000001,\n".utf8))
        let venues = try folder.write("venues.csv", gbk)
        let cameras = try folder.write("cameras.csv", Fixture.cameras)
        do {
            _ = try Inventory.load(venues: venues, cameras: cameras)
            Issue.record("a GBK file loaded")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.problems.first?.file == "venues.csv")
            #expect(error.problems.first?.line == 2)
            #expect(error.description.contains("save it as UTF-8"))
        }
    }

    @Test("a missing file is reported by name")
    func missingFile() throws {
        let folder = try TemporaryFolder()
        let venues = try folder.write("venues.csv", Fixture.venues)
        do {
            _ = try Inventory.load(venues: venues, cameras: folder.url.appendingPathComponent("cameras.csv"))
            Issue.record("loaded without a cameras file")
        } catch {
            #expect(error.problems.map(\.file) == ["cameras.csv"])
            #expect(error.problems.first?.line == nil)
        }
    }

    @Test("an empty file needs its header")
    func emptyFile() throws {
        let folder = try TemporaryFolder()
        #expect(try folder.problems(venues: Fixture.venues, cameras: "\n\n") == [
            "cameras.csv:1: the file is empty; it needs a header row",
        ])
    }

    @Test("quoted Chinese names with commas and quotes; a BOM; CRLF; blank lines")
    func spreadsheetCSV() throws {
        let venues = "\u{FEFF}" + [
            Fixture.venuesHeader,
            #"V0001,"平安宾馆,建设路店",hotel,general,城南区,G03-12,"城南区建设路12号, 2楼",13800000001,"#,
            "",
            #"V0002,"温馨""公寓""",rental,watch,城南区,G04-02,城南区解放路8号,13900000002,"#,
            "V0003,\"极速网吧（通宵）\",internet_cafe,priority,城南区,G05-07,城南区人民路101号,13700000003,张伟 (一组)",
            "   ",
            "V0004,  同乐网咖  ,internet_cafe,general,城南区,G05-08,城南区人民路103号,13700000004,",
        ].joined(separator: "\r\n") + "\r\n"
        let folder = try TemporaryFolder()
        let inventory = try folder.load(venues: venues, cameras: Fixture.cameras)
        #expect(inventory.venues.map(\.name) == ["平安宾馆,建设路店", "温馨\"公寓\"", "极速网吧（通宵）", "同乐网咖"])
        #expect(inventory.venue("V0001")?.address == "城南区建设路12号, 2楼")

        // Lines are physical: the blank lines count, and so does a quoted line break (refused in a name).
        let bad = venues + "V0005,\"好运来\r\n宾馆\",hotel,vip,城南区,G01-01,城南区人民路1号,13800000005,\r\n"
            + "V0006,好运来宾馆,hotel,vip,城南区,G01-01,城南区人民路1号,13800000006,\r\n"
        #expect(try folder.problems(venues: bad, cameras: Fixture.cameras) == [
            "venues.csv:8:name: contains a control character (U+000A): the field must be plain text on one line",
            #"venues.csv:8:tier: unknown tier "vip" (expected general, watch or priority)"#,
            #"venues.csv:10:tier: unknown tier "vip" (expected general, watch or priority)"#,
        ])
    }

    @Test("credentials never appear in a problem", arguments: [
        "C00005,V0999,interior,rtsp://admin:S3cretPw@10.0.0.5/live,,",
        "C00005,V0002,interior,rtsp://admin:S3cretPw@127.0.0.1:8554/cam/0001,,",
        "C00005,V0002,interior,rtsp://admin:S3cretPw@10.0.0.5/live,admin,S3cretPw",
        "C00005,V0002,interior,ftp://admin:S3cretPw@10.0.0.5/live,,",
        "C00005,V0002,interior,rtsp://admin:S3cretPw@/live,,",
        "C00005,V0002,interior,rtsp:/admin:S3cretPw@10.0.0.5/live,,",
        "C00005,V0002,interior,rtsp//admin:S3cretPw@10.0.0.5/live,,",
        "C00005,V0002,interior,rtsp://admin:S3cret Pw@127.0.0.1:8554/cam/0001,,",
        "C00005,V0002,interior,rtsp://admin:S3cretPw@10.0.0.5:port/live,,",
        "C00005,V0002,interior,rtsp:///live?user=admin&password=S3cretPw,,",
        "C00005,V0002,interior,not a url admin:S3cretPw,admin,S3cretPw",
        "C00005,V0002,interior,rtsp://10.0.0.5/live,admin,",
        "C00005,V0002,interior,rtsp://10.0.0.5/live,,S3cretPw",
        "C00005,V0002,interior,\"rtsp://admin:S3cretPw@10.0.0.5/live,,",
    ])
    func noCredentials(row: String) throws {
        let folder = try TemporaryFolder()
        let cameras = Fixture.cameras(adding: row)
        do {
            _ = try folder.load(venues: Fixture.venues, cameras: cameras)
            Issue.record("loaded \(row)")
        } catch let error as InventoryError {
            #expect(!error.description.contains("S3cret"))
            #expect(!error.description.contains("admin"))
            #expect(error.problems.allSatisfy { $0.line == 6 })
        }
    }
}
