import Foundation
import PatrolSettings

/// A picture's scene at one small size whatever the camera's resolution: what the scene checks
/// compare with the picture a camera was approved for.
///
/// Made from the decoded luma scaled down by area averaging to 320 x 180 (the shim's small
/// picture), then to 80 x 45 cells of 4 x 4 of its samples. The cells hold the scene's layout
/// (edges where walls, doors and furniture are); sensor noise and compression noise average
/// away in them. `sharpness` is the energy of the finest detail (neighbouring samples of the
/// 320 x 180 picture) against the energy of the cells' layout: a smeared or defocused lens
/// loses the first far more than the second, while a darker, noisier night picture keeps it.
public struct SceneSignature: Sendable, Hashable, Codable {
    public static let columns = 80
    public static let rows = 45
    /// The size of the small picture it is made from.
    public static let smallWidth = 320
    public static let smallHeight = 180

    /// Brightness of each cell, 0 (black) to 255 (white), row by row.
    public let cells: [UInt8]
    /// Fine-detail energy over layout energy (dimensionless; compared only with the same
    /// camera's reference).
    public let sharpness: Double

    public init?(cells: [UInt8], sharpness: Double) {
        guard cells.count == Self.columns * Self.rows, sharpness.isFinite, sharpness >= 0 else { return nil }
        self.cells = cells
        self.sharpness = sharpness
    }

    /// Measures the small picture (`smallWidth` x `smallHeight` samples).
    public init?(small plane: LumaPlane) {
        guard plane.width == Self.smallWidth, plane.height == Self.smallHeight else { return nil }
        let width = Self.smallWidth, height = Self.smallHeight
        var samples = [Double](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width { samples[y * width + x] = plane.brightness(x: x, y: y) * 255 }
        }
        var fine = 0.0
        for y in 0..<height - 1 {
            for x in 0..<width - 1 {
                let here = samples[y * width + x]
                let right = samples[y * width + x + 1] - here, below = samples[(y + 1) * width + x] - here
                fine += right * right + below * below
            }
        }
        fine /= Double((width - 1) * (height - 1))
        var cells = [Double](repeating: 0, count: Self.columns * Self.rows)
        for y in 0..<height {
            for x in 0..<width { cells[(y / 4) * Self.columns + x / 4] += samples[y * width + x] / 16 }
        }
        let layout = Self.gradientEnergy(cells) / 16  // per small-picture sample: cells are 4 samples apart
        self.cells = cells.map { UInt8(min(255, max(0, $0.rounded()))) }
        sharpness = fine / max(layout, 1e-3)
    }

    /// Mean squared difference between neighbouring cells.
    static func gradientEnergy(_ cells: [Double]) -> Double {
        var total = 0.0
        for y in 0..<rows - 1 {
            for x in 0..<columns - 1 {
                let here = cells[y * columns + x]
                let right = cells[y * columns + x + 1] - here, below = cells[(y + 1) * columns + x] - here
                total += right * right + below * below
            }
        }
        return total / Double((columns - 1) * (rows - 1))
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .cells)
        guard let data = Data(base64Encoded: text),
              let made = SceneSignature(cells: [UInt8](data), sharpness: try container.decode(Double.self, forKey: .sharpness))
        else {
            throw DecodingError.dataCorruptedError(forKey: .cells, in: container,
                                                   debugDescription: "a scene signature is 3600 cells in base64 and a sharpness")
        }
        self = made
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Data(cells).base64EncodedString(), forKey: .cells)
        try container.encode(sharpness, forKey: .sharpness)
    }

    private enum CodingKeys: String, CodingKey { case cells, sharpness }
}

/// How a picture compares with the camera's reference picture: the measures behind `moved`,
/// `obstructed` and `blurred`, each independent of brightness (night, lights), of the
/// resolution and of small shakes of the mount.
public struct SceneComparison: Sendable, Equatable, Codable {
    /// Share of the reference's detailed regions whose layout the picture still shows
    /// (after the best shift of up to two cells); covered regions are not counted.
    public var matchingShare: Double
    /// Share of the reference's detailed regions that lost their detail and their layout: covered.
    public var coveredShare: Double
    /// The picture's sharpness over the reference's.
    public var sharpnessRatio: Double
    /// Regions of the reference with enough detail to compare; too few and the checks are not made.
    public var detailedRegions: Int
    /// The shift (in cells of 80 x 45) at which the picture matches the reference best.
    public var shiftX: Int
    public var shiftY: Int

