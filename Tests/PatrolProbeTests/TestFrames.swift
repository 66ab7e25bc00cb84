import PatrolProbe
import PatrolSettings

/// Pictures made in the test: an 8-bit luma plane and a deterministic noise source.
struct TestFrame {
    var width: Int
    var height: Int
    var samples: [UInt8]
    var fullRange = false

    init(width: Int = 320, height: Int = 180, fill: (Int, Int) -> UInt8) {
        self.width = width
        self.height = height
        samples = (0..<height).flatMap { y in (0..<width).map { x in fill(x, y) } }
    }

    func withPlane<T>(_ body: (LumaPlane) -> T) -> T {
        samples.withUnsafeBytes { raw in
            body(LumaPlane(base: raw.baseAddress!, bytesPerRow: width, width: width, height: height,
                           fullRange: fullRange))
        }
    }

    var stats: PictureStats { withPlane { PictureStats.measure($0, blackPixel: PictureThresholds().blackPixel) } }
    var fingerprint: Fingerprint { withPlane { Fingerprint($0) } }
}

/// A small deterministic generator, so noisy frames are the same on every run.
struct Noise {
    private var state: UInt64
    init(seed: UInt64) { state = seed | 1 }

    /// Roughly Gaussian, mean 0, standard deviation `sigma` (sum of uniforms).
    mutating func next(sigma: Double) -> Double {
        var sum = 0.0
        for _ in 0..<4 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            sum += Double(state % 10_000) / 10_000 - 0.5
        }
        return sum * sigma * 1.732
    }
}

func clampByte(_ value: Double) -> UInt8 { UInt8(max(0, min(255, value.rounded()))) }

/// A textured scene (gradients and blocks) with optional sensor noise.
func scene(seed: UInt64 = 1, noise sigma: Double = 0, offset: Double = 0) -> TestFrame {
    var noise = Noise(seed: seed)
    return TestFrame { x, y in
        let base = 40 + Double((x / 40 + y / 30) % 4) * 40 + Double(x) * 0.2 + offset
        return clampByte(base + (sigma > 0 ? noise.next(sigma: sigma) : 0))
    }
}
