import Foundation
import PatrolLedger
import PatrolSettings
import PatrolStore

/// The daily report as one self-contained HTML document, for the text/html part of the e-mail.
///
/// Built for mail readers rather than browsers: layout by tables, every style inline (Gmail and
/// others drop `<style>` blocks), bars as coloured table cells, no scripts, images, fonts or
/// other resources to fetch, 760 px wide at most and fluid below. It declares its language
/// (`lang="zh-CN"` or `en`) and names fonts a Windows or Linux mail reader has for Chinese
/// ("Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", SimSun). The
/// trend is a small inline SVG chart, its figures in a line above it. All text from the data (venue
/// names, addresses, reasons, operators' names) is escaped. The pictures of new orders are the
/// one exception to "nothing to fetch": each is attached to the message itself (`cid:`), never
/// a remote address.
public enum ReportHTML {
    /// Rows shown per table. Past it the table says how many more there are and names the
    /// attachment that holds them all (the text version lists every row too, but mail readers
    /// hide it). It keeps a day with hundreds of steps under the size at which Gmail clips a
    /// message (102 KB) and hides the rest behind a link, in Chinese as in English.
    public static let rowLimit = 20

    public static func render(_ report: DailyReport, for audience: ReportAudience = .office,
                              timeZone: TimeZone = DailyPatrolSettings().timeZone, language: ReportLanguage = .zhCN) -> String {
        let layout = ReportLayout(report, for: audience, timeZone: timeZone, language: language)
        let words = layout.words, font = "font-family:\(words.fontFamily)"
        var html = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(report.subject(for: audience, language: language)))</title>
            </head>
            <body style="margin:0;padding:0;background:#eef0f3;\(font)">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#eef0f3">
            <tr><td align="center" style="padding:16px 8px">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:760px;background:#ffffff;border:1px solid #d5d9e0;\(font);\(text)">
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
        let table = { (inner: String, top: Int) in self.table(inner, top: top, font: font) }
        for section in layout.sections {
            html += "<h2 style=\"margin:28px 0 6px;padding-bottom:4px;border-bottom:2px solid #1a2533;font-size:16px;color:#1a2533\">\(escape(section.heading))</h2>\n"
            for line in section.lines {
                html += section.alarming ? alarm(line) : "<p style=\"margin:0 0 6px;color:#5b6675;font-size:13px\">\(escape(line))</p>\n"
            }
            if let trend = section.chart {
                html += chart(trend, words: words)
            } else {
                for listing in section.listings { html += self.listing(listing, words: words, table: table) }
            }
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
        ReportLayout(report, for: audience, timeZone: timeZone, language: .en).pictures.prefix(rowLimit).map(\.sha256)
    }

    // MARK: Pieces

    /// What the camera showed, for each new order: a picture attached to the mail.
    static func pictures(_ layout: ReportLayout) -> String {
        let words = layout.words
        var html = "<p style=\"margin:12px 0 6px;font-weight:bold;font-size:14px\">\(escape(words.phrase(.picturesOfNewOrders)))</p>\n"
        for (event, sha) in layout.pictures.prefix(rowLimit) {
            let venue = [event.venue?.id, event.venue?.name].compactMap { $0 }.joined(separator: " ")
            let caption = words.pictureCaption(seq: event.seq, venue: venue, sha256: sha)
            html += "<p style=\"margin:0 0 10px;font-size:12px;color:#5b6675\"><img src=\"cid:\(contentID(sha))\" width=\"320\" "
                + "alt=\"\(escape(caption))\" style=\"display:block;max-width:100%;height:auto;border:1px solid #d5d9e0\">"
                + "\(escape(caption))</p>\n"
        }
        return html
    }

    static let text = "font-size:14px;line-height:1.45;color:#1f2933"

    static let colours: [Verdict: String] = [.compliant: "#2f855a", .failed: "#c53030", .unknown: "#a0aec0", .waived: "#3182ce"]

    static let standingColours: [Standing: String] = [
        .clean: "#2f855a", .ordered: "#d69e2e", .warned: "#dd6b20", .suspended: "#c53030", .closed: "#2d3748",
    ]

    static let track = "#e2e6ec"

    static func alarm(_ text: String) -> String {
        "<p style=\"margin:14px 0;padding:10px 12px;background:#fde8e8;border-left:4px solid #c53030;color:#7b1d1d;font-weight:bold\">\(escape(text))</p>\n"
    }

