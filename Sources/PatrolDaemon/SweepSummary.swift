import Foundation
import PatrolInventory
import PatrolProbe

/// What one full sweep found: cameras per outcome, perimeter beside interior.
struct SweepSummary {
    var counts: [Outcome: [Placement: Int]] = [:]
    var seconds: Double = 0
    var probes: Int { counts.values.reduce(0) { $0 + $1.values.reduce(0, +) } }

    mutating func add(_ outcome: Outcome, _ placement: Placement) {
        counts[outcome, default: [:]][placement, default: 0] += 1
    }

    func count(_ outcome: Outcome?, _ placement: Placement?) -> Int {
        counts.filter { outcome == nil || $0.key == outcome }.values.reduce(0) { total, byPlacement in
            total + byPlacement.filter { placement == nil || $0.key == placement }.values.reduce(0, +)
        }
    }

    var table: String {
        var lines = [String(format: "sweep of %d cameras in %.1f s", probes, seconds),
                     "outcome        perimeter  interior     total"]
        func row(_ name: String, _ outcome: Outcome?) -> String {
            name.padding(toLength: 13, withPad: " ", startingAt: 0)
                + String(format: " %10d %9d %9d", count(outcome, .perimeter), count(outcome, .interior), count(outcome, nil))
        }
        for outcome in Outcome.allCases where count(outcome, nil) > 0 { lines.append(row(outcome.rawValue, outcome)) }
        lines.append(row("all", nil))
        return lines.joined(separator: "\n")
    }

    /// One line for the log and the sweep record.
    var line: String {
        let parts = Outcome.allCases.filter { count($0, nil) > 0 }.map { "\($0.rawValue)=\(count($0, nil))" }
        return String(format: "%d cameras in %.1f s: ", probes, seconds) + parts.joined(separator: " ")
    }
}
