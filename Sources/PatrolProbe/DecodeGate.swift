import Dispatch
import Foundation
import PatrolAV

/// How many pictures the process decodes at once.
///
/// A decoder lives only while its picture is decoded and measured, but while it lives it holds
/// the codec's context and its frame buffers: about 5 MB for a 1080p H.264 keyframe. Cameras
/// that start their GOPs together (an encoder farm, a recorder re-synchronising after a power
/// cut, the fleet's shared pipelines) would have every open session decode in the same instant,
/// and the process's memory would follow the sessions' count instead of the cores'. Decoding is
/// all CPU: more decodes at once than the machine has cores only take turns on the CPU while
/// holding their buffers. So a probe waits here for a turn, bounded by its deadline; a probe
/// that cannot get one in time says so instead of decoding late.
enum DecodeGate {
    /// The turns: the cores, and at least two.
    static let turns = max(2, ProcessInfo.processInfo.activeProcessorCount)
    private static let semaphore = DispatchSemaphore(value: turns)

    /// Runs `body` within a turn, or returns nil when none came before `deadline` (pav_now_ns).
    static func withTurn<T>(until deadline: Int64, _ body: () -> T) -> T? {
        let wait = max(0, deadline - pav_now_ns())
        guard semaphore.wait(timeout: .now() + .nanoseconds(Int(clamping: wait))) == .success else { return nil }
        defer { semaphore.signal() }
        return body()
    }
}
