import Foundation
import PatrolInventory

/// One venue's verdict for one day, from its interior cameras only: perimeter cameras are the
/// city's, and their failures go on the maintenance list, never against the venue.
public struct VenueDay: Sendable, Equatable {
    public var venueID: String
    public var day: PatrolDay
    public var verdict: Verdict
    public var reason: String
    /// The interior cameras behind the verdict, as canonical JSON (the ledger's evidence).
    public var evidence: String

    public init(venueID: String, day: PatrolDay, verdict: Verdict, reason: String, evidence: String) {
        self.venueID = venueID
        self.day = day
        self.verdict = verdict
        self.reason = reason
        self.evidence = evidence
    }

    /// Failed if any interior camera failed; else unknown if any was unknown; else compliant.
    /// A venue with no interior camera on record cannot be judged: unknown.
    public static func aggregate(venueID: String, day: PatrolDay, cameras: [CameraDay]) -> VenueDay {
        let interior = cameras.filter { $0.placement == .interior && $0.venueID == venueID }.sorted { $0.cameraID < $1.cameraID }
        let failed = interior.filter { $0.verdict == .failed }
        let unknown = interior.filter { $0.verdict == .unknown }
        let verdict: Verdict, reason: String, cited: [CameraDay]
        if interior.isEmpty {
            (verdict, reason, cited) = (.unknown, "no interior camera on record", [])
        } else if !failed.isEmpty {
            verdict = .failed
            reason = "\(failed.count) of \(interior.count) interior cameras failed: "
                + failed.map { "\($0.cameraID) \($0.reason)" }.joined(separator: "; ")
            cited = failed
        } else if !unknown.isEmpty {
            verdict = .unknown
            reason = "\(unknown.count) of \(interior.count) interior cameras not watched enough to judge"
            cited = unknown
        } else {
            (verdict, reason, cited) = (.compliant, "all \(interior.count) interior cameras compliant", interior)
        }
        return VenueDay(venueID: venueID, day: day, verdict: verdict, reason: reason, evidence: Evidence.cameras(cited))
    }
}

/// Evidence as canonical JSON: sorted keys, so the same facts always give the same bytes.
public enum Evidence {
    public static let none = "{}"

    struct Camera: Encodable {
        var camera: String
        var verdict: String
        var reason: String
        var onlinePercent: Double
        var frozenOrBlackMinutes: Int
        var watchedHours: Double
        var probes: Int
        var mainFailure: String?
        /// The day's pictures of the fault (absent when none was kept: older evidence stays byte for byte).
        var pictures: [String]?

        enum CodingKeys: String, CodingKey {
            case camera, verdict, reason, probes, pictures
            case onlinePercent = "online_percent"
            case frozenOrBlackMinutes = "frozen_or_black_minutes"
            case watchedHours = "watched_hours"
            case mainFailure = "main_failure"
        }
    }

    static func cameras(_ days: [CameraDay]) -> String {
        encode(["cameras": days.map {
            Camera(camera: $0.cameraID, verdict: $0.verdict.rawValue, reason: $0.reason,
                   onlinePercent: $0.facts.onlinePercent, frozenOrBlackMinutes: $0.facts.frozenOrBlackMinutes,
                   watchedHours: $0.facts.watchedHours, probes: $0.facts.probes,
                   mainFailure: $0.facts.mainFailure?.rawValue, pictures: $0.pictures.isEmpty ? nil : $0.pictures)
        }])
    }

    /// The pictures an evidence names (SHA-256, hex), in order.
    public static func pictures(in evidence: String) -> [String] {
        struct Cited: Decodable { var cameras: [Camera]?; struct Camera: Decodable { var pictures: [String]? } }
        let cited = try? JSONDecoder().decode(Cited.self, from: Data(evidence.utf8))
        return (cited?.cameras ?? []).flatMap { $0.pictures ?? [] }
    }

    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }
}