    /// A table of rows. The fonts are named again on it: Outlook does not hand them down into tables.
    static func table(_ inner: String, top: Int = 8, font: String) -> String {
        "<table width=\"100%\" cellpadding=\"4\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;margin-top:\(top)px;font-size:13px;\(font)\">\n\(inner)</table>\n"
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
        let words = layout.words, font = "font-family:\(words.fontFamily)"
        let verdicts = ReportLayout.verdicts
        var rows = header([(words.phrase(.camerasColumn), false), ("", false)] + verdicts.map { (words.verdict($0), true) }
                          + [(words.phrase(.totalColumn), true)])
        for (index, row) in layout.figures.enumerated() {
            let segments = verdicts.map { (row.counts[$0] ?? 0, colours[$0]!) }
            rows += "<tr\(stripe(index))><td nowrap>\(escape(row.label))</td><td width=\"38%\">\(bar(segments, of: row.total))</td>"
                + verdicts.map { "<td align=\"right\">\(grouped(row.counts[$0] ?? 0))</td>" }.joined()
                + "<td align=\"right\"><b>\(grouped(row.total))</b></td></tr>\n"
        }
        var html = table(rows, top: 12, font: font)
        html += "<p style=\"margin:4px 0 0;font-size:12px;color:#5b6675\">"
            + verdicts.map { "<span style=\"color:\(colours[$0]!)\">&#9632;</span> \(escape(words.verdict($0)))" }.joined(separator: " &nbsp; ")
            + "</p>\n"
        guard let most = layout.failedBy.first?.count else {
            return html + "<p style=\"margin:10px 0 0;font-size:13px\">\(escape(words.failedByCause([])))</p>\n"
        }
        var causes = header([(words.phrase(.failedCamerasByCause), false), ("", false), (words.phrase(.camerasUnit), true)])
        for (index, cause) in layout.failedBy.enumerated() {
            causes += "<tr\(stripe(index))><td nowrap>\(escape(words.outcome(cause.outcome)))</td>"
                + "<td width=\"60%\">\(bar([(cause.count, colours[.failed]!)], of: most))</td>"
                + "<td align=\"right\">\(grouped(cause.count))</td></tr>\n"
        }
        return html + table(causes, top: 12, font: font)
    }

    static func standings(_ layout: ReportLayout) -> String {
        let words = layout.words
        let whole = layout.standings.reduce(0) { $0 + $1.count }
        var rows = header([(words.phrase(.venuesOnTheLadder), false), ("", false), (words.phrase(.venuesUnit), true)])
        for (index, entry) in layout.standings.enumerated() {
            rows += "<tr\(stripe(index))><td nowrap>\(escape(words.standing(entry.standing)))</td>"
                + "<td width=\"60%\">\(bar([(entry.count, standingColours[entry.standing]!)], of: whole))</td>"
                + "<td align=\"right\">\(grouped(entry.count))</td></tr>\n"
        }
        return table(rows, top: 12, font: "font-family:\(words.fontFamily)")
    }

