import Foundation
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolStore
import PatrolSweep

/// Asks each probe for a snapshot only when the writer may keep it: always when a kept picture
/// of the camera is due (its reference, its last good, a fault's evidence), otherwise only when
/// the picture's own outcome is not the camera's last one. It mirrors the writer's rules
/// (`SnapshotPolicy`, the judge's reference adoption) from what the store held at start and
/// what the probes return; the writer decides what is kept. It also asks a probe that checks the
/// picture to wait a moment for the camera's RTCP sender report when its clock was not read (or
/// asked for) in the last hour (any probe, after four hours). And it decides whether the probe
/// checks the picture at all (`PictureCadence`: every probe while the camera is suspect or just
/// changed, otherwise once per its tier's `picture_every`), handing the probe what the camera's
/// coded stream looked like at its last probe, for the signs that make a check due at once. Used
/// on the sweeper's thread only.
final class SnapshotPlanner: PicturePlanner {
    private var cameras: [String: PictureMemory]
    private let policy: SnapshotPolicy
    private let probe: ProbeSettings
    /// How often a camera's clock is read.
    static let clockInterval: TimeInterval = 3600
    /// How long past the open a probe asked for the clock waits for it; 0 never waits (the clock
    /// is read only when a sender report came anyway).
    private let clockWait: Double
    private let debounce: DebounceSettings
    private let clock: @Sendable () -> Date

    init(memory: [String: PictureMemory], policy: SnapshotPolicy, probe: ProbeSettings, debounce: DebounceSettings = DebounceSettings(),
         clockWait: Double = 1.0, clock: @escaping @Sendable () -> Date = { Date() }) {
        cameras = memory
        self.policy = policy
        self.probe = probe
        self.debounce = debounce
        self.clockWait = clockWait
        self.clock = clock
    }

    /// Why the camera's next probe checks its picture; nil when it proves liveness only.
    func pictureDue(for stream: Sweeper.Stream, at now: Date) -> PictureCadence.Reason? {
        let camera = cameras[stream.target.id] ?? PictureMemory()
        let memory = PictureCadence.Memory(lastPictureAt: camera.pictureAt, lastOutcome: camera.snapshots.previousOutcome,
                                           tracker: camera.tracker, changedAt: camera.changedAt, coded: camera.coded,
                                           hasReference: camera.reference != nil)
        return Self.cadence(of: stream)
            .due(memory, snapshotDue: policy.isDue(camera.snapshots, at: now), at: now)
    }

    /// The camera's tier's picture cadence.
    private static func cadence(of stream: Sweeper.Stream) -> PictureCadence {
        PictureCadence(every: stream.target.pictureEvery, cadence: stream.target.cadence)
    }

    func request(for stream: Sweeper.Stream) -> PictureRequest {
        let now = clock()
        var camera = cameras[stream.target.id] ?? PictureMemory()
        let check = pictureDue(for: stream, at: now) != nil
        // The clock is asked of a probe that checks the picture: it reads on to a keyframe anyway,
        // where a liveness probe would read on only for the report. A camera whose picture is
        // checked less than hourly is asked by any probe once the clock is four hours old.
        var clockWait = 0.0
        if self.clockWait > 0, camera.clockAt.map({ now.timeIntervalSince($0) >= Self.clockInterval * (check ? 1 : 4) }) ?? true {
            clockWait = self.clockWait
            camera.clockAt = now  // asked: a camera without sender reports is asked again in an hour
            cameras[stream.target.id] = camera
        }
        guard camera.reference != nil, !policy.isDue(camera.snapshots, at: now)
        else { return PictureRequest(keep: .always, snapshot: policy.settings, clockWait: clockWait, history: camera.coded) }
        return PictureRequest(keep: .onChange(from: camera.snapshots.previousOutcome), snapshot: policy.settings,
                              reference: camera.reference, previousFingerprint: camera.fingerprint, clockWait: clockWait,
                              checkPicture: check, history: camera.coded)
    }

    func finished(_ stream: Sweeper.Stream, result: ProbeResult) {
        let id = stream.target.id
        var camera = cameras[id] ?? PictureMemory()
        var outcome = PictureRequest(reference: camera.reference, previousFingerprint: camera.fingerprint)
            .outcome(of: result, settings: probe)
        // As the judge does: only a picture clears a picture fault.
        let sawPicture = result.picture.map { !$0.damaged } ?? false
        if outcome == .online, !sawPicture, let previous = camera.snapshots.previousOutcome, previous.isPictureFault {
            outcome = previous
        }
        if result.snapshot != nil {
            let adopts = camera.reference == nil && outcome == .online && result.picture?.scene != nil
            switch policy.reason(outcome: outcome, adoptedReference: adopts, at: result.startedAt, after: camera.snapshots) {
            case .some(.reference), .some(.healthy): camera.snapshots.lastGood = result.startedAt
            case .some(.change), .some(.fault): camera.snapshots.lastEvidence = result.startedAt
            case .none: break
            }
            if adopts { camera.reference = result.picture?.scene }
        }
        // On the planner's clock, which its decisions read.
        let now = clock()
        if let picture = result.picture, !picture.damaged {
            // A first look is dated back by the camera's phase, so that a start's first looks do
            // not make every camera of a tier check its picture in the same probes ever after.
            let firstLook = camera.pictureAt == nil || camera.coded == nil
            camera.fingerprint = picture.fingerprint
            camera.pictureAt = firstLook
                ? now.addingTimeInterval(-Self.cadence(of: stream).phase(of: id))
                : now
        }
        if let coded = result.coded { camera.coded = (camera.coded ?? CodedHistory()).updated(with: coded) }
        camera.changedAt = PictureCadence.record(outcome, at: now, settings: debounce, tracker: &camera.tracker,
                                                 changedAt: camera.changedAt)
        camera.snapshots.previousOutcome = outcome
        cameras[id] = camera
    }
}
