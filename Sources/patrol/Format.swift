import ArgumentParser
import Foundation
import PatrolLedger
import PatrolProbe
import PatrolStore
import PatrolViews

/// How the read commands write times, durations and JSON. Human output is in the local time
/// zone (TZ), in the operator's language (`2026-09-21 14:03`, or `2026年9月21日 14:03` as the
/// office writes it); JSON is in UTC, one form for every time (JSONTime).
enum Format {
    private static func formatter(_ pattern: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = pattern
        return formatter
    }

    private static let minutes = formatter("yyyy-MM-dd HH:mm")
    private static let seconds = formatter("yyyy-MM-dd HH:mm:ss")
    private static let chineseMinutes = formatter("yyyy年M月d日 HH:mm")
    private static let chineseSeconds = formatter("yyyy年M月d日 HH:mm:ss")

    /// `2026-09-21 14:03` (`2026年9月21日 14:03`), local time.
    static func time(_ date: Date) -> String {
        (Language.current == .chinese ? chineseMinutes : minutes).string(from: date)
    }

    /// `2026-09-21 14:03:07` (`2026年9月21日 14:03:07`), local time.
    static func preciseTime(_ date: Date) -> String {
        (Language.current == .chinese ? chineseSeconds : seconds).string(from: date)
    }

    /// A patrol day (`2026-11-21`) as the operator reads it: `2026-11-21`, or `2026年11月21日`.
    static func day(_ day: String) -> String {
        guard Language.current == .chinese, let parsed = PatrolDay(day)?.components else { return day }
        return "\(parsed.year)年\(parsed.month)月\(parsed.day)日"
    }

    /// The local zone as `UTC+08:00`.
    static var zone: String {
        let offset = TimeZone.current.secondsFromGMT()
        return String(format: "UTC%@%02d:%02d", offset < 0 ? "-" : "+", abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    /// A duration as an operator says it: `40s`, `12m`, `3h 05m`, `4d 6h`; in Chinese `40秒`,
    /// `12分`, `3小时05分`, `4天6小时`.
    static func duration(_ interval: Double) -> String {
        let total = max(0, Int(interval.rounded(.down)))
        let (days, hours, minutes) = (total / 86_400, total % 86_400 / 3600, total % 3600 / 60)
        let chinese = Language.current == .chinese
        if days > 0 { return chinese ? "\(days)天\(hours)小时" : "\(days)d \(hours)h" }
        if hours > 0 { return String(format: chinese ? "%d小时%02d分" : "%dh %02dm", hours, minutes) }
        if minutes > 0 { return chinese ? "\(minutes)分" : "\(minutes)m" }
        return chinese ? "\(total)秒" : "\(total)s"
    }

    /// `2026-09-21 14:03 (3h 05m)`, or `-` when unknown.
    static func since(_ date: Date?, now: Date) -> String {
        guard let date else { return "-" }
        return say(.timeAndAge, time(date), duration(now.timeIntervalSince(date)))
    }

    /// How long ago: `3m ago`, `3分前`.
    static func ago(_ date: Date, now: Date) -> String { say(.ago, duration(now.timeIntervalSince(date))) }

    static func percent(_ ratio: Double?) -> String {
        ratio.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
    }

    /// Video format in a few characters: `h264 1920x1080`.
    static func video(codec: String?, width: Int?, height: Int?) -> String {
        var parts: [String] = []
        if let codec { parts.append(codec) }
        if let width, let height { parts.append("\(width)x\(height)") }
        return parts.isEmpty ? "-" : parts.joined(separator: " ")
    }

    /// The JSON every read command's `--json` writes (Shapes.json: the console's API answers the same).
    static func json(_ value: some Encodable, versioned: Bool = true) throws -> String {
        try Shapes.json(value, versioned: versioned)
    }
}

/// A point in time on the command line: `2026-09-21` (local midnight), `2026-09-21 14:00` or
/// `2026-09-21T14:00` (local), a full ISO 8601 time with its zone, or an age such as `90m`,
/// `12h` or `7d` (that long before now).
struct TimeArgument: ExpressibleByArgument, Sendable {
    var date: Date

    init(date: Date) { self.date = date }

    init?(argument: String) {
        guard let date = Self.parse(argument, now: Date()) else { return nil }
        self.date = date
    }

    static func parse(_ text: String, now: Date) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let unit = text.last, let amount = Double(text.dropLast()), amount >= 0 {
            let scale: Double? = switch unit {
            case "s": 1
            case "m": 60
            case "h": 3600
            case "d": 86_400
            default: nil
            }
            if let scale { return now.addingTimeInterval(-amount * scale) }
        }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: text) { return date }
        iso.formatOptions.insert(.withFractionalSeconds)
        if let date = iso.date(from: text) { return date }
        for pattern in ["yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone.current
            formatter.dateFormat = pattern
            formatter.isLenient = false
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}

extension Listing {
    /// `50 of 1580 shown (--limit)` when the limit left some out; nil otherwise.
    var note: String? {
        guard let limit, limit < all.count else { return nil }
        return say(.limited, limit, all.count)
    }
}
