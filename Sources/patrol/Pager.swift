import Foundation
import PatrolOutput

/// Long output on a terminal goes through the operator's pager, as git does: `$PAGER`, else
/// `less -FRX` (which prints a screenful and quits, keeps colours, leaves the screen as it
/// was). Piped or redirected, it is written straight out. `PAGER=cat` (or an empty PAGER)
/// turns paging off.
enum Pager {
    /// The pager's shell command for this environment; nil for none.
    static func command(_ environment: [String: String]) -> String? {
        let command = (environment["PAGER"] ?? "less -FRX").trimmingCharacters(in: .whitespaces)
        return command.isEmpty || command == "cat" ? nil : command
    }

    /// Writes `text` and a line end to standard output, through the pager when it is a terminal.
    static func show(_ text: String) throws(Output.WriteError) {
        let environment = ProcessInfo.processInfo.environment
        guard Output.isTerminal(STDOUT_FILENO), let command = command(environment) else { return try Output.line(text) }
        let pager = Process(), input = Pipe()
        pager.executableURL = URL(fileURLWithPath: "/bin/sh")
        pager.arguments = ["-c", command]
        // Patrol writes UTF-8 whatever the locale: less shows it as text, not as <E5><B9>.
        pager.environment = environment.merging(["LESSCHARSET": "utf-8"]) { old, _ in old }
        pager.standardInput = input
        do { try pager.run() } catch { return try Output.line(text) }
        // The reader may quit before the end (`q` in less): what it did not want is dropped.
        _ = Output.write(text + "\n", to: input.fileHandleForWriting.fileDescriptor)
        try? input.fileHandleForWriting.close()
        pager.waitUntilExit()
    }
}
