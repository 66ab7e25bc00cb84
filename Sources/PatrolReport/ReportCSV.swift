import Foundation
import PatrolLedger
import PatrolMail
import PatrolSettings
import PatrolStore

/// The report's rows as CSV attachments: one row per camera, one per venue, one per ledger
/// entry since the previous patrol, one per registration system, and the maintenance list. The
/// HTML shows at most a screenful of each list and names the attachment that has them all.
///
/// In Chinese the headers and the values people read (verdicts, steps, tiers) are Chinese and
/// the reasons put into Chinese; identifiers (camera, venue and system IDs) and the day stay as
/// they are. In English the headers are the columns' identifiers and the values theirs.
///
/// RFC 4180: a header row, fields separated by commas, lines ended by CRLF, a field with a
/// comma, quote, CR or LF in double quotes with its quotes doubled. Days are ISO 8601
/// (`2026-11-21`), times ISO 8601 with the district's offset. Each file starts with a UTF-8
/// byte order mark: without it Excel and WPS on a Chinese Windows read a CSV as the ANSI code
/// page (GBK) and show the venue names as mojibake; with it they read UTF-8. Other readers skip it.
public enum ReportCSV {
    /// The attachments, by what they hold.
    public enum Table: String, Sendable, CaseIterable {
        case cameras, venues, ledger, registration, maintenance

        /// `patrol-cameras-2026-11-21.csv`.
        public func filename(_ day: PatrolDay) -> String { "patrol-\(rawValue)-\(day).csv" }
    }

    /// Every column of every table, by its identifier (the English header).
    public enum Column: String, Sendable, CaseIterable {
        case day, cameraID = "camera_id", venueID = "venue_id", venueName = "venue_name", tier, supervisor, placement, verdict
        case onlinePercent = "online_percent", frozenOrBlackMinutes = "frozen_or_black_minutes", watchedHours = "watched_hours"
        case probes, mainFailure = "main_failure", reason, clockOffset = "clock_offset_seconds", kind, standing, deadline
        case failures, commended, systemID = "system_id", offlineMinutes = "offline_minutes"
        case longestWaitMinutes = "longest_wait_minutes", waiting, stuckSince = "stuck_since", uploaded, quiet
        case lastError = "last_error", address, downSince = "down_since", seq, step, actor
    }

    /// One row per camera, with its day's verdict and figures.
    public static func cameras(_ report: DailyReport, for audience: ReportAudience = .office,
                               language: ReportLanguage = .zhCN) -> String {
        let words = language.words
        let rows = audience.scope(report).cameras.filter { audience != .maintenance || $0.placement == .perimeter }.map { camera in
            [report.day.description, camera.cameraID, camera.venue.id, text(camera.venue.name), words.tier(camera.venue.tier),
             text(camera.venue.supervisor ?? ""), words.placement(camera.placement), words.verdict(camera.verdict),
             String(format: "%.1f", camera.onlinePercent), "\(camera.frozenOrBlackMinutes)", String(format: "%.1f", camera.watchedHours),
             "\(camera.probes)", camera.mainFailure.map(words.outcome) ?? "", text(words.reason(camera.reason)),
             camera.clockOffset.map { String(format: "%.0f", $0) } ?? ""]
        }
        return document([.day, .cameraID, .venueID, .venueName, .tier, .supervisor, .placement, .verdict, .onlinePercent,
                         .frozenOrBlackMinutes, .watchedHours, .probes, .mainFailure, .reason, .clockOffset],
                        rows: rows, words: words)
    }

    /// One row per venue: its day's verdict and where it stands on the ladder.
    public static func venues(_ report: DailyReport, for audience: ReportAudience = .office, language: ReportLanguage = .zhCN) -> String {
        let words = language.words
        let rows = (audience == .maintenance ? [] : audience.scope(report).venues).map { row in
            [report.day.description, row.venue.id, text(row.venue.name), words.venueKind(row.kind), words.tier(row.venue.tier),
             text(row.venue.supervisor ?? ""), row.verdict.map(words.verdict) ?? "", words.standing(row.standing),
             row.deadline?.description ?? "", text(words.reason(row.reason)), "\(row.failures)", words.yesNo(row.commended)]
        }
        return document([.day, .venueID, .venueName, .kind, .tier, .supervisor, .verdict, .standing, .deadline, .reason, .failures,
                         .commended],
                        rows: rows, words: words)
    }

    /// One row per ledger entry since the previous patrol: every step of "what happened".
    public static func ledger(_ report: DailyReport, for audience: ReportAudience = .office, language: ReportLanguage = .zhCN) -> String {
        let words = language.words
        let rows = (audience == .maintenance ? [] : audience.scope(report).events).map { event in
            [event.day.description, "\(event.seq)", event.venue?.id ?? "*", text(event.venue?.name ?? words.phrase(.wholeDistrict)),
             words.step(event.kind), event.deadline?.description ?? "", text(words.actor(event.actor)), text(words.reason(event.line))]
        }
        return document([.day, .seq, .venueID, .venueName, .step, .deadline, .actor, .reason], rows: rows, words: words)
    }

