import ArgumentParser
import Foundation

/// How the read commands write times, durations and JSON. Human output is in the local time
/// zone (TZ); JSON is in UTC, ISO 8601.
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

    /// `2026-09-21 14:03`, local time.
    static func time(_ date: Date) -> String { minutes.string(from: date) }

    /// `2026-09-21 14:03:07`, local time.
    static func preciseTime(_ date: Date) -> String { seconds.string(from: date) }

    /// The local zone as `UTC+08:00`.
    static var zone: String {
        let offset = TimeZone.current.secondsFromGMT()
        return String(format: "UTC%@%02d:%02d", offset < 0 ? "-" : "+", abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    /// A duration as an operator says it: `40s`, `12m`, `3h 05m`, `4d 6h`.
    static func duration(_ interval: Double) -> String {
        let total = max(0, Int(interval.rounded(.down)))
        let (days, hours, minutes) = (total / 86_400, total % 86_400 / 3600, total % 3600 / 60)
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return String(format: "%dh %02dm", hours, minutes) }
        if minutes > 0 { return "\(minutes)m" }
        return "\(total)s"
    }

    /// `2026-09-21 14:03 (3h 05m)`, or `-` when unknown.
    static func since(_ date: Date?, now: Date) -> String {
        guard let date else { return "-" }
        return "\(time(date)) (\(duration(now.timeIntervalSince(date))))"
    }

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

    /// Stable JSON for scripts: snake_case fields, sorted, ISO 8601 UTC dates.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
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
