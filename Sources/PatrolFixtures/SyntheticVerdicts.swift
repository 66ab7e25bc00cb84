import Foundation
import PatrolInventory
import PatrolLedger
import PatrolSettings
import PatrolStore

/// A synthetic past of daily patrols: each venue's judged days, from which the real rules
/// derive the ladder sealed into the ledger, as a year or two of service leaves them. For
/// measuring the commands on a database of that age (`patrol-bench history --verdict-days`).
/// Plain values, written through `Store.appendPatrols`. Deterministic: the same seed and
/// venues give the same days.
public struct SyntheticVerdicts: Sendable {
    /// Patrol days, ending with `last`.
    public var days = 365
    public var last: PatrolDay
    /// Share of venue-days on which one interior camera failed.
    public var failedShare = 0.01
    public var seed: UInt64 = 1

    public init(last: PatrolDay) {
        self.last = last
    }

    /// A venue judged: its id and its interior cameras, by id.
    public struct Venue: Sendable, Equatable {
        public var id: String
        public var interiorCameras: [String]

        public init(id: String, interiorCameras: [String]) {
            self.id = id
            self.interiorCameras = interiorCameras
        }
    }

    /// Each patrol day's verdicts of `venues` (in that order), oldest day first, made as they are read.
    public func judgedDays(_ venues: [Venue]) -> JudgedDays { JudgedDays(verdicts: self, venues: venues) }

    public struct JudgedDays: Sequence, Sendable {
        let verdicts: SyntheticVerdicts
        let venues: [Venue]

        public func makeIterator() -> Iterator {
            Iterator(verdicts: verdicts, venues: venues, random: SplitMix64(seed: verdicts.seed),
                     cameras: venues.map(\.interiorCameras.count).reduce(0, +))
        }

        public struct Iterator: IteratorProtocol {
            let verdicts: SyntheticVerdicts
            let venues: [Venue]
            var random: SplitMix64
            let cameras: Int
            var offset = 0

            public mutating func next() -> JudgedDay? {
                guard offset < verdicts.days else { return nil }
                let day = verdicts.last.adding(1 - verdicts.days + offset)
                offset += 1
                let judged = venues.map { venue in
                    let failing = random.unit() < verdicts.failedShare ? venue.interiorCameras.randomElement(using: &random) : nil
                    return VenueDay.aggregate(venueID: venue.id, day: day, cameras: venue.interiorCameras.map { camera in
                        camera == failing
                            ? CameraDay(cameraID: camera, venueID: venue.id, placement: .interior, verdict: .failed,
                                        reason: "online 40% of 24.0 h watched (needs 95%), mostly timeout", facts: SyntheticVerdicts.bad)
                            : CameraDay(cameraID: camera, venueID: venue.id, placement: .interior, verdict: .compliant,
                                        reason: "online 100% of 24.0 h watched", facts: SyntheticVerdicts.good)
                    })
                }
                return JudgedDay(day: day, venues: judged, cameras: cameras, summary: "synthetic")
            }
        }
    }

    static let good = CameraDayFacts(watchedSeconds: 86_400, onlineSeconds: 86_400, frozenOrBlackSeconds: 0, probes: 96,
                                     mainFailure: nil)
    static let bad = CameraDayFacts(watchedSeconds: 86_400, onlineSeconds: 34_560, frozenOrBlackSeconds: 0, probes: 96,
                                    mainFailure: .timeout)
}

extension Store {
    /// Writes `verdicts` for the venues in service and their interior cameras: the venue
    /// verdicts of each day, the patrol days, and the ledger the ladder derives from them (one
    /// transaction). Returns the venue-days and ledger entries written.
    @discardableResult
    public func fill(_ verdicts: SyntheticVerdicts, policy: LadderPolicy, at: Date = Date()) throws -> (venueDays: Int, entries: Int) {
        let interior = Dictionary(grouping: try cameras().filter { $0.placement == .interior }, by: \.venueID)
        let venues = try venues().map { summary in
            SyntheticVerdicts.Venue(id: summary.venue.id, interiorCameras: (interior[summary.venue.id] ?? []).map(\.id))
        }
        return try appendPatrols(verdicts.judgedDays(venues), policy: policy, at: at)
    }
}
