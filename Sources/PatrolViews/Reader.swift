import Foundation
import PatrolLedger
import PatrolSettings
import PatrolStore

/// What the reading commands report, made once for the command line's `--json` and the web
/// console's API (`/api/v1/…`): the same values, so the same JSON.
public struct Reader: Sendable {
    public let store: Store
    /// The ladder's rules and the patrol's time zone, from the configuration.
    public let settings: DailyPatrolSettings

    public init(store: Store, settings: DailyPatrolSettings) {
        self.store = store
        self.settings = settings
    }

    /// Why a question has no answer: the id, district or supervisor it names does not exist.
    public enum Failure: Error, Equatable {
        case noVenue(String)
        case noCamera(String)
        case noDistrict(String)
        case noSupervisor(String)
    }

    /// A place on the ladder, or one of the questions an operator asks of it.
    public enum StandingFilter: String, CaseIterable, Sendable {
        case clean, ordered, warned, suspended, closed
        /// Missed a deadline and not yet made good.
        case overdue
        /// A deadline today or tomorrow.
        case due
    }

    /// Seconds without any probe after which the status calls the data stale: twice the longest
    /// interval between two probes of a camera (its tier's cadence, or the backoff of a camera
    /// that keeps failing).
    public static func staleAfter(cadence: PerTier<TimeInterval>, backoffLimit: TimeInterval) -> Double {
        2 * max(cadence.priority, cadence.watch, cadence.general, backoffLimit)
    }

    /// `patrol status`.
    public func status(now: Date, staleAfter: Double) throws -> WithLadder<DistrictStatus, LadderStatus> {
        WithLadder(base: try store.districtStatus(now: now, staleAfter: staleAfter),
                   ladder: LadderStatus(try LadderReading(store, settings: settings, now: now), lastPatrol: try store.lastPatrolDay()))
    }

    /// `patrol venues`: the venues `filter` and `standing` select, each with its place on the ladder.
    public func venues(_ filter: VenueFilter, standing: StandingFilter? = nil, now: Date) throws -> [WithLadder<VenueSummary, LadderView>] {
        // A district or supervisor no venue has is a mistyped name, not an empty answer.
        if let district = filter.district {
            var only = VenueFilter()
            only.district = district
            if try store.venueCount(matching: only) == 0 { throw Failure.noDistrict(district) }
        }
        if let supervisor = filter.supervisor {
            var only = VenueFilter()
            only.supervisor = supervisor
            if try store.venueCount(matching: only) == 0 { throw Failure.noSupervisor(supervisor) }
        }
        let reading = try LadderReading(store, settings: settings, now: now)
        return try store.venues(matching: filter).compactMap { summary in
            let id = summary.venue.id
            let venueState = reading.states[id] ?? VenueState(tier: summary.venue.tier, supervisor: summary.venue.supervisor)
            switch standing {
            case .overdue?: guard reading.isOverdue(venueState) else { return nil }
            case .due?: guard reading.isDue(venueState) else { return nil }
            case let wanted?: guard venueState.standing.rawValue == wanted.rawValue else { return nil }
            case nil: break
            }
            return WithLadder(base: summary, ladder: reading.view(id, tier: summary.venue.tier, supervisor: summary.venue.supervisor))
        }
    }

    /// One venue's ledger beside its place on the ladder.
    public struct VenueLedger: Encodable, Sendable {
        public var ladder: LadderView
        public var entries: [EntryView]
    }

    /// `patrol venue ID`; `id` in any case.
    public func venue(_ id: String, now: Date) throws -> WithLadder<VenueDetail, VenueLedger> {
        guard let id = try store.venueID(matching: id), let detail = try store.venue(id: id) else { throw Failure.noVenue(id) }
        let reading = try LadderReading(store, settings: settings, now: now, venues: [id])
        let ladder = reading.view(id, tier: detail.venue.tier, supervisor: detail.venue.supervisor)
        return WithLadder(base: detail, ladder: VenueLedger(ladder: ladder, entries: try store.ledger(venue: id).map(EntryView.init)))
    }

    /// `patrol camera ID`; `id` in any case.
    public func camera(_ id: String, probes: Int = 10, changes: Int = 10, now: Date) throws -> CameraDetail {
        guard let found = try store.cameraID(matching: id),
              let detail = try store.camera(id: found, probes: probes, changes: changes, now: now)
        else { throw Failure.noCamera(id) }
        return detail
    }

    /// `patrol ledger`: the entries, oldest first.
    public func ledger(venue: String? = nil, kinds: [EntryKind] = [], since: PatrolDay? = nil) throws -> [EntryView] {
        let venue = try venue.map { id in
            guard let found = try store.venueID(matching: id) else { throw Failure.noVenue(id) }
            return found
        }
        return try store.ledger(venue: venue, kinds: kinds, since: since).map(EntryView.init)
    }
}

extension Reader {
    /// `patrol ledger verify`'s answer.
    public struct Verification: Encodable, Sendable {
        public var ok: Bool
        public var entries: Int
        public var patrolDays: Int
        public var problem: String?
        public var seq: Int?
        /// `HASH:N`: the ledger's last entry.
        public var head: String?
        public var sealedBy: String?
        public var trusted: Bool
        public var predates: Int
        /// Pictures cited as evidence that match their hashes, and those missing.
        public var pictures: Int
        public var missingPictures: [String]

        public init(_ check: LedgerCheck) {
            ok = check.ok
            entries = check.entries
            patrolDays = check.days
            problem = check.problem
            seq = check.seq
            head = check.head?.description
            sealedBy = check.sealedBy
            trusted = check.trusted
            predates = check.predates
            pictures = check.pictures
            missingPictures = check.missingPictures
        }
    }

    /// The ledger checked whole: the chain, its seals (against `trusted`, the ledger's public
    /// key, when given), its end against `head`, re-derivation, the cited pictures.
    public func verify(trusted: String?, head: LedgerHead? = nil) throws -> (check: LedgerCheck, verification: Verification) {
        let check = try store.verifyLedger(policy: settings.ladder, trusted: trusted, head: head)
        return (check, Verification(check))
    }
}