    public init(matchingShare: Double, coveredShare: Double, sharpnessRatio: Double, detailedRegions: Int,
                shiftX: Int = 0, shiftY: Int = 0) {
        self.matchingShare = matchingShare
        self.coveredShare = coveredShare
        self.sharpnessRatio = sharpnessRatio
        self.detailedRegions = detailedRegions
        self.shiftX = shiftX
        self.shiftY = shiftY
    }

    /// The regions: 8 x 5 of 10 x 9 cells.
    static let regionColumns = 8
    static let regionRows = 5
    static let maxShift = 2
    /// A whole-picture correlation at no shift above which no shift is searched.
    static let settledCorrelation = 0.8

    /// Compares `picture` with `reference`.
    public init(_ picture: SceneSignature, reference: SceneSignature, thresholds: SceneThresholds) {
        let live = Gradients(picture.cells.map(Double.init)), ref = Gradients(reference.cells.map(Double.init))
        // The best global shift: a mount that shook or settled by a cell or two is still the scene.
        // An unmoved mount (nearly every probe) matches at once; only a poorer match is searched.
        var best = (score: Self.correlation(live, ref, dx: 0, dy: 0, region: nil), dx: 0, dy: 0)
        for dy in -Self.maxShift...Self.maxShift where best.score < Self.settledCorrelation {
            for dx in -Self.maxShift...Self.maxShift where dx != 0 || dy != 0 {
                let score = Self.correlation(live, ref, dx: dx, dy: dy, region: nil)
                if score > best.score + 1e-9 || (abs(score - best.score) <= 1e-9 && abs(dx) + abs(dy) < abs(best.dx) + abs(best.dy)) {
                    best = (score, dx, dy)
                }
            }
        }
        // Per region: the reference's detail energy, the picture's, and how their layouts correlate.
        var regions: [(refEnergy: Double, liveEnergy: Double, correlation: Double)] = []
        for ry in 0..<Self.regionRows {
            for rx in 0..<Self.regionColumns {
                let region = (x: rx * SceneSignature.columns / Self.regionColumns, y: ry * SceneSignature.rows / Self.regionRows,
                              width: SceneSignature.columns / Self.regionColumns, height: SceneSignature.rows / Self.regionRows)
                let sums = Self.sums(live, ref, dx: best.dx, dy: best.dy, region: region)
                let correlation = sums.liveEnergy > 0 && sums.refEnergy > 0
                    ? sums.cross / (sums.liveEnergy * sums.refEnergy).squareRoot() : 0
                regions.append((sums.refEnergy, sums.liveEnergy, correlation))
            }
        }
        let meanEnergy = regions.map(\.refEnergy).reduce(0, +) / Double(regions.count)
        // Energy per cell step at the region's size for the absolute floor.
        let cellsPerRegion = Double((SceneSignature.columns / Self.regionColumns) * (SceneSignature.rows / Self.regionRows))
        let floor = thresholds.detailFloor * thresholds.detailFloor * cellsPerRegion
        let detailed = regions.filter {
            $0.refEnergy >= floor && $0.refEnergy >= thresholds.detailedRegion * meanEnergy
        }
        // How much brighter or darker the picture's detail is overall (night, exposure): the
        // upper quartile of the regions' amplitude ratios, which stays put while up to three
        // quarters of the picture is covered.
        let ratios = detailed.map { ($0.liveEnergy / $0.refEnergy).squareRoot() }.sorted()
        let gain = ratios.isEmpty ? 1 : ratios[min(ratios.count - 1, (ratios.count * 3) / 4)]
        var covered = 0, matching = 0
        for region in detailed {
            let amplitude = (region.liveEnergy / region.refEnergy).squareRoot()
            if amplitude < thresholds.coveredDetail * gain && region.correlation < thresholds.regionMatch {
                covered += 1
            } else if region.correlation >= thresholds.regionMatch {
                matching += 1
            }
        }
        let uncovered = detailed.count - covered
        self.init(
            matchingShare: uncovered > 0 ? Double(matching) / Double(uncovered) : 0,
            coveredShare: detailed.isEmpty ? 0 : Double(covered) / Double(detailed.count),
            sharpnessRatio: reference.sharpness > 0 ? picture.sharpness / reference.sharpness : 1,
            detailedRegions: detailed.count, shiftX: best.dx, shiftY: best.dy)
    }

