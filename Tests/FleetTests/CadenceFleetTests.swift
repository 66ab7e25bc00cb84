import Foundation
import PatrolProbe
import PatrolSettings
import PatrolTestSupport
import Testing

/// Probes not due for a picture check, through the real FFmpeg libraries against the fleet: they
/// prove liveness and frame flow and decode nothing, unless the coded stream shows a sign of a
/// black or frozen picture, which they then check at once.
@Suite("Picture checks on their own cadence, on the fleet", .serialized)
struct CadenceFleetTests {
    /// A probe that checks the picture, then one that does not, with what the first saw. The
    /// first only prepares the second: it gets a longer window, as the fleet shares the loaded
    /// cores of a whole test run (an H.265 mount once sent no frame for 4 s there).
    func pictureThenLiveness(_ url: StreamURL) -> (ProbeResult, ProbeResult) {
        var patient = Fleet.steadyProbe
        patient.window = .seconds(10)
        let checked = Probe.run(url, settings: patient)
        let liveness = Probe.run(url, settings: Fleet.steadyProbe,
                                 picture: PictureRequest(checkPicture: false, history: checked.coded))
        return (checked, liveness)
    }

    @Test("a healthy camera probed for liveness only: online, no picture, nothing decoded",
          arguments: ["/cam/0001", "/cam/0003", "/cam/0007", "/cam/0050", "/variant/lowfps"])
    func healthy(_ path: String) throws {
        let fleet = try Fleet.get()
        let (checked, liveness) = pictureThenLiveness(fleet.url(path))
        #expect(checked.outcome == .online, "\(checked.detail)")
        #expect(checked.pictureChecked && checked.picture != nil)
        #expect(checked.coded?.frameBytes != nil, "\(String(describing: checked.coded))")
        #expect(liveness.outcome == .online, "\(liveness.detail)")
        #expect(!liveness.pictureChecked, "\(liveness.detail)")
        #expect(liveness.pictureSign == nil, "\(liveness.detail)")
        #expect(liveness.picture == nil)
        // Width and height come only from the decoder: nothing was decoded.
        #expect(liveness.stream.width == nil)
        #expect(liveness.measurements.frames > ProbeSettings().enoughFrames)
        // It stops once the frames prove the stream live: no keyframe holds it (in MJPEG every
        // frame is one), so it does not read on to the end of its window (2 s: 50 frames at 25 fps).
        #expect(liveness.measurements.frames < 5 * ProbeSettings().enoughFrames, "\(liveness.measurements.frames) frames")
        #expect(liveness.detail.contains("picture not due"), "\(liveness.detail)")
        let json = String(decoding: try ProbeResult.jsonEncoder().encode(liveness), as: UTF8.self)
        #expect(json.contains("\"picture_checked\":false"))
    }

    @Test("an all-intra stream (MJPEG, every frame a keyframe) probed for liveness only: online once its frames prove it live, nothing decoded")
    func allIntra() throws {
        let fleet = try Fleet.get()
        let (checked, liveness) = pictureThenLiveness(fleet.url("/stack/mjpeg"))
        #expect(checked.outcome == .online && checked.pictureChecked, "\(checked.detail)")
        #expect(liveness.outcome == .online, "\(liveness.detail)")
        #expect(!liveness.pictureChecked && liveness.pictureSign == nil && liveness.picture == nil, "\(liveness.detail)")
        // No keyframe holds it to the end of its window.
        #expect(liveness.measurements.frames > ProbeSettings().enoughFrames
                && liveness.measurements.frames < 5 * ProbeSettings().enoughFrames, "\(liveness.measurements.frames) frames")
    }

    @Test("quiet live scenes, a dark night and a still corridor with sensor noise, stay online without a picture or with one",
          arguments: ["/variant/night", "/variant/static"])
    func quietScenes(_ path: String) throws {
        let fleet = try Fleet.get()
        for _ in 0..<3 {
            let (checked, liveness) = pictureThenLiveness(fleet.url(path))
            #expect(checked.outcome == .online, "\(checked.detail)")
            // A sign here would only cost a decode; the verdict must stay online either way.
            #expect(liveness.outcome == .online, "\(liveness.detail)")
            #expect(liveness.pictureChecked == (liveness.pictureSign != nil))
        }
    }

    @Test("a camera turned black or frozen at run time is caught by the coded signs at the next probe, with no picture due",
          arguments: [(Fleet.Mounts.cadenceProbes.lowerBound, "black", Outcome.black),
                      (Fleet.Mounts.cadenceProbes.lowerBound + 1, "frozen", .frozen)])
    func turned(_ number: Int, _ mode: String, _ expected: Outcome) throws {
        let fleet = try Fleet.get()
        let path = Fleet.Mounts.path(number)
        try fleet.set(path, "healthy")
        defer { try? fleet.set(path, "healthy") }
        let checked = Probe.run(fleet.url(path), settings: Fleet.steadyProbe)
        #expect(checked.outcome == .online, "\(checked.detail)")
        try fleet.set(path, mode)
        let next = Probe.run(fleet.url(path), settings: Fleet.steadyProbe,
                             picture: PictureRequest(checkPicture: false, history: checked.coded))
        #expect(next.pictureSign != nil, "\(next.detail) \(String(describing: next.coded))")
        #expect(next.pictureChecked)
        #expect(next.outcome == expected, "\(next.detail)")
    }

    /// A still picture through a constant-bitrate coder refines itself after each keyframe, so a
    /// probe that joins mid-GOP sees frames of a few kilobytes, a third of a live camera's: no
    /// sign. It is caught at the next picture check, whose picture equals the one before
    /// (docs/PROBE.md gives the delay).
    @Test("a constant-bitrate coder of a still picture shows no sign: its liveness probe says online, a picture check then sees it")
    func frozenConstantBitrate() throws {
        let fleet = try Fleet.get()
        let path = Fleet.Mounts.path(Fleet.Mounts.cadenceProbes.lowerBound + 2)
        try fleet.set(path, "frozen-cbr")
        defer { try? fleet.set(path, "healthy") }
        let checked = Probe.run(fleet.url(path), settings: Fleet.steadyProbe)
        #expect(checked.picture != nil)
        let liveness = Probe.run(fleet.url(path), settings: Fleet.steadyProbe,
                                 picture: PictureRequest(checkPicture: false, history: checked.coded))
        #expect(liveness.outcome == .online || liveness.pictureChecked, "\(liveness.detail)")
        let again = Probe.run(fleet.url(path), settings: Fleet.steadyProbe,
                              picture: PictureRequest(previousFingerprint: checked.picture?.fingerprint))
        let verdict = PictureRequest(previousFingerprint: checked.picture?.fingerprint).outcome(of: again, settings: ProbeSettings())
        #expect(verdict == .frozen, "\(again.detail)")
    }
}
