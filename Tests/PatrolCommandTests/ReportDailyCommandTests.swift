import Foundation
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolStore
import PatrolTestSupport
import Testing

/// `patrol report daily` through the binary, on a database patrolled the three days up to
/// yesterday (in the patrol's time zone): the day named every way, the JSON, the tables.
@Suite("patrol report daily: the day by any name, --json, the tables")
struct ReportDailyCommandTests {
    let fixture: TemporaryStore
    let today: PatrolDay

    init() throws {
        fixture = try TemporaryStore()
        today = PatrolDay.containing(Date(), in: patrolZone)
        try fixture.seed(venues: 2, since: today.adding(-4).start(in: patrolZone))
        // C00002 (interior, V0001) refuses three days before today: an order; fixed the next day.
        for back in [3, 2, 1] {
            try fixture.probe(today.adding(-back), in: patrolZone, cameras: 6) { back == 3 && $0 == "C00002" ? .refused : .online }
            _ = try DailyPatrol(store: fixture.store, settings: DailyPatrolSettings()).patrol(today.adding(-back), now: Date())
        }
    }

    func report(_ arguments: [String]) throws -> CommandRun {
        try CommandRun("patrol", ["report", "daily", "--db", fixture.database] + arguments)
    }

    @Test("--date and --day are one option; yesterday and -1 are the day before today, -3 three days back")
    func theDayByAnyName() throws {
        let yesterday = today.adding(-1).description
        let named = try report(["--day", yesterday, "--json"])
        #expect(named.status == 0, "\(named.all)")
        for arguments in [["--date", yesterday], ["--day", "yesterday"], ["--day", "-1"], ["--date=-1"], []] {
            let run = try report(arguments + ["--json"])
            #expect(run.status == 0 && run.stdout == named.stdout, "\(arguments): \(run.stderr)")
        }
        let back = try report(["--day", "-3"])
        #expect(back.status == 0 && back.stdout.hasPrefix("每日巡查通报 \(ChineseDay(today.adding(-3)))\n"), "\(back.all)")
        #expect(back.stdout.contains("新下达整改通知："))
        #expect(try report(["--day", "-0"]).status == 66, "today is not patrolled yet")
        for bad in ["tomorrow", "+1", "2026-13-01"] {
            let run = try report(["--day", bad])
            #expect(run.status == 64, "\(bad): \(run.all)")
        }
    }

    @Test("--json: the schema's version, the day, its steps by their identifiers")
    func json() throws {
        let run = try report(["--day", "-3", "--json"])
        #expect(run.status == 0, "\(run.all)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["schema_version"] as? Int == 1 && object["day"] as? String == today.adding(-3).description)
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(events.map { $0["kind"] as? String } == ["order"])
        #expect((events.first?["reason"] as? String)?.contains("C00002 online 0% of 24.0 h watched") == true)
        let trend = try #require(try JSONSerialization.jsonObject(with: Data(try report(["--day", "-1", "--json"]).stdout.utf8))
            as? [String: Any])["trend"] as? [[String: Any]]
        #expect(trend?.map { ($0["venues_by_standing"] as? [String: Int])?["ordered"] } == [1, 0, 0])
    }

    @Test("--table ledger: the steps since the day before, in Chinese")
    func ledgerTable() throws {
        let run = try report(["--day", "-3", "--format", "csv", "--table", "ledger"])
        #expect(run.status == 0, "\(run.all)")
        let records = try CSVRecords.parse(run.stdout)
        #expect(records.first == ["日期", "序号", "场所编号", "场所名称", "处置", "整改期限", "经办人", "原因"])
        #expect(records.dropFirst().map { [$0[2], $0[4], $0[6]] } == [["V0001", "整改通知", "巡查系统"]])
    }
}

/// `2026年11月21日`.
func ChineseDay(_ day: PatrolDay) -> String {
    let (year, month, date) = day.components
    return "\(year)年\(month)月\(date)日"
}
