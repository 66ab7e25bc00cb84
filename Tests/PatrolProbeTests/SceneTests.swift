import Foundation
import PatrolSettings
import Testing
@testable import PatrolProbe

/// A room seen by a fixed camera: walls in two tones, furniture and a doorway as blocks of
/// their own brightness, fine texture on some of them. `view` is the room as the camera frames
/// it; `seed` picks the room.
struct Room {
    struct Block { var x: Int; var y: Int; var width: Int; var height: Int; var level: Double; var texture: Double }
    var blocks: [Block] = []

    init(seed: UInt64) {
        var random = Noise(seed: seed)
        for _ in 0..<28 {
            let width = 20 + Int(abs(random.next(sigma: 40))), height = 14 + Int(abs(random.next(sigma: 30)))
            blocks.append(Block(x: Int(abs(random.next(sigma: 300))) % 600, y: Int(abs(random.next(sigma: 120))) % 170,
                                width: width, height: height, level: 60 + abs(random.next(sigma: 80)),
                                texture: abs(random.next(sigma: 1)) > 0.8 ? 18 : 0))
        }
    }

    /// Brightness at (x, y) of the room, which is 640 wide (the camera sees 320 of it).
    func level(_ x: Int, _ y: Int) -> Double {
        var value = 90 + Double(y) * 0.25 + (x > 300 ? 25 : 0)
        for block in blocks where x >= block.x && x < block.x + block.width && y >= block.y && y < block.y + block.height {
            value = block.level + (block.texture > 0 && (x / 3 + y / 3) % 2 == 0 ? block.texture : 0)
        }
        return value
    }

    /// The camera's picture: panned by `pan` pixels, through `gain` and `offset`, with noise.
    func view(pan: Int = 0, gain: Double = 1, offset: Double = 0, noise sigma: Double = 2, seed: UInt64 = 9,
              over: ((Int, Int, Double) -> Double)? = nil) -> TestFrame {
        var noise = Noise(seed: seed)
        var frame = TestFrame { x, y in
            let value = level(x + 100 + pan, y) * gain + offset
            return clampByte((over?(x, y, value) ?? value) + noise.next(sigma: sigma))
        }
        frame.fullRange = true
        return frame
    }
}

extension TestFrame {
    var scene: SceneSignature { withPlane { SceneSignature(small: $0)! } }

    /// A box blur of the given radius, as a defocused or smeared lens makes.
    func blurred(radius: Int) -> TestFrame {
        var result = self
        for y in 0..<height {
            for x in 0..<width {
                var sum = 0, count = 0
                for dy in -radius...radius {
                    for dx in -radius...radius {
                        let sx = x + dx, sy = y + dy
                        guard sx >= 0, sx < width, sy >= 0, sy < height else { continue }
                        sum += Int(samples[sy * width + sx]); count += 1
                    }
                }
                result.samples[y * width + x] = UInt8(sum / count)
            }
        }
        return result
    }
}

@Suite("Scene checks against the reference picture")
struct SceneTests {
    let thresholds = SceneThresholds()
    let room = Room(seed: 11)

    func fault(_ picture: TestFrame, against reference: TestFrame) -> (SceneFault?, SceneComparison) {
        let comparison = SceneComparison(picture.scene, reference: reference.scene, thresholds: thresholds)
        return (comparison.fault(thresholds), comparison)
    }

    @Test("the same view, another frame of it, is the scene")
    func sameView() {
        let (fault, comparison) = fault(room.view(seed: 2), against: room.view(seed: 1))
        #expect(fault == nil)
        #expect(comparison.matchingShare > 0.9)
        #expect(comparison.detailedRegions >= thresholds.minDetailedRegions)
    }

    @Test("night: the same view far darker, grey and noisy, is the scene")
    func night() {
        let (fault, comparison) = fault(room.view(gain: 0.3, offset: 4, noise: 6), against: room.view())
        #expect(fault == nil, "\(comparison)")
    }

    @Test("lights: one part of the view brighter, another darker, is the scene")
    func lights() {
        let lit = room.view { x, y, value in x < 120 ? value * 1.6 : (y > 120 ? value * 0.5 : value) }
        let (fault, comparison) = fault(lit, against: room.view())
        #expect(fault == nil, "\(comparison)")
    }

    @Test("a person walking through (a tenth of the picture) is the scene")
    func passerby() {
        let person = room.view { x, y, value in x >= 150 && x < 190 && y >= 40 ? 70 : value }
        let (fault, comparison) = fault(person, against: room.view())
        #expect(fault == nil, "\(comparison)")
    }

    @Test("a mount that settled by a few pixels is the scene")
    func shake() {
        let (fault, comparison) = fault(room.view(pan: 5), against: room.view())
        #expect(fault == nil, "\(comparison)")
        #expect(comparison.shiftX != 0)
    }

    @Test("turned away: the view panned by 40% is moved")
    func panned() {
        let (fault, comparison) = fault(room.view(pan: 130), against: room.view())
        #expect(fault == .moved, "\(comparison)")
    }

    @Test("another room is moved")
    func elsewhere() {
        let (fault, comparison) = fault(Room(seed: 23).view(), against: room.view())
        #expect(fault == .moved, "\(comparison)")
    }

    @Test("the left half covered by a smooth dark cloth is obstructed; the whole picture covered is not a scene fault")
    func covered() {
        let half = room.view { x, _, value in x < 160 ? 45 : value }
        let (fault, comparison) = fault(half, against: room.view())
        #expect(fault == .obstructed, "\(comparison)")
        #expect(comparison.coveredShare >= 0.3)
        // A lens covered whole is `black` or `uniform`, decided before any scene check; as a
        // scene it has nothing left that matches.
        let whole = room.view(noise: 1) { _, _, _ in 45 }
        #expect(self.fault(whole, against: room.view()).0 != .obstructed)
    }

    @Test("a smeared lens is blurred; a lower bitrate's softness is not")
    func blurred() {
        let (fault, comparison) = fault(room.view().blurred(radius: 3), against: room.view())
        #expect(fault == .blurred, "\(comparison)")
        // A coder starved of bits smooths the finest texture: half of it gone.
        let sharp = room.view(), smooth = sharp.blurred(radius: 1)
        var starved = sharp
        starved.samples = zip(sharp.samples, smooth.samples).map { UInt8((Int($0) + Int($1)) / 2) }
        let (soft, softComparison) = self.fault(starved, against: sharp)
        #expect(soft == nil, "\(softComparison)")
    }

    @Test("a reference with too little detail (a plain wall) judges nothing")
    func bareReference() {
        let wall = TestFrame { _, y in clampByte(120 + Double(y) * 0.05) }
        let comparison = SceneComparison(room.view().scene, reference: wall.scene, thresholds: thresholds)
        #expect(comparison.detailedRegions < thresholds.minDetailedRegions)
        #expect(comparison.fault(thresholds) == nil)
    }

    @Test("a scene signature survives JSON")
    func coding() throws {
        let signature = room.view().scene
        let data = try JSONEncoder().encode(signature)
        #expect(try JSONDecoder().decode(SceneSignature.self, from: data) == signature)
    }
}
