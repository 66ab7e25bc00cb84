import PatrolStore

/// The one line the daemon shows in `systemctl status` (systemd's STATUS=): the cameras up and
/// down, the last daily patrol, what is wrong with the daemon itself, if anything, a reload
/// refused, and how a stop is going.
struct ServiceStatus: Equatable {
    var cameras = 0
    var up = 0
    var down = 0
    /// The last daily patrol's outcome in a few words (when it ran, what it found, whether the
    /// report went out); nil until the daily patrol job sets it.
    var lastPatrol: String?
    /// Why the daemon is not well (the watchdog's verdict), or what it is busy with (reloading).
    var problem: String?
    /// Why the last reload was refused (the running configuration stays in force); nil once a
    /// later reload is accepted or finds nothing changed.
    var rejectedReload: String?
    /// Where a stop (SIGTERM, SIGINT) stands.
    var stop: Stop?

    enum Stop: Equatable {
        /// No new probes; these were in flight, each ending within its deadline.
        case stopping(inFlight: Int)
        /// The group has stopped: the probe results this run handed to the writer, and those it
        /// could not write.
        case stopped(results: Int, unwritten: Int)
    }

    var line: String {
        var parts = ["\(cameras) cameras: \(up) up, \(down) down, \(max(0, cameras - up - down)) unknown"]
        parts.append("daily patrol: " + (lastPatrol ?? "not run yet"))
        if let problem { parts.append(problem) }
        if let rejectedReload { parts.append("reload rejected, the running configuration stays in force: " + rejectedReload) }
        switch stop {
        case .stopping(let inFlight): parts.append("stopping: no new probes, \(inFlight) in flight")
        case .stopped(let results, 0): parts.append("stopped: all \(results) probe results of this run written")
        case .stopped(let results, let unwritten): parts.append("stopped: \(unwritten) of \(results) probe results unwritten")
        case nil: break
        }
        // One line: a newline would start another field of the datagram.
        return parts.joined(separator: "; ").split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Reads the cameras up and down from the store; `cameras` is the number in the schedule.
    mutating func count(in store: Store, cameras: Int) throws {
        self.cameras = cameras
        let counts = try store.cameraStatusCounts()
        up = counts[.up] ?? 0
        down = counts[.down] ?? 0
        lastPatrol = try store.lastPatrol().map { "\($0.day) judged (\($0.venues) venues; ledger at #\($0.headSeq))" }
    }
}
