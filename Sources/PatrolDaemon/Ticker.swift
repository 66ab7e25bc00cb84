import ServiceLifecycle

/// What the daemon does on a clock besides probing (the daily patrol, the mail, pruning, the
/// status line, the watchdog): `body` at once, then every `seconds`, each tick at its time on a
/// monotonic clock (after a body that overran, the next tick comes at once, as a repeating
/// timer's does).
/// Returns when the task is cancelled or its service group shuts down gracefully; a body under
/// way is not interrupted by the graceful shutdown.
func every(_ seconds: Double, _ body: @escaping @Sendable () async -> Void) async {
    let clock = ContinuousClock()
    let period = Duration.nanoseconds(Int64(seconds * 1e9))
    var next = clock.now
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
        await body()
        next += period
        next = max(next, clock.now)
        let deadline = next
        do {
            try await cancelWhenGracefulShutdown {
                try await Task.sleep(until: deadline, tolerance: period / 20, clock: clock)
            }
        } catch {
            return
        }
    }
}
