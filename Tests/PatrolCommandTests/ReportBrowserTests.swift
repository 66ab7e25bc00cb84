import Foundation
import PatrolTestSupport
import Testing

/// The daily report's HTML as a mail reader's engine draws it: headless Chromium (Debian's
/// chromium and chromium-driver), with a CJK font installed and with none. The screenshots stay
/// in the temporary folder the test names in its output.
@Suite("The report's HTML in a real browser, with and without a CJK font")
struct ReportBrowserTests {
    @Test("with a CJK font every Chinese heading, cell, paragraph and chart label is drawn in it; without one the layout still fits the window")
    func fonts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-browser-\(UUID().uuidString)")
        let preview = try CommandRun("patrol-bench", ["report-preview", "--out", folder.path])
        #expect(preview.status == 0, "\(preview.all)")
        for audience in ["office", "supervisor", "maintenance"] {
            let page = folder.appendingPathComponent("\(audience).html")
            let cjk = try RenderedPage.render(page, screenshot: folder.appendingPathComponent("\(audience).png"), fonts: .system)
            #expect(cjk.lang == "zh-CN")
            for selector in ["h1", "h2", "table th", "table td", "p"] {
                let drawn = cjk.fonts[selector] ?? [:]
                #expect(!drawn.isEmpty, "\(audience): no \(selector)")
                // Every glyph of the Chinese report's text (digits and Latin included) from a CJK font.
                #expect(drawn.keys.allSatisfy(RenderedPage.cjkFamilies.contains), "\(audience) \(selector): \(drawn)")
            }
            if audience == "office" {
                #expect(cjk.svgCharts == 2, "the 30-day trend charts")
                #expect((cjk.fonts["svg text"] ?? [:]).keys.allSatisfy(RenderedPage.cjkFamilies.contains), "\(cjk.fonts)")
            }
            #expect(cjk.pageWidth <= cjk.viewport && cjk.widestTable <= cjk.viewport && cjk.tooWide.isEmpty,
                    "\(audience): \(cjk.pageWidth) of \(cjk.viewport), \(cjk.tooWide)")

            let latin = try RenderedPage.render(page, screenshot: folder.appendingPathComponent("\(audience)-no-cjk.png"), fonts: .latin)
            let families = Set(latin.fonts.values.flatMap(\.keys))
            #expect(families.isDisjoint(with: RenderedPage.cjkFamilies), "\(families)")
            #expect(latin.pageWidth <= latin.viewport && latin.tooWide.isEmpty, "\(audience): \(latin.pageWidth), \(latin.tooWide)")
        }
        print("screenshots: \(folder.path)")
    }
}
