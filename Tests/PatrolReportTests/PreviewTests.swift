import Foundation
import Testing
@testable import PatrolReport

/// Writes the crafted day's report for a person to look at, when `PATROL_REPORT_PREVIEW` names
/// the HTML file to write (scripts/report-preview). The plain text goes beside it, as `.txt`.
@Suite struct PreviewTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PATROL_REPORT_PREVIEW"] != nil))
    func writePreview() throws {
        let path = ProcessInfo.processInfo.environment["PATROL_REPORT_PREVIEW"]!
        let report = Crafted.report
        try ReportHTML.render(report, timeZone: shanghai).write(toFile: path, atomically: true, encoding: .utf8)
        let text = URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension("txt")
        try ReportText.render(report, timeZone: shanghai).write(to: text, atomically: true, encoding: .utf8)
    }
}
