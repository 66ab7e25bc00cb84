import Foundation
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolStore
import PatrolTestSupport
import Testing

/// `patrol` speaks the locale's language, through the real binary: LANG=zh_CN.UTF-8 gives
/// Chinese tables, summaries and errors in the office's words; LANG=C the English. JSON, exit
/// statuses and the identifiers in JSON are the same in both. And its manners: IDs in any case,
/// --limit, a pager on a terminal only, a filter naming nobody refused.
@Suite("patrol in Chinese and in English, and its manners")
struct LanguageTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day1 = PatrolDay(year: 2026, month: 9, day: 1)
    static let chinese = ["LANG": "zh_CN.UTF-8"]
    static let english = ["LANG": "C"]

    let folder: URL
    let config: String

    /// Three venues, the first patrolled day: V1's interior camera refused all day (an order),
    /// V2 is a priority venue under 张伟 (一组).
    init() throws {
        let temporary = try TemporaryStore()
        folder = temporary.folder
        config = folder.appendingPathComponent("patrol.yaml").path
        try "database: patrol.sqlite\ncredentials: credentials.sqlite\npatrol:\n  time_zone: Asia/Shanghai\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let cameras = try TestDistrict.cameras([("C1", "V1", .interior), ("C2", "V2", .interior), ("C3", "V3", .perimeter)]) {
            "rtsp://10.0.0.1/\($0)"
        }
        try temporary.seed(Inventory(venues: [TestDistrict.pingan(), TestDistrict.xingkong(), TestDistrict.wenxin()], cameras: cameras),
                           since: Self.day1.start(in: Self.zone).addingTimeInterval(-86_400))
        try temporary.probe(Self.day1, in: Self.zone, cameras: ["C1", "C2", "C3"]) { $0 == "C1" ? .refused : .online }
        try DailyPatrol(store: temporary.store, settings: DailyPatrolSettings()).runDue(now: Self.day1.adding(1).start(in: Self.zone, hour: 7))
    }

    func patrol(_ arguments: [String], _ environment: [String: String] = Self.english) throws -> CommandRun {
        try CommandRun("patrol", arguments + ["--config", config], environment: environment)
    }

    /// What may stay in Latin letters in a Chinese table: the fixture's ids and data.
    static let data: Set<String> = ["rtsp", "test", "refused", "online", "tcp"]

    @Test("Chinese tables, summaries and the ladder in the office's words, no English word left", arguments: [
        ["status"], ["cameras"], ["venues"], ["venue", "V1"], ["ledger"], ["registration"], ["venues", "--state", "ordered"],
    ])
    func chineseTables(arguments: [String]) throws {
        let run = try patrol(arguments, Self.chinese)
        #expect(run.status == 0, "\(run.all)")
        #expect(EnglishWords.find(in: run.stdout, allowing: Self.data).isEmpty, "\(EnglishWords.find(in: run.stdout, allowing: Self.data))\n\(run.stdout)")
        #expect(run.stderr.isEmpty)
    }

    @Test("the same questions in Chinese and in English")
    func bothLanguages() throws {
        let cameras = try patrol(["cameras", "--down"], Self.chinese)
        #expect(cameras.stdout.hasPrefix("编号 "), "\(cameras.stdout)")
        let c1 = try #require(cameras.stdout.split(separator: "\n").first { $0.hasPrefix("C1 ") })
        #expect(c1.contains("V1 平安宾馆") && c1.contains("一般") && c1.contains("内部") && c1.contains("故障") && c1.contains("连接被拒"), "\(c1)")
        #expect(cameras.stdout.hasSuffix("摄像机 1 台：故障 1（内部 1，外围 0），正常 0，未知 0\n"), "\(cameras.stdout)")
        let english = try patrol(["cameras", "--down"], Self.english)
        #expect(english.stdout.hasSuffix("1 camera: 1 down (1 interior, 0 perimeter), 0 up, 0 unknown\n"), "\(english.stdout)")

        let ledger = try patrol(["ledger"], Self.chinese).stdout
        #expect(ledger.contains("整改通知") && ledger.contains("期限 2026年9月4日") && ledger.contains("2026年9月1日"), "\(ledger)")
        #expect(ledger.contains("限2026年9月4日前整改：内部摄像机1台中1台不合格：C1 在线率0%（巡查24.0小时，要求不低于95%），主要为连接被拒"), "\(ledger)")
        #expect(try patrol(["ledger"], Self.english).stdout.contains("order") )

        let venue = try patrol(["venue", "V1"], Self.chinese).stdout
        #expect(venue.contains("处置状态  整改中") && venue.contains("未结      整改通知（2026年9月1日），整改期限 2026年9月4日"), "\(venue)")
        let status = try patrol(["status"], Self.chinese).stdout
        #expect(status.contains("处置        正常 2，整改中 1，已警告 0，责令停业 0，已取缔 0"), "\(status)")
    }

    @Test("errors in the operator's language, with the same exit status", arguments: [
        (["venue", "V9"], 66, "patrol: 没有场所 V9：`patrol venues` 可列出全部场所\n", "patrol: no venue V9: `patrol venues` lists them\n"),
        (["ledger", "--venue", "V9"], 66, "patrol: 没有场所 V9：`patrol venues` 可列出全部场所\n", "patrol: no venue V9: `patrol venues` lists them\n"),
        (["revoke", "99", "--by", "王芳", "--reason", "误记"], 66, "patrol: 台账中没有第 99 条：`patrol ledger` 可列出全部条目\n",
         "patrol: no ledger entry #99: `patrol ledger` lists them\n"),
        (["reinstate", "V1", "--by", "王芳", "--reason", "现场检查"], 65, "patrol: 场所 V1 未被责令停业（当前为整改中）：无需恢复营业\n",
         "patrol: venue V1 is not suspended (it stands ordered): nothing to reinstate\n"),
    ])
    func errors(arguments: [String], status: Int32, chinese: String, english: String) throws {
        let zh = try patrol(arguments, Self.chinese), en = try patrol(arguments, Self.english)
        #expect(zh.status == status && en.status == status, "\(zh.all)\(en.all)")
        #expect(zh.stderr == chinese && en.stderr == english, "\(zh.stderr)\(en.stderr)")
        #expect(zh.stdout.isEmpty && en.stdout.isEmpty)
    }

    @Test("a usage error: ArgumentParser's frame in Chinese too, exit 64 in both")
    func usage() throws {
        let zh = try patrol(["cameras", "--tier", "vip"], Self.chinese), en = try patrol(["cameras", "--tier", "vip"], Self.english)
        #expect(zh.status == 64 && en.status == 64)
        #expect(zh.stderr.hasPrefix("错误：'--tier <tier>' 的取值 'vip' 无效。请给出以下之一：'general', 'watch' 或 'priority'。"), "\(zh.stderr)")
        #expect(zh.stderr.contains("用法：patrol cameras ") && zh.stderr.contains("详见 `patrol cameras --help`。"), "\(zh.stderr)")
        #expect(en.stderr.hasPrefix("Error: The value 'vip' is invalid for '--tier <tier>'"), "\(en.stderr)")
        let help = try patrol(["--help"], Self.chinese)
        #expect(help.status == 0 && help.stdout.hasPrefix("概述：Patrol（辖区视频监控日常网上巡查）的值班操作命令。"), "\(help.stdout)")
        #expect(help.stdout.contains("patrol cameras --tier priority --placement interior --down"))
    }

    @Test("LC_ALL, then LC_MESSAGES, then LANG decide the language", arguments: [
        (["LC_ALL": "C", "LANG": "zh_CN.UTF-8"], false), (["LC_MESSAGES": "zh_CN.UTF-8"], true),
        (["LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"], true), (["LANG": "en_US.UTF-8"], false), (["LANG": "zh_CN.GB18030"], true),
    ])
    func locale(environment: [String: String], chinese: Bool) throws {
        let run = try patrol(["venue", "V9"], environment)
        #expect(run.status == 66)
        #expect(run.stderr.hasPrefix(chinese ? "patrol: 没有场所" : "patrol: no venue"), "\(environment): \(run.stderr)")
    }

    @Test("JSON is the same in every language: keys, identifiers, times", arguments: [
        ["cameras", "--json"], ["venues", "--json"], ["venue", "V1", "--json"], ["ledger", "--json"], ["camera", "C1", "--json"],
        ["registration", "--json"], ["report", "outbox", "--json"],
    ])
    func json(arguments: [String]) throws {
        let zh = try patrol(arguments, Self.chinese), en = try patrol(arguments, Self.english)
        #expect(zh.status == 0 && zh.stdout == en.stdout, "\(zh.all)\n---\n\(en.all)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(zh.stdout.utf8)) as? [String: Any])
        #expect(object["schema_version"] as? Int == 1)
    }

    @Test("the ledger's evidence is an object, and every time one form: UTC to the millisecond")
    func evidenceAndTimes() throws {
        let run = try patrol(["ledger", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let entry = try #require((object["entries"] as? [[String: Any]])?.first)
        let evidence = try #require(entry["evidence"] as? [String: Any], "\(run.stdout)")
        let cited = try #require(evidence["cameras"] as? [[String: Any]])
        #expect(cited.first?["camera"] as? String == "C1" && cited.first?["verdict"] as? String == "failed")
        #expect(entry["kind"] as? String == "order")
        let time = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
        #expect((entry["at"] as? String)?.wholeMatch(of: time) != nil, "\(entry["at"] ?? "")")
        let camera = try #require((try JSONSerialization.jsonObject(with: Data(try patrol(["camera", "C1", "--json"]).stdout.utf8))
            as? [String: Any])?["camera"] as? [String: Any])
        for key in ["since", "last_probe_at"] {
            #expect((camera[key] as? String)?.wholeMatch(of: time) != nil, "\(key): \(camera[key] ?? "")")
        }
    }

    @Test("ids in any case: v1 is V1, and an act records the inventory's id")
    func caseInsensitiveIDs() throws {
        #expect(try patrol(["venue", "v1"]).stdout.hasPrefix("V1  平安宾馆"))
        #expect(try patrol(["camera", "c1"]).stdout.hasPrefix("C1  interior camera of V1"))
        #expect(try patrol(["cameras", "--venue", "v2", "--json"]).stdout.contains("\"id\" : \"C2\""))
        let note = try patrol(["note", "v3", "--by", "王芳", "--reason", "业主来电", "--json"])
        #expect(note.status == 0, "\(note.all)")
        let entries = try #require((try JSONSerialization.jsonObject(with: Data(note.stdout.utf8)) as? [String: Any])?["entries"] as? [[String: Any]])
        #expect(entries.map { $0["venue_id"] as? String } == ["V3"])
        #expect(try patrol(["ledger", "--venue", "V3", "--json"]).stdout.contains("业主来电"))
    }

    @Test("a district or supervisor no venue has is an error (66), not an empty list; a real one filters")
    func unknownFilters() throws {
        let nobody = try patrol(["venues", "--supervisor", "李四"], Self.chinese)
        #expect(nobody.status == 66 && nobody.stderr.hasPrefix("patrol: 没有在用场所由 李四 督导"), "\(nobody.all)")
        let nowhere = try patrol(["venues", "--district", "城北"])
        #expect(nowhere.status == 66 && nowhere.stderr.hasPrefix("patrol: no venue in service is in district 城北"), "\(nowhere.all)")
        func ids(_ arguments: [String]) throws -> [String] {
            let object = try JSONSerialization.jsonObject(with: Data(try patrol(["venues", "--json"] + arguments).stdout.utf8)) as? [String: Any]
            return (object?["venues"] as? [[String: Any]] ?? []).compactMap { ($0["venue"] as? [String: Any])?["id"] as? String }
        }
        #expect(try ids(["--supervisor", "张伟"]) == ["V2"])
        #expect(try ids(["--supervisor", "张伟 (一组)"]) == ["V2"])
        #expect(try ids(["--district", "城东"]) == ["V1", "V2", "V3"])
        // A filter that names something real but matches nothing is still an empty answer, exit 0.
        let none = try patrol(["venues", "--supervisor", "张伟", "--tier", "general"])
        #expect(none.status == 0 && none.stdout == "no venue matches\n", "\(none.all)")
    }

    @Test("--limit keeps the first rows (the newest of the ledger) and says how many there were")
    func limit() throws {
        let cameras = try patrol(["cameras", "--limit", "2"])
        let lines = cameras.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("C") }.map { $0.split(separator: " ")[0] } == ["C1", "C2"], "\(cameras.stdout)")
        #expect(lines.last == "2 of 3 shown (--limit)" && lines.dropLast().last?.hasPrefix("3 cameras: ") == true, "\(cameras.stdout)")
        #expect(try patrol(["cameras", "--limit", "2"], Self.chinese).stdout.hasSuffix("共 3 条，显示 2 条（--limit）\n"))
        let object = try JSONSerialization.jsonObject(with: Data(try patrol(["cameras", "--limit", "1", "--json"]).stdout.utf8)) as? [String: Any]
        #expect((object?["cameras"] as? [Any])?.count == 1 && object?["total"] as? Int == 3)
        _ = try patrol(["note", "V1", "--by", "王芳", "--reason", "第二条"])
        let newest = try patrol(["ledger", "--limit", "1", "--json"]).stdout
        #expect(newest.contains("第二条") && newest.contains("\"total\" : 2"), "\(newest)")
        let zero = try patrol(["cameras", "--limit", "0"])
        #expect(zero.status == 64 && zero.stderr.contains("--limit must be a positive number"))
    }

    @Test("long listings page through $PAGER on a terminal, never when piped")
    func pager() throws {
        let script = "/usr/bin/script"
        try #require(FileManager.default.isExecutableFile(atPath: script), "script (util-linux) gives the command a terminal")
        // script(1) runs the command on a pseudo-terminal of its own; the shell hands it patrol's path as $0.
        let onTerminal = ["/bin/sh", "-c", "exec \(script) -qec \"$0 venues --config '\(config)'\" /dev/null"]
        let pager = ["PAGER": "sed s/^/paged:/"]
        let terminal = try CommandRun("patrol", [], environment: pager, launcher: onTerminal)
        let lines = terminal.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("paged:") }, "\(terminal.stdout)")
        let piped = try CommandRun("patrol", ["venues", "--config", config], environment: pager)
        #expect(piped.status == 0 && !piped.stdout.contains("paged:") && piped.stdout.hasPrefix("ID "), "\(piped.stdout)")
        // PAGER=cat turns paging off on a terminal too.
        let plain = try CommandRun("patrol", [], environment: ["PAGER": "cat"], launcher: onTerminal)
        #expect(plain.stdout.contains("平安宾馆") && !plain.stdout.contains("paged:"))
    }
}
