import Foundation
import PatrolFixtures
import PatrolTestSupport
import Testing
@testable import PatrolReport

/// Reads RFC 4180 CSV back: the records and their fields. The byte order mark must come first.
func parseCSV(_ text: String) throws -> [[String]] { try CSVRecords.parse(text) }

@Suite struct ReportCSVTests {
    let report = CraftedReport.report

    @Test func cameras() throws {
        let records = try parseCSV(ReportCSV.cameras(report, language: .en))
        #expect(records[0] == ["day", "camera_id", "venue_id", "venue_name", "tier", "supervisor", "placement", "verdict",
                               "online_percent", "frozen_or_black_minutes", "watched_hours", "probes", "main_failure", "reason",
                               "clock_offset_seconds"])
        #expect(records.count == 1 + report.cameras.count)
        #expect(records.allSatisfy { $0.count == 15 })
        #expect(records[1] == ["2026-11-21", "C00002", "V0001", "平安宾馆", "general", "", "interior", "failed", "12.5", "0", "24.0",
                               "96", "black", CraftedReport.blackReason, ""])
        let chaoyang = try #require(records.first { $0[1] == "C00010" })
        #expect(chaoyang[3] == "朝阳旅舍, \"A\"座")
        #expect(chaoyang[13] == CraftedReport.quotedReason)
        #expect(records.first { $0[1] == "C00120" }?[3] == "'=HYPERLINK(\"http://x\")", "a formula is not run")
    }

    @Test func quotingFollowsRFC4180() {
        let csv = ReportCSV.cameras(report, language: .en)
        #expect(csv.contains(",\"朝阳旅舍, \"\"A\"\"座\","))
        #expect(csv.contains(",\"online 91.6% of 24.0 h watched (needs 95%), mostly \"\"timeout\"\"\nthen refused\","))
        #expect(ReportCSV.field("plain") == "plain")
        #expect(ReportCSV.field("平安宾馆") == "平安宾馆")
        #expect(ReportCSV.field("a,b") == "\"a,b\"")
        #expect(ReportCSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ReportCSV.field("one\r\ntwo") == "\"one\r\ntwo\"")
    }

    @Test func venues() throws {
        let records = try parseCSV(ReportCSV.venues(report, language: .en))
        #expect(records[0] == ["day", "venue_id", "venue_name", "kind", "tier", "supervisor", "verdict", "standing", "deadline", "reason",
                               "failures", "commended"])
        #expect(records.count == 1 + report.venues.count)
        #expect(records[1] == ["2026-11-21", "V0001", "平安宾馆", "hotel", "general", "", "failed", "ordered", "2026-11-24",
                               CraftedReport.orderReason, "0", "false"])
        #expect(records.first { $0[1] == "V0004" }?[5] == "张伟 (一组)")
        #expect(records.first { $0[1] == "V0012" }?[6] == "", "a venue not judged has no verdict")
    }

    @Test func maintenance() throws {
        let records = try parseCSV(ReportCSV.maintenance(report, timeZone: CraftedReport.zone, language: .en))
        #expect(records == [
            ["day", "camera_id", "venue_id", "venue_name", "address", "down_since", "reason"],
            ["2026-11-21", "C00031", "V0004", "温馨公寓", "长安街1号, 东门", "2026-11-19T14:05:00+08:00",
             "online 0% of 24.0 h watched (needs 95%), mostly refused"],
            ["2026-11-21", "C00051", "V0005", "星空网吧", "解放路88号", "2026-11-21T03:40:00+08:00",
             "online 60.2% of 24.0 h watched (needs 95%), mostly timeout"],
        ])
    }

    @Test func attachments() {
        #expect(ReportCSV.attachments(report, language: .en).map(\.filename)
            == ["patrol-cameras-2026-11-21.csv", "patrol-venues-2026-11-21.csv", "patrol-ledger-2026-11-21.csv",
                "patrol-registration-2026-11-21.csv", "patrol-maintenance-2026-11-21.csv"])
        #expect(ReportCSV.attachments(report, for: .maintenance, language: .en).map(\.filename) == ["patrol-maintenance-2026-11-21.csv"])
        for attachment in ReportCSV.attachments(report, language: .en) {
            #expect(attachment.contentType == "text/csv; charset=utf-8")
            #expect(Array(attachment.data.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 byte order mark")
        }
    }

    @Test func anEmptyDayHasItsHeaders() throws {
        #expect(try parseCSV(ReportCSV.maintenance(emptyDay(), language: .en)).count == 1)
        #expect(try parseCSV(ReportCSV.cameras(emptyDay(), language: .en)).count == 2)
    }
}
