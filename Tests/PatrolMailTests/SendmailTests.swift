import Foundation
import Glibc
import Testing
@testable import PatrolMail
import PatrolTestSupport

@Suite("sendmail: the real msmtp, a child started clean, failures named")
struct SendmailTests {
    let message = try! sampleReport().render(date: reportMorning, messageID: "<sendmail-test@district.example>")

    @Test("a missing sendmail is named as not installed")
    func missing() {
        #expect(throws: SendmailError.notInstalled(path: "/nonexistent/sbin/sendmail")) {
            try Sendmail(path: "/nonexistent/sbin/sendmail").send(message)
        }
        #expect(SendmailError.notInstalled(path: "/usr/sbin/sendmail").description.contains("not installed"))
    }

    @Test("msmtp takes the recipients from the headers and delivers")
    func delivers() throws {
        let receiver = try Receiver()
        let home = try MailHome()
        try home.use(port: receiver.port)
        try home.sendmail().send(message)
        let received = try receiver.received()
        #expect(received.count == 1)
        #expect(received.first?.recipients == ["office@district.example", "duty@district.example", "team1@district.example",
                                               "maintenance@city.example"])
    }

    @Test("a refused connection: msmtp's exit status and the first line it wrote")
    func refused() throws {
        let receiver = try Receiver()
        let home = try MailHome()
        try home.use(port: receiver.refusedPort)
        #expect {
            try home.sendmail().send(message)
        } throws: { error in
            guard case SendmailError.exited(let path, let status, let line) = error else { return false }
            return path == "/usr/sbin/sendmail" && status != 0 && line.contains("cannot connect")
                && (error as! SendmailError).description.contains("exited with status \(status): ")
        }
        #expect(try receiver.received().isEmpty)
    }

    @Test("a program that exits 0 without reading the message has not taken it")
    func stoppedReading() {
        let large = Data(count: 4_000_000)  // more than the socket holds
        #expect(throws: SendmailError.stoppedReading(path: "/bin/true", stderr: "")) {
            try Sendmail(path: "/bin/true").send(large)
        }
    }

    @Test("a sendmail that hangs is killed at its timeout")
    func hangs() throws {
        let receiver = try Receiver()
        let home = try MailHome()
        try home.use(port: receiver.silentPort)  // accepts the connection, never greets
        #expect(throws: SendmailError.timedOut(path: "/usr/sbin/sendmail", seconds: 1)) {
            try home.sendmail(timeout: 1).send(message)
        }
    }
}

@Suite("A child process starts clean and is bounded")
struct ChildProcessTests {
    func shell(_ script: String, input: Data = Data(), timeout: TimeInterval = 10) throws -> ChildProcess.Outcome {
        try ChildProcess.run("/bin/sh", arguments: ["-c", script], environment: ["PATH": "/usr/bin:/bin"], input: input,
                             timeout: timeout)
    }

    @Test("no blocked or ignored signals and no descriptor beyond 0, 1 and 2 pass to the child")
    func clean() throws {
        // As in the daemon: SIGTERM and SIGINT blocked on the calling thread and ignored process-wide,
        // and a descriptor open without close-on-exec. Done on a thread of its own, then undone.
        final class Box: @unchecked Sendable { var outcome: Result<ChildProcess.Outcome, any Error>?; var leaked: Int32 = -1 }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var blocked = sigset_t(), previous = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGTERM)
            sigaddset(&blocked, SIGINT)
            pthread_sigmask(SIG_BLOCK, &blocked, &previous)
            let ignored = signal(SIGTERM, SIG_IGN)
            box.leaked = open("/dev/null", O_RDONLY)
            box.outcome = Result {
                // The spawned process itself reports (a shell would block signals while it waits).
                try ChildProcess.run(python, arguments: ["-c", Self.report], environment: [:], input: Data(), timeout: 30)
            }
            close(box.leaked)
            signal(SIGTERM, ignored)
            pthread_sigmask(SIG_SETMASK, &previous, nil)
            done.signal()
        }
        thread.start()
        done.wait()
        let outcome = try box.outcome!.get()
        #expect(outcome.termination == .exited(0))
        let report = String(decoding: outcome.stderr, as: UTF8.self).split(separator: "\n")
        let masks = Dictionary(uniqueKeysWithValues: report.filter { $0.hasPrefix("Sig") }.map {
            ($0.split(separator: ":")[0], UInt64($0.split(separator: "\t").last!, radix: 16)!)
        })
        #expect(masks["SigBlk"] == 0)
        #expect(masks["SigIgn"].map { $0 & (1 << (UInt64(SIGTERM) - 1) | 1 << (UInt64(SIGINT) - 1)) } == 0)
        let descriptors = Set(report.filter { !$0.hasPrefix("Sig") }.compactMap { Int32($0) })
        // 0, 1 and 2, and the one Python opens to list the folder.
        #expect(descriptors == [0, 1, 2, 3])
        #expect(box.leaked > 3)
    }

    static let report = """
        import os, sys
        with open("/proc/self/status") as status:
            sys.stderr.write("".join(line for line in status if line.startswith(("SigBlk", "SigIgn"))))
        sys.stderr.write("\\n".join(os.listdir("/proc/self/fd")) + "\\n")
        """

    @Test("stdin is delivered whole, larger than any pipe buffer")
    func input() throws {
        let data = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 % 251) })
        let outcome = try shell("wc -c >&2", input: data)
        #expect(outcome.termination == .exited(0) && outcome.inputWritten)
        #expect(String(decoding: outcome.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "3000000")
    }

    @Test("exit status, death by signal, and a child that stops reading its input")
    func endings() throws {
        #expect(try shell("echo 'sendmail: queue full' >&2; exit 75").termination == .exited(75))
        #expect(try shell("echo 'sendmail: queue full' >&2; exit 75").stderr == Data("sendmail: queue full\n".utf8))
        #expect(try shell("kill -9 $$").termination == .signaled(SIGKILL))
        #expect(try shell("exit 3", input: Data(count: 4_000_000)).termination == .exited(3))
        let early = try shell("exit 0", input: Data(count: 4_000_000))
        #expect(early.termination == .exited(0) && !early.inputWritten)
    }

    @Test("a hung child and what it started are killed at the deadline")
    func deadline() throws {
        // The grandchild keeps stderr open and says who it is there.
        let outcome = try shell("sleep 600 & echo $! >&2; exec sleep 600", timeout: 0.5)
        #expect(outcome.termination == .timedOut)
        let pid = try #require(Int32(String(decoding: outcome.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        // Killed: gone, a zombie waiting for init to reap it, or still running its last instants
        // with SIGKILL pending (the kernel delivers it asynchronously); never asleep unsignalled.
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> String? {
            status.split(separator: "\n").first { $0.hasPrefix(name + ":") }?.split(separator: "\t").dropFirst().first.map(String.init)
        }
        let killBit = UInt64(1) << (UInt64(SIGKILL) - 1)
        let pending = [field("SigPnd"), field("ShdPnd")].compactMap { $0.flatMap { UInt64($0, radix: 16) } }
            .contains { $0 & killBit != 0 }
        let state = field("State")
        #expect(status.isEmpty || state?.hasPrefix("Z") == true || state?.hasPrefix("X") == true || pending,
                "the grandchild \(pid): \(state ?? "?")")
    }

    @Test("a child that exits while a grandchild holds stderr open is not waited for")
    func grandchild() throws {
        // Waiting for the grandchild's stderr would run into the timeout: timedOut, not exited(0).
        let outcome = try shell("(sleep 40 >&2 &) ; exit 0", timeout: 20)
        #expect(outcome.termination == .exited(0))
    }
}
