import Foundation
import PatrolSettings

/// A read-only view of one decoded picture's luma (Y) plane, 8 or 16 bits per sample.
public struct LumaPlane {
    public let base: UnsafeRawPointer
    public let bytesPerRow: Int
    public let width: Int
    public let height: Int
    /// 1 for 8-bit samples, 2 for up to 16-bit little-endian samples.
    public let bytesPerSample: Int
    public let bitDepth: Int
    /// Full range (0...max) rather than limited ("TV", 16...235 at 8 bits).
    public let fullRange: Bool

    public init(base: UnsafeRawPointer, bytesPerRow: Int, width: Int, height: Int,
                bytesPerSample: Int = 1, bitDepth: Int = 8, fullRange: Bool = false) {
        self.base = base
        self.bytesPerRow = bytesPerRow
        self.width = width
        self.height = height
        self.bytesPerSample = bytesPerSample
        self.bitDepth = bitDepth
        self.fullRange = fullRange
    }

    /// The sample at (x, y) as a brightness from 0 (black) to 1 (white), whatever the range.
    @inline(__always)
    public func brightness(x: Int, y: Int) -> Double {
        let offset = y * bytesPerRow + x * bytesPerSample
        let raw: Int = bytesPerSample == 1
            ? Int(base.load(fromByteOffset: offset, as: UInt8.self))
            : Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        let scale = Double(1 << (bitDepth - 8))
        let (black, span) = fullRange ? (0.0, 255.0 * scale + (scale - 1)) : (16.0 * scale, 219.0 * scale)
        return min(1, max(0, (Double(raw) - black) / span))
    }
}

/// The numbers a probe takes from one decoded picture.
public struct PictureStats: Sendable, Equatable, Codable {
    /// Mean brightness, 0 (black) to 1 (white).
    public var lumaMean: Double
    /// Standard deviation of brightness: how much the picture varies across its area.
    public var lumaSpread: Double
    /// Share of the picture darker than the black-pixel threshold.
    public var blackFraction: Double

    public init(lumaMean: Double, lumaSpread: Double, blackFraction: Double) {
        self.lumaMean = lumaMean
        self.lumaSpread = lumaSpread
        self.blackFraction = blackFraction
    }

    /// Measures on a regular grid of at most 320 x 180 samples: enough for area statistics,
    /// and a fixed cost whatever the resolution.
    public static func measure(_ plane: LumaPlane, blackPixel: Double) -> PictureStats {
        let stepX = max(1, plane.width / 320)
        let stepY = max(1, plane.height / 180)
        if plane.bytesPerSample == 1, plane.bitDepth == 8 { return measureBytes(plane, stepX: stepX, stepY: stepY, blackPixel: blackPixel) }
        var count = 0.0, sum = 0.0, sumSquares = 0.0, dark = 0.0
        var y = stepY / 2
        while y < plane.height {
            var x = stepX / 2
            while x < plane.width {
                let value = plane.brightness(x: x, y: y)
                sum += value
                sumSquares += value * value
                if value <= blackPixel { dark += 1 }
                count += 1
                x += stepX
            }
            y += stepY
        }
        return PictureStats(count: count, sum: sum, sumSquares: sumSquares, dark: dark)
    }

    /// `measure` over 8-bit samples: the grid's samples counted by value, then each value's
    /// brightness taken once (the same figures, with 256 conversions instead of 57,600).
    private static func measureBytes(_ plane: LumaPlane, stepX: Int, stepY: Int, blackPixel: Double) -> PictureStats {
        var histogram = [Int](repeating: 0, count: 256)
        histogram.withUnsafeMutableBufferPointer { counts in
            var y = stepY / 2
            while y < plane.height {
                let row = plane.base.advanced(by: y * plane.bytesPerRow).assumingMemoryBound(to: UInt8.self)
                var x = stepX / 2
                while x < plane.width {
                    counts[Int(row[x])] += 1
                    x += stepX
                }
                y += stepY
            }
        }
        let (black, span) = plane.fullRange ? (0.0, 255.0) : (16.0, 219.0)
        var count = 0.0, sum = 0.0, sumSquares = 0.0, dark = 0.0
        for (raw, times) in histogram.enumerated() where times > 0 {
            let value = min(1, max(0, (Double(raw) - black) / span)), n = Double(times)
            sum += value * n
            sumSquares += value * value * n
            if value <= blackPixel { dark += n }
            count += n
        }
        return PictureStats(count: count, sum: sum, sumSquares: sumSquares, dark: dark)
    }

    private init(count: Double, sum: Double, sumSquares: Double, dark: Double) {
        guard count > 0 else {
            self.init(lumaMean: 0, lumaSpread: 0, blackFraction: 1)
            return
        }
        let mean = sum / count
        let variance = max(0, sumSquares / count - mean * mean)
        self.init(lumaMean: mean, lumaSpread: variance.squareRoot(), blackFraction: dark / count)
    }
}

/// A compact picture fingerprint: the brightness of 32 x 18 points on a fixed grid, one
/// byte each (576 bytes).
///
/// Points rather than block averages, on purpose: averaging would smooth away the sensor
/// noise that tells a live but motionless scene from a frozen picture. Two fingerprints of
/// the same frozen picture are identical; two of a live camera differ at least by its noise.
public struct Fingerprint: Sendable, Hashable, Codable {
    public static let columns = 32
    public static let rows = 18

    public let samples: [UInt8]

    public init?(samples: [UInt8]) {
        guard samples.count == Self.columns * Self.rows else { return nil }
        self.samples = samples
    }

    public init(_ plane: LumaPlane) {
        var samples = [UInt8]()
        samples.reserveCapacity(Self.columns * Self.rows)
        for row in 0..<Self.rows {
            let y = min(plane.height - 1, (2 * row + 1) * plane.height / (2 * Self.rows))
            for column in 0..<Self.columns {
                let x = min(plane.width - 1, (2 * column + 1) * plane.width / (2 * Self.columns))
                samples.append(UInt8((plane.brightness(x: max(0, x), y: max(0, y)) * 255).rounded()))
            }
        }
        self.samples = samples
    }

    /// Mean absolute difference between two fingerprints, 0 (identical) to 1.
    public func difference(from other: Fingerprint) -> Double {
        var total = 0
        for (a, b) in zip(samples, other.samples) { total += abs(Int(a) - Int(b)) }
        return Double(total) / Double(samples.count) / 255
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let data = Data(base64Encoded: text), let made = Fingerprint(samples: [UInt8](data)) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "fingerprint must be 576 bytes in base64"))
        }
        self = made
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Data(samples).base64EncodedString())
    }
}

/// What the thresholds make of a picture: the rules behind `black` and `frozen`.
extension PictureThresholds {
    public enum PictureFault: Equatable, Sendable {
        case black
        case uniform
    }

    public func fault(of stats: PictureStats) -> PictureFault? {
        if stats.blackFraction >= blackPicture { return .black }
        if stats.lumaSpread < uniformSpread { return .uniform }
        return nil
    }

    public func isFrozen(_ first: Fingerprint, _ second: Fingerprint) -> Bool {
        first.difference(from: second) < frozenDifference
    }
}
