import Foundation
import GRDB
import PatrolConfig
import PatrolDaemon
import PatrolInventory
@testable import PatrolRegistration
@testable import PatrolStore
import PatrolTestSupport
import Testing

/// The registration service picking up the files a platform exports into the drop folder, on a
/// real folder and a real store: each file applied once, a bad one moved aside whole, GB18030 read.
@Suite("The registration drop folder")
struct DropFolderTests {
    let daemon: DaemonFolder
    let drop: URL
    let service: RegistrationService

    static let header = "generated_at,id,online,last_heartbeat,last_upload,uploaded_today,waiting,oldest_waiting,upload_errors,last_error"

    init() throws {
        daemon = try DaemonFolder()
        let venues = [TestDistrict.pingan("V1"), TestDistrict.xingkong("V2"), TestDistrict.wenxin("V3")].map { venue -> Venue in
            var venue = venue
            venue.registration = venue.id == "V3" ? .noSystem : .systems(["HTL-000\(venue.id.dropFirst())"])
            return venue
        }
        try daemon.temporary.seed(Inventory(venues: venues, cameras: []))
        drop = daemon.folder.appendingPathComponent("drop")
        try FileManager.default.createDirectory(at: drop, withIntermediateDirectories: true)
        let configuration = try daemon.writeConfiguration(extra: "registration:\n  drop_folder: \(drop.path)")
        service = RegistrationService(store: daemon.store, configuration: { configuration })
    }

    func write(_ name: String, _ lines: [String], encoding: String = "UTF-8") throws {
        let text = ([Self.header] + lines).joined(separator: "\r\n") + "\r\n"
        let bytes = encoding == "UTF-8" ? Data(text.utf8) : try #require(DropFolder.convert(Data(text.utf8), from: "UTF-8", to: encoding))
        try bytes.write(to: drop.appendingPathComponent(name))
    }

    func names(in folder: String) throws -> [String] {
        let path = drop.appendingPathComponent(folder).path
        return FileManager.default.fileExists(atPath: path) ? try FileManager.default.contentsOfDirectory(atPath: path).sorted() : []
    }

    static let good = [
        "2026-12-02 16:05:00,HTL-0001,1,2026-12-02 16:04:40,2026-12-02 15:58:02,37,0,,0,",
        "2026-12-02 16:05:00,HTL-0002,0,2026-12-02 11:20:00,2026-12-02 11:02:00,4,2,2026-12-02 11:30:00,0,",
        "2026-12-02 16:05:00,HTL-9999,1,2026-12-02 16:04:40,,0,0,,,",
    ]

    @Test("a good file is applied once and moved to applied/; the same bytes again are recognised and not applied twice")
    func appliedOnce() async throws {
        try write("registration-20261202T160500.csv", Self.good)
        try write(".registration-20261202T161000.csv.part", Self.good)
        let first = await service.readNow()
        #expect(first.platform == nil)
        #expect(first.files.map(\.name) == ["registration-20261202T160500.csv"])
        #expect(first.files.first?.outcome == .applied(systems: 2, encoding: "utf-8"))
        #expect(try names(in: "applied") == ["registration-20261202T160500.csv"])
        #expect(try daemon.count("SELECT count(*) FROM registration_sample") == 2)
        let overview = try daemon.store.registration()
        #expect(overview.systems.map { "\($0.systemID) \($0.state) \($0.waiting ?? -1)" } == ["HTL-0001 online 0", "HTL-0002 offline 2"])
        #expect(overview.venuesWithout == 1)
        // The same export again, under another name: not applied again.
        try write("registration-copy.csv", Self.good)
        let second = await service.readNow()
        #expect(second.files.first?.outcome == .duplicate(of: "registration-20261202T160500.csv"))
        #expect(try daemon.count("SELECT count(*) FROM registration_sample") == 2)
        #expect(try daemon.count("SELECT count(*) FROM registration_read WHERE ok") == 1)
        #expect(try names(in: "applied") == ["registration-20261202T160500.csv", "registration-copy.csv"])
        // A file still being written is left alone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: drop.path).sorted() == [".registration-20261202T161000.csv.part", "applied"])
    }

    @Test("a file with bad rows is refused whole, moved to rejected/ with each problem as file:line:field")
    func rejected() async throws {
        try write("bad.csv", [
            Self.good[0],
            "2026-12-02 16:05:00,HTL-0002,maybe,2026-12-02 16:04:40,,4,many,,0,",
            "yesterday,HTL-0003,1,,,0,0,,,",
        ])
        let round = await service.readNow()
        let expected = [
            "bad.csv:3:(HTL-0002) online: expected true or false, got \"maybe\"",
            "bad.csv:3:(HTL-0002) waiting: expected a whole number of records, got \"many\"",
            "bad.csv:4:(?) generated_at: \"yesterday\" is not a time (RFC 3339)",
        ]
        #expect(round.files.first?.outcome == .rejected(problems: expected))
        #expect(try names(in: "rejected") == ["bad.csv", "bad.csv.error.txt"])
        let note = try String(contentsOf: drop.appendingPathComponent("rejected/bad.csv.error.txt"), encoding: .utf8)
        #expect(note == expected.joined(separator: "\n") + "\n")
        // Nothing of it applied, not even its good first row; the refusal is on record.
        #expect(try daemon.count("SELECT count(*) FROM registration_sample") == 0)
        #expect(try daemon.count("SELECT count(*) FROM registration_read WHERE NOT ok AND source = 'file:bad.csv'") == 1)
    }

    @Test("a file in GB18030 (as Chinese platforms export) is read, and says so; its Chinese words kept")
    func gb18030() async throws {
        try write("gbk.csv", ["2026-12-02 16:05:00,HTL-0001,在线,2026-12-02 16:04:40,,3,6,2026-12-02 09:00:00,7,上传被拒绝：数据校验失败"],
                  encoding: "GB18030")
        #expect(String(data: try Data(contentsOf: drop.appendingPathComponent("gbk.csv")), encoding: .utf8) == nil)
        let round = await service.readNow()
        #expect(round.files.first?.outcome == .applied(systems: 1, encoding: "gb18030"))
        let error = try await daemon.store.pool.read { try String.fetchOne($0, sql: "SELECT last_error FROM registration_sample") }
        #expect(error == "上传被拒绝：数据校验失败")
        #expect(try daemon.store.registration().systems.first { $0.systemID == "HTL-0001" }?.state == "stuck")
        #expect(try daemon.count("SELECT count(*) FROM registration_read WHERE encoding = 'gb18030'") == 1)
    }
}
