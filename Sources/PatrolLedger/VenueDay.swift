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
    ///
    /// With `registration` (the venue's registration systems are patrolled), the day fails if
    /// the video or the registration failed, is unknown if either is, and the reason and the
    /// evidence name each system: `video: …; registration: …`.
    public static func aggregate(venueID: String, day: PatrolDay, cameras: [CameraDay],
                                 registration: RegistrationVerdict? = nil) -> VenueDay {
        let video = videoVerdict(venueID: venueID, cameras: cameras)
        guard let registration else {
            return VenueDay(venueID: venueID, day: day, verdict: video.verdict, reason: video.reason,
                            evidence: Evidence.cameras(video.cited))
        }
        let verdicts = [video.verdict, registration.verdict]
        let verdict: Verdict = verdicts.contains(.failed) ? .failed : verdicts.contains(.unknown) ? .unknown : .compliant
        // The reason names the systems behind the verdict: those that failed, else those unknown.
        let named = [("video", video.verdict, video.reason), ("registration", registration.verdict, registration.reason)]
            .filter { verdict == .compliant || $0.1 == verdict }
        let reason = named.map { "\($0.0): \($0.2)" }.joined(separator: "; ")
        return VenueDay(venueID: venueID, day: day, verdict: verdict, reason: reason,
                        evidence: Evidence.venue(cameras: video.cited, video: video.verdict, registration: registration))
    }

    /// The interior cameras' verdict, its reason, and the cameras it rests on.
    static func videoVerdict(venueID: String, cameras: [CameraDay]) -> (verdict: Verdict, reason: String, cited: [CameraDay]) {
        let interior = cameras.filter { $0.placement == .interior && $0.venueID == venueID }.sorted { $0.cameraID < $1.cameraID }
        let failed = interior.filter { $0.verdict == .failed }
        let unknown = interior.filter { $0.verdict == .unknown }
        if interior.isEmpty {
            return (.unknown, "no interior camera on record", [])
        } else if !failed.isEmpty {
            return (.failed, "\(failed.count) of \(interior.count) interior cameras failed: "
                + failed.map { "\($0.cameraID) \($0.reason)" }.joined(separator: "; "), failed)
        } else if !unknown.isEmpty {
            return (.unknown, "\(unknown.count) of \(interior.count) interior cameras not watched enough to judge", unknown)
        }
        return (.compliant, "all \(interior.count) interior cameras compliant", interior)
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

        init(_ day: CameraDay) {
            camera = day.cameraID
            verdict = day.verdict.rawValue
            reason = day.reason
            onlinePercent = day.facts.onlinePercent
            frozenOrBlackMinutes = day.facts.frozenOrBlackMinutes
            watchedHours = day.facts.watchedHours
            probes = day.facts.probes
            mainFailure = day.facts.mainFailure?.rawValue
            pictures = day.pictures.isEmpty ? nil : day.pictures
        }

        enum CodingKeys: String, CodingKey {
            case camera, verdict, reason, probes, pictures
            case onlinePercent = "online_percent"
            case frozenOrBlackMinutes = "frozen_or_black_minutes"
            case watchedHours = "watched_hours"
            case mainFailure = "main_failure"
        }
    }

    static func cameras(_ days: [CameraDay]) -> String {
        encode(["cameras": days.map(Camera.init)])
    }

    /// A registration system's day as evidence.
    struct System: Encodable {
        var system: String
        var verdict: String
        var reason: String
        var onlinePercent: Double
        var offlineMinutes: Int
        var readHours: Double
        var seenHours: Double
        var longestWaitMinutes: Int
        var waiting: Int
        var stuckSince: String?
        var uploadErrors: Bool
        var lastError: String?
        var uploaded: Int
        var samples: Int

        enum CodingKeys: String, CodingKey {
            case system, verdict, reason, waiting, uploaded, samples
            case onlinePercent = "online_percent"
            case offlineMinutes = "offline_minutes"
            case readHours = "read_hours"
            case seenHours = "seen_hours"
            case longestWaitMinutes = "longest_wait_minutes"
            case stuckSince = "stuck_since"
            case uploadErrors = "upload_errors"
            case lastError = "last_error"
        }

        init(_ day: RegistrationDay) {
            let facts = day.facts
            system = day.systemID
            verdict = day.verdict.rawValue
            reason = day.reason
            onlinePercent = (facts.onlineShare * 1000).rounded(.down) / 10
            offlineMinutes = Int((facts.offlineSeconds / 60).rounded())
            readHours = (facts.readSeconds / 360).rounded() / 10
            seenHours = (facts.seenSeconds / 360).rounded() / 10
            longestWaitMinutes = Int((facts.longestWaitSeconds / 60).rounded())
            waiting = facts.waitingAtLongest
            stuckSince = facts.stuckSince.map(LedgerEntry.timestamp)
            uploadErrors = facts.errorsWhileOnline
            lastError = facts.lastError
            uploaded = facts.uploaded
            samples = facts.samples
        }
    }

    struct Venue: Encodable {
        var cameras: [Camera]
        var registration: [System]
        /// The systems that failed the day: `video`, `registration`, both or none.
        var failed: [String]
    }

    /// A venue's day whose registration is patrolled: the cameras and the systems it rests on,
    /// and which of the two failed.
    static func venue(cameras: [CameraDay], video: Verdict, registration: RegistrationVerdict) -> String {
        let failed = [("video", video), ("registration", registration.verdict)].filter { $0.1 == .failed }.map(\.0)
        return encode(Venue(cameras: cameras.map(Camera.init), registration: registration.cited.map(System.init), failed: failed))
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
