/// How one probe is run. Every default is documented in docs/PROBE.md.
public struct ProbeSettings: Sendable, Equatable {
    public enum Transport: String, Sendable, CaseIterable, Codable {
        case tcp, udp
    }

    /// The whole budget of one probe, from the first DNS query to the close. The probe
    /// returns within `deadline` plus a few hundred milliseconds, whatever the far end does.
    public var deadline: Duration = .seconds(8)
    /// How long frames are watched once the stream is open. The probe stops earlier once it
    /// has decoded a keyframe and seen `enoughFrames` frames, and goes on past it (never past
    /// the deadline) only to wait for a keyframe it still needs.
    public var window: Duration = .seconds(2)
    /// RTSP lower transport; RTP interleaved over the RTSP TCP connection by default.
    public var transport: Transport = .tcp
    public var enoughFrames = 5
    /// The least time between the two keyframes compared for a frozen picture.
    public var freezeSpan: Duration = .milliseconds(500)
    /// Kept free before the deadline for closing the session.
    public var closeMargin: Duration = .milliseconds(250)
    public var thresholds = PictureThresholds()
    public var userAgent = "Patrol"

    public init() {}
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }

    var nanoseconds: Int64 {
        let (s, attoseconds) = components
        return s * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
