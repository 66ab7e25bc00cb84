import Foundation
import PatrolCrypto
import PatrolProbe
import PatrolSettings

/// The JSON body an alert is posted with (docs/ALERTS.md shows one), and its signature.
public enum AlertBody {
    public static let schemaVersion = 1

    struct Body: Encodable {
        struct VenueCount: Encodable {
            var venueID: String?
            var venueName: String?
            var placement: String?
            var count: Int
        }

        var schemaVersion: Int
        var eventID: String
        var alert: Int
        var kind: String
        var rule: String
        var signal: String
        var at: Date
        var since: Date
        var summary: Bool
        var total: Int
        var stillDown: Int
        var byVenue: [VenueCount]
        var subjects: [AlertMember]
        var groups: [String]
        var supervisors: [String]
        var title: String
        var text: String
    }

    /// The body for `notice`, with its title and text in the report's language: UTF-8 JSON,
    /// keys in snake_case and sorted, times in UTC to the millisecond.
    public static func json(_ notice: AlertNotice, title: String, text: String) -> Data {
        let body = Body(
            schemaVersion: schemaVersion, eventID: notice.eventID, alert: notice.alert, kind: notice.kind.rawValue, rule: notice.rule,
            signal: notice.signal.rawValue, at: notice.at, since: notice.since, summary: notice.summary, total: notice.total,
            stillDown: notice.stillDown,
            byVenue: notice.byVenue.map { Body.VenueCount(venueID: $0.venueID, venueName: $0.venueName, placement: $0.placement, count: $0.count) },
            subjects: notice.members,
            groups: notice.groups, supervisors: notice.supervisors, title: title, text: text)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = JSONTime.encoding
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and times cannot fail.
        return (try? encoder.encode(body)) ?? Data("{}".utf8)
    }

    /// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`: the `X-Patrol-Signature` header.
    public static func signature(_ body: Data, secret: Data) -> String {
        "sha256=" + Hex.encode(HMACSHA256.code(for: body, key: secret))
    }
}
