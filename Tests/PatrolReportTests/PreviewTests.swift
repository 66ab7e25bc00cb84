import Foundation
import Testing
@testable import PatrolReport

/// Writes the crafted day's report for a person to look at, when `PATROL_REPORT_PREVIEW` names
/// a folder (scripts/report-preview): for each audience its HTML and plain text, and the CSV
/// attachments.
@Suite struct PreviewTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PATROL_REPORT_PREVIEW"] != nil))
    func writePreview() throws {
        let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["PATROL_REPORT_PREVIEW"]!)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let report = Crafted.report
        for (name, audience) in [("office", ReportAudience.office), ("supervisor", .supervisor(Crafted.zhang)),
                                 ("maintenance", .maintenance)] {
            try ReportHTML.render(report, for: audience, timeZone: shanghai)
                .write(to: folder.appendingPathComponent("\(name).html"), atomically: true, encoding: .utf8)
            try ReportText.render(report, for: audience, timeZone: shanghai)
                .write(to: folder.appendingPathComponent("\(name).txt"), atomically: true, encoding: .utf8)
        }
        for attachment in ReportCSV.attachments(report) + ReportCSV.attachments(report, for: .maintenance, timeZone: shanghai) {
            try attachment.data.write(to: folder.appendingPathComponent(attachment.filename))
        }
    }
}
