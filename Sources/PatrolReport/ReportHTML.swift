import Foundation
import PatrolLedger
import PatrolSettings
import PatrolStore

/// The daily report as one self-contained HTML document, for the text/html part of the e-mail.
///
/// Built for mail readers rather than browsers: layout by tables, every style inline (Gmail and
/// others drop `<style>` blocks), bars as coloured table cells, no scripts, images, fonts or
/// other resources to fetch, 760 px wide at most and fluid below. All text from the data (venue
/// names, addresses, reasons, operators' names) is escaped. The pictures of new orders are the
/// one exception to "nothing to fetch": each is attached to the message itself (`cid:`), never
/// a remote address.
public enum ReportHTML {
    /// Rows shown per table. Past it the table says how many more there are; the text version
    /// lists every row. It keeps a day with hundreds of steps under the size at which Gmail
    /// clips a message (102 KB) and hides the rest behind a link.
    public static let rowLimit = 25

    public static func render(_ report: DailyReport, for audience: ReportAudience = .office,
                              timeZone: TimeZone = DailyPatrolSettings().timeZone) -> String {
        let layout = ReportLayout(report, for: audience, timeZone: timeZone)
        var html = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(report.subject(for: audience)))</title>
            </head>
            <body style="margin:0;padding:0;background:#eef0f3">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#eef0f3">
            <tr><td align="center" style="padding:16px 8px">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:760px;background:#ffffff;border:1px solid #d5d9e0;\(font)">
            <tr><td style="padding:20px 24px">
            <h1 style="margin:0 0 4px;font-size:20px;color:#1a2533">\(escape(layout.title))</h1>
            <p style="margin:0;color:#5b6675;font-size:13px">\(escape(layout.audienceLine))</p>

            """
        for alert in layout.alerts { html += alarm(alert) }
        for (index, line) in layout.headline.enumerated() {
            html += "<p style=\"margin:\(index == 0 ? 18 : 4)px 0 0;font-size:\(index == 0 ? 17 : 14)px;font-weight:bold\">\(escape(line))</p>\n"
        }
        html += figures(layout)
        if !layout.standings.isEmpty { html += standings(layout) }
        for section in layout.sections {
            html += "<h2 style=\"margin:28px 0 6px;padding-bottom:4px;border-bottom:2px solid #1a2533;font-size:16px;color:#1a2533\">\(escape(section.heading))</h2>\n"
            for line in section.lines {
                html += section.alarming ? alarm(line) : "<p style=\"margin:0 0 6px;color:#5b6675;font-size:13px\">\(escape(line))</p>\n"
            }
            for listing in section.listings { html += self.listing(listing) }
            if section.showsPictures, !layout.pictures.isEmpty { html += pictures(layout) }
        }
        html += """
            </td></tr>
            </table>
            </td></tr>
            </table>
            </body>
            </html>

