import ArgumentParser
import PatrolProbe

/// Exit codes a shell script can rely on; docs/PROBE.md lists them.
extension Outcome {
    public var exitCode: ExitCode {
        switch self {
        case .online: .success
        case .refused: ExitCode(20)
        case .timeout: ExitCode(21)
        case .unauthorized: ExitCode(22)
        case .notFound: ExitCode(23)
        case .rtspError: ExitCode(24)
        case .noVideo: ExitCode(25)
        case .stalled: ExitCode(26)
        case .frozen: ExitCode(27)
        case .black: ExitCode(28)
        case .corrupt: ExitCode(29)
        case .moved: ExitCode(30)
        case .obstructed: ExitCode(31)
        case .blurred: ExitCode(32)
        }
    }
}
