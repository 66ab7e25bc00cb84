#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to standard output and standard error with write(2), never with a call that traps
/// when the descriptor cannot be written (Foundation's `FileHandle.write` does: a full disk, a
/// closed descriptor or a reader gone would kill the process).
///
/// Standard error carries log lines: a line that cannot be written is dropped, nothing else
/// happens. Standard output carries what a command was asked for: a failure to write it is an
/// error the caller reports (exit 74), so `patrol report daily > file` on a full disk never
/// ends in silence with an empty file.
public enum Output {
    /// Why standard output could not be written: errno's value and words.
    public struct WriteError: Error, CustomStringConvertible {
        public let code: Int32

        public init(code: Int32) { self.code = code }

        /// The reader went away (`patrol … | head`): nobody is left to tell.
        public var isBrokenPipe: Bool { code == EPIPE }

        public var description: String {
            let reason = String(cString: strerror(code))
            return switch code {
            case ENOSPC, EDQUOT: "cannot write the output: \(reason): free space where the output goes, then run the command again"
            case EPIPE: "cannot write the output: the reader closed it"
            default: "cannot write the output: \(reason)"
            }
        }
    }

    /// Call once at process start: a write to a pipe nobody reads then fails with EPIPE instead
    /// of killing the process with SIGPIPE (systemd starts services this way too).
    public static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Writes `text` to standard output, all of it, or throws.
    public static func print(_ text: String) throws(WriteError) {
        if let code = write(text, to: STDOUT_FILENO) { throw WriteError(code: code) }
    }

    /// Writes `line` and a line end to standard output, or throws.
    public static func line(_ line: String) throws(WriteError) {
        try print(line + "\n")
    }

    /// Writes `text` to standard error if it can; a log line that cannot be written is dropped
    /// (EPIPE, ENOSPC, EBADF and the rest): a daemon never dies because its log is unwritable.
    public static func log(_ text: String) {
        _ = write(text, to: STDERR_FILENO)
    }

    /// A syslog priority, as journald reads it from a line's `<N>` prefix.
    public enum Priority: Int, Sendable {
        case error = 3, warning = 4, notice = 5, info = 6, debug = 7
    }

    /// Writes `text` to standard error as `log` does, each line prefixed with its priority
    /// (`<3>`) when standard error is the journal, and plain on a terminal, a pipe or a file.
    public static func log(_ priority: Priority, _ text: String) {
        log(prefixed(text, priority, journal: stderrIsJournal))
    }

    /// `text` with `<N>` before each of its lines when `journal`; unchanged otherwise.
    static func prefixed(_ text: String, _ priority: Priority, journal: Bool) -> String {
        guard journal else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            line.isEmpty && index > 0 ? "" : "<\(priority.rawValue)>" + line
        }.joined(separator: "\n")
    }

    /// Whether standard error is connected to the journal: systemd names the stream it connects a
    /// service's output to in JOURNAL_STREAM (`DEVICE:INODE`); a descriptor with that device and
    /// inode is it. Inherited by a child whose stderr was sent elsewhere, the variable no longer
    /// matches, and lines stay plain.
    public static let stderrIsJournal: Bool = isJournal(getenv("JOURNAL_STREAM").map { String(cString: $0) }, descriptor: STDERR_FILENO)

    /// Whether `descriptor` is the stream `journalStream` (JOURNAL_STREAM's `DEVICE:INODE`) names.
    public static func isJournal(_ journalStream: String?, descriptor: Int32) -> Bool {
        guard let journalStream, let colon = journalStream.firstIndex(of: ":"),
              let device = UInt64(journalStream[..<colon]),
              let inode = UInt64(journalStream[journalStream.index(after: colon)...]) else { return false }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    /// Whether `descriptor` is a terminal.
    public static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// Writes every byte of `text` to `descriptor`, again after EINTR and after a partial write.
    /// Returns errno's value when it stops short, nil when all was written.
    public static func write(_ text: String, to descriptor: Int32) -> Int32? {
        var text = text
        return text.withUTF8 { bytes -> Int32? in
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return written < 0 ? errno : EIO
                }
            }
            return nil
        }
    }

    private static func systemWrite(_ descriptor: Int32, _ pointer: UnsafePointer<UInt8>, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, pointer, count)
        #else
        Darwin.write(descriptor, pointer, count)
        #endif
    }

    /// `text` as a terminal may show it: control characters (ESC, CR, LF, NUL, DEL, C1 and the
    /// Unicode line separators) become visible escapes such as `\x1B`, so a name in the database
    /// can neither move the cursor, recolour the screen nor start a line of its own.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var shown = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                shown += scalar.value <= 0xFF ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex)}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    /// C0, DEL, C1, and U+2028/U+2029.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