    static func listing(_ listing: ReportLayout.Listing, words: any ReportWords, table: (String, Int) -> String) -> String {
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
                // A Latin word never breaks: an identifier or a number needs no nowrap; Chinese may break anywhere.
                let breaks = pair.1.contains { $0 == " " || !$0.isASCII }
                let attributes = (pair.0.numeric ? " align=\"right\"" : "") + (position < cells.count - 1 && breaks ? " nowrap" : "")
                return "<td\(attributes)>\(escape(pair.1))</td>"
            }.joined() + "</tr>\n"
        }
        let more = listing.rows.count - limit
        if more > 0 {
            // Mail readers show the HTML and hide the text part: the attachment is where the rest is.
            rows += "<tr><td colspan=\"\(listing.columns.count)\" style=\"color:#5b6675\">"
                + "\(escape(words.more(more, attachment: listing.attachment)))</td></tr>\n"
        }
        return html + table(rows, 4)
    }

    // MARK: The trend

    static let chartWidth = 712

    /// The trend as two small inline SVG charts (nothing fetched: mail readers block remote
    /// images): the interior cameras' compliance as a line, the venues on each step of the
    /// ladder as stacked columns, one a patrolled day, the first and last day named under them.
    static func chart(_ trend: [DailyReport.TrendDay], words: any ReportWords) -> String {
        let width = Double(chartWidth), left = 44.0, right = 8.0, plot = width - left - right
        let step = trend.count > 1 ? plot / Double(trend.count - 1) : 0
        let font = "font-family=\"\(words.fontFamily)\" font-size=\"11\" fill=\"#5b6675\""
        func x(_ index: Int) -> Double { left + Double(index) * step }
        func number(_ value: Double) -> String { String(Int(value.rounded())) }
        func svg(height: Int, label: String, _ body: String) -> String {
            "<svg width=\"\(chartWidth)\" height=\"\(height)\" viewBox=\"0 0 \(chartWidth) \(height)\" "
                + "role=\"img\" aria-label=\"\(escape(label))\" style=\"display:block;max-width:100%;height:auto;margin-top:6px\">"
                + "<title>\(escape(label))</title>\(body)</svg>\n"
        }
        func days(_ baseline: Double) -> String {
            "<text x=\"\(number(left))\" y=\"\(number(baseline))\" \(font)>\(escape(words.day(trend[0].day)))</text>"
                + "<text x=\"\(number(width - right))\" y=\"\(number(baseline))\" text-anchor=\"end\" \(font)>"
                + "\(escape(words.day(trend[trend.count - 1].day)))</text>"
        }

        // Compliance: from a little under the lowest day to 100%.
        let rates = trend.map(\.interiorCompliance)
        let lowest = ((rates.compactMap { $0 }.min() ?? 1) * 100 - 1).rounded(.down)
        let floor = max(0, min(lowest, 99)), top = 10.0, bottom = 100.0
        func y(_ rate: Double) -> Double { bottom - (rate * 100 - floor) / (100 - floor) * (bottom - top) }
        let points = rates.enumerated().compactMap { index, rate in rate.map { "\(number(x(index))),\(number(y($0)))" } }
        var line = "<line x1=\"\(number(left))\" y1=\"\(number(top))\" x2=\"\(number(width - right))\" y2=\"\(number(top))\" stroke=\"\(track)\"/>"
            + "<line x1=\"\(number(left))\" y1=\"\(number(bottom))\" x2=\"\(number(width - right))\" y2=\"\(number(bottom))\" stroke=\"\(track)\"/>"
            + "<text x=\"\(number(left - 4))\" y=\"\(number(top + 4))\" text-anchor=\"end\" \(font)>100%</text>"
            + "<text x=\"\(number(left - 4))\" y=\"\(number(bottom + 4))\" text-anchor=\"end\" \(font)>\(Int(floor))%</text>"
            + "<polyline fill=\"none\" stroke=\"\(colours[.compliant]!)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
        line += days(bottom + 16)
        var html = "<p style=\"margin:8px 0 0;font-size:13px;font-weight:bold\">\(escape(words.phrase(.trendCompliance)))</p>\n"
        html += svg(height: 122, label: words.phrase(.trendCompliance), line)

        // The venues on the steps of the ladder, stacked: ordered, warned, suspended, closed.
        let steps: [Standing] = [.ordered, .warned, .suspended, .closed]
        let most = max(1, trend.map { day in steps.reduce(0) { $0 + (day.standings[$1] ?? 0) } }.max() ?? 1)
        let barWidth = max(2, min(16, step * 0.6))
        var columns = "<line x1=\"\(number(left))\" y1=\"\(number(bottom))\" x2=\"\(number(width - right))\" y2=\"\(number(bottom))\" stroke=\"\(track)\"/>"
            + "<text x=\"\(number(left - 4))\" y=\"\(number(top + 4))\" text-anchor=\"end\" \(font)>\(grouped(most))</text>"
            + "<text x=\"\(number(left - 4))\" y=\"\(number(bottom + 4))\" text-anchor=\"end\" \(font)>0</text>"
        // One path a step: a closed rectangle a day, stacked on the steps below it.
        var paths: [Standing: String] = [:], bases = trend.map { _ in bottom }
        for (index, day) in trend.enumerated() {
            for standing in steps {
                let count = day.standings[standing] ?? 0
                guard count > 0 else { continue }
                let summit = (bases[index] - Double(count) / Double(most) * (bottom - top)).rounded()
                paths[standing, default: ""] += "M\(number(x(index) - barWidth / 2)) \(number(summit))h\(number(barWidth))"
                    + "V\(number(bases[index]))h-\(number(barWidth))z"
                bases[index] = summit
            }
        }
        for standing in steps {
            if let path = paths[standing] { columns += "<path fill=\"\(standingColours[standing]!)\" d=\"\(path)\"/>" }
        }
        columns += days(bottom + 16)
        html += "<p style=\"margin:10px 0 0;font-size:13px;font-weight:bold\">\(escape(words.phrase(.trendVenues)))</p>\n"
        html += svg(height: 122, label: words.phrase(.trendVenues), columns)
        html += "<p style=\"margin:2px 0 0;font-size:12px;color:#5b6675\">"
            + steps.map { "<span style=\"color:\(standingColours[$0]!)\">&#9632;</span> \(escape(words.standing($0)))" }
                .joined(separator: " &nbsp; ") + "</p>\n"
        return html
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
