/// What one probe concluded about one stream: exactly one value of a closed set.
///
/// The order of the cases is the order in which they are decided (see docs/PROBE.md): a
/// failure to open wins over anything seen later, and a picture fault is only looked for
/// once frames are known to arrive.
public enum Outcome: String, CaseIterable, Codable, Sendable {
    /// The stream opened, frames keep arriving and the picture is neither black nor frozen.
    case online
    /// The camera's address could not be reached: connection refused, host or network
    /// unreachable, or its name does not resolve.
    case refused
    /// No answer within the probe's deadline: the far end accepted and went silent, or
    /// never answered at all.
    case timeout
    /// The far end demanded credentials, or rejected the ones given (RTSP/HTTP 401).
    case unauthorized
    /// The far end answered that the stream does not exist (RTSP/HTTP 404).
    case notFound = "not_found"
    /// Any other refusal or protocol failure of the RTSP/HTTP exchange; the status code is kept.
    case rtspError = "rtsp_error"
    /// The stream opened but carries no video track.
    case noVideo = "no_video"
    /// The stream opened (PLAY accepted) but no video frame arrived in the window, or
    /// frames stopped arriving.
    case stalled
    /// Frames arrive but the picture does not change.
    case frozen
    /// Frames arrive but the picture is black or uniform (a covered lens).
    case black
    /// Frames arrive but cannot be decoded.
    case corrupt
    /// The picture is live but shows another scene than the one the camera was approved for:
    /// turned away, pointed at the ceiling or a wall.
    case moved
    /// The picture is live but a large part of it is covered (tape, a box, a cloth).
    case obstructed
    /// The picture is live but far less sharp than the approved one: a smeared or defocused lens.
    case blurred

    public var isOnline: Bool { self == .online }

    /// The stream is live but its picture fails: it counts against the venue like lost video.
    public var isPictureFault: Bool { [.frozen, .black, .moved, .obstructed, .blurred].contains(self) }
}
