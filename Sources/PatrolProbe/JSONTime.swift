import Foundation

/// The one form of a time in Patrol's JSON: ISO 8601 in UTC to the millisecond,
/// `2026-11-20T22:00:01.120Z`, as the ledger's entries record theirs. `patrol … --json`,
/// `patrol probe --json` and the evidence an export writes all use it.
public enum JSONTime {
    public static func string(_ date: Date) -> String {
        var format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        format.timeZone = TimeZone(identifier: "UTC")!
        return date.formatted(format)
    }

    /// A time in this form, or in whole seconds (`2026-11-20T22:00:01Z`), or with another zone.
    public static func date(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: .iso8601)
    }

    public static let encoding = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(string(date))
    }

    public static let decoding = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = date(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 time: \(text)")
        }
        return date
    }
}
