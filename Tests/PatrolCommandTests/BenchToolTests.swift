import Foundation
import PatrolFixtures
import PatrolInventory
import PatrolReport
import PatrolStore
import PatrolTestSupport
import Testing

/// The real `patrol-bench` binary, the measuring tool the benchmark scripts run; `patrol` no
/// longer carries its commands. (Its `probe` needs a camera: FleetTests.)
@Suite("patrol-bench, the measuring tool")
struct BenchToolTests {
    @Test("history fills a fresh database with probe history and patrols, and refuses one that has history")
    func history() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("patrol.sqlite").path
        // A priority venue with two cameras, a general one with one.
        let cameras = try TestDistrict.cameras([("C01", "V01", .perimeter), ("C02", "V01", .interior), ("C03", "V02", .interior)]) {
            "rtsp://127.0.0.1:8554/cam/\($0.dropFirst())"
        }
        let venues = [TestDistrict.pingan("V01", tier: .priority), TestDistrict.xingkong("V02", tier: .general)]
        try TestDistrict.writeCSV(Inventory(venues: venues, cameras: cameras), to: folder)
        let empty = try CommandRun("patrol-bench", ["history", "--db", database])
        #expect(empty.status == 65 && empty.stderr.contains("the database has no cameras"), "\(empty.all)")
        let imported = try CommandRun("patrol", ["inventory", "import", "venues.csv", "cameras.csv", "--db", database],
                                      directory: folder)
        #expect(imported.status == 0, "\(imported.all)")

        let filled = try CommandRun("patrol-bench", ["history", "--db", database, "--days", "2", "--raw-days", "1",
                                                     "--verdict-days", "3", "--seed", "5"])
        #expect(filled.status == 0, "\(filled.all)")
        let lines = filled.stdout.split(separator: "\n")
        // Priority every 60 s, general every 900 s: 2 × (2 × 1,440 + 96) probes.
        #expect(lines.first?.hasPrefix("3 cameras: 5952 probes over 2 days, 2976 raw results (1 days)") == true, "\(filled.stdout)")
        #expect(lines.last?.hasPrefix("6 venue-days over 3 patrol days") == true, "\(filled.stdout)")
        let store = try Store.reading(database)
        #expect(try store.cameras().allSatisfy { $0.lastProbeAt != nil && $0.codec != nil })
        #expect(try store.lastPatrol()?.venues == 2)

