import PatrolSettings
import Testing
@testable import PatrolProbe

@Suite("Black, covered and frozen pictures")
struct PictureTests {
    let thresholds = PictureThresholds()

    @Test("a black frame is black, in limited and in full range")
    func blackFrame() {
        #expect(thresholds.fault(of: TestFrame { _, _ in 16 }.stats) == .black)
        var full = TestFrame { _, _ in 2 }
        full.fullRange = true
        #expect(thresholds.fault(of: full.stats) == .black)
    }

    @Test("a black frame with a tiny bright corner is still black; with a lit window it is not")
    func blackShare() {
        // 1% bright: under blackdetect's 2% allowance.
        let corner = TestFrame { x, y in x < 32 && y < 18 ? 200 : 16 }
        #expect(corner.stats.blackFraction > 0.98)
        #expect(thresholds.fault(of: corner.stats) == .black)
        // A dark night scene with lit windows (8% of the area) and noise is a picture.
        var noise = Noise(seed: 7)
        let night = TestFrame { x, y in
            let lit = (x / 40) % 3 == 0 && y > 60 && y < 100
            return clampByte((lit ? 150 : 24) + noise.next(sigma: 3))
        }
        #expect(night.stats.lumaMean < 0.2)
        #expect(thresholds.fault(of: night.stats) == nil)
    }

    @Test("a uniform picture of any brightness is a covered lens")
    func uniform() {
        var noise = Noise(seed: 3)
        for level in [60.0, 128.0, 230.0] {
            let covered = TestFrame { _, _ in clampByte(level + noise.next(sigma: 1.5)) }
            #expect(thresholds.fault(of: covered.stats) == .uniform, "level \(level)")
        }
        #expect(thresholds.fault(of: scene(noise: 2).stats) == nil)
    }

    @Test("luma statistics are normalised: 16 is black and 235 white in limited range")
    func normalisation() {
        #expect(TestFrame { _, _ in 16 }.stats.lumaMean == 0)
        #expect(TestFrame { _, _ in 235 }.stats.lumaMean == 1)
        let mid = TestFrame { _, _ in 126 }.stats.lumaMean
        #expect(abs(mid - 110.0 / 219.0) < 1e-9)
    }

    @Test("10-bit pictures are measured like 8-bit ones")
    func tenBit() {
        let width = 64, height = 36
        let samples = [UInt16](repeating: UInt16(16 << 2).littleEndian, count: width * height)  // black at 10 bit
        let stats = samples.withUnsafeBytes { raw in
            PictureStats.measure(LumaPlane(base: raw.baseAddress!, bytesPerRow: width * 2, width: width, height: height,
                                           bytesPerSample: 2, bitDepth: 10), blackPixel: 0.1)
        }
        #expect(stats.lumaMean == 0)
        #expect(thresholds.fault(of: stats) == .black)
    }


    @Test("8-bit pictures, counted by value, measure as the same picture at 10 bits sample by sample, in both ranges")
    func countedLikeEach() {
        var noise = Noise(seed: 11)
        for fullRange in [false, true] {
            // 1920 x 1080 on the 6 x 6 grid, a night scene: dark with lit windows, under and over the range's ends.
            var frame = TestFrame(width: 1920, height: 1080) { x, y in
                clampByte(((x / 200) % 3 == 0 && y > 400 ? 180 : 20) + noise.next(sigma: 12))
            }
            frame.fullRange = fullRange
            let wide = frame.samples.map { (UInt16($0) << 2).littleEndian }
            let tenBit = wide.withUnsafeBytes { raw in
                PictureStats.measure(LumaPlane(base: raw.baseAddress!, bytesPerRow: 1920 * 2, width: 1920, height: 1080,
                                               bytesPerSample: 2, bitDepth: 10, fullRange: fullRange), blackPixel: 0.1)
            }
            let counted = frame.stats
            #expect(counted.blackFraction == tenBit.blackFraction && counted.blackFraction > 0.3 && counted.blackFraction < 0.9)
            if !fullRange {  // full range at 10 bits spans 1023, not 4 x 255: only limited range maps alike
                #expect(abs(counted.lumaMean - tenBit.lumaMean) < 1e-12 && abs(counted.lumaSpread - tenBit.lumaSpread) < 1e-12)
            }
        }
    }
    @Test("the same picture twice is frozen; a live scene's noise is not")
    func frozen() {
        let still = scene(seed: 1, noise: 3)
        #expect(thresholds.isFrozen(still.fingerprint, still.fingerprint))
        // A motionless scene from a live camera: new sensor noise in every picture.
        for sigma in [1.0, 2.0, 4.0] {
            let a = scene(seed: 11, noise: sigma), b = scene(seed: 12, noise: sigma)
            #expect(!thresholds.isFrozen(a.fingerprint, b.fingerprint), "noise sigma \(sigma)")
        }
        // Movement of the whole scene.
        #expect(!thresholds.isFrozen(scene().fingerprint, scene(offset: 3).fingerprint))
    }

    @Test("a fingerprint is 32 x 18 samples and survives JSON")
    func fingerprintCoding() throws {
        let print = scene(noise: 2).fingerprint
        #expect(print.samples.count == 576)
        let data = try ProbeResult.jsonEncoder().encode([print])
        let back = try ProbeResult.jsonDecoder().decode([Fingerprint].self, from: data)
        #expect(back == [print])
        #expect(Fingerprint(samples: [1, 2, 3]) == nil)
    }
}
