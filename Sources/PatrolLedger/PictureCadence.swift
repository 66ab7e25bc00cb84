import Foundation
import PatrolProbe
import PatrolSettings

/// When a probe decodes and checks a camera's picture (black, frozen, the scene) rather than only
/// proving that frames arrive live: every probe while the camera is suspect or just changed,
/// otherwise once per `every` seconds of its tier. A probe not due may still check the picture
/// when its coded stream shows a sign (`CodedSign`); that is the probe's own decision. Pure: the
/// planner gives what it remembers of the camera and the time.
public struct PictureCadence: Sendable, Equatable {
    /// Why a probe is to check the picture.
    public enum Reason: String, Sendable, Equatable {
        /// No picture of the camera was looked at yet (or since patrold started): nothing to read
        /// the coded signs against either.
        case firstLook = "first_look"
        /// The last probe was not online, or the camera is not up (down, unknown, recovering).
        case suspect
        /// The camera's status changed from a known one (down to up, up to down) less than one
        /// picture interval ago. A camera's first status (from unknown, at its first probe) is no
        /// change: its first look checked the picture already.
        case changed
        /// No reference picture has been taken (or approved) for the scene checks.
        case noReference = "no_reference"
        /// A picture is to be kept (the daily good picture, a fault's evidence).
        case snapshot
        /// The tier's picture interval has passed since the last picture check.
        case cadence
    }

    /// What the planner remembers of a camera for the decision.
    public struct Memory: Sendable, Equatable {
        /// When the camera's picture was last checked (a clean picture decoded).
        public var lastPictureAt: Date?
        /// The outcome the planner saw last (a picture fault carried on by probes that looked at no picture).
        public var lastOutcome: Outcome?
        /// The camera's status as the debouncing rules make it of those outcomes.
        public var tracker: StatusTracker
        /// When its status last changed from a known one (`record`); nil while it has only had its first.
        public var changedAt: Date?
        /// What the coded stream looked like at the last probe; without it no sign can be read.
        public var coded: CodedHistory?
        public var hasReference: Bool

        public init(lastPictureAt: Date? = nil, lastOutcome: Outcome? = nil, tracker: StatusTracker = StatusTracker(),
                    changedAt: Date? = nil, coded: CodedHistory? = nil, hasReference: Bool = false) {
            self.lastPictureAt = lastPictureAt
            self.lastOutcome = lastOutcome
            self.tracker = tracker
            self.changedAt = changedAt
            self.coded = coded
            self.hasReference = hasReference
        }
    }

    /// Applies a probe's outcome to `tracker` as the debouncing rules do; returns the new
    /// `changedAt`: `time` when the status changed from a known one (the store's `state_event`
    /// is dated alike: when the change was declared), `changedAt` otherwise.
    public static func record(_ outcome: Outcome, at time: Date, settings: DebounceSettings, tracker: inout StatusTracker,
                              changedAt: Date?) -> Date? {
        guard let before = tracker.record(outcome, at: time, settings: settings), before != .unknown else { return changedAt }
        return time
    }

    /// Seconds between picture checks of a healthy camera (the tier's `schedule.picture_every`).
    public var every: TimeInterval
    /// Seconds between probes of the camera (the tier's cadence).
    public var cadence: TimeInterval

    public init(every: TimeInterval, cadence: TimeInterval) {
        self.every = every
        self.cadence = cadence
    }

    /// Why the probe at `now` is to check the picture; nil when it only proves liveness.
    ///
    /// The interval is met at the first probe no more than half a cadence short of it: probes come
    /// a cadence apart, give or take the scheduler, so an interval equal to the cadence checks
    /// every probe, and two checks of a healthy camera are `checkGap` apart.
    public func due(_ memory: Memory, snapshotDue: Bool = false, at now: Date) -> Reason? {
        guard let last = memory.lastPictureAt, memory.coded != nil else { return .firstLook }
        if memory.lastOutcome != .online || memory.tracker.status != .up { return .suspect }
        if let since = memory.changedAt, now.timeIntervalSince(since) < every { return .changed }
        if !memory.hasReference { return .noReference }
        if snapshotDue { return .snapshot }
        if now.timeIntervalSince(last) >= every - cadence / 2 { return .cadence }
        return nil
    }

    /// How far back a camera's first look is dated for the cadence: a whole number of cadences
    /// from 0 to the check gap less one cadence, the same for a camera id every time (FNV-1a of
    /// its bytes). A start's first looks all fall within each tier's first cadence, so without it
    /// every watch camera would check its picture in the same probe of three, and the CPU a
    /// picture check costs would come in bursts. Dated back, a camera's first check after its
    /// first look comes sooner than the interval, never later.
    public func phase(of cameraID: String) -> TimeInterval {
        let slots = max(1, Int((checkGap / cadence).rounded()))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in cameraID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return cadence * Double(hash % UInt64(slots))
    }

    /// Seconds between two picture checks of a healthy camera: the whole cadences that make up
    /// the interval, less half a cadence (the schedule keeps each camera on its own grid of due
    /// times, so a late probe does not push the next ones). The worst-case delay between a black
    /// or frozen picture starting and the probe that checks it, when no coded sign shows.
    public var checkGap: TimeInterval { cadence * max(1, ((every - cadence / 2) / cadence).rounded(.up)) }
}
