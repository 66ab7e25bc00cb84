import Foundation
import PatrolOutput

/// Log lines for journald: one event per line on stderr, with the syslog priority prefix
/// (`<3>` error … `<7>` debug) that journald reads. A line that cannot be written (a full
/// disk, a closed descriptor, journald gone) is dropped: the daemon goes on. Never give it credentials: pass
/// `StreamURL`s (which print redacted), not strings built from the inventory's secrets.
public enum Journal {
    public enum Priority: Int {
        case error = 3, warning = 4, notice = 5, info = 6, debug = 7
    }

    public static func log(_ priority: Priority, _ message: String) {
        let line = "<\(priority.rawValue)>" + message.replacingOccurrences(of: "\n", with: " ") + "\n"
        Output.log(line)
    }

    public static func error(_ message: String) { log(.error, message) }
    public static func warning(_ message: String) { log(.warning, message) }
    public static func notice(_ message: String) { log(.notice, message) }
    public static func info(_ message: String) { log(.info, message) }
}
