import PatrolAV

extension Probe {
    /// Call once at process start. Every picture check allocates and frees the decoder's
    /// multi-megabyte picture buffers; glibc would map and unmap them each time, paying page
    /// faults on every check (measured: about a third of its CPU). Keeping them on the heap, in
    /// one arena, avoids that; a thread of the shim's gives back each second what lies free
    /// beyond 16 MB, so a burst of sessions does not leave the process at its peak.
    public static func tuneProcess() {
        pav_tune_process()
    }
}
