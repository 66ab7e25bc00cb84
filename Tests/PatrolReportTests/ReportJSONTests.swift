import Foundation
import PatrolFixtures
import Testing
@testable import PatrolReport

/// The report as `patrol report daily --json` writes it: snake_case keys, ISO 8601 times in UTC.
func json(_ report: DailyReport, for audience: ReportAudience = .office) throws -> [String: Any] {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    let data = try encoder.encode(ReportJSON(report, for: audience))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

@Suite struct ReportJSONTests {
    @Test("the office's report for scripts: identifiers, numbers, days and times; no word of report.language")
    func office() throws {
        let object = try json(CraftedReport.report)
        #expect(object["schema_version"] as? Int == 1)
        #expect(object["day"] as? String == "2026-11-21" && object["sent_on"] as? String == "2026-11-22")
        #expect(object["audience"] as? String == "office" && object["supervisor"] == nil)
        let ledger = try #require(object["ledger"] as? [String: Any])
        #expect(ledger["ok"] as? Bool == false && ledger["first_bad_entry"] as? Int == 57 && ledger["entries"] as? Int == 113)
        let cameras = try #require(object["cameras"] as? [String: Any])
        #expect(cameras["interior"] as? [String: Int] == ["compliant": 1197, "failed": 61, "unknown": 2, "waived": 0])
        #expect(cameras["failed_by"] as? [String: Int] == ["timeout": 40, "black": 20, "frozen": 10, "refused": 6])
        #expect(abs((cameras["interior_compliance"] as? Double ?? 0) - 1197.0 / 1258) < 1e-9)
        #expect(object["venues_by_standing"] as? [String: Int] == ["clean": 290, "ordered": 18, "warned": 6, "suspended": 3, "closed": 3])
        let events = try #require(object["events"] as? [[String: Any]])
        #expect(events.count == 13)
        #expect(events[0]["kind"] as? String == "order" && events[0]["deadline"] as? String == "2026-11-24")
        #expect((events[0]["venue"] as? [String: Any])?["id"] as? String == "V0001")
        #expect(events[0]["reason"] as? String == "rectify by 2026-11-24: " + CraftedReport.orderReason, "the judging's own words")
        #expect(events.first { $0["kind"] as? String == "waiver" }?["venue"] == nil, "a district-wide waiver names no venue")
        let maintenance = try #require(object["maintenance"] as? [[String: Any]])
        #expect(maintenance.map { $0["down_since"] as? String } == ["2026-11-19T06:05:00Z", "2026-11-20T19:40:00Z"])
        let trend = try #require(object["trend"] as? [[String: Any]])
        #expect(trend.count == 30 && trend.last?["day"] as? String == "2026-11-21")
        #expect((trend.last?["venues_by_standing"] as? [String: Int])?["ordered"] == 18)
        #expect((object["registration"] as? [Any])?.count == 10)
        #expect((object["camera_days"] as? [Any])?.count == 11 && (object["venue_days"] as? [Any])?.count == 12)
        #expect((object["venue_days"] as? [[String: Any]])?.first { ($0["venue"] as? [String: Any])?["id"] as? String == "V0006" }?["failures"]
            as? Int == 3)
    }

    @Test("a supervisor's and the maintenance team's: what their report says, no more")
    func audiences() throws {
        let supervisor = try json(CraftedReport.report, for: .supervisor(CraftedReport.zhang))
        #expect(supervisor["audience"] as? String == "supervisor" && supervisor["supervisor"] as? String == CraftedReport.zhang)
        let venues = (supervisor["venue_days"] as? [[String: Any]])?.compactMap { ($0["venue"] as? [String: Any])?["id"] as? String }
        #expect(venues == ["V0004", "V0009", "V0010", "V0011"])
        #expect((supervisor["maintenance"] as? [Any])?.isEmpty == true)
        let maintenance = try json(CraftedReport.report, for: .maintenance)
        #expect((maintenance["events"] as? [Any])?.isEmpty == true && maintenance["registration"] == nil)
        #expect((maintenance["maintenance"] as? [Any])?.count == 2)
        #expect((maintenance["camera_days"] as? [[String: Any]])?.allSatisfy { $0["placement"] as? String == "perimeter" } == true)
    }
}
