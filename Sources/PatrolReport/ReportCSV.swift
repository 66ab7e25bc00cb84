import Foundation
import PatrolLedger
import PatrolMail
import PatrolSettings
import PatrolStore

/// The report's rows as CSV attachments: one row per camera, one per venue, one per
/// registration system, and for the maintenance team the maintenance list.
///
/// RFC 4180: a header row, fields separated by commas, lines ended by CRLF, a field with a
/// comma, quote, CR or LF in double quotes with its quotes doubled. Days are ISO 8601
/// (`2026-11-21`), times ISO 8601 with the district's offset. Each file starts with a UTF-8
/// byte order mark: without it Excel and WPS on a Chinese Windows read a CSV as the ANSI code
/// page (GBK) and show the venue names as mojibake; with it they read UTF-8. Other readers skip it.
public enum ReportCSV {
    /// One row per camera, with its day's verdict and figures.
    public static func cameras(_ report: DailyReport, for audience: ReportAudience = .office) -> String {
        let scoped = audience.scope(report)
        let rows = scoped.cameras.filter { audience != .maintenance || $0.placement == .perimeter }.map { camera in
            [report.day.description, camera.cameraID, camera.venue.id, text(camera.venue.name), camera.venue.tier.rawValue,
             text(camera.venue.supervisor ?? ""), camera.placement.rawValue, camera.verdict.rawValue,
             String(format: "%.1f", camera.onlinePercent), "\(camera.frozenOrBlackMinutes)", String(format: "%.1f", camera.watchedHours),
             "\(camera.probes)", camera.mainFailure ?? "", text(camera.reason)]
        }
        return document(header: ["day", "camera_id", "venue_id", "venue_name", "tier", "supervisor", "placement", "verdict",
                                 "online_percent", "frozen_or_black_minutes", "watched_hours", "probes", "main_failure", "reason"],
                        rows: rows)
    }

    /// One row per venue: its day's verdict and where it stands on the ladder.
    public static func venues(_ report: DailyReport, for audience: ReportAudience = .office) -> String {
        let scoped = audience.scope(report)
        let rows = (audience == .maintenance ? [] : scoped.venues).map { row in
            [report.day.description, row.venue.id, text(row.venue.name), row.kind, row.venue.tier.rawValue,
             text(row.venue.supervisor ?? ""), row.verdict?.rawValue ?? "", row.standing.rawValue,
             row.deadline?.description ?? "", text(row.reason)]
        }
        return document(header: ["day", "venue_id", "venue_name", "kind", "tier", "supervisor", "verdict", "standing",
                                 "deadline", "reason"],
                        rows: rows)
    }

    /// One row per registration system: its day's verdict and figures.
    public static func registration(_ report: DailyReport, for audience: ReportAudience = .office,
                                    timeZone: TimeZone = DailyPatrolSettings().timeZone) -> String {
        let rows = (audience == .maintenance ? [] : audience.scope(report).registration).map { row in
            [report.day.description, row.systemID, row.venue.id, text(row.venue.name), row.venue.tier.rawValue,
             text(row.venue.supervisor ?? ""), row.verdict.rawValue, text(row.reason), String(format: "%.1f", row.onlinePercent),
             "\(row.offlineMinutes)", "\(row.longestWaitMinutes)", "\(row.waiting)", row.stuckSince.map { timestamp($0, in: timeZone) } ?? "",
             "\(row.uploaded)", row.quiet ? "true" : "false", text(row.lastError ?? "")]
        }
        return document(header: ["day", "system_id", "venue_id", "venue_name", "tier", "supervisor", "verdict", "reason",
                                 "online_percent", "offline_minutes", "longest_wait_minutes", "waiting", "stuck_since", "uploaded",
                                 "quiet", "last_error"],
                        rows: rows)
    }

    /// The perimeter cameras down, where and since when.
    public static func maintenance(_ report: DailyReport, timeZone: TimeZone = DailyPatrolSettings().timeZone) -> String {
        let rows = report.maintenance.map { item in
            [report.day.description, item.cameraID, item.venue.id, text(item.venue.name), text(item.address),
             item.since.map { timestamp($0, in: timeZone) } ?? "", text(item.reason)]
        }
        return document(header: ["day", "camera_id", "venue_id", "venue_name", "address", "down_since", "reason"], rows: rows)
    }

    /// What goes with the e-mail for `audience`: cameras and venues, and the registration
    /// systems when the day patrolled any; or for the maintenance team its list.
    public static func attachments(_ report: DailyReport, for audience: ReportAudience = .office,
                                   timeZone: TimeZone = DailyPatrolSettings().timeZone) -> [MailAttachment] {
        if audience == .maintenance {
            return [MailAttachment(filename: "patrol-maintenance-\(report.day).csv", data: Data(maintenance(report, timeZone: timeZone).utf8))]
        }
        var files = [
            MailAttachment(filename: "patrol-cameras-\(report.day).csv", data: Data(cameras(report, for: audience).utf8)),
            MailAttachment(filename: "patrol-venues-\(report.day).csv", data: Data(venues(report, for: audience).utf8)),
        ]
        if !report.registration.isEmpty {
            files.append(MailAttachment(filename: "patrol-registration-\(report.day).csv",
                                        data: Data(registration(report, for: audience, timeZone: timeZone).utf8)))
        }
        return files
    }

    // MARK: RFC 4180

    static let byteOrderMark = "\u{FEFF}"

    static func document(header: [String], rows: [[String]]) -> String {
        byteOrderMark + ([header] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
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
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = zone.secondsFromGMT(for: date) / 60
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
                      parts.second!) + (offset < 0 ? "-" : "+") + String(format: "%02d:%02d", abs(offset) / 60, abs(offset) % 60)
    }
}
