import PatrolSettings

/// What a probe saw of a camera's coded stream, kept from one probe to the next so that the
/// next one can tell, without decoding anything, that the picture may have gone black or
/// frozen: the last keyframe's coded size and a hash of its bytes, and the typical coded size
/// of the frames between keyframes. Sizes are of the slices alone (no filler, SEI or
/// parameter sets), as `Observation.Packet.codedSize` counts them.
public struct CodedHistory: Sendable, Equatable, Codable {
    /// Coded bytes of the newest keyframe seen.
    public var keyframeBytes: Int?
    /// A hash of that keyframe's coded bytes (the shim's `coded_hash`), as 16 hex digits in JSON.
    public var keyframeHash: UInt64?
    /// The median coded bytes of the frames between keyframes.
    public var frameBytes: Int?

    public init(keyframeBytes: Int? = nil, keyframeHash: UInt64? = nil, frameBytes: Int? = nil) {
        self.keyframeBytes = keyframeBytes
        self.keyframeHash = keyframeHash
        self.frameBytes = frameBytes
    }

    /// This probe's facts over the older ones: what it did not see stays as it was.
    public func updated(with newer: CodedHistory?) -> CodedHistory {
        guard let newer else { return self }
        return CodedHistory(keyframeBytes: newer.keyframeBytes ?? keyframeBytes, keyframeHash: newer.keyframeHash ?? keyframeHash,
                            frameBytes: newer.frameBytes ?? frameBytes)
    }

    private enum CodingKeys: String, CodingKey { case keyframeBytes, keyframeHash, frameBytes }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        keyframeBytes = try c.decodeIfPresent(Int.self, forKey: .keyframeBytes)
        keyframeHash = try c.decodeIfPresent(String.self, forKey: .keyframeHash).flatMap { UInt64($0, radix: 16) }
        frameBytes = try c.decodeIfPresent(Int.self, forKey: .frameBytes)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(keyframeBytes, forKey: .keyframeBytes)
        try c.encodeIfPresent(keyframeHash.map { String($0, radix: 16) }, forKey: .keyframeHash)
        try c.encodeIfPresent(frameBytes, forKey: .frameBytes)
    }
}

/// A sign in the coded stream that the picture may have gone black or frozen, read without
/// decoding: it makes a probe that was not due for a picture check look at the picture at once.
public enum CodedSign: String, Sendable, Equatable, Codable, CaseIterable {
    /// Frames between keyframes carrying (almost) no coded picture data: the encoder sees no change.
    case nearEmptyFrames = "near_empty_frames"
    /// Frames between keyframes far smaller than the camera's own a probe earlier.
    case framesCollapsed = "frames_collapsed"
    /// A keyframe far smaller than the camera's last one: a black or covered picture codes tiny.
    case keyframeCollapsed = "keyframe_collapsed"
    /// A keyframe whose coded bytes are those of the camera's last one (or of another in this
    /// probe): the same picture sent again.
    case keyframeRepeated = "keyframe_repeated"

    /// In the words of a probe's detail.
    public var description: String {
        switch self {
        case .nearEmptyFrames: "near-empty frames"
        case .framesCollapsed: "frames far smaller than the camera's last probe's"
        case .keyframeCollapsed: "a keyframe far smaller than the camera's last probe's"
        case .keyframeRepeated: "a keyframe byte for byte the same as the last"
        }
    }
}
