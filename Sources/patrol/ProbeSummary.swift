import Foundation
import PatrolProbe

/// The short human summary of one probe.
struct ProbeSummary {
    let result: ProbeResult

    init(_ result: ProbeResult) { self.result = result }

    var text: String {
        var lines = ["\(result.url)  \(result.outcome.rawValue.uppercased())  \(result.detail)"]
        let t = result.timings
        var timing = ["total \(ms(t.totalMs))"]
        if let open = t.openMs { timing.insert("opened \(ms(open))", at: 0) }
        if let frame = t.firstFrameMs { timing.insert("first frame \(ms(frame))", at: timing.count - 1) }
        if let key = t.firstKeyframeMs { timing.insert("first keyframe \(ms(key))", at: timing.count - 1) }
        lines.append("  " + timing.joined(separator: " · "))
        let s = result.stream
        if s.codec != nil || s.format != nil {
            var parts: [String] = []
            if let codec = s.codec { parts.append([codec, s.profile].compactMap { $0 }.joined(separator: " ")) }
            if let w = s.width, let h = s.height { parts.append("\(w)x\(h)") }
            if let pix = s.pixelFormat { parts.append(pix) }
            if let fps = s.declaredFps { parts.append(String(format: "%.4g fps declared", fps)) }
            parts.append(s.transport)
            parts.append(s.hasAudio ? "audio \(s.audioCodec ?? "yes")" : "no audio")
            lines.append("  " + parts.joined(separator: " · "))
        }
        let m = result.measurements
        if m.frames > 0 {
            var parts = ["\(m.frames) frames, \(m.keyframes) keyframe(s)"]
            if let fps = m.fps { parts.append(String(format: "%.1f fps measured", fps)) }
            if let kbps = m.bitrateKbps { parts.append(String(format: "%.0f kbit/s", kbps)) }
            if let gop = m.keyframeInterval { parts.append(String(format: "keyframe every %.2f s", gop)) }
            lines.append("  " + parts.joined(separator: " · "))
        }
        if let p = result.picture {
            var line = String(format: "  picture: brightness %.3f, spread %.3f, black %.0f%%", p.lumaMean, p.lumaSpread,
                              p.blackFraction * 100)
            if let later = p.laterDifference { line += String(format: ", later keyframe differs by %.4f", later) }
            lines.append(line)
        }
        if let scene = result.scene {
            lines.append(String(format: "  scene: %.0f%% of detailed regions match the reference, %.0f%% covered, sharpness %.0f%%",
                                scene.matchingShare * 100, scene.coveredShare * 100, scene.sharpnessRatio * 100))
        }
        if let offset = result.clockOffset {
            lines.append(String(format: "  camera clock: %+.1f s from this host's", offset))
        }
        if let snapshot = result.snapshot {
            lines.append("  snapshot: \(snapshot.width)x\(snapshot.height) JPEG, \(snapshot.jpeg.count) bytes")
        }
        return lines.joined(separator: "\n")
    }

    private func ms(_ value: Double) -> String {
        value >= 1000 ? String(format: "%.2f s", value / 1000) : String(format: "%.0f ms", value)
    }
}
