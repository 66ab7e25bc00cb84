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
/// what the probes return; the writer decides what is kept. Used on the sweeper's thread only.
final class SnapshotPlanner: PicturePlanner {
    private var cameras: [String: PictureMemory]
    private let policy: SnapshotPolicy
    private let probe: ProbeSettings

    init(memory: [String: PictureMemory], policy: SnapshotPolicy, probe: ProbeSettings) {
        cameras = memory
        self.policy = policy
        self.probe = probe
    }

    func request(for stream: Sweeper.Stream) -> PictureRequest {
        guard let camera = cameras[stream.target.id], camera.reference != nil, !policy.isDue(camera.snapshots, at: Date())
        else { return PictureRequest(keep: .always, snapshot: policy.settings) }
        return PictureRequest(keep: .onChange(from: camera.snapshots.previousOutcome), snapshot: policy.settings,
                              reference: camera.reference, previousFingerprint: camera.fingerprint)
    }

    func finished(_ stream: Sweeper.Stream, result: ProbeResult) {
        let id = stream.target.id
        var camera = cameras[id] ?? PictureMemory()
        let outcome = PictureRequest(reference: camera.reference, previousFingerprint: camera.fingerprint)
            .outcome(of: result, settings: probe)
        if result.snapshot != nil {
            let adopts = camera.reference == nil && outcome == .online && result.picture?.scene != nil
            switch policy.reason(outcome: outcome, adoptedReference: adopts, at: result.startedAt, after: camera.snapshots) {
            case .some(.reference), .some(.healthy): camera.snapshots.lastGood = result.startedAt
            case .some(.change), .some(.fault): camera.snapshots.lastEvidence = result.startedAt
            case .none: break
            }
            if adopts { camera.reference = result.picture?.scene }
        }
        if let picture = result.picture, !picture.damaged { camera.fingerprint = picture.fingerprint }
        camera.snapshots.previousOutcome = outcome
        cameras[id] = camera
    }
}
