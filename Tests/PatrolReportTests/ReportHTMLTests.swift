import Foundation
import PatrolFixtures
import Testing
@testable import PatrolReport

/// The widths of each bar (a table of coloured cells) in `html`.
func barWidths(_ html: String) throws -> [[Int]] {
    let bar = try Regex(#"<tr>((?:<td width="\d+%" style="background:[^"]+;height:12px[^"]*">&nbsp;</td>)+)</tr>"#)
    let cell = try Regex(#"width="(\d+)%""#)
    return html.matches(of: bar).map { match in
        String(match.output[1].substring!).matches(of: cell).map { Int($0.output[1].substring!)! }
    }
}

@Suite struct ReportHTMLTests {
    let html = ReportHTML.render(CraftedReport.report, timeZone: CraftedReport.zone, language: .en)

    @Test func aSelfContainedDocument() {
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"))
        #expect(html.hasSuffix("</html>\n"))
        let lower = html.lowercased()
        for banned in ["<script", "<style", "<link", "<img", "src=", "href=", "url(", "@import", "javascript:"] {
            #expect(!lower.contains(banned), "\(banned)")
        }
        #expect(html.contains("<title>Patrol daily report 2026-11-21: LEDGER CHECK FAILED, 3 new orders,"))
    }

    @Test func dataIsEscaped() {
        #expect(html.contains("<td nowrap>&lt;script&gt;alert(1)&lt;/script&gt;网吧</td>"))
        #expect(html.contains("<td nowrap>朝阳旅舍, &quot;A&quot;座</td>"))
        #expect(ReportHTML.escape("a & b <c> \"d\" 'e'") == "a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39;")
    }

    @Test func content() {
        #expect(html.contains(">1,502 of 1,580 cameras compliant (interior 95.1%, +0.4 from yesterday)</p>"))
        #expect(html.contains("LEDGER CHECK FAILED: ledger entry #57 was altered"))
        for heading in ["What happened", "What is due", "Priority venues", "Maintenance list", "Repeat offenders", "Commendations",
                        "Ledger integrity"] {
            #expect(html.contains(">\(heading)</h2>"), "\(heading)")
        }
        // Identifiers and numbers never break; names, dates and words with spaces are kept on one line.
        #expect(html.contains("<td align=\"right\">101</td><td>V0001</td><td nowrap>平安宾馆</td>"))
        #expect(html.contains("<td>*</td><td nowrap>whole district</td><td>2026-11-21</td><td nowrap>王芳</td>"))
        #expect(html.contains("<td>C00031</td><td>V0004</td><td nowrap>温馨公寓</td><td nowrap>长安街1号, 东门</td>"
            + "<td nowrap>2026-11-19 14:05</td>"))
        #expect(html.contains("<td nowrap>timeout</td>"))
    }

    @Test func barsFillTheirWidthExactly() throws {
        let bars = try barWidths(html)
        // Three rows of figures, four causes, five standings.
        #expect(bars.count == 12)
        for bar in bars { #expect(bar.reduce(0, +) == 100, "\(bar)") }
        // Interior: 1,197 compliant, 61 failed, 2 unknown of 1,260; the small share still shows.
        #expect(bars[0] == [94, 5, 1])
    }

    @Test func everySectionOfAnEmptyDaySaysSo() {
        let html = ReportHTML.render(emptyDay(), timeZone: CraftedReport.zone, language: .en)
        for line in ["No ledger entries since the previous patrol.", "No new rectification orders.", "No new warnings.",
                     "No new suspensions.", "No closures.", "No venue rectified.", "No venue reinstated.", "No days waived.",
                     "No other ledger entries.", "Nothing due today.", "Nothing due tomorrow.", "No priority venues.",
                     "No perimeter camera down.", "No repeat offenders.", "No commendations.", "Failed cameras by cause: none."] {
            #expect(html.contains(">\(line)</p>"), "\(line)")
        }
        #expect(!html.contains("LEDGER CHECK FAILED"))
    }
}
