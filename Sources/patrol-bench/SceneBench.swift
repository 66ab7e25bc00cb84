import ArgumentParser
import Foundation
import PatrolOutput
import PatrolProbe
import PatrolSettings

/// Compares pictures with a reference the way patrold compares a camera's picture with its
/// approved one, and prints the measures: for measuring the scene checks' false alarms and
/// misses on many scenes (docs/PROBE.md).
struct SceneBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scene",
        abstract: "Compare pictures (JPEG, PNG) with a reference picture; one line of measures each.",
        discussion: "Columns: picture, outcome (online, moved, obstructed, blurred), matching share, covered share, sharpness ratio, detailed regions, shift."
    )

    @Argument(help: "The reference picture.")
    var reference: String

    @Argument(help: "Pictures to compare with it.")
    var pictures: [String]

    @Flag(help: "One JSON object per line instead of tab-separated columns.")
    var json = false

    func run() throws {
        let thresholds = SceneThresholds()
        let base: SceneSignature
        do { base = try PictureFile.scene(at: reference) } catch { throw ValidationError("\(error)") }
        var failed = false
        for path in pictures {
            let scene: SceneSignature
            do { scene = try PictureFile.scene(at: path) } catch {
                Output.log("patrol-bench: \(error)")
                failed = true
                continue
            }
            let comparison = SceneComparison(scene, reference: base, thresholds: thresholds)
            let outcome = comparison.fault(thresholds)?.outcome ?? .online
            if json {
                let encoder = ProbeResult.jsonEncoder()
                let measures = String(decoding: try encoder.encode(comparison), as: UTF8.self)
                try Output.line("{\"picture\":\(String(decoding: try encoder.encode(path), as: UTF8.self)),\"outcome\":\"\(outcome.rawValue)\",\"scene\":\(measures)}")
            } else {
                try Output.line([path, outcome.rawValue, String(format: "%.3f", comparison.matchingShare),
                                 String(format: "%.3f", comparison.coveredShare), String(format: "%.3f", comparison.sharpnessRatio),
                                 "\(comparison.detailedRegions)", "\(comparison.shiftX),\(comparison.shiftY)"].joined(separator: "\t"))
            }
        }
        if failed { throw ExitCode(65) }
    }
}
