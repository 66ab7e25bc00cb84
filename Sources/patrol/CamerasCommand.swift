import ArgumentParser
import Foundation
import PatrolInventory
import PatrolProbe
import PatrolStore

struct CamerasCommand: ReadCommand {
    static let configuration = CommandConfiguration(
        commandName: "cameras",
        abstract: "List the cameras in service, filtered: which are down, where, since when, and why.",
        discussion: """
        Every filter given must hold. Example: the interior cameras of priority venues that are \
        down, and since when:

          patrol cameras --tier priority --placement interior --down

        SINCE is when the current status began (a down camera: its first failure); OUTCOME is \
        the latest probe's. Exit status 0 even when no camera matches.
        """
    )

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Only the cameras of this venue.", valueName: "venue-id"))
    var venue: String?

    @Option(help: ArgumentHelp("Only cameras whose latest probe had this outcome.", valueName: "outcome"))
    var outcome: Outcome?

    @Flag(help: "Only the cameras declared down.")
    var down = false

    @Option(help: "Only perimeter (city) or interior (owner) cameras.")
    var placement: Placement?

    @Option(help: "Only cameras of venues of this tier.")
    var tier: Tier?

    @Option(help: ArgumentHelp("Only cameras streaming this codec (h264, hevc; h265 means hevc).", valueName: "codec"))
    var codec: String?

    @Option(help: ArgumentHelp("Only cameras whose picture is at least this many lines high (720, 1080).", valueName: "lines"))
    var minHeight: Int?

    @Option(help: ArgumentHelp(
        "Only cameras whose stream metadata changed since then: 2026-09-21, '2026-09-21 14:00', 7d, 12h.",
        valueName: "time"))
    var changedSince: TimeArgument?

    func validate() throws {
        if let minHeight, minHeight <= 0 { throw ValidationError("--min-height must be a positive number of lines") }
        if let codec, codec.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--codec needs a name") }
    }

    /// Codec names as FFmpeg gives them: `hevc`, not `h265`.
    static func codecName(_ name: String) -> String {
        switch name.lowercased().replacingOccurrences(of: ".", with: "") {
        case "h265", "hevc", "x265": "hevc"
        case "h264", "avc", "x264": "h264"
        case let other: other
        }
    }

    var filter: CameraFilter {
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
        if let venue, try store.venue(id: venue) == nil {
            throw CommandFailure(message: "no venue \(venue): `patrol venues` lists them", exit: .notFound)
        }
        return Listing("cameras", try store.cameras(matching: filter))
    }

    func text(_ listing: Listing<CameraSummary>, now: Date) -> String {
        let cameras = listing.all
        guard !cameras.isEmpty else { return "no camera matches" }
        let counts = CameraCounts(cameras)
        return Self.table(cameras, now: now, showVenue: true) + "\n"
            + "\(cameras.count) camera\(cameras.count == 1 ? "" : "s"): \(counts.down) down "
            + "(\(counts.interiorDown) interior, \(counts.perimeterDown) perimeter), \(counts.up) up, \(counts.unknown) unknown"
    }

    /// The camera table, also used by `patrol venue` (without the venue and tier columns).
    static func table(_ cameras: [CameraSummary], now: Date, showVenue: Bool) -> String {
        var table = Table([.left("ID")] + (showVenue ? [.left("VENUE"), .left("TIER")] : [])
            + [.left("PLACEMENT"), .left("STATUS"), .left("SINCE"), .left("OUTCOME"), .left("VIDEO")])
        for camera in cameras {
            table.add([camera.id] + (showVenue ? ["\(camera.venueID) \(camera.venueName)", camera.tier.rawValue] : [])
                + [camera.placement.rawValue, camera.status.rawValue,
                   Format.since(camera.since, now: now), camera.lastOutcome?.rawValue ?? "-",
                   Format.video(codec: camera.codec, width: camera.width, height: camera.height)])
        }
        return table.render()
    }
}

extension Outcome: ExpressibleByArgument {}
extension Placement: ExpressibleByArgument {}
extension Tier: ExpressibleByArgument {}
extension VenueKind: ExpressibleByArgument {}