        let again = try CommandRun("patrol-bench", ["history", "--db", database])
        #expect(again.status == 65 && again.stderr.contains("already holds probe history"), "\(again.all)")
        let gone = try CommandRun("patrol", ["bench-history", "--db", database])
        #expect(gone.status == 64, "\(gone.all)")
    }

    @Test("report-preview writes the crafted day's report for each audience as HTML and text, and its CSV, registration systems included")
    func reportPreview() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-preview-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try CommandRun("patrol-bench", ["report-preview", "--out", folder.path])
        #expect(run.status == 0, "\(run.all)")
        let names = ["office.html", "office.txt", "supervisor.html", "supervisor.txt", "maintenance.html", "maintenance.txt",
                     "patrol-cameras-2026-11-21.csv", "patrol-venues-2026-11-21.csv", "patrol-ledger-2026-11-21.csv",
                     "patrol-registration-2026-11-21.csv", "patrol-maintenance-2026-11-21.csv"]
        #expect(run.stdout.split(separator: "\n").map(String.init) == names.map { folder.appendingPathComponent($0).path })
        // The bytes as written: the CSV's byte order mark kept.
        func read(_ name: String) throws -> String { String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self) }
        let written = try Dictionary(uniqueKeysWithValues: names.map { ($0, try read($0)) })
        #expect(written.values.allSatisfy { !$0.isEmpty })

        // The crafted venues, the markup among them escaped.
        let office = try #require(written["office.html"])
        for venue in ["平安宾馆", "温馨公寓", "星空网吧", "老街旅社", "&lt;script&gt;alert(1)&lt;/script&gt;网吧"] {
            #expect(office.contains(venue), "\(venue)")
        }
        #expect(!office.contains("<script>"))
        #expect(office == ReportHTML.render(CraftedReport.report, for: .office, timeZone: CraftedReport.zone))
        // The registration systems of every kind: offline, uploads stuck, worth a look.
        let text = try #require(written["office.txt"])
        #expect(text.contains("\n实名登记系统：已判定的9套中5套合格（55.5%）；离线2套、上传积压2套；1套无法判定\n"))
        for system in ["R-0002", "R-0004", "R-0005", "R-0009", "R-0010", "R-0011"] { #expect(text.contains("\n  \(system)  "), "\(system)") }
        #expect(office.contains(">实名登记系统</h2>"))
        // 张伟's venues, not 李娜's.
        let supervisor = try #require(written["supervisor.txt"])
        #expect(supervisor.contains("温馨公寓") && !supervisor.contains("老街旅社"), "\(supervisor)")
        #expect(supervisor.contains("R-0004") && !supervisor.contains("R-0005"), "\(supervisor)")
        #expect(written["maintenance.txt"]?.contains("实名登记") == false)

        // Each CSV begins with its header row (after the byte order mark a spreadsheet wants), in Chinese.
        let headers = written.filter { $0.key.hasSuffix(".csv") }.mapValues { $0.split(separator: "\r\n").first.map(String.init) }
        #expect(headers["patrol-cameras-2026-11-21.csv"] == "\u{FEFF}日期,摄像机编号,场所编号,场所名称,等级,督导员,位置,判定,"
            + "在线率(%),冻结或黑屏(分钟),巡查时长(小时),检测次数,主要故障,原因,时钟偏差(秒)")
        #expect(headers["patrol-venues-2026-11-21.csv"] == "\u{FEFF}日期,场所编号,场所名称,类型,等级,督导员,判定,处置阶段,整改期限,原因,违规次数,近期受表扬")
        #expect(headers["patrol-ledger-2026-11-21.csv"] == "\u{FEFF}日期,序号,场所编号,场所名称,处置,整改期限,经办人,原因")
        #expect(headers["patrol-registration-2026-11-21.csv"] == "\u{FEFF}日期,系统编号,场所编号,场所名称,等级,督导员,判定,原因,"
            + "在线率(%),离线(分钟),最久等待(分钟),待上传记录数,积压起始,上传记录数,全天无上传,平台报错")
        #expect(headers["patrol-maintenance-2026-11-21.csv"] == "\u{FEFF}日期,摄像机编号,场所编号,场所名称,地址,故障起始,原因")
        #expect(written["patrol-venues-2026-11-21.csv"]?.contains("\"朝阳旅舍, \"\"A\"\"座\"") == true)

        let unwritable = try CommandRun("patrol-bench", ["report-preview", "--out", "/dev/null/preview"])
        #expect(unwritable.status == 74 && unwritable.stderr.hasPrefix("patrol-bench: cannot write "), "\(unwritable.all)")
    }

    @Test("registration refuses an address that is not HTTP, no reads, a folder in use, and a platform it cannot read")
    func registrationRefusals() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-bench-\(UUID().uuidString)")
        let databases = folder.appendingPathComponent("databases")
        try FileManager.default.createDirectory(at: databases, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var venue = TestDistrict.pingan("V01")
        venue.registration = .systems(["HTL-0001"])
        let cameras = try TestDistrict.cameras([("C01", "V01", .interior)]) { "rtsp://127.0.0.1:8554/cam/\($0.dropFirst())" }
        try TestDistrict.writeCSV(Inventory(venues: [venue], cameras: cameras), to: folder)
        func bench(_ url: String, _ more: [String] = []) throws -> CommandRun {
            try CommandRun("patrol-bench", ["registration", url, "--folder", databases.path, "--venues", folder.appendingPathComponent("venues.csv").path,
                                            "--cameras", folder.appendingPathComponent("cameras.csv").path] + more)
        }
        let ftp = try bench("ftp://127.0.0.1/status")
        #expect(ftp.status == 64 && ftp.stderr.contains("must be an http:// or https:// URL"), "\(ftp.all)")
        let none = try bench("http://127.0.0.1:1/status", ["--reads", "0"])
        #expect(none.status == 64 && none.stderr.contains("--reads must be 1 or more"), "\(none.all)")
        // Nothing listens on port 1: the read fails at once, after the inventory was imported.
        let refused = try bench("http://127.0.0.1:1/status")
        #expect(refused.status == 65 && refused.stderr.contains("the platform could not be read: the platform refused the connection"),
                "\(refused.all)")
        let used = try bench("http://127.0.0.1:1/status")
        #expect(used.status == 65 && used.stderr.contains("is not empty"), "\(used.all)")
    }
}
