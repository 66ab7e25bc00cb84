import Foundation
import PatrolSettings

/// A picture's scene at one small size whatever the camera's resolution: what the scene checks
/// compare with the picture a camera was approved for.
///
/// Made from the decoded luma scaled down by area averaging to 320 x 180 (the shim's small
/// picture), then to 80 x 45 cells of 4 x 4 of its samples. The cells hold the scene's layout
/// (edges where walls, doors and furniture are); sensor noise and compression noise average
/// away in them. `sharpness` is the energy of the finest detail (each sample of the 320 x 180
/// picture against the mean of its 3 x 3 neighbourhood) against the energy of the cells'
/// layout: a smeared or defocused lens loses the first far more than the second, while a
/// darker, noisier night picture keeps it. The neighbourhood mean, not the neighbouring
/// sample, so that broad shading (which a blur keeps) does not count as fine detail.
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

    /// Measures the small picture (`smallWidth` x `smallHeight` samples, 8 bits each).
    public init?(small plane: LumaPlane) {
        guard plane.width == Self.smallWidth, plane.height == Self.smallHeight, plane.bytesPerSample == 1 else { return nil }
        let width = Self.smallWidth, height = Self.smallHeight
        // Every sample is a byte: its brightness (0...255) from a table, not computed 57,600 times.
        let levels = (0..<256).map { Double($0) }.map { value -> Double in
            let (black, span) = plane.fullRange ? (0.0, 255.0) : (16.0, 219.0)
            return min(1, max(0, (value - black) / span)) * 255
        }
        var samples = [Double](repeating: 0, count: width * height)
        var fine = 0.0
        var cells = [Double](repeating: 0, count: Self.columns * Self.rows)
        levels.withUnsafeBufferPointer { level in
            samples.withUnsafeMutableBufferPointer { sample in
                for y in 0..<height {
                    let row = plane.base.advanced(by: y * plane.bytesPerRow).assumingMemoryBound(to: UInt8.self)
                    for x in 0..<width { sample[y * width + x] = level[Int(row[x])] }
                }
                // Each sample against the mean of its 3 x 3 neighbourhood, from running sums of three
                // samples along the rows (the same sums as adding the nine, fewer additions).
                var across = [Double](repeating: 0, count: width * height)
                across.withUnsafeMutableBufferPointer { triple in
                    for y in 0..<height {
                        for x in 1..<width - 1 {
                            let i = y * width + x
                            triple[i] = sample[i - 1] + sample[i] + sample[i + 1]
                        }
                    }
                    for y in 1..<height - 1 {
                        for x in 1..<width - 1 {
                            let i = y * width + x
                            let residual = sample[i] - (triple[i - width] + triple[i] + triple[i + width]) / 9
                            fine += residual * residual
                        }
                    }
                }
                cells.withUnsafeMutableBufferPointer { cell in
                    for y in 0..<height {
                        for x in 0..<width { cell[(y / 4) * Self.columns + x / 4] += sample[y * width + x] / 16 }
                    }
                }
            }
        }
        fine /= Double((width - 2) * (height - 2))
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
        // Per region: the reference's detail energy, the picture's, how their layouts correlate,
        // and how the region's brightness changed.
        var regions: [(refEnergy: Double, liveEnergy: Double, correlation: Double, brightness: Double)] = []
        for ry in 0..<Self.regionRows {
            for rx in 0..<Self.regionColumns {
                let region = (x: rx * SceneSignature.columns / Self.regionColumns, y: ry * SceneSignature.rows / Self.regionRows,
                              width: SceneSignature.columns / Self.regionColumns, height: SceneSignature.rows / Self.regionRows)
                let sums = Self.sums(live, ref, dx: best.dx, dy: best.dy, region: region)
                regions.append((sums.refEnergy, sums.liveEnergy, Self.correlation(sums), sums.liveLevel / max(sums.refLevel, 1)))
            }
        }
        let meanEnergy = regions.map(\.refEnergy).reduce(0, +) / Double(regions.count)
        // Energy per cell step at the region's size for the absolute floor.
        let cellsPerRegion = Double((SceneSignature.columns / Self.regionColumns) * (SceneSignature.rows / Self.regionRows))
        let floor = thresholds.detailFloor * thresholds.detailFloor * cellsPerRegion
        let detailed = regions.indices.filter {
            regions[$0].refEnergy >= floor && regions[$0].refEnergy >= thresholds.detailedRegion * meanEnergy
        }
        let amplitude = { (index: Int) in (regions[index].liveEnergy / regions[index].refEnergy).squareRoot() }
        let matches = { (index: Int) in regions[index].correlation >= thresholds.regionMatch }
        // How much brighter or darker the picture's detail is overall (night, exposure): the
        // upper quartile of the amplitude ratios of the regions whose layout matches (of all
        // detailed regions when none does). A covered region does not match, so the level
        // stays put however much of the picture is covered.
        let matchingDetailed = detailed.filter(matches)
        let ratios = (matchingDetailed.isEmpty ? detailed : matchingDetailed).map(amplitude).sorted()
        let gain = ratios.isEmpty ? 1 : ratios[min(ratios.count - 1, (ratios.count * 3) / 4)]
        // How much brighter or darker the picture is overall.
        let brightness = live.levels.reduce(0, +) / max(ref.levels.reduce(0, +), 1)
        // Covered: the region's detail fell far below the picture's level, and either its layout
        // is gone (tape, a box) or it is still faintly there but the region did not go dark with
        // it (a translucent cloth, which lets light through). A part of the scene that went dark
        // (lights off) keeps its faint layout and is darker than the picture: not covered.
        var covered = Set<Int>()
        for index in detailed where amplitude(index) < thresholds.coveredDetail * gain {
            if !matches(index) || regions[index].brightness >= thresholds.darkerRegion * brightness { covered.insert(index) }
        }
        // Matching, of the regions not covered; a region beside a covered one that does not
        // match is the cover's edge, partly covered, and counts in neither.
        let columns = Self.regionColumns
        let besideCover = { (index: Int) in
            let x = index % columns, y = index / columns
            return (x > 0 && covered.contains(index - 1)) || (x + 1 < columns && covered.contains(index + 1))
                || (y > 0 && covered.contains(index - columns)) || (y + 1 < Self.regionRows && covered.contains(index + columns))
        }
        let uncovered = detailed.filter { !covered.contains($0) && (matches($0) || !besideCover($0)) }
        let matching = uncovered.filter(matches).count
        self.init(
            matchingShare: uncovered.isEmpty ? 0 : Double(matching) / Double(uncovered.count),
            coveredShare: detailed.isEmpty ? 0 : Double(covered.count) / Double(detailed.count),
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

    /// Horizontal and vertical differences between neighbouring cells, and the cells' brightness.
    struct Gradients {
        var dx: [Double]
        var dy: [Double]
        var levels: [Double]

        init(_ cells: [Double]) {
            levels = cells
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
        -> (cross: Double, liveEnergy: Double, refEnergy: Double, liveLevel: Double, refLevel: Double) {
        let columns = SceneSignature.columns, rows = SceneSignature.rows
        let area = region ?? (0, 0, columns, rows)
        var cross = 0.0, liveEnergy = 0.0, refEnergy = 0.0, liveLevel = 0.0, refLevel = 0.0
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
                liveLevel += live.levels[l]
                refLevel += ref.levels[r]
            }
        }
        return (cross, liveEnergy, refEnergy, liveLevel, refLevel)
    }

    static func correlation(_ live: Gradients, _ ref: Gradients, dx: Int, dy: Int, region: Region?) -> Double {
        correlation(sums(live, ref, dx: dx, dy: dy, region: region))
    }

    /// How the two sets of edges correlate: 1 the same layout, 0 none in common.
    static func correlation(_ sums: (cross: Double, liveEnergy: Double, refEnergy: Double, liveLevel: Double, refLevel: Double)) -> Double {
        sums.liveEnergy > 0 && sums.refEnergy > 0 ? sums.cross / (sums.liveEnergy * sums.refEnergy).squareRoot() : 0
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
