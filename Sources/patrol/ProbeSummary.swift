import Foundation
import PatrolProbe

/// The short human summary of one probe.
struct ProbeSummary {
    let result: ProbeResult

    init(_ result: ProbeResult) { self.result = result }

    var text: String {
        let outcome = Language.current == .english ? result.outcome.rawValue.uppercased() : word(result.outcome)
        var lines = ["\(result.url)  \(outcome)  \(result.detail)"]
        let t = result.timings
        var timing = [say(.probeTotal, ms(t.totalMs))]
        if let open = t.openMs { timing.insert(say(.probeOpened, ms(open)), at: 0) }
        if let frame = t.firstFrameMs { timing.insert(say(.probeFirstFrame, ms(frame)), at: timing.count - 1) }
        if let key = t.firstKeyframeMs { timing.insert(say(.probeFirstKeyframe, ms(key)), at: timing.count - 1) }
        lines.append("  " + timing.joined(separator: " · "))
        let s = result.stream
        if s.codec != nil || s.format != nil {
            var parts: [String] = []
            if let codec = s.codec { parts.append([codec, s.profile].compactMap { $0 }.joined(separator: " ")) }
            if let w = s.width, let h = s.height { parts.append("\(w)x\(h)") }
            if let pix = s.pixelFormat { parts.append(pix) }
            if let fps = s.declaredFps { parts.append(say(.probeDeclaredFps, String(format: "%.4g", fps))) }
            parts.append(s.transport)
            parts.append(s.hasAudio ? say(.cameraAudio, s.audioCodec ?? say(.probeAudioYes)) : say(.cameraNoAudio))
            lines.append("  " + parts.joined(separator: " · "))
        }
        let m = result.measurements
        if m.frames > 0 {
            var parts = [say(.probeFrames, m.frames, m.keyframes)]
            if let fps = m.fps { parts.append(say(.probeMeasuredFps, String(format: "%.1f", fps))) }
            if let kbps = m.bitrateKbps { parts.append(String(format: "%.0f kbit/s", kbps)) }
            if let gop = m.keyframeInterval { parts.append(say(.cameraKeyframeEvery, String(format: "%.2f", gop))) }
            lines.append("  " + parts.joined(separator: " · "))
        }
        if let p = result.picture {
            var line = "  " + say(.probePicture, String(format: "%.3f", p.lumaMean), String(format: "%.3f", p.lumaSpread),
                                         String(format: "%.0f%%", p.blackFraction * 100))
            if let later = p.laterDifference { line += say(.probeLaterKeyframe, String(format: "%.4f", later)) }
            lines.append(line)
        }
        if let scene = result.scene {
            lines.append("  " + say(.probeScene, String(format: "%.0f%%", scene.matchingShare * 100), String(format: "%.0f%%", scene.coveredShare * 100),
                                    String(format: "%.0f%%", scene.sharpnessRatio * 100)))
        }
        if let offset = result.clockOffset {
            lines.append("  " + say(.probeClock, String(format: "%+.1f", offset)))
        }
        if let snapshot = result.snapshot {
            lines.append("  " + say(.probeSnapshot, "\(snapshot.width)x\(snapshot.height)", snapshot.jpeg.count))
        }
        return lines.joined(separator: "\n")
    }

    private func ms(_ value: Double) -> String {
        value >= 1000 ? say(.probeSeconds, String(format: "%.2f", value / 1000)) : say(.probeMilliseconds, String(format: "%.0f", value))
    }
}
