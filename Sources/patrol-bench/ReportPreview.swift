import ArgumentParser
import Foundation
import PatrolFixtures
import PatrolOutput
import PatrolReport

/// Writes the daily report of a crafted day (`CraftedReport`: every section filled, Chinese
/// names, names that are markup or a formula, a failed ledger check) for a person to look at:
/// each audience's HTML and plain text, and the CSV attachments. scripts/report-preview
/// screenshots the HTML.
struct ReportPreview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report-preview",
        abstract: "Write the daily report of a crafted day as text, HTML and CSV (for scripts/report-preview).",
        discussion: "Writes office, supervisor and maintenance .html and .txt, and the CSV attachments; prints each file's path."
    )

    @Option(help: "Folder to write into; made when missing. Default: patrol-report-preview in the temporary folder.")
    var out: String?

    func run() throws {
        try BenchFailure.reporting(write)
    }

    private func write() throws {
        let folder = out.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("patrol-report-preview")
        let report = CraftedReport.report, zone = CraftedReport.zone
        var files: [(name: String, data: Data)] = []
        for (name, audience) in [("office", ReportAudience.office), ("supervisor", .supervisor(CraftedReport.zhang)),
                                 ("maintenance", .maintenance)] {
            files.append(("\(name).html", Data(ReportHTML.render(report, for: audience, timeZone: zone).utf8)))
            files.append(("\(name).txt", Data(ReportText.render(report, for: audience, timeZone: zone).utf8)))
        }
        // The office's attachments: every table, the maintenance list included.
        for attachment in ReportCSV.attachments(report, timeZone: zone) {
            files.append((attachment.filename, attachment.data))
        }
        // A folder or file that cannot be written is said in one line, exit 74 (`BenchFailure.reporting`).
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in files {
            try file.data.write(to: folder.appendingPathComponent(file.name))
        }
        try Output.line(files.map { folder.appendingPathComponent($0.name).path }.joined(separator: "\n"))
    }
}
