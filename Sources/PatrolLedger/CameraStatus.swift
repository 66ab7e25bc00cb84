import Foundation
import PatrolProbe
import PatrolSettings

/// A camera's debounced status: one failed probe does not make a camera down, one good
/// probe does not make it up again.
public enum CameraStatus: String, Codable, Sendable, CaseIterable {
    /// Not probed yet, or not enough evidence either way.
    case unknown
    case up
    case down
}

/// The pure core of status tracking: the previous state and one probe outcome in, the next
/// state (and whether the status changed) out.
public struct StatusTracker: Sendable, Equatable {
    public var status: CameraStatus = .unknown
    public var since: Date?
    public var consecutiveFailures = 0
    public var consecutiveSuccesses = 0
    public var failingSince: Date?
    /// The outcome that counts for the status: the first failure of the current run while
    /// failing (the reason it went down), the last outcome otherwise.
    public var reason: Outcome?

    public init() {}

    public init(status: CameraStatus, since: Date?, consecutiveFailures: Int, consecutiveSuccesses: Int,
                failingSince: Date?, reason: Outcome?) {
        self.status = status
        self.since = since
        self.consecutiveFailures = consecutiveFailures
        self.consecutiveSuccesses = consecutiveSuccesses
        self.failingSince = failingSince
        self.reason = reason
    }

    /// Applies one probe; returns the status it changed from, or nil when it did not change.
    @discardableResult
    public mutating func record(_ outcome: Outcome, at time: Date, settings: DebounceSettings) -> CameraStatus? {
        let before = status
        if outcome.isOnline {
            consecutiveSuccesses += 1
            consecutiveFailures = 0
            failingSince = nil
            reason = outcome
            if status != .up && consecutiveSuccesses >= (status == .unknown ? 1 : settings.upAfterSuccesses) {
                status = .up
            }
        } else {
            consecutiveFailures += 1
            consecutiveSuccesses = 0
            if failingSince == nil {
                failingSince = time
                reason = outcome
            }
            let longEnough = consecutiveFailures >= 2
                && time.timeIntervalSince(failingSince ?? time) >= settings.downAfterSeconds
            if status != .down && (consecutiveFailures >= settings.downAfterFailures || longEnough) {
                status = .down
            }
        }
        guard status != before else { return nil }
        // A camera went down when it started failing, not when the evidence was complete.
        since = status == .down ? (failingSince ?? time) : time
        return before
    }
}
