import Foundation
import PatrolLedger
import PatrolSettings
import PatrolStore

/// The daily report as plain UTF-8 text: for a terminal (`patrol report`) and the text/plain part
/// of the e-mail. Columns align by display width, so Chinese venue names line up; every list is
/// there, even when empty, saying so in a line.
public enum ReportText {
    public static func render(_ report: DailyReport, for audience: ReportAudience = .office,
                              timeZone: TimeZone = DailyPatrolSettings().timeZone, language: ReportLanguage = .zhCN) -> String {
        let layout = ReportLayout(report, for: audience, timeZone: timeZone, language: language)
        let words = layout.words
        var lines = underlined(layout.title, with: "=")
        lines.append(layout.audienceLine)
        for alert in layout.alerts { lines += ["", "!! " + alert] }
        lines.append("")
        lines += layout.headline
        lines.append("")
        lines += table(columns: [ReportLayout.Column(title: words.phrase(.camerasColumn))]
                           + ReportLayout.verdicts.map { ReportLayout.Column(title: words.verdict($0), numeric: true) }
                           + [ReportLayout.Column(title: words.phrase(.totalColumn), numeric: true)],
                       rows: layout.figures.map { row in
                           [row.label] + ReportLayout.verdicts.map { grouped(row.counts[$0] ?? 0) } + [grouped(row.total)]
                       })
        lines.append(words.failedByCause(layout.failedBy))
        if !layout.standings.isEmpty {
            lines.append("")
            lines += table(columns: [ReportLayout.Column(title: words.phrase(.venuesColumn))]
                               + layout.standings.map { ReportLayout.Column(title: words.standing($0.standing), numeric: true) },
                           rows: [[words.phrase(.onTheLadder)] + layout.standings.map { grouped($0.count) }])
        }
        for section in layout.sections {
            lines.append("")
            lines += underlined(section.heading, with: "-")
            lines += section.lines.map { section.alarming ? "!! " + $0 : $0 }
            for listing in section.listings {
                if let heading = listing.heading {
                    lines += ["", heading + words.colon]
                }
                lines += listing.rows.isEmpty ? ["  " + listing.empty]
                    : table(columns: listing.columns, rows: listing.rows).map { "  " + $0 }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func underlined(_ heading: String, with mark: Character) -> [String] {
        [heading, String(repeating: mark, count: heading.displayWidth)]
    }

    /// Rows under a header, columns two spaces apart and aligned by display width. Cells in a
    /// column with a `maxWidth` are cut to it; the last column runs on unpadded.
    static func table(columns: [ReportLayout.Column], rows: [[String]]) -> [String] {
        let cut = rows.map { row in
            row.enumerated().map { index, cell in
                let flat = cell.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
                guard index < columns.count - 1, let limit = columns[index].maxWidth else { return flat }
                return DisplayWidth.truncate(flat, to: limit)
            }
        }
        let widths = columns.indices.map { index in
            ([columns[index].title] + cut.map { $0[index] }).map(\.displayWidth).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let last = index == cells.count - 1
                if columns[index].numeric { return DisplayWidth.pad(cell, to: widths[index], leading: true) }
                return last ? cell : DisplayWidth.pad(cell, to: widths[index])
            }.joined(separator: "  ").replacingOccurrences(of: " +$", with: "", options: .regularExpression)
        }
        return [line(columns.map(\.title))] + cut.map(line)
    }
}
