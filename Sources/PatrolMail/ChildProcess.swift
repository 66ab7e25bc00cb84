import Foundation
import Glibc

/// Runs a program to completion under a deadline: `input` on its stdin, its stderr captured, its
/// stdout discarded. The child starts clean, whatever the calling thread's state: posix_spawn
/// with an empty signal mask and every signal at its default disposition (the daemon blocks
/// SIGTERM and SIGINT on its threads and ignores them process-wide, and a child would inherit
/// both), no file descriptor but 0, 1 and 2, and its own process group, so that a deadline kills
/// whatever it started too. The calling thread blocks for at most `timeout`.
struct ChildProcess {
    enum Termination: Equatable {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
        /// Its exit status could not be read: something else in this process reaped it (SIGCHLD
        /// set to SIG_IGN does that), so whether it succeeded is unknown.
        case unknown
    }

    struct Outcome {
        var termination: Termination
        var stderr: Data
        /// Every byte of the input was written before the child exited.
        var inputWritten: Bool
    }

    /// posix_spawn, or the setup before it, failed with this errno (ENOENT: no such program).
    struct SpawnError: Error {
        var code: Int32
    }

    static let stderrLimit = 64 * 1024

    static func run(_ path: String, arguments: [String], environment: [String: String]?, input: Data,
                    timeout: TimeInterval) throws(SpawnError) -> Outcome {
        let deadline = ContinuousClock.now + .milliseconds(Int64(max(0, timeout) * 1000))
        // Sockets rather than pipes: they are made close-on-exec atomically (Swift's Glibc module
        // lacks pipe2), and writing to a child that has gone away fails with EPIPE (send with
        // MSG_NOSIGNAL) instead of raising SIGPIPE in the daemon.
        let stdinPair = try socketPair()
        let stderrPipe: [Int32], exitPipe: [Int32]
        do {
            stderrPipe = try socketPair()
        } catch {
            stdinPair.forEach { close($0) }
            throw error
        }
        do {
            exitPipe = try socketPair()
        } catch {
            (stdinPair + stderrPipe).forEach { close($0) }
            throw error
        }
        let (ourInput, childInput) = (stdinPair[0], stdinPair[1])
        let (errorsRead, errorsWrite) = (stderrPipe[0], stderrPipe[1])
        let (exitRead, exitWrite) = (exitPipe[0], exitPipe[1])

        let spawned = spawn(path, arguments: arguments, environment: environment, stdin: childInput, stderr: errorsWrite)
        close(childInput)
        close(errorsWrite)
        let pid: pid_t
        switch spawned {
        case .success(let child): pid = child
        case .failure(let error):
            [ourInput, errorsRead, exitRead, exitWrite].forEach { close($0) }
            throw error
        }
        defer { [errorsRead, exitRead].forEach { close($0) } }

        // A thread waits for the exit without reaping (WNOWAIT): until this thread reaps it below,
        // the pid cannot be reused, so a kill on the deadline can only reach this child.
        let waiter = Thread {
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
            var byte: UInt8 = 1
            _ = write(exitWrite, &byte, 1)
            close(exitWrite)
        }
        waiter.stackSize = 64 * 1024
        waiter.start()

        _ = fcntl(ourInput, F_SETFL, fcntl(ourInput, F_GETFL) | O_NONBLOCK)
        _ = fcntl(errorsRead, F_SETFL, fcntl(errorsRead, F_GETFL) | O_NONBLOCK)
        var inputFD: Int32? = ourInput
        var written = 0
        var captured = Data()
        var exited = false, timedOut = false
        let bytes = [UInt8](input)

        func closeInput() {
            if let fd = inputFD { close(fd) }
            inputFD = nil
        }
        func drainErrors() -> Bool {  // false at end of file
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(errorsRead, &buffer, buffer.count)
                if count > 0 {
                    if captured.count < stderrLimit { captured.append(contentsOf: buffer[0..<min(count, stderrLimit - captured.count)]) }
                    continue
                }
                return !(count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR))
            }
        }
        if bytes.isEmpty { closeInput() }

        var errorsOpen = true
        while !exited {
            let left = deadline - ContinuousClock.now
            if left <= .zero {
                timedOut = true
                break
            }
            var fds = [pollfd(fd: exitRead, events: Int16(POLLIN), revents: 0)]
            if errorsOpen { fds.append(pollfd(fd: errorsRead, events: Int16(POLLIN), revents: 0)) }
            if let fd = inputFD { fds.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            let milliseconds = Int32(min(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1, 60_000))
            guard poll(&fds, nfds_t(fds.count), milliseconds) >= 0 || errno == EINTR else {
                timedOut = true  // cannot watch the child any more: stop it rather than wait blind
                break
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == exitRead {
                    exited = true
                } else if entry.fd == errorsRead {
                    errorsOpen = drainErrors()
                } else if entry.fd == inputFD {
                    let count = bytes[written...].withUnsafeBytes { send(entry.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if count > 0 { written += count }
                    // Everything written, or the child stopped reading (its exit status will say why).
                    if written == bytes.count || (count < 0 && errno != EAGAIN && errno != EINTR) { closeInput() }
                }
            }
        }
        closeInput()
        if timedOut {
            // The process group first (anything the child started), then the child itself.
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }
        var byte: UInt8 = 0
        while read(exitRead, &byte, 1) < 0 && errno == EINTR {}
        if errorsOpen { _ = drainErrors() }
        var status: Int32 = 0
        var reaped: pid_t
        repeat { reaped = waitpid(pid, &status, 0) } while reaped < 0 && errno == EINTR

        let termination: Termination
        if timedOut {
            termination = .timedOut
        } else if reaped != pid {
            termination = .unknown
        } else if status & 0x7F == 0 {
            termination = .exited((status >> 8) & 0xFF)
        } else {
            termination = .signaled(status & 0x7F)
        }
        return Outcome(termination: termination, stderr: captured, inputWritten: written == bytes.count)
    }

    private static func socketPair() throws(SpawnError) -> [Int32] {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0
        else { throw SpawnError(code: errno) }
        return pair
    }

    private static func spawn(_ path: String, arguments: [String], environment: [String: String]?,
                              stdin: Int32, stderr: Int32) -> Result<pid_t, SpawnError> {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        closeOtherDescriptors(&actions)

        var mask = sigset_t(), defaults = sigset_t()
        sigemptyset(&mask)
        sigfillset(&defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let environment = environment ?? ProcessInfo.processInfo.environment
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        return result == 0 ? .success(pid) : .failure(SpawnError(code: result))
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34 and later close every descriptor from 3 up in the child (the symbol is looked up
    /// because Swift's Glibc module does not declare it). Earlier, each descriptor open now is
    /// closed by name; a close that finds one already gone is not an error to posix_spawn.
    private static func closeOtherDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np"),
           unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3) == 0 {
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }
}