    /// One row per registration system: its day's verdict and figures.
    public static func registration(_ report: DailyReport, for audience: ReportAudience = .office,
                                    timeZone: TimeZone = DailyPatrolSettings().timeZone, language: ReportLanguage = .zhCN) -> String {
        let words = language.words
        let rows = (audience == .maintenance ? [] : audience.scope(report).registration).map { row in
            [report.day.description, row.systemID, row.venue.id, text(row.venue.name), words.tier(row.venue.tier),
             text(row.venue.supervisor ?? ""), words.verdict(row.verdict), text(words.reason(row.reason)),
             String(format: "%.1f", row.onlinePercent), "\(row.offlineMinutes)", "\(row.longestWaitMinutes)", "\(row.waiting)",
             row.stuckSince.map { timestamp($0, in: timeZone) } ?? "", "\(row.uploaded)", words.yesNo(row.quiet),
             text(row.lastError ?? "")]
        }
        return document([.day, .systemID, .venueID, .venueName, .tier, .supervisor, .verdict, .reason, .onlinePercent, .offlineMinutes,
                         .longestWaitMinutes, .waiting, .stuckSince, .uploaded, .quiet, .lastError],
                        rows: rows, words: words)
    }

    /// The perimeter cameras down, where and since when.
    public static func maintenance(_ report: DailyReport, timeZone: TimeZone = DailyPatrolSettings().timeZone,
                                   language: ReportLanguage = .zhCN) -> String {
        let words = language.words
        let rows = report.maintenance.map { item in
            [report.day.description, item.cameraID, item.venue.id, text(item.venue.name), text(item.address),
             timestamp(item.since, in: timeZone), text(words.reason(item.reason))]
        }
        return document([.day, .cameraID, .venueID, .venueName, .address, .downSince, .reason], rows: rows, words: words)
    }

    /// The tables that go with the e-mail for `audience`: the office's and a supervisor's
    /// cameras, venues and ledger entries, the registration systems when the day patrolled any,
    /// and the office's maintenance list; the maintenance team's list alone.
    public static func tables(_ report: DailyReport, for audience: ReportAudience) -> [Table] {
        switch audience {
        case .maintenance: [.maintenance]
        case .office: [.cameras, .venues, .ledger] + (report.registration.isEmpty ? [] : [.registration]) + [.maintenance]
        case .supervisor: [.cameras, .venues, .ledger] + (report.registration.isEmpty ? [] : [.registration])
        }
    }

    /// One table as `audience` gets it.
    public static func table(_ table: Table, of report: DailyReport, for audience: ReportAudience = .office,
                             timeZone: TimeZone = DailyPatrolSettings().timeZone, language: ReportLanguage = .zhCN) -> String {
        switch table {
        case .cameras: cameras(report, for: audience, language: language)
        case .venues: venues(report, for: audience, language: language)
        case .ledger: ledger(report, for: audience, language: language)
        case .registration: registration(report, for: audience, timeZone: timeZone, language: language)
        case .maintenance: maintenance(audience.scope(report), timeZone: timeZone, language: language)
        }
    }

    /// What goes with the e-mail for `audience` (`tables`).
    public static func attachments(_ report: DailyReport, for audience: ReportAudience = .office,
                                   timeZone: TimeZone = DailyPatrolSettings().timeZone,
                                   language: ReportLanguage = .zhCN) -> [MailAttachment] {
        tables(report, for: audience).map { table in
            MailAttachment(filename: table.filename(report.day),
                           data: Data(self.table(table, of: report, for: audience, timeZone: timeZone, language: language).utf8))
        }
    }

    // MARK: RFC 4180

    static let byteOrderMark = "\u{FEFF}"

    static func document(_ columns: [Column], rows: [[String]], words: any ReportWords) -> String {
        byteOrderMark + ([columns.map(words.csvHeader)] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// One field, in double quotes when it holds a comma, a quote, CR or LF.
    static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Free text from the data (names, addresses, reasons): one that a spreadsheet would take
    /// for a formula (`=`, `+`, `-`, `@`) gets a leading apostrophe, so opening the file never
    /// runs anything.
    static func text(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }

    /// `2026-11-19T14:05:00+08:00`.
    static func timestamp(_ date: Date, in zone: TimeZone) -> String {
        let parts = clock(date, in: zone)
        let offset = zone.secondsFromGMT(for: date) / 60
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
                      parts.second!) + (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", abs(offset) / 60, abs(offset) % 60)
    }
}
