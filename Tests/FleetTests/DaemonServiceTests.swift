import Foundation
import GRDB
import PatrolInventory
@testable import PatrolStore
import PatrolTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `patrold` as systemd runs it: the real binary, its notifications read from a Unix datagram
/// socket the test binds (as systemd's $NOTIFY_SOCKET), signals sent to it; its log is kept for
/// the failure messages. Every wait is for an event (a datagram, the process's exit) with a
/// generous limit; what is asserted is what happened (datagrams, exit statuses, rows), never how
/// long it took (scripts/bench-daemon measures the watchdog's pace and how long a stop takes).
@Suite("patrold under systemd: notifications, watchdog, reload, stop", .serialized)
struct DaemonServiceTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-svc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    var database: String { folder.appendingPathComponent("patrol.sqlite").path }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// A configuration for tests: short deadline and cadences, no per-host cap.
    func config(deadline: Double = 4, workers: Int = 16, stallLimit: Double = 120, extra: String = "") throws -> String {
        try write("patrol.yaml", """
            database: patrol.sqlite
            credentials: credentials.sqlite
            probe:
              deadline: \(deadline)
              window: 1
            schedule:
              cadence: {priority: 5, watch: 5, general: 5}
              workers: \(workers)
              concurrency: \(workers)
              per_host_sessions: 64
            writer:
              batch_interval: 0.2
              stall_limit: \(stallLimit)
            \(extra)
            """)
        return folder.appendingPathComponent("patrol.yaml").path
    }

    /// Imports cameras C1… at `paths` on `host`:`port` (the first on the perimeter), in one venue,
    /// through `patrol inventory import`.
    func importCameras(_ paths: [String], port: Int, host: String = "127.0.0.1") throws {
        let cameras = try paths.enumerated().map { index, path in
            try Camera(id: "C\(index + 1)", venueID: "V1", placement: index == 0 ? .perimeter : .interior,
                       url: "rtsp://\(host):\(port)\(path)")
        }
        try TestDistrict.writeCSV(Inventory(venues: [TestDistrict.pingan()], cameras: cameras), to: folder)
        let run = try CommandRun("patrol", ["inventory", "import", "venues.csv", "cameras.csv", "--config", "patrol.yaml"],
                                 directory: folder)
        try #require(run.status == 0, "\(run.all)")
    }

    func count(_ sql: String) throws -> Int {
        let store = try Store(path: database, readOnly: true)
        return try store.pool.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    // MARK: The unit

    @Test("systemd-analyze verify accepts the unit, pointed at the built patrold")
    func unitVerifies() throws {
        let analyze = "/usr/bin/systemd-analyze"
        try #require(FileManager.default.isExecutableFile(atPath: analyze), "systemd-analyze missing: scripts/setup installs systemd")
        let unit = try String(contentsOf: Fleet.repository.appendingPathComponent("systemd/patrold.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/patrold "))
        // verify checks that ExecStart exists: a copy runs the binary this build made. The man
        // pages of Documentation= are installed by scripts/install, not present here.
        let copy = folder.appendingPathComponent("patrold.service")
        try unit.replacingOccurrences(of: "ExecStart=/usr/local/bin/patrold ",
                                      with: "ExecStart=\(CommandRun.binary("patrold").path) ")
            .write(to: copy, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: analyze)
        process.arguments = ["verify", "--man=no", copy.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.isEmpty, "\(text)")
    }

    @Test("patrold looks names up, opens, decodes and writes under the unit's system-call filter")
    func systemCallFilter() throws {
        let fleet = try Fleet.get()
        let unit = try String(contentsOf: Fleet.repository.appendingPathComponent("systemd/patrold.service"), encoding: .utf8)
        let denied = try #require(unit.split(separator: "\n").first { $0.hasPrefix("SystemCallFilter=~") }?
            .dropFirst("SystemCallFilter=~".count).split(separator: " ").map(String.init))
        #expect(denied == ["@privileged", "@resources"])
        #expect(unit.contains("SystemCallErrorNumber=EPERM"))
        let config = try config(deadline: 4, workers: 4)
        // `localhost`: the name goes through getaddrinfo, as a camera's host name would.
        try importCameras(["/cam/0031", "/cam/0032", "/fault/black"], port: fleet.port, host: "localhost")
        let tool = Fleet.repository.appendingPathComponent("Tests/FleetTests/Tools/deny-syscalls").path
        let run = try CommandRun("patrold", ["--config", config, "--once"], launcher: [tool] + denied + ["--"])
        #expect(run.status == 0, "\(run.all)")
        #expect(run.stdout.contains("online                 1         1         2"), "\(run.stdout)")
        #expect(run.stdout.contains("black                  0         1         1"), "\(run.stdout)")
        #expect(try count("SELECT count(*) FROM probe_result") == 3)
    }

    // MARK: Notifications

    @Test("READY once the store is migrated, WATCHDOG at half the interval, RELOADING and READY on SIGHUP, STOPPING on SIGTERM")
    func lifecycle() throws {
        let fleet = try Fleet.get()
        let config = try config(deadline: 3, workers: 2)
        let notify = try NotifySocket(abstract: true)
        // No database yet: the daemon makes it, and says READY only once it is migrated.
        let daemon = try Daemon(config: config, notify: notify, watchdogMicroseconds: 500_000, journal: true)
        defer { daemon.kill() }
        let ready = try #require(notify.wait(within: 60) { $0.contains("READY=1") }, "no READY: \(daemon.log.text)")
        #expect(FileManager.default.fileExists(atPath: database))
        // Migrated to this version: its newest migration is recorded.
        #expect(try count("""
            SELECT count(*) FROM grdb_migrations
            WHERE identifier = 'ledger seals: signed heads of the ledger and of each patrol day''s verdicts'
            """) == 1)
        #expect(ready.last?.contains("STATUS=0 cameras: 0 up, 0 down, 0 unknown; daily patrol: not run yet") == true,
                "\(ready)")

        // Two silent cameras, imported while the daemon runs and taken up on SIGHUP: both
        // workers spend their probes waiting out the deadline, which must not stop the pings.
        try importCameras(["/cam/0031", "/cam/0032"], port: fleet.blackholePort)
        let signalled = monotonicMicroseconds()
        daemon.signal(SIGHUP)
        let reload = try #require(notify.wait(within: 30) { $0.hasPrefix("READY=1") }, "\(daemon.log.text)")
        let answered = monotonicMicroseconds()
        let reloading = try #require(reload.first { $0.hasPrefix("RELOADING=1") }, "\(reload)")
        // MONOTONIC_USEC is CLOCK_MONOTONIC, the clock this process reads too: between the signal
        // and the answer.
        let stamp = try #require(reloading.split(separator: "\n").first { $0.hasPrefix("MONOTONIC_USEC=") }
            .flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
        #expect(signalled <= stamp && stamp <= answered, "MONOTONIC_USEC=\(stamp), ours \(signalled)…\(answered)")
        #expect(reload.last?.contains("STATUS=2 cameras: 0 up, 0 down, 2 unknown") == true, "\(reload)")

        // Both workers wait out the 3 s deadline on the silent cameras until the cameras are
        // judged down; the pings (at half of WATCHDOG_USEC, 0.25 s) go on meanwhile, and nothing
        // is ever found wedged.
        var pings = 0
        let seen = notify.wait(within: 120) { message in
            if message == "WATCHDOG=1" { pings += 1 }
            return message.hasPrefix("STATUS=2 cameras: 0 up, 2 down")
        }
        let judged = try #require(seen, "\(daemon.log.text)")
        #expect(pings >= 4, "\(pings) pings while the probes waited out their deadline: \(judged)")
        #expect(!(reload + judged).contains { $0.contains("wedged") }, "\(judged)")
        #expect(try count("SELECT count(*) FROM probe_result WHERE outcome = 'timeout'") >= 2,
                "the silent cameras were probed while the pings went on")

        daemon.signal(SIGTERM)
        #expect(notify.wait(within: 30) { $0.hasPrefix("STOPPING=1\nSTATUS=") } != nil)
        #expect(daemon.waitForExit(within: 30) == 0, "\(daemon.log.text)")
        // Its stderr is the journal: every line carries its priority.
        let lines = daemon.log.text.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.wholeMatch(of: /<[3-7]>.+/) != nil }, "\(daemon.log.text)")
    }

    /// Runs patrold with a fault-injection point that wedges one part for good, and checks that
    /// the watchdog is pinged until then, names the wedge in the status line and the log, and
    /// sends no ping after it. Returns the datagrams from the first ping on, and what the
    /// status line said.
    func watchdogStops(fault: String, config: String, wedge: String) throws -> (datagrams: [String], status: String) {
        let notify = try NotifySocket(abstract: false, folder: folder)
        let daemon = try Daemon(config: config, notify: notify, watchdogMicroseconds: 500_000,
                                environment: ["PATROLD_FAULT": fault])
        defer { daemon.kill() }
        try #require(notify.wait(within: 60) { $0.contains("READY=1") } != nil, "\(daemon.log.text)")
        var pings = 0
        #expect(notify.wait(within: 30) { message in
            if message == "WATCHDOG=1" { pings += 1 }
            return pings == 3
        } != nil, "the watchdog is pinged until the \(wedge)")
        let wedged = try #require(notify.wait(within: 60) { $0.hasPrefix("STATUS=") && $0.contains(wedge) },
                                  "\(daemon.log.text)")
        // No ping after it: four intervals of silence.
        let after = notify.collect(for: 2)
        #expect(!after.contains("WATCHDOG=1"), "\(after)")
        return (wedged + after, wedged.last ?? "")
    }

    @Test("a wedged pool (every worker stuck past the deadline) stops the watchdog pings")
    func wedgedPoolStopsWatchdog() throws {
        let config = try config(deadline: 1, workers: 2)
        try importCameras(["/cam/0041", "/cam/0042", "/cam/0043"], port: try Fleet.get().port)
        // Each probe blocks its worker for good; deadline 1 s plus the 5 s margin names the wedge.
        let seen = try watchdogStops(fault: "wedge-probes", config: config, wedge: "probe pool wedged")
        #expect(seen.status.contains("all 2 workers"), "\(seen.status)")
    }

    @Test("a wedged store writer (results waiting, nothing written) stops the watchdog pings")
    func wedgedWriterStopsWatchdog() throws {
        let config = try config(stallLimit: 3)
        try importCameras(["/cam/0044", "/cam/0045"], port: try Fleet.get().port)
        // The writer blocks for good before its first batch; results wait past the 3 s stall limit.
        let seen = try watchdogStops(fault: "wedge-writer", config: config, wedge: "store writer wedged")
        #expect(seen.status.contains("results waiting"), "\(seen.status)")
        // The probes themselves went on; nothing was written.
        #expect(try count("SELECT count(*) FROM probe_result") == 0)
        #expect(!seen.datagrams.contains { $0.contains("probe pool wedged") }, "\(seen.datagrams)")
    }

    // MARK: Stopping and reloading

    @Test("SIGTERM in the middle of a sweep: STOPPING=1, exit 0, every finished probe written, database intact")
    func stopMidSweep() throws {
        let fleet = try Fleet.get()
        let config = try config(deadline: 8, workers: 12)
        let cameras = (101...160).map { String(format: "/cam/%04d", $0) }
        try importCameras(cameras, port: fleet.port)
        let notify = try NotifySocket(abstract: true)
        let daemon = try Daemon(config: config, notify: notify)
        defer { daemon.kill() }
        try #require(notify.wait(within: 60) { $0.contains("READY=1") } != nil, "\(daemon.log.text)")
        // Some results written (the status line counts cameras up), more probes running.
        try #require(notify.wait(within: 60) { $0.hasPrefix("STATUS=60 cameras:") && !$0.contains(": 0 up") } != nil,
                     "\(daemon.log.text)")
        daemon.signal(SIGTERM)
        // STOPPING=1 with the status line: how many probes were in flight when the stop came.
        let stopping = try #require(notify.wait(within: 60) { $0.hasPrefix("STOPPING=1\n") }?.last, "\(daemon.log.text)")
        let inFlight = try #require(stopping.firstMatch(of: /; stopping: no new probes, (\d+) in flight/).flatMap { Int($0.1) },
                                    "\(stopping)")
        #expect(inFlight > 0, "the stop came in the middle of the sweep: \(stopping)")
        #expect(daemon.waitForExit(within: 60) == 0, "\(daemon.log.text)")
        // The last STATUS=, sent before the exit: every result the sweeper handed over was written.
        let stopped = try #require(notify.wait(within: 10) { $0.hasPrefix("STATUS=") && $0.contains("; stopped: ") }?.last,
                                   "\(notify.received())")
        let handed = try #require(stopped.firstMatch(of: /; stopped: all (\d+) probe results of this run written$/).flatMap { Int($0.1) },
                                  "\(stopped)")
        #expect(try handed == count("SELECT count(*) FROM probe_result"), "\(stopped)")
        let store = try Store(path: database, readOnly: true)
        #expect(try store.pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test("SIGHUP: a broken configuration is refused and the old one kept; a good one adds cameras that get probed")
    func reload() throws {
        let fleet = try Fleet.get()
        let config = try config()
        try importCameras(["/cam/0051", "/cam/0052"], port: fleet.port)
        let notify = try NotifySocket(abstract: true)
        let daemon = try Daemon(config: config, notify: notify, watchdogMicroseconds: 2_000_000)
        defer { daemon.kill() }
        try #require(notify.wait(within: 60) { $0.contains("READY=1") } != nil, "\(daemon.log.text)")
        try #require(notify.wait(within: 60) { $0.contains("STATUS=2 cameras: 2 up") } != nil, "\(daemon.log.text)")

        let good = try String(contentsOfFile: config, encoding: .utf8)
        try write("patrol.yaml", good.replacingOccurrences(of: "deadline: 4", with: "deadline: soon"))
        daemon.signal(SIGHUP)
        let refused = try #require(notify.wait(within: 30) { $0.hasPrefix("READY=1") }, "\(daemon.log.text)")
        #expect(refused.contains { $0.hasPrefix("RELOADING=1") })
        // Why, in the status line `systemctl status` shows, until a reload is accepted.
        let reason = try #require(refused.last?.firstMatch(of: /; reload rejected, the running configuration stays in force: (.+)$/)?.1)
        #expect(reason.contains("patrol.yaml:4: probe.deadline: expected a number"), "\(reason)")
        // Still running on the old configuration: pinging, probing.
        #expect(notify.wait(within: 10) { $0 == "WATCHDOG=1" } != nil)
        #expect(daemon.isRunning)

        try write("patrol.yaml", good)
        try importCameras(["/cam/0051", "/cam/0052", "/cam/0053", "/cam/0054"], port: fleet.port)
        // The old cameras' history so far: rows are only ever appended, so these stay as they are.
        let last = try count("SELECT coalesce(max(rowid), 0) FROM probe_result")
        let history = "SELECT count(*) FROM probe_result WHERE camera_id IN ('C1', 'C2') AND rowid <= \(last)"
        let before = try count(history)
        daemon.signal(SIGHUP)
        let reloaded = try #require(notify.wait(within: 30) { $0.hasPrefix("READY=1") }, "\(daemon.log.text)")
        #expect(reloaded.last?.hasPrefix("READY=1\nSTATUS=4 cameras: ") == true, "\(reloaded)")
        #expect(reloaded.last?.contains("reload rejected") == false, "\(reloaded)")
        // The new cameras are probed; the old ones keep their state and history.
        #expect(notify.wait(within: 60) { $0.contains("STATUS=4 cameras: 4 up") } != nil, "\(daemon.log.text)")
        #expect(try count("SELECT count(*) FROM probe_result WHERE camera_id IN ('C3', 'C4')") >= 2)
        #expect(try count(history) == before && before > 0)
        #expect(try count("SELECT count(*) FROM camera_state WHERE camera_id IN ('C1', 'C2') AND status = 'up'") == 2)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(within: 30) == 0, "\(daemon.log.text)")
    }
}

/// A running `patrold`, its stderr collected line by line.
final class Daemon: @unchecked Sendable {
    let process = Process()
    let log = LogLines()
    private let exited = DispatchSemaphore(value: 0)

    /// - Parameter journal: stderr stands for the journal, as systemd connects it: JOURNAL_STREAM
    ///   names the pipe's device and inode, and patrold prefixes its lines with their priority.
    init(config: String, notify: NotifySocket?, watchdogMicroseconds: Int? = nil, environment: [String: String] = [:],
         arguments: [String] = [], journal: Bool = false) throws {
        process.executableURL = CommandRun.binary("patrold")
        process.arguments = ["--config", config] + arguments
        var variables = CommandRun.environment(environment)
        variables["NOTIFY_SOCKET"] = notify?.name
        if let watchdogMicroseconds { variables["WATCHDOG_USEC"] = String(watchdogMicroseconds) }
        let errors = Pipe()
        if journal {
            var info = stat()
            if fstat(errors.fileHandleForWriting.fileDescriptor, &info) == 0 { variables["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)" }
        }
        process.environment = variables
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let done = exited
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        log.read(errors.fileHandleForReading)
    }

    var isRunning: Bool { process.isRunning }

    func signal(_ number: Int32) { Glibc.kill(process.processIdentifier, number) }

    /// The exit status, or nil if it has not exited within `seconds`.
    func waitForExit(within seconds: Double) -> Int32? {
        guard exited.wait(timeout: .now() + seconds) == .success else { return nil }
        exited.signal()
        return process.terminationStatus
    }

    func kill() {
        if process.isRunning { signal(SIGKILL) }
        _ = waitForExit(within: 10)
    }
}

/// Lines read from a pipe on a thread of their own; waits are woken by each new line.
final class LogLines: @unchecked Sendable {
    private let condition = NSCondition()
    private var lines: [String] = []

    var text: String { condition.withLock { lines.joined(separator: "\n") } }

    func read(_ handle: FileHandle) {
        let thread = Thread { [self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    condition.withLock {
                        lines.append(line)
                        condition.broadcast()
                    }
                }
            }
        }
        thread.start()
    }

    /// The first line containing `text`, waiting for it up to `seconds`: for a fault-injection
    /// point that says on stderr where it holds (`PATROLD_FAULT=pause-in-patrol`).
    func wait(for text: String, within seconds: Double) -> String? {
        let end = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let found = lines.first(where: { $0.contains(text) }) { return found }
            guard condition.wait(until: end) else { return lines.first { $0.contains(text) } }
        }
    }
}

/// CLOCK_MONOTONIC in microseconds, as systemd's MONOTONIC_USEC= counts it.
func monotonicMicroseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
}
