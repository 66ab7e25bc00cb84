/// How one probe is run. Every default is documented in docs/PROBE.md.
public struct ProbeSettings: Sendable, Equatable {
    /// How RTP reaches the probe from an RTSP server: interleaved in the RTSP TCP connection,
    /// or in UDP datagrams. The two-way choices ask for the first and move to the second when
    /// the server refuses it at SETUP (461 Unsupported Transport, 400, another transport in
    /// its answer), as FFmpeg's own client does.
    public enum Transport: String, Sendable, CaseIterable, Codable {
        case tcp
        case udp
        case tcpThenUDP = "tcp,udp"
        case udpThenTCP = "udp,tcp"

        /// The transports to ask for, in order.
        public var order: [Transport] {
            switch self {
            case .tcp: [.tcp]
            case .udp: [.udp]
            case .tcpThenUDP: [.tcp, .udp]
            case .udpThenTCP: [.udp, .tcp]
            }
        }
    }

    /// What one camera host needs unlike the others: a media server that holds a request
    /// while it waits for its camera, a UDP-only server.
    public struct HostSettings: Sendable, Equatable {
        public var transport: Transport?
        public var deadline: Duration?

        public init(transport: Transport? = nil, deadline: Duration? = nil) {
            self.transport = transport
            self.deadline = deadline
        }
    }

    /// The whole budget of one probe, from the first DNS query to the close. The probe
    /// returns within `deadline` plus a few hundred milliseconds, whatever the far end does.
    public var deadline: Duration = .seconds(8)
    /// How long frames are watched once the stream is open. The probe stops earlier once it
    /// has decoded a keyframe and seen `enoughFrames` frames, and goes on past it (never past
    /// the deadline) only to wait for a keyframe it still needs.
    public var window: Duration = .seconds(2)
    /// RTSP lower transport: RTP interleaved over the RTSP TCP connection, then UDP when the
    /// server refuses TCP.
    public var transport: Transport = .tcpThenUDP
    /// Settings by camera host (the URL's host, in lower case), over the ones above.
    public var hosts: [String: HostSettings] = [:]
    public var enoughFrames = 5
    /// The least time between the two keyframes compared for a frozen picture.
    public var freezeSpan: Duration = .milliseconds(500)
    /// Kept free before the deadline for closing the session.
    public var closeMargin: Duration = .milliseconds(250)
    public var thresholds = PictureThresholds()
    public var scene = SceneThresholds()
    public var userAgent = "Patrol"

    public init() {}

    /// These settings with the camera host's own applied.
    public func applying(host: String) -> ProbeSettings {
        guard let own = hosts[host.lowercased()] else { return self }
        var settings = self
        if let transport = own.transport { settings.transport = transport }
        if let deadline = own.deadline { settings.deadline = deadline }
        return settings
    }

    /// The longest deadline any camera host gets.
    public var longestDeadline: Duration { ([deadline] + hosts.values.compactMap(\.deadline)).max()! }
}

/// The thresholds that turn picture statistics into `black` and `frozen`. docs/PROBE.md
/// gives the reasoning behind each default.
public struct PictureThresholds: Sendable, Equatable {
    /// A pixel darker than this brightness counts as black (FFmpeg blackdetect's pix_th).
    public var blackPixel = 0.10
    /// A picture whose share of black pixels reaches this is black (blackdetect's
    /// picture_black_ratio_th).
    public var blackPicture = 0.98
    /// A picture whose brightness varies less than this across its area is uniform: a
    /// covered or blinded lens, whatever its brightness (about 4 levels of 219).
    public var uniformSpread = 0.02
    /// Two independently coded pictures that differ by less than this are the same picture
    /// (about 0.8 levels of 255: below a live sensor's noise, above a rate-controlled
    /// coder's re-encoding of one picture, measured at 0.0011).
    public var frozenDifference = 0.003
    /// A non-key frame smaller than this share of the keyframe carries no change. Two of
    /// them make the probe wait for a second keyframe to compare pictures.
    public var staticFrameRatio = 0.01
    /// A probe not due for a picture check looks at the picture all the same when the median
    /// coded size of its frames between keyframes falls below this share of the camera's own a
    /// probe earlier (a live scene's noise keeps them large; a black, covered or frozen one
    /// collapses them by 30 to 200 times: docs/PROBE.md).
    public var frameCollapseRatio = 0.1
    /// ...or a keyframe's coded size below this share of the camera's last keyframe (a black
    /// keyframe is tiny).
    public var keyframeCollapseRatio = 0.25

    public init() {}
}

/// The thresholds that turn a comparison with the camera's reference picture into `moved`,
/// `obstructed` and `blurred`. docs/PROBE.md explains each with its measured margins.
public struct SceneThresholds: Sendable, Equatable {
    /// A region of the picture (one of 8 x 5) shows the reference's layout when the
    /// correlation of their edges reaches this.
    public var regionMatch = 0.5
    /// Below this share of matching regions (of those not covered), the scene is another: `moved`.
    public var movedMatchingShare = 0.4
    /// A region whose detail fell below this share of the picture's overall level is covered
    /// when its layout no longer matches, or when it still faintly matches but did not go dark.
    public var coveredDetail = 0.12
    /// ...went dark: its brightness fell below this share of the picture's overall change
    /// (lights off in that part, not a cover).
    public var darkerRegion = 0.5
    /// This share of the reference's detailed regions covered, the rest matching: `obstructed`.
    public var obstructedShare = 0.2
    /// Sharpness below this share of the reference's: `blurred`.
    public var blurredSharpness = 0.4
    /// A region counts as detailed when its edge energy reaches this share of the reference's mean.
    public var detailedRegion = 0.15
    /// ...and its edges step by at least this many levels of 255 from cell to cell on average
    /// (a plain wall's shading stays below it).
    public var detailFloor = 1.5
    /// A reference with fewer detailed regions than this (a plain wall) is too bare to judge against.
    public var minDetailedRegions = 8

    public init() {}
}

/// Pictures kept as evidence: their size, and how often a camera's picture is kept when
/// nothing changes.
public struct SnapshotSettings: Sendable, Equatable {
    /// Widest snapshot kept, in pixels (never enlarged).
    public var maxWidth = 640
    /// JPEG quality, 1 (smallest) to 100 (best).
    public var quality = 75
    /// A camera whose picture stays faulty gets a new picture kept at most this often (seconds).
    public var evidenceInterval = 3600.0
    /// A healthy camera's "last good" picture is renewed this often (seconds).
    public var healthyInterval = 86_400.0
    /// Pictures older than this go (a camera's reference and newest picture stay).
    public var retentionDays = 30
    /// The most the snapshot directory may hold; the oldest prunable pictures go first.
    public var budgetBytes = 2 << 30

    public init() {}
}