    /// The scene fault the measures show, if any: obstructed before moved (a covered half
    /// leaves the rest matching), moved before blurred (another scene is not a blurred one).
    public func fault(_ thresholds: SceneThresholds) -> SceneFault? {
        guard detailedRegions >= thresholds.minDetailedRegions else { return nil }
        if coveredShare >= thresholds.obstructedShare, matchingShare >= thresholds.movedMatchingShare { return .obstructed }
        if matchingShare < thresholds.movedMatchingShare { return .moved }
        if sharpnessRatio < thresholds.blurredSharpness { return .blurred }
        return nil
    }

    /// One line for people, the numbers the decision used.
    public func describe(_ fault: SceneFault) -> String {
        let percent = { (value: Double) in String(format: "%.0f%%", value * 100) }
        switch fault {
        case .moved:
            return "the scene is not the approved one: \(percent(matchingShare)) of its detailed regions match the reference"
        case .obstructed:
            return "\(percent(coveredShare)) of the picture's detailed regions are covered; the rest matches the reference"
        case .blurred:
            return String(format: "the picture is blurred: sharpness %.0f%% of the reference's", sharpnessRatio * 100)
        }
    }

    /// Horizontal and vertical differences between neighbouring cells.
    struct Gradients {
        var dx: [Double]
        var dy: [Double]

        init(_ cells: [Double]) {
            let columns = SceneSignature.columns, rows = SceneSignature.rows
            dx = [Double](repeating: 0, count: cells.count)
            dy = [Double](repeating: 0, count: cells.count)
            for y in 0..<rows {
                for x in 0..<columns {
                    let index = y * columns + x
                    if x + 1 < columns { dx[index] = cells[index + 1] - cells[index] }
                    if y + 1 < rows { dy[index] = cells[index + columns] - cells[index] }
                }
            }
        }
    }

    typealias Region = (x: Int, y: Int, width: Int, height: Int)

    /// Sums over the cells of `region` (or all cells) of the picture shifted by (dx, dy) against the reference.
    static func sums(_ live: Gradients, _ ref: Gradients, dx: Int, dy: Int, region: Region?)
        -> (cross: Double, liveEnergy: Double, refEnergy: Double) {
        let columns = SceneSignature.columns, rows = SceneSignature.rows
        let area = region ?? (0, 0, columns, rows)
        var cross = 0.0, liveEnergy = 0.0, refEnergy = 0.0
        // The last column and row have no neighbour beyond them.
        for y in area.y..<min(area.y + area.height, rows - 1) {
            let ly = y + dy
            guard ly >= 0, ly < rows - 1 else { continue }
            for x in area.x..<min(area.x + area.width, columns - 1) {
                let lx = x + dx
                guard lx >= 0, lx < columns - 1 else { continue }
                let r = y * columns + x, l = ly * columns + lx
                cross += live.dx[l] * ref.dx[r] + live.dy[l] * ref.dy[r]
                liveEnergy += live.dx[l] * live.dx[l] + live.dy[l] * live.dy[l]
                refEnergy += ref.dx[r] * ref.dx[r] + ref.dy[r] * ref.dy[r]
            }
        }
        return (cross, liveEnergy, refEnergy)
    }

    static func correlation(_ live: Gradients, _ ref: Gradients, dx: Int, dy: Int, region: Region?) -> Double {
        let sums = sums(live, ref, dx: dx, dy: dy, region: region)
        return sums.liveEnergy > 0 && sums.refEnergy > 0 ? sums.cross / (sums.liveEnergy * sums.refEnergy).squareRoot() : 0
    }
}

/// A picture that is live but no longer watches what the camera was approved for.
public enum SceneFault: String, Sendable, Equatable, CaseIterable {
    case moved
    case obstructed
    case blurred

    public var outcome: Outcome {
        switch self {
        case .moved: .moved
        case .obstructed: .obstructed
        case .blurred: .blurred
        }
    }
}
