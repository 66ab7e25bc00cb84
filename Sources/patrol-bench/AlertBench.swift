import ArgumentParser
import Foundation
import PatrolAlerts
import PatrolOutput
import PatrolProbe
import PatrolSettings

/// The cost of the alert rules for a district (docs/PERFORMANCE.md): passes on a virtual clock
/// over `--cameras` cameras (a fifth perimeter, venues of five, tiers in turn) and `--systems`
/// registration systems, with four rules: priority interior cameras (with reminders), every camera,
/// registration systems, Patrol's health. Each pass is fed what patrold's alert
/// service feeds it: every registration system's state and the three health checks (levels, every
/// pass), and the cameras' status changes of that pass. Three loads: `steady` (a few cameras
/// change each pass), `all` (every camera fed every pass, a fifth of them down: the worst a pass
/// can get), `storm` (every camera down at once, then back: one summary, one resolution). It also
/// times encoding and decoding the rules' memory, which the service stores after each pass.
struct AlertBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Time the alert rules over a district's cameras, pass by pass, on a virtual clock.",
        discussion: "Prints one line per load: passes, changes fed per pass, notices sent, and the time of one pass (mean, median, 99th percentile, max)."
    )

    @Option(help: "Cameras in the district.")
    var cameras = 1580

    @Option(help: "Registration systems, fed every pass.")
    var systems = 310

    @Option(help: "Passes per load (one every 5 s of the virtual clock).")
    var passes = 720

    @Flag(help: "JSON lines instead of text.")
    var json = false

    struct Line: Encodable {
        var load: String
        var passes: Int
        var changesPerPass: Int
        var notices: Int
        var meanUs: Double
        var medianUs: Double
        var p99Us: Double
        var maxUs: Double
    }

    func run() throws {
        let settings = Self.settings()
        let rules = AlertRules(settings: settings, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let camera = { (index: Int, down: Bool, at: Date) -> AlertChange in
            AlertChange(signal: .camera, subject: String(format: "C%05d", index), bad: down, since: at, venueID: String(format: "V%04d", index / 5),
                        venueName: "场所\(index / 5)", tier: ["general", "watch", "priority"][index / 5 % 3],
                        placement: index % 5 == 0 ? "perimeter" : "interior", supervisor: "督导\(index / 50)", detail: down ? "timeout" : "online")
        }
        let levels = { (at: Date) -> [AlertChange] in
            (0..<systems).map { index in
                AlertChange(signal: .registration, subject: String(format: "R%04d", index), bad: index % 31 == 0, since: start,
                            venueID: String(format: "V%04d", index), tier: "general", detail: index % 31 == 0 ? "offline" : "online")
            } + HealthCheck.allCases.map { AlertChange(signal: .health, subject: $0.rawValue, bad: false, since: at, detail: "well") }
        }
        var lines: [Line] = []
        for load in ["steady", "all", "storm"] {
            var book = AlertBook()
            var times: [Double] = []
            var notices = 0, fed = 0
            for pass in 0..<passes {
                let now = start.addingTimeInterval(Double(pass) * 5)
                var changes = levels(now)
                switch load {
                case "steady":
                    // Five cameras change a pass: down, and back 60 passes (5 minutes) later.
                    changes += (0..<5).map { camera((pass * 5 + $0) % cameras, true, now) }
                    if pass >= 60 { changes += (0..<5).map { camera(((pass - 60) * 5 + $0) % cameras, false, now) } }
                case "all":
                    changes += (0..<cameras).map { camera($0, $0 % 5 == pass % 5, now) }
                default:
                    if pass == 1 { changes += (0..<cameras).map { camera($0, true, now) } }
                    if pass == passes / 2 { changes += (0..<cameras).map { camera($0, false, now) } }
                }
                fed += changes.count
                let clock = ContinuousClock.now
                notices += rules.step(&book, changes: changes, now: now).count
                times.append(Self.microseconds(ContinuousClock.now - clock))
            }
            lines.append(Self.line(load, times: times, changes: fed / passes, notices: notices))
            if load == "storm" {
                // The memory at the storm's height, as the service stores it after each pass.
                var stormy = AlertBook()
                _ = rules.step(&stormy, changes: (0..<cameras).map { camera($0, true, start) }, now: start.addingTimeInterval(600))
                let encoder = JSONEncoder(), decoder = JSONDecoder()
                encoder.dateEncodingStrategy = JSONTime.encoding
                decoder.dateDecodingStrategy = JSONTime.decoding
                var encodeTimes: [Double] = [], decodeTimes: [Double] = []
                var size = 0
                for _ in 0..<50 {
                    let began = ContinuousClock.now
                    let data = try encoder.encode(stormy)
                    let encoded = ContinuousClock.now
                    _ = try decoder.decode(AlertBook.self, from: data)
                    encodeTimes.append(Self.microseconds(encoded - began))
                    decodeTimes.append(Self.microseconds(ContinuousClock.now - encoded))
                    size = data.count
                }
                lines.append(Self.line("memory-encode(\(size) bytes)", times: encodeTimes, changes: 0, notices: 0))
                lines.append(Self.line("memory-decode", times: decodeTimes, changes: 0, notices: 0))
            }
        }
        for line in lines {
            if json {
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.outputFormatting = .sortedKeys
                try Output.line(String(decoding: try encoder.encode(line), as: UTF8.self))
            } else {
                try Output.line(line.load.padding(toLength: 30, withPad: " ", startingAt: 0) + String(format: "passes %4d  changes/pass %5d  notices %4d  mean %8.1f µs  median %8.1f µs  p99 %8.1f µs  max %8.1f µs",
                                       line.passes, line.changesPerPass, line.notices, line.meanUs, line.medianUs,
                                       line.p99Us, line.maxUs))
            }
        }
    }

    static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }

    static func line(_ load: String, times: [Double], changes: Int, notices: Int) -> Line {
        let sorted = times.sorted()
        return Line(load: load, passes: times.count, changesPerPass: changes, notices: notices,
                    meanUs: times.reduce(0, +) / Double(max(times.count, 1)), medianUs: sorted[sorted.count / 2],
                    p99Us: sorted[min(sorted.count - 1, sorted.count * 99 / 100)], maxUs: sorted.last ?? 0)
    }

    /// The four rules.
    static func settings() -> AlertSettings {
        var settings = AlertSettings()
        settings.groups = ["duty_desk": [MailAddress("duty@district.example")], "maintenance": [MailAddress("city@maintenance.example")]]
        var priority = AlertRule(name: "priority-interior", signal: .camera)
        priority.tiers = ["priority"]
        priority.placements = ["interior"]
        priority.after = 120
        priority.to = ["duty_desk", "supervisor"]
        priority.remindEvery = 3600
        var cameras = AlertRule(name: "cameras", signal: .camera)
        cameras.after = 600
        cameras.to = ["duty_desk"]
        var registration = AlertRule(name: "registration", signal: .registration)
        registration.after = 900
        registration.to = ["duty_desk"]
        var health = AlertRule(name: "patrol-itself", signal: .health)
        health.to = ["duty_desk"]
        settings.rules = [priority, cameras, registration, health]
        return settings
    }
}
