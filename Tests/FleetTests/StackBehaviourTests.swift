import Foundation
import PatrolTestSupport
import PatrolProbe
import PatrolSettings
import Testing

/// Behaviours of real RTSP servers and encoders, reproduced on the wire by the fleet's `/stack`
/// mounts (Samples/fleet/README.md, "Stack behaviours"), each probed through the real FFmpeg
/// libraries and judged as an operator must see it.
@Suite("Real RTSP stacks' behaviours", .serialized)
struct StackBehaviourTests {
    /// Two slices per frame, SPS/PPS before every IDR slice: a healthy camera whose access units
    /// FFmpeg's parser would split at the repeated parameter sets.
    @Test("a camera sending two slices per frame is online and decodes cleanly")
    func slices() throws {
        let fleet = try Fleet.get()
        let result = Probe.run(fleet.url("/stack/slices"), settings: ProbeSettings())
        #expect(result.outcome == .online, "\(result.detail)")
        #expect(result.picture?.decodeErrors == 0, "decode errors: \(String(describing: result.picture?.decodeErrors))")
        let fps = try #require(result.measurements.fps, "\(result.detail)")
        #expect((20...30).contains(fps), "measured \(fps) fps")
    }

    /// A server that plays RTP over UDP only, refusing a TCP SETUP with 461 (gst-rtsp-server's own
    /// answer) or 400 (some servers' answer).
    @Test("a UDP-only server is online over UDP, and a TCP-only probe gets its refusal",
          arguments: [("/stack/udp-only", 461), ("/stack/udp-only-400", 400)])
    func udpOnly(path: String, status: Int) throws {
        let fleet = try Fleet.get()
        let result = Probe.run(fleet.url(path), settings: ProbeSettings())
        #expect(result.outcome == .online, "\(result.detail)")
        #expect(result.stream.transport == "udp")

        var tcpOnly = ProbeSettings()
        tcpOnly.transport = .tcp
        let refused = Probe.run(fleet.url(path), settings: tcpOnly)
        #expect(refused.outcome == .rtspError, "\(refused.detail)")
        #expect(refused.statusCode == status, "status \(String(describing: refused.statusCode))")
    }

    /// Frames that stop while the probe still watches, the session open: a hung encoder. The
    /// demuxer hands over the frame its parser held when the probe's stop time ends a read; that
    /// frame arrived long before, and must not make the stream look fresh.
    @Test("frames that stop while the probe watches, session open, are stalled",
          arguments: ["/stack/stops", "/stack/stops-waiting"])
    func stops(_ path: String) throws {
        let fleet = try Fleet.get()
        let result = Probe.run(fleet.url(path), settings: ProbeSettings())
        #expect(result.outcome == .stalled, "\(result.detail)")
        #expect(result.detail.contains("frames stopped arriving"), "\(result.detail)")
    }

    /// A media server's GOP cache sent at PLAY: a keyframe and a second of frames within
    /// milliseconds. Nothing after it is a frozen publisher; real-time frames after it are live;
    /// the stream ended a second after it is a source the server drops (the picture the demuxer
    /// hands over at the end must not pass for a live one).
    @Test("a GOP-cache burst followed by nothing, or by the end of the stream, is stalled; followed by live frames, online",
          arguments: [("/stack/cache-burst", Outcome.stalled), ("/stack/cache-burst-end", Outcome.stalled),
                      ("/stack/cache-burst-live", Outcome.online)])
    func cacheBurst(path: String, expected: Outcome) throws {
        let fleet = try Fleet.get()
        let result = Probe.run(fleet.url(path), settings: ProbeSettings())
        #expect(result.outcome == expected, "\(path): \(result.detail)")
    }

    /// OPTIONS answered at once, DESCRIBE held for 4 s, then 404: a media server waiting for a
    /// publisher that never comes.
    @Test("a DESCRIBE held before 404 is a timeout within a shorter deadline, not found within a longer one",
          arguments: [(2.0, Outcome.timeout), (7.0, Outcome.notFound)])
    func slowNotFound(deadline: Double, expected: Outcome) throws {
        let fleet = try Fleet.get()
        var settings = ProbeSettings()
        settings.deadline = .milliseconds(Int64(deadline * 1000))
        let result = Probe.run(fleet.url("/live/no-publisher", port: fleet.slowNotFoundPort), settings: settings)
        #expect(result.outcome == expected, "deadline \(deadline) s: \(result.detail)")
        if expected == .notFound {
            #expect(result.statusCode == 404)
        }
    }

    /// GOP 10 s, and part of the first keyframe lost at connect (live555 over TCP with a full
    /// send buffer): the only keyframe within the deadline is damaged, the stream is live.
    @Test("a keyframe damaged at connect on a long GOP is not corrupt")
    func longGOPLoss() throws {
        let fleet = try Fleet.get()
        let result = Probe.run(fleet.url("/stack/long-gop-loss"), settings: ProbeSettings())
        #expect(result.outcome != .corrupt, "\(result.detail)")
        #expect(result.outcome == .online, "\(result.detail)")
        #expect(result.measurements.frames > 0)
    }

    /// One still picture through a constant-bitrate coder: filler keeps every P-frame full-size
    /// and consecutive keyframes are close but not byte-identical. Its slices alone are near empty
    /// once the coder has refined the picture; a probe that joins just before a keyframe sees only
    /// the refining frames after it and cannot tell, and the next probe's picture, compared in the
    /// store with this one's, decides. So two probes in a row must catch it, one way or the other.
    @Test("a frozen picture from a constant-bitrate coder is frozen within two probes")
    func frozenCBR() throws {
        let fleet = try Fleet.get()
        let probes = (0..<2).map { _ in Probe.run(fleet.url("/stack/frozen-cbr"), settings: ProbeSettings()) }
        let pictures = probes.compactMap { $0.picture.flatMap { $0.damaged ? nil : $0.fingerprint } }
        let acrossProbes = pictures.count == 2 && PictureThresholds().isFrozen(pictures[0], pictures[1])
        #expect(probes.contains { $0.outcome == .frozen } || acrossProbes, "\(probes.map(\.detail))")
        #expect(probes.allSatisfy { $0.outcome == .frozen || $0.outcome == .online }, "\(probes.map(\.detail))")
        #expect(probes.filter { $0.outcome == .frozen }.allSatisfy { ($0.picture?.laterDifference ?? 1) < 0.003 })
    }

    /// RTP/JPEG over UDP: every frame spans many datagrams.
    @Test("an MJPEG camera over UDP is online at its frame rate")
    func mjpegOverUDP() throws {
        let fleet = try Fleet.get()
        var settings = ProbeSettings()
        settings.transport = .udp
        let result = Probe.run(fleet.url("/stack/mjpeg"), settings: settings)
        #expect(result.outcome == .online, "\(result.detail)")
        #expect(result.stream.codec == "mjpeg")
        let fps = try #require(result.measurements.fps, "\(result.detail)")
        #expect((20...30).contains(fps), "measured \(fps) fps")
    }

    /// MPEG-TS in RTP (MP2T): the tracks are only known once the transport stream is read.
    @Test("an MPEG-TS camera is online with its audio track named")
    func mpegTS() throws {
        let fleet = try Fleet.get()
        let result = Probe.run(fleet.url("/stack/mpegts"), settings: ProbeSettings())
        #expect(result.outcome == .online, "\(result.detail)")
        #expect(result.stream.hasAudio)
        #expect(result.stream.audioCodec != nil, "audio codec \(String(describing: result.stream.audioCodec))")
    }
}
