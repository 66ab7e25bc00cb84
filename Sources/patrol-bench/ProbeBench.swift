import ArgumentParser
import Foundation
import PatrolOutput
import PatrolProbe
import PatrolSettings

/// Measures the probe's own cost: N probes of one stream in this process, one after the
/// other, with the CPU time the process spent. scripts/bench-probe sets it beside ffprobe.
struct ProbeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Measure CPU and wall time per probe of one stream (for scripts/bench-probe)."
    )

    @Argument(help: "Stream URL.")
    var url: String

    @Option(help: "Number of probes.")
    var count = 50

    @Flag(help: "Keep the picture of every probe as a JPEG (the most a snapshot can cost).")
    var snapshot = false

    @Flag(help: "Compare every probe's picture with the first one's, as patrold does with a camera's reference.")
    var scene = false

    @Flag(help: "Steady state: no picture due (liveness and frame flow only), each probe given what the one before saw of the coded stream, as patrold between picture checks.")
    var steady = false

    func run() throws {
        Probe.tuneProcess()  // as patrold and patrol do at start
        let stream = try StreamURL(url)
        let first = Probe.run(stream, picture: PictureRequest(keep: .always))  // warm-up: libraries loaded, decoder tables built
        var request = PictureRequest(keep: snapshot ? .always : .never)
        if steady { (request.checkPicture, request.history) = (false, first.coded) }
        var checked = 0
        let reference = first.picture?.scene
        let thresholds = SceneThresholds()
        var outcomes: [Outcome: Int] = [:]
        var bytes = 0
        let cpuBefore = Self.cpuSeconds()
        let wallBefore = ContinuousClock.now
        for _ in 0..<count {
            let result = Probe.run(stream, picture: request)
            var outcome = result.outcome
            if scene, let reference, let picture = result.picture?.scene {
                outcome = SceneComparison(picture, reference: reference, thresholds: thresholds).fault(thresholds)?.outcome ?? outcome
            }
            bytes += result.snapshot?.jpeg.count ?? 0
            if result.pictureChecked { checked += 1 }
            if steady { request.history = (request.history ?? CodedHistory()).updated(with: result.coded) }
            outcomes[outcome, default: 0] += 1
        }
        let wall = (ContinuousClock.now - wallBefore).seconds
        let cpu = Self.cpuSeconds() - cpuBefore
        let summary: [String: Any] = [
            "probes": count,
            "cpu_ms_per_probe": (cpu / Double(count) * 1000 * 100).rounded() / 100,
            "wall_ms_per_probe": (wall / Double(count) * 1000 * 10).rounded() / 10,
            "outcomes": Dictionary(uniqueKeysWithValues: outcomes.map { ($0.key.rawValue, $0.value) }),
            "jpeg_bytes_per_probe": bytes / max(1, count),
            "pictures_checked": checked,
        ]
        let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
        try Output.line(String(decoding: data, as: UTF8.self))
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
