import Foundation
import PatrolProbe
import PatrolSettings

/// Why a picture was kept.
public enum SnapshotReason: String, Sendable, Codable, CaseIterable {
    /// The camera's first healthy picture, adopted as its reference.
    case reference
    /// The camera's outcome changed with this probe.
    case change
    /// The picture is faulty (black, frozen, a scene fault) and the last one kept of the fault is old.
    case fault
    /// The camera's recent healthy picture (its "last good").
    case healthy
}

/// Which probes' pictures are kept: pure, from what was kept of the camera before.
public struct SnapshotPolicy: Sendable, Equatable {
    public var settings: SnapshotSettings

    public init(settings: SnapshotSettings = SnapshotSettings()) { self.settings = settings }

    public struct Memory: Sendable, Equatable {
        public var previousOutcome: Outcome?
        public var lastGood: Date?
        public var lastEvidence: Date?

        public init(previousOutcome: Outcome? = nil, lastGood: Date? = nil, lastEvidence: Date? = nil) {
            self.previousOutcome = previousOutcome
            self.lastGood = lastGood
            self.lastEvidence = lastEvidence
        }
    }

    /// Why the picture of a probe judged `outcome` at `date` is kept, or nil when it is not.
    public func reason(outcome: Outcome, adoptedReference: Bool, at date: Date, after memory: Memory) -> SnapshotReason? {
        if adoptedReference { return .reference }
        if outcome != memory.previousOutcome, memory.previousOutcome != nil || outcome != .online { return .change }
        if outcome.isPictureFault, isDue(memory.lastEvidence, every: settings.evidenceInterval, at: date) { return .fault }
        if outcome == .online, isDue(memory.lastGood, every: settings.healthyInterval, at: date) { return .healthy }
        return nil
    }

    /// Whether a probe at `date` should bring a picture whatever it shows: a kept picture
    /// of either kind is due (the probe cannot know its outcome beforehand).
    public func isDue(_ memory: Memory, at date: Date) -> Bool {
        isDue(memory.lastGood, every: settings.healthyInterval, at: date)
            || (memory.previousOutcome?.isPictureFault == true && isDue(memory.lastEvidence, every: settings.evidenceInterval, at: date))
    }

    private func isDue(_ last: Date?, every interval: Double, at date: Date) -> Bool {
        last.map { date.timeIntervalSince($0) >= interval } ?? true
    }
}
