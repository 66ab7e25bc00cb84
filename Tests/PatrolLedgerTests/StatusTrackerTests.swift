import Foundation
import PatrolProbe
import PatrolSettings
import Testing
@testable import PatrolLedger

@Suite("Debounced camera status")
struct StatusTrackerTests {
    struct Step: Sendable {
        var outcome: Outcome
        var at: Double
        var expect: CameraStatus
    }

    static let o = Outcome.online, f = Outcome.timeout

    static let scenarios: [(String, [Step])] = [
        ("first good probe: up", [Step(outcome: o, at: 0, expect: .up)]),
        ("one failure among successes changes nothing", [
            Step(outcome: o, at: 0, expect: .up), Step(outcome: f, at: 60, expect: .up), Step(outcome: o, at: 120, expect: .up),
            Step(outcome: f, at: 180, expect: .up), Step(outcome: f, at: 240, expect: .up), Step(outcome: o, at: 300, expect: .up),
        ]),
        ("three failures in a row: down; two successes: up again", [
            Step(outcome: o, at: 0, expect: .up), Step(outcome: f, at: 60, expect: .up), Step(outcome: f, at: 120, expect: .up),
            Step(outcome: f, at: 180, expect: .down), Step(outcome: o, at: 240, expect: .down), Step(outcome: o, at: 300, expect: .up),
        ]),
        ("slow cadence: two failures five minutes apart are enough", [
            Step(outcome: o, at: 0, expect: .up), Step(outcome: f, at: 900, expect: .up), Step(outcome: f, at: 1800, expect: .down),
        ]),
        ("never seen up: down after three failures", [
            Step(outcome: f, at: 0, expect: .unknown), Step(outcome: f, at: 10, expect: .unknown), Step(outcome: f, at: 20, expect: .down),
        ]),
    ]

    @Test(arguments: scenarios)
    func scenario(_ name: String, _ steps: [Step]) {
        var tracker = StatusTracker()
        for step in steps {
            tracker.record(step.outcome, at: t0.addingTimeInterval(step.at), settings: DebounceSettings())
            #expect(tracker.status == step.expect, "\(name) at \(step.at)")
        }
    }

    @Test("a camera is down since its first failure, for the reason it first failed")
    func since() {
        var tracker = StatusTracker()
        tracker.record(.online, at: t0, settings: DebounceSettings())
        tracker.record(.frozen, at: t0.addingTimeInterval(60), settings: DebounceSettings())
        tracker.record(.timeout, at: t0.addingTimeInterval(120), settings: DebounceSettings())
        let from = tracker.record(.timeout, at: t0.addingTimeInterval(180), settings: DebounceSettings())
        #expect(from == .up)
        #expect(tracker.status == .down)
        #expect(tracker.since == t0.addingTimeInterval(60))
        #expect(tracker.reason == .frozen)
    }
}
