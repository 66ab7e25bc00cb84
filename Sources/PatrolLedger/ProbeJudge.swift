import Foundation
import PatrolProbe
import PatrolSettings

/// What the rules remember of a camera from one probe to the next: its debounced status, the
/// last undamaged picture it showed and the scene it was approved for.
public struct CameraMemory: Sendable, Equatable {
    public var tracker = StatusTracker()
    public var fingerprint: Fingerprint?
    public var fingerprintAt: Date?
    /// The reference picture's scene: the first healthy picture kept, or one an operator approved.
    public var reference: SceneSignature?
    /// The outcome recorded for the camera's last probe: the verdict a probe that looked at no
    /// picture carries on when it was a picture fault.
    public var lastOutcome: Outcome?

    public init(tracker: StatusTracker = StatusTracker(), fingerprint: Fingerprint? = nil, fingerprintAt: Date? = nil,
                reference: SceneSignature? = nil, lastOutcome: Outcome? = nil) {
        self.tracker = tracker
        self.lastOutcome = lastOutcome
        self.fingerprint = fingerprint
        self.fingerprintAt = fingerprintAt
        self.reference = reference
    }
}

/// A camera's debounced status changing, and the probe outcome that counts for it.
public struct StatusChange: Sendable, Equatable {
    public var cameraID: String
    public var from: CameraStatus
    public var to: CameraStatus
    public var outcome: Outcome
    public var at: Date

    public init(cameraID: String, from: CameraStatus, to: CameraStatus, outcome: Outcome, at: Date) {
        self.cameraID = cameraID
        self.from = from
        self.to = to
        self.outcome = outcome
        self.at = at
    }
}

/// What the rules make of one probe result, given what they remembered of the camera.
public struct ProbeJudgement: Sendable, Equatable {
    /// The result to record: the probe's own, or `frozen` when it showed the previous probe's picture.
    public var result: ProbeResult
    /// What to remember for the camera's next probe.
    public var memory: CameraMemory
    /// The status change this probe caused, if any.
    public var change: StatusChange?
    /// Whether the probe was online by itself but showed the very picture of the previous probe.
    public var frozenAcrossProbes: Bool
    /// The probe's picture became the camera's reference: the first healthy picture kept.
    public var adoptedReference = false
    /// The probe was online but looked at no picture, and the camera's last verdict, a picture
    /// fault, was carried on.
    public var carriedPictureFault = false
}

/// The rules applied to each probe result as it is recorded: the frozen-across-probes
/// comparison, then debouncing. Pure: the store's writer hands it each camera's memory and
/// records what it returns.
public struct ProbeJudge: Sendable, Equatable {
    public var debounce = DebounceSettings()
    public var thresholds = PictureThresholds()
    public var scene = SceneThresholds()

    public init(debounce: DebounceSettings = DebounceSettings(), thresholds: PictureThresholds = PictureThresholds(),
                scene: SceneThresholds = SceneThresholds()) {
        self.debounce = debounce
        self.thresholds = thresholds
        self.scene = scene
    }

    /// Judges one probe of `cameraID` after `memory`.
    ///
    /// A probe that looks online but whose undamaged picture cannot be told from the previous
    /// probe's picture is `frozen`: a camera whose encoder keeps sending one picture passes
    /// every check inside a single probe. One still online is compared with the camera's
    /// reference scene (`moved`, `obstructed`, `blurred`); the first healthy picture kept as a
    /// snapshot becomes the reference when there is none. A probe online by itself that looked at
    /// no clean picture (not due for a picture check, or no keyframe came) carries on the
    /// camera's last verdict when that was a picture fault: only a picture clears a picture
    /// fault. The status then follows the (possibly rewritten) outcome through the debouncing
    /// tracker.
    public func judge(_ probe: ProbeResult, of cameraID: String, after memory: CameraMemory) -> ProbeJudgement {
        var result = probe
        var frozen = false
        if result.outcome == .online, let picture = result.picture, !picture.damaged, let previous = memory.fingerprint,
           thresholds.isFrozen(previous, picture.fingerprint) {
            result.outcome = .frozen
            let age = memory.fingerprintAt.map { String(format: " %.0f s earlier", result.startedAt.timeIntervalSince($0)) } ?? ""
            result.detail = "the picture is identical to the previous probe's\(age)"
            frozen = true
        }
        var next = memory
        var adopted = false
        if result.outcome == .online, let picture = result.picture, !picture.damaged, let scene = picture.scene {
            if let reference = memory.reference {
                let comparison = SceneComparison(scene, reference: reference, thresholds: self.scene)
                result.scene = comparison
                if let fault = comparison.fault(self.scene) {
                    result.outcome = fault.outcome
                    result.detail = comparison.describe(fault)
                }
            } else if result.snapshot != nil {
                next.reference = scene
                adopted = true
            }
        }
        var carried = false
        let sawPicture = result.picture.map { !$0.damaged } ?? false
        if result.outcome == .online, !sawPicture, let last = memory.lastOutcome, last.isPictureFault {
            result.outcome = last
            result.detail = "\(result.detail); no picture looked at, so the last picture's verdict stands: \(last.rawValue)"
            carried = true
        }
        next.lastOutcome = result.outcome
        let from = next.tracker.record(result.outcome, at: result.startedAt, settings: debounce)
        if let picture = result.picture, !picture.damaged {
            next.fingerprint = picture.fingerprint
            next.fingerprintAt = result.startedAt
        }
        let change = from.map {
            StatusChange(cameraID: cameraID, from: $0, to: next.tracker.status, outcome: next.tracker.reason ?? result.outcome,
                         at: result.startedAt)
        }
        return ProbeJudgement(result: result, memory: next, change: change, frozenAcrossProbes: frozen, adoptedReference: adopted,
                              carriedPictureFault: carried)
    }
}
