import Foundation

/// Everything one probe learned about one stream. It knows nothing of venues or storage.
public struct ProbeResult: Sendable, Codable, Equatable {
    public var outcome: Outcome
    /// One line saying why, for people. Never contains credentials.
    public var detail: String
    /// The RTSP/HTTP status behind `unauthorized`, `not_found` or `rtsp_error`, when known.
    public var statusCode: Int?
    /// The stream address with credentials removed.
    public var url: String
    public var startedAt: Date
    public var timings: Timings
    public var measurements: Measurements
    public var stream: StreamMetadata
    /// The first decoded keyframe, if one was decoded.
    public var picture: PictureFacts?
    /// How the picture compares with the camera's reference picture, when it was compared.
    public var scene: SceneComparison?
    /// The camera's clock minus Patrol's, in seconds, from the stream's RTCP sender reports
    /// (a camera without them, or none within the probe: nil).
    public var clockOffset: Double?
    /// The picture as a JPEG, when the probe was asked to keep one (never in JSON).
    public var snapshot: Snapshot?
    /// Whether the probe set out to decode and check the picture: asked to, or made to by a
    /// sign in the coded stream. False for a probe that proved liveness and frame flow only
    /// (its `picture` is nil): it says nothing of black, frozen or scene faults.
    public var pictureChecked = true
    /// The sign in the coded stream that made a probe not asked for a picture check look at it.
    public var pictureSign: CodedSign?
    /// What the probe saw of the coded stream, for the camera's next probe.
    public var coded: CodedHistory?

    public init(outcome: Outcome, detail: String, statusCode: Int?, url: String, startedAt: Date, timings: Timings,
                measurements: Measurements, stream: StreamMetadata, picture: PictureFacts?) {
        self.outcome = outcome
        self.detail = detail
        self.statusCode = statusCode
        self.url = url
        self.startedAt = startedAt
        self.timings = timings
        self.measurements = measurements
        self.stream = stream
        self.picture = picture
    }

    private enum CodingKeys: String, CodingKey {
        case outcome, detail, statusCode, url, startedAt, timings, measurements, stream, picture, scene, clockOffset,
             pictureChecked, pictureSign, coded
    }

    public struct Timings: Sendable, Codable, Equatable {
        /// Until the session was established (for RTSP: PLAY answered).
        public var openMs: Double?
        public var firstFrameMs: Double?
        public var firstKeyframeMs: Double?
        public var totalMs: Double

        public init(openMs: Double?, firstFrameMs: Double?, firstKeyframeMs: Double?, totalMs: Double) {
            self.openMs = openMs
            self.firstFrameMs = firstFrameMs
            self.firstKeyframeMs = firstKeyframeMs
            self.totalMs = totalMs
        }
    }

    public struct Measurements: Sendable, Codable, Equatable {
        public var frames: Int
        public var keyframes: Int
        public var videoBytes: Int
        /// Frame rate measured from the frames' timestamps.
        public var fps: Double?
        public var bitrateKbps: Double?
        /// Seconds between keyframes, when two were seen.
        public var keyframeInterval: Double?

        public init(frames: Int, keyframes: Int, videoBytes: Int, fps: Double?, bitrateKbps: Double?, keyframeInterval: Double?) {
            self.frames = frames
            self.keyframes = keyframes
            self.videoBytes = videoBytes
            self.fps = fps
            self.bitrateKbps = bitrateKbps
            self.keyframeInterval = keyframeInterval
        }
    }

    public struct StreamMetadata: Sendable, Codable, Equatable {
        public var format: String?
        public var transport: String
        public var codec: String?
        public var profile: String?
        public var level: Int?
        public var width: Int?
        public var height: Int?
        public var pixelFormat: String?
        public var declaredFps: Double?
        public var hasAudio: Bool
        public var audioCodec: String?

        public init(format: String?, transport: String, codec: String?, profile: String?, level: Int?, width: Int?,
                    height: Int?, pixelFormat: String?, declaredFps: Double?, hasAudio: Bool, audioCodec: String?) {
            self.format = format
            self.transport = transport
            self.codec = codec
            self.profile = profile
            self.level = level
            self.width = width
            self.height = height
            self.pixelFormat = pixelFormat
            self.declaredFps = declaredFps
            self.hasAudio = hasAudio
            self.audioCodec = audioCodec
        }
    }

    public struct PictureFacts: Sendable, Codable, Equatable {
        public var lumaMean: Double
        public var lumaSpread: Double
        public var blackFraction: Double
        public var fingerprint: Fingerprint
        /// Errors the decoder reported while decoding the picture.
        public var decodeErrors: Int
        /// The picture did not decode cleanly (errors, or the decoder flagged it): its facts
        /// describe damage, not the scene, and it is compared with nothing.
        public var damaged: Bool
        /// Difference between the first keyframe and a later one, when a second was compared.
        public var laterDifference: Double?
        /// The picture's scene at the fixed small size, for comparison with the camera's
        /// reference (kept out of JSON: 3,600 numbers nobody reads).
        public var scene: SceneSignature?

        public init(lumaMean: Double, lumaSpread: Double, blackFraction: Double, fingerprint: Fingerprint,
                    decodeErrors: Int, damaged: Bool = false, laterDifference: Double?) {
            self.lumaMean = lumaMean
            self.lumaSpread = lumaSpread
            self.blackFraction = blackFraction
            self.fingerprint = fingerprint
            self.decodeErrors = decodeErrors
            self.damaged = damaged
            self.laterDifference = laterDifference
        }

        private enum CodingKeys: String, CodingKey {
            case lumaMean, lumaSpread, blackFraction, fingerprint, decodeErrors, damaged, laterDifference
        }
    }
}

/// A picture kept as evidence: a JPEG of the decoded keyframe, scaled down.
public struct Snapshot: Sendable, Equatable {
    public var jpeg: Data
    public var width: Int
    public var height: Int

    public init(jpeg: Data, width: Int, height: Int) {
        self.jpeg = jpeg
        self.width = width
        self.height = height
    }
}

extension ProbeResult {
    /// The JSON form printed by `patrol probe --json`: snake_case keys, times as JSONTime writes them.
    public static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = JSONTime.encoding
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = JSONTime.decoding
        return decoder
    }
}
