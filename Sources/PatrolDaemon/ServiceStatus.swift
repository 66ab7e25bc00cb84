import PatrolStore

/// The one line the daemon shows in `systemctl status` (systemd's STATUS=): the cameras up and
/// down, the last daily patrol, and what is wrong with the daemon itself, if anything.
struct ServiceStatus: Equatable {
    var cameras = 0
    var up = 0
    var down = 0
    /// The last daily patrol's outcome in a few words (when it ran, what it found, whether the
    /// report went out); nil until the daily patrol job sets it.
    var lastPatrol: String?
    /// Why the daemon is not well (the watchdog's verdict), or what it is busy with (reloading).
    var problem: String?

    var line: String {
        var parts = ["\(cameras) cameras: \(up) up, \(down) down, \(max(0, cameras - up - down)) unknown"]
        parts.append("daily patrol: " + (lastPatrol ?? "not run yet"))
        if let problem { parts.append(problem) }
        return parts.joined(separator: "; ")
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