            """
        return html
    }

    /// The Content-ID a picture is attached under.
    public static func contentID(_ sha256: String) -> String { "\(sha256)@patrol" }

    /// The pictures the HTML for `audience` shows (attach each under `contentID`).
    public static func pictures(_ report: DailyReport, for audience: ReportAudience = .office,
                                timeZone: TimeZone = DailyPatrolSettings().timeZone) -> [String] {
        ReportLayout(report, for: audience, timeZone: timeZone).pictures.prefix(rowLimit).map(\.sha256)
    }

    // MARK: Pieces

    /// What the camera showed, for each new order: a picture attached to the mail.
    static func pictures(_ layout: ReportLayout) -> String {
        var html = "<p style=\"margin:12px 0 6px;font-weight:bold;font-size:14px\">\(escape("Pictures of the new orders"))</p>\n"
        for (event, sha) in layout.pictures.prefix(rowLimit) {
            let caption = "#\(event.seq) " + [event.venue?.id, event.venue?.name].compactMap { $0 }.joined(separator: " ")
            html += "<p style=\"margin:0 0 10px;font-size:12px;color:#5b6675\"><img src=\"cid:\(contentID(sha))\" width=\"320\" "
                + "alt=\"\(escape(caption))\" style=\"display:block;max-width:100%;height:auto;border:1px solid #d5d9e0\">"
                + "\(escape(caption)) · SHA-256 \(sha.prefix(16))…</p>\n"
        }
        return html
    }

    static let font = "font-family:'Helvetica Neue',Arial,'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',sans-serif;font-size:14px;line-height:1.45;color:#1f2933"

    static let colours: [Verdict: String] = [.compliant: "#2f855a", .failed: "#c53030", .unknown: "#a0aec0", .waived: "#3182ce"]

    static let standingColours: [Standing: String] = [
        .clean: "#2f855a", .ordered: "#d69e2e", .warned: "#dd6b20", .suspended: "#c53030", .closed: "#2d3748",
    ]

    static let track = "#e2e6ec"

    static func alarm(_ text: String) -> String {
        "<p style=\"margin:14px 0;padding:10px 12px;background:#fde8e8;border-left:4px solid #c53030;color:#7b1d1d;font-weight:bold\">\(escape(text))</p>\n"
    }

    static func table(_ inner: String, top: Int = 8) -> String {
        "<table width=\"100%\" cellpadding=\"4\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;margin-top:\(top)px;font-size:13px\">\n\(inner)</table>\n"
    }

    static func header(_ titles: [(String, Bool)], last: String = "nowrap") -> String {
        "<tr style=\"background:#e8ecf1\">" + titles.enumerated().map { index, column in
            "<th align=\"\(column.1 ? "right" : "left")\" \(index == titles.count - 1 ? last : "nowrap")>\(escape(column.0))</th>"
        }.joined() + "</tr>\n"
    }

    /// A horizontal bar: coloured cells whose widths are the segments' shares of the whole.
    /// Segments of zero are left out; any other is at least 1% wide so it stays visible.
    static func bar(_ segments: [(value: Int, colour: String)], of whole: Int) -> String {
        guard whole > 0 else { return "" }
        var cells: [(width: Int, colour: String)] = segments.filter { $0.value > 0 }.map {
            (max(1, Int((Double($0.value) / Double(whole) * 100).rounded())), $0.colour)
        }
        let used = cells.reduce(0) { $0 + $1.width }
        if used < 100 {
            cells.append((100 - used, track))
        } else if used > 100, let widest = cells.indices.max(by: { cells[$0].width < cells[$1].width }) {
            cells[widest].width -= used - 100
        }
        let tds = cells.map { width, colour in
            "<td width=\"\(width)%\" style=\"background:\(colour);height:12px;font-size:0;line-height:0\">&nbsp;</td>"
        }.joined()
        return "<table width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse\"><tr>\(tds)</tr></table>"
    }

    static func stripe(_ index: Int) -> String { index % 2 == 1 ? " bgcolor=\"#f6f7f9\"" : "" }

    static func figures(_ layout: ReportLayout) -> String {
        let verdicts = ReportLayout.verdicts
        var rows = header([("Cameras", false), ("", false)] + verdicts.map { ($0.rawValue, true) } + [("total", true)])
        for (index, row) in layout.figures.enumerated() {
            let segments = verdicts.map { (row.counts[$0] ?? 0, colours[$0]!) }
            rows += "<tr\(stripe(index))><td nowrap>\(escape(row.label))</td><td width=\"38%\">\(bar(segments, of: row.total))</td>"
                + verdicts.map { "<td align=\"right\">\(grouped(row.counts[$0] ?? 0))</td>" }.joined()
                + "<td align=\"right\"><b>\(grouped(row.total))</b></td></tr>\n"
        }
        var html = table(rows, top: 12)
        html += "<p style=\"margin:4px 0 0;font-size:12px;color:#5b6675\">"
            + verdicts.map { "<span style=\"color:\(colours[$0]!)\">&#9632;</span> \($0.rawValue)" }.joined(separator: " &nbsp; ")
            + "</p>\n"
        guard let most = layout.failedBy.first?.count else {
            return html + "<p style=\"margin:10px 0 0;font-size:13px\">Failed cameras by cause: none.</p>\n"
        }
        var causes = header([("Failed cameras by cause", false), ("", false), ("cameras", true)])
        for (index, cause) in layout.failedBy.enumerated() {
            causes += "<tr\(stripe(index))><td nowrap>\(escape(cause.outcome))</td>"
                + "<td width=\"60%\">\(bar([(cause.count, colours[.failed]!)], of: most))</td>"
                + "<td align=\"right\">\(grouped(cause.count))</td></tr>\n"
        }
        return html + table(causes, top: 12)
    }

    static func standings(_ layout: ReportLayout) -> String {
        let whole = layout.standings.reduce(0) { $0 + $1.count }
        var rows = header([("Venues on the ladder", false), ("", false), ("venues", true)])
        for (index, entry) in layout.standings.enumerated() {
            rows += "<tr\(stripe(index))><td nowrap>\(entry.standing.rawValue)</td>"
                + "<td width=\"60%\">\(bar([(entry.count, standingColours[entry.standing]!)], of: whole))</td>"
                + "<td align=\"right\">\(grouped(entry.count))</td></tr>\n"
        }
        return table(rows, top: 12)
    }

    static func listing(_ listing: ReportLayout.Listing) -> String {
        let html = listing.heading.map { "<h3 style=\"margin:14px 0 2px;font-size:14px;color:#1a2533\">\(escape($0))</h3>\n" } ?? ""
        guard !listing.rows.isEmpty else {
            return html + "<p style=\"margin:2px 0 0;color:#5b6675;font-size:13px\">\(escape(listing.empty))</p>\n"
        }
        // The last column (the evidence, mostly) takes the room the others leave.
        var rows = header(listing.columns.map { ($0.title, $0.numeric) }, last: "width=\"100%\"")
        // Identifiers, names, dates and steps stay on one line; the last column wraps.
        let limit = min(rowLimit, listing.htmlRows ?? rowLimit)
        for (index, cells) in listing.rows.prefix(limit).enumerated() {
            rows += "<tr\(stripe(index)) valign=\"top\">" + zip(listing.columns, cells).enumerated().map { position, pair in
                let attributes = (pair.0.numeric ? " align=\"right\"" : "") + (position < cells.count - 1 ? " nowrap" : "")
                return "<td\(attributes)>\(escape(pair.1))</td>"
            }.joined() + "</tr>\n"
        }
        let more = listing.rows.count - limit
        if more > 0 {
            rows += "<tr><td colspan=\"\(listing.columns.count)\" style=\"color:#5b6675\">… and \(grouped(more)) more: "
                + "the plain-text version of this report lists them all.</td></tr>\n"
        }
        return html + table(rows, top: 4)
    }

    /// Text as HTML: the five characters that could start markup or end an attribute.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
