import PatrolAV
import Testing

/// The snapshot's and the small luma's reduction by a whole factor (`pav_box_plane`), and the
/// limited-to-full range tables the JPEG uses, against sums written out here.
@Suite("Pictures reduced by a whole factor")
struct BoxReductionTests {
    /// `pav_box_plane` over `plane` (`width` samples a row, rows padded to `stride`).
    func reduce(_ plane: [UInt8], stride: Int, to size: (Int, Int), by k: Int, map: [UInt8]? = nil) -> [UInt8] {
        var out = [UInt8](repeating: 0xEE, count: size.0 * size.1)
        plane.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                if let map {
                    map.withUnsafeBufferPointer {
                        pav_box_plane(src.baseAddress, Int32(stride), Int32(size.0), Int32(size.1), Int32(k), $0.baseAddress,
                                      dst.baseAddress, Int32(size.0))
                    }
                } else {
                    pav_box_plane(src.baseAddress, Int32(stride), Int32(size.0), Int32(size.1), Int32(k), nil,
                                  dst.baseAddress, Int32(size.0))
                }
            }
        }
        return out
    }

    /// The mean of each whole k x k block, rounded half up, as written out by hand.
    func expected(_ plane: [UInt8], stride: Int, to size: (Int, Int), by k: Int) -> [UInt8] {
        (0..<size.1).flatMap { y in
            (0..<size.0).map { x in
                let sum = (0..<k).reduce(0) { total, r in
                    total + (0..<k).reduce(0) { $0 + Int(plane[(y * k + r) * stride + x * k + $1]) }
                }
                return UInt8((2 * sum + k * k) / (2 * k * k))
            }
        }
    }

    @Test("2 x 2 blocks: each the rounded mean of its four samples; a half rounds up")
    func halves() {
        let plane: [UInt8] = [0, 1, 10, 10, 255, 255,
                              1, 0, 10, 11, 255, 255,
                              16, 16, 3, 4, 0, 0,
                              16, 16, 5, 6, 0, 1]
        #expect(reduce(plane, stride: 6, to: (3, 2), by: 2) == [1, 10, 255, 16, 5, 0])
    }

    @Test("columns and rows past the last whole block are left out; the stride's padding is never read into a block")
    func remainder() {
        // 7 x 7 samples in rows of 9 (2 bytes of padding set to 255): two 3 x 3 blocks a row, two rows.
        let plane = (0..<7).flatMap { y in (0..<9).map { x in x >= 7 ? UInt8(255) : UInt8(y * 7 + x) } }
        #expect(reduce(plane, stride: 9, to: (2, 2), by: 3) == [8, 11, 29, 32])
    }

    @Test("every whole factor from 1 to 12 over a noisy plane gives the sums written out; 1 keeps each sample")
    func factors() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let width = 840, height = 420
        let plane = (0..<width * height).map { _ -> UInt8 in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
        for k in [1, 2, 3, 4, 5, 6, 7, 12] {
            let size = (width / k, height / k)
            #expect(reduce(plane, stride: width, to: size, by: k) == expected(plane, stride: width, to: size, by: k), "k = \(k)")
        }
        #expect(reduce(Array(plane.prefix(640 * 2)), stride: 640, to: (640, 2), by: 1) == Array(plane.prefix(640 * 2)))
    }

    @Test("limited range to full: black 16 is 0, white 235 is 255, chroma 128 stays, 16 and 240 are its ends; beyond, clipped")
    func rangeMaps() {
        var luma = [UInt8](repeating: 0, count: 256), chroma = [UInt8](repeating: 0, count: 256)
        luma.withUnsafeMutableBufferPointer { l in chroma.withUnsafeMutableBufferPointer { c in pav_range_maps(l.baseAddress, c.baseAddress) } }
        #expect(luma[16] == 0 && luma[235] == 255 && luma[0] == 0 && luma[255] == 255)
        #expect(luma[126] == 128)  // (126 - 16) * 255 / 219 = 128.08
        #expect(chroma[128] == 128 && chroma[16] == 0 && chroma[240] == 255 && chroma[8] == 0 && chroma[250] == 255)
        #expect(zip(luma, luma.dropFirst()).allSatisfy { $0 <= $1 } && zip(chroma, chroma.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test("with a map, each block's mean is looked up in it")
    func mapped() {
        let map = (0..<256).map { UInt8(255 - $0) }
        #expect(reduce([10, 20, 30, 40], stride: 2, to: (1, 1), by: 2, map: map) == [230])
    }
}
