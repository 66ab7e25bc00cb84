import Foundation
import PatrolFixtures
import Testing
@testable import PatrolReport

@Suite struct LargeDayTests {
    let report = largeDay()

    @Test func theWholeDistrictOnABadDay() throws {
        #expect(report.cameras.count == 1580)
        #expect(report.venues.count == 320)
        #expect(report.events.count == 491)

        let text = ReportText.render(report, timeZone: CraftedReport.zone, language: .en)
        #expect(text.contains("1,225 of 1,580 cameras compliant (interior 75.0%, the same as yesterday)"))
        // The text lists every step, every due order, every camera down.
        for event in report.events { #expect(text.contains("\n  \(event.seq)  \(event.venue?.id ?? "*") "), "#\(event.seq)") }
        #expect(listing(text, "New rectification orders").count == 151)
        #expect(listing(text, "Due today, 2026-11-22").count + listing(text, "Due tomorrow, 2026-11-23").count == 162)
        #expect(!text.contains("more:"))

        let cameras = ReportCSV.cameras(report, language: .en)
        #expect(cameras.components(separatedBy: "\r\n").dropLast().count == 1581)
        #expect(try parseCSV(cameras).count == 1581)
        #expect(try parseCSV(ReportCSV.venues(report, language: .en)).count == 321)
    }

    /// Gmail clips a message whose HTML passes 102 KB and hides the rest behind "View entire
    /// message"; Outlook and phones slow down on long tables long before that. The HTML shows
    /// at most `ReportHTML.rowLimit` rows a table, so its size has a ceiling whatever the day;
    /// this day fills every table past it and comes to about 71 KB in English, 79 KB in Chinese
    /// (with a registration system at every venue and the trend's charts, about 87 and 95 KB),
    /// leaving room for longer names and reasons.
    @Test func theHTMLStaysUnderGmailsClippingSize() {
        let html = ReportHTML.render(report, timeZone: CraftedReport.zone, language: .en)
        #expect(html.utf8.count < 102 * 1024, "\(html.utf8.count) bytes")
        #expect(html.contains("… and 130 more: the attached patrol-ledger-2026-11-21.csv lists them all."))
        #expect(html.contains("… and 70 more: the attached patrol-venues-2026-11-21.csv lists them all."), "repeat offenders")
        #expect(html.contains("<td nowrap>第1号平安公寓</td>"))
    }

    /// With a registration system at every venue, a hundred of them offline: the text lists every
    /// system, the HTML ten a list, and stays under the clipping size.
    @Test func registrationOnABadDay() throws {
        let report = withRegistration(report)
        let figures = report.registrationFigures
        let counts: [Int] = [figures.total, figures.offline, figures.uploadsStuck, figures.quiet, figures.unknown]
        #expect(counts == [320, 107, 42, 24, 13])
        let text = ReportText.render(report, timeZone: CraftedReport.zone, language: .en)
        #expect(listing(text, "Systems offline").count == 108)
        #expect(listing(text, "Uploads stuck").count == 43)
        #expect(listing(text, "Worth a look").count == 38)
        let html = ReportHTML.render(report, timeZone: CraftedReport.zone, language: .en)
        // The worst ten of each list: the longest offline, the longest stuck.
        for more in [97, 32, 27] { #expect(html.contains("… and \(more) more: the attached patrol-registration-2026-11-21.csv lists them all.")) }
        #expect(html.utf8.count < 102 * 1024, "\(html.utf8.count) bytes")
        #expect(try parseCSV(ReportCSV.registration(report, language: .en)).count == 321)
    }

    /// The Chinese report of the same day, with a registration system at every venue and the
    /// trend's chart: under the clipping size too, each long list pointing at its attachment.
    @Test func inChineseWithTheTrend() throws {
        var report = withRegistration(report)
        report.trend = CraftedReport.trend
        let html = ReportHTML.render(report, timeZone: CraftedReport.zone)
        #expect(html.utf8.count < 102 * 1024, "\(html.utf8.count) bytes")
        #expect(html.components(separatedBy: "<svg ").count == 3, "two charts")
        #expect(html.contains("……另有130条未列出，完整清单见附件 patrol-ledger-2026-11-21.csv。"))
        #expect(html.contains("……另有70条未列出，完整清单见附件 patrol-venues-2026-11-21.csv。"), "repeat offenders")
        #expect(html.contains("……另有97条未列出，完整清单见附件 patrol-registration-2026-11-21.csv。"))
        // The attachments hold every row the HTML leaves out.
        let files = Dictionary(uniqueKeysWithValues: ReportCSV.attachments(report, timeZone: CraftedReport.zone).map {
            ($0.filename, try? parseCSV(String(decoding: $0.data, as: UTF8.self)))
        })
        #expect(files["patrol-ledger-2026-11-21.csv"]??.count == 1 + report.events.count)
        #expect(files["patrol-venues-2026-11-21.csv"]??.filter { $0[10] == "2" }.count == 90, "the repeat offenders' failures")
        #expect(files["patrol-maintenance-2026-11-21.csv"]??.count == 1 + report.maintenance.count)
    }

    @Test func everySupervisorGetsTheirShare() {
        let texts = report.supervisors.map { ReportText.render(report, for: .supervisor($0), timeZone: CraftedReport.zone, language: .en) }
        #expect(texts.count == 4)
        let supervised = report.venues.filter { $0.venue.supervisor != nil }.count
        let counted = report.supervisors.map { report.forSupervisor($0).venues.count }.reduce(0, +)
        #expect(counted == supervised)
    }
}
