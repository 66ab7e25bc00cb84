import ArgumentParser
import Foundation
import PatrolInventory
import PatrolProbe
import PatrolStore
import PatrolViews

struct CamerasCommand: ReadCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "cameras", abstract: say(.camerasAbstract), discussion: say(.camerasDiscussion))
    }

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var list: ListOptions

    @Option(help: ArgumentHelp(say(.camerasHelpVenue), valueName: "venue-id"), completion: Completion.venues)
    var venue: String?

    @Option(help: ArgumentHelp(say(.camerasHelpOutcome), valueName: "outcome"))
    var outcome: Outcome?

    @Flag(help: ArgumentHelp(say(.camerasHelpDown)))
    var down = false

    @Option(help: ArgumentHelp(say(.camerasHelpPlacement)))
    var placement: Placement?

    @Option(help: ArgumentHelp(say(.camerasHelpTier)))
    var tier: Tier?

    @Option(help: ArgumentHelp(say(.camerasHelpCodec), valueName: "codec"))
    var codec: String?

    @Option(help: ArgumentHelp(say(.camerasHelpMinHeight), valueName: "lines"))
    var minHeight: Int?

    @Option(help: ArgumentHelp(say(.camerasHelpChangedSince), valueName: "time"))
    var changedSince: TimeArgument?

    func validate() throws {
        if let minHeight, minHeight <= 0 { throw ValidationError(say(.camerasMinHeightPositive)) }
        if let codec, codec.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError(say(.camerasCodecNeedsName)) }
    }

    /// Codec names as FFmpeg gives them: `hevc`, not `h265`.
    static func codecName(_ name: String) -> String {
        switch name.lowercased().replacingOccurrences(of: ".", with: "") {
        case "h265", "hevc", "x265": "hevc"
        case "h264", "avc", "x264": "h264"
        case let other: other
        }
    }

    func filter(venue: String?) -> CameraFilter {
        var filter = CameraFilter()
        filter.venueID = venue
        filter.outcome = outcome
        filter.status = down ? .down : nil
        filter.placement = placement
        filter.tier = tier
        filter.codec = codec.map(Self.codecName)
        filter.minHeight = minHeight
        filter.changedSince = changedSince?.date
        return filter
    }

    func report(from store: Store, now: Date) throws -> Listing<CameraSummary> {
        let venue = try self.venue.map(store.existingVenueID)
        return Listing("cameras", try store.cameras(matching: filter(venue: venue)), limit: list.limit)
    }

    func text(_ listing: Listing<CameraSummary>, now: Date) -> String {
        let cameras = listing.all
        guard !cameras.isEmpty else { return say(.camerasNoMatch) }
        let counts = CameraCounts(cameras)
        return Self.table(listing.shown, now: now, showVenue: true) + "\n"
            + say(.camerasSummary, cameras.count, counts.down, counts.interiorDown, counts.perimeterDown, counts.up, counts.unknown)
            + (listing.note.map { "\n" + $0 } ?? "")
    }

    /// The camera table, also used by `patrol venue` (without the venue and tier columns).
    static func table(_ cameras: [CameraSummary], now: Date, showVenue: Bool) -> String {
        var table = Table([.left(say(.columnID))] + (showVenue ? [.left(say(.columnVenue)), .left(say(.columnTier))] : [])
            + [.left(say(.columnPlacement)), .left(say(.columnStatus)), .left(say(.columnSince)), .left(say(.columnOutcome)),
               .left(say(.columnVideo))])
        for camera in cameras {
            table.add([camera.id] + (showVenue ? ["\(camera.venueID) \(camera.venueName)", word(camera.tier)] : [])
                + [word(camera.placement), word(camera.status),
                   Format.since(camera.since, now: now), camera.lastOutcome.map(word) ?? "-",
                   Format.video(codec: camera.codec, width: camera.width, height: camera.height)])
        }
        return table.render()
    }
}

extension Outcome: ExpressibleByArgument {}
extension Placement: ExpressibleByArgument {}
extension Tier: ExpressibleByArgument {}
extension VenueKind: ExpressibleByArgument {}
