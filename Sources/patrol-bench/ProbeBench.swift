import ArgumentParser
import Foundation
import PatrolOutput
import PatrolProbe

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

    func run() throws {
        Probe.tuneProcess()  // as patrold and patrol do at start
        let stream = try StreamURL(url)
        _ = Probe.run(stream)  // warm-up: libraries loaded, decoder tables built
        var outcomes: [Outcome: Int] = [:]
        let cpuBefore = Self.cpuSeconds()
        let wallBefore = ContinuousClock.now
        for _ in 0..<count {
            outcomes[Probe.run(stream).outcome, default: 0] += 1
        }
        let wall = (ContinuousClock.now - wallBefore).seconds
        let cpu = Self.cpuSeconds() - cpuBefore
        let summary: [String: Any] = [
            "probes": count,
            "cpu_ms_per_probe": (cpu / Double(count) * 1000 * 100).rounded() / 100,
            "wall_ms_per_probe": (wall / Double(count) * 1000 * 10).rounded() / 10,
            "outcomes": Dictionary(uniqueKeysWithValues: outcomes.map { ($0.key.rawValue, $0.value) }),
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
