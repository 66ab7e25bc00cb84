import Foundation
import PatrolFixtures
import Testing
@testable import PatrolReport

@Suite struct AudienceTests {
    let report = CraftedReport.report
    /// Venues supervised by 张伟 and everyone else's, as the crafted day has them.
    let his = ["温馨公寓", "东方公寓", "锦绣网吧", "吉祥宾馆"]
    let others = ["平安宾馆", "朝阳旅舍", "script", "星空网吧", "老街旅社", "和平出租屋", "如意宾馆", "HYPERLINK"]

    @Test func aSupervisorSeesOnlyTheirVenues() throws {
        let audience = ReportAudience.supervisor(CraftedReport.zhang)
        let text = ReportText.render(report, for: audience, timeZone: CraftedReport.zone, language: .en)
        let html = ReportHTML.render(report, for: audience, timeZone: CraftedReport.zone, language: .en)
        let csv = ReportCSV.attachments(report, for: audience, language: .en).map { String(decoding: $0.data, as: UTF8.self) }.joined()
        for body in [text, html] {
            for name in his { #expect(body.contains(name), "\(name)") }
            for name in others { #expect(!body.contains(name), "\(name)") }
            #expect(body.contains("whole district"), "a district-wide waiver concerns every venue")
            #expect(!body.contains("Maintenance list"))
        }
        for name in others { #expect(!csv.contains(name), "\(name)") }
        #expect(text.contains("For 张伟 (一组): the venues you supervise."))
        #expect(text.contains("Your venues: 4 of 5 cameras compliant (interior 100.0%)"))
        #expect(text.contains("District: 1,502 of 1,580 cameras compliant (interior 95.1%, +0.4 from yesterday)"))
        let ladder = try #require(text.components(separatedBy: "\n").first { $0.hasPrefix("on the ladder") })
        #expect(words(ladder) == ["on", "the", "ladder", "2", "1", "1", "0", "0"])
        #expect(listing(text, "Due today, 2026-11-22").count == 2)
        #expect(try parseCSV(ReportCSV.venues(report, for: audience, language: .en)).map { $0[1] } == ["venue_id", "V0004", "V0009", "V0010", "V0011"])
    }

    @Test func theMaintenanceTeamSeesOnlyItsList() throws {
        let text = ReportText.render(report, for: .maintenance, timeZone: CraftedReport.zone, language: .en)
        let html = ReportHTML.render(report, for: .maintenance, timeZone: CraftedReport.zone, language: .en)
        #expect(text.hasPrefix("Patrol maintenance list 2026-11-21\n"))
        #expect(text.contains("\n15 of 320 perimeter cameras down (yesterday 12)\n"))
        #expect(text.contains("C00031  V0004  温馨公寓  长安街1号, 东门  2026-11-19 14:05  2 d 9 h"))
        #expect(text.contains("C00051  V0005  星空网吧"))
        #expect(text.contains("Failed cameras by cause: refused 1"))
        for body in [text, html] {
            #expect(body.contains("Maintenance list"))
            for absent in ["What happened", "What is due", "Priority venues", "Repeat offenders", "Commendations", "Ledger",
                           "LEDGER", "Interior", "ladder", "平安宾馆", "老街旅社", "吉祥宾馆"] {
                #expect(!body.contains(absent), "\(absent)")
            }
        }
        #expect(html.contains(">15 of 320 perimeter cameras down (yesterday 12)</p>"))
        #expect(try parseCSV(ReportCSV.cameras(report, for: .maintenance, language: .en)).dropFirst().map { $0[6] } == ["perimeter"])
        #expect(try parseCSV(ReportCSV.venues(report, for: .maintenance, language: .en)).count == 1)
    }

    @Test func theOfficeSeesEverything() {
        let text = ReportText.render(report, for: .office, timeZone: CraftedReport.zone, language: .en)
        for name in his + ["平安宾馆", "星空网吧", "老街旅社", "和平出租屋", "如意宾馆"] { #expect(text.contains(name), "\(name)") }
        #expect(report.supervisors == [CraftedReport.zhang, CraftedReport.li].sorted())
    }
}
