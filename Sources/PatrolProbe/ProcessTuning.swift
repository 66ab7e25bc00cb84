import PatrolAV

extension Probe {
    /// Call once at process start. Every probe allocates and frees the decoder's multi-megabyte
    /// picture buffers; glibc would map and unmap them each time, paying page faults on every
    /// probe (measured: about a third of a probe's CPU). Keeping them on the heap avoids that.
    public static func tuneProcess() {
        pav_tune_process()
    }
}
