import Foundation
import PatrolOutput

/// Log lines: one event per line on stderr. When stderr is the journal (JOURNAL_STREAM names
/// it: patrold under systemd), each line carries the syslog priority prefix (`<3>` error …
/// `<7>` debug) that journald reads; on a terminal, a pipe or a file, plain lines. A line that
/// cannot be written (a full disk, a closed descriptor, journald gone) is dropped: the daemon
/// goes on. Never give it credentials: pass `StreamURL`s (which print redacted), not strings
/// built from the inventory's secrets.
public enum Journal {
    public typealias Priority = Output.Priority

    public static func log(_ priority: Priority, _ message: String) {
        Output.log(priority, message.replacingOccurrences(of: "\n", with: " ") + "\n")
    }

    public static func error(_ message: String) { log(.error, message) }
    public static func warning(_ message: String) { log(.warning, message) }
    public static func notice(_ message: String) { log(.notice, message) }
    public static func info(_ message: String) { log(.info, message) }
}
