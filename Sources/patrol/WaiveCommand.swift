import ArgumentParser
import Foundation
import PatrolLedger
import PatrolStore

struct WaiveCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "waive", abstract: say(.waiveAbstract), discussion: say(.waiveDiscussion))
    }

    @Option(help: ArgumentHelp(say(.waiveHelpVenue), valueName: "venue-id"), completion: Completion.venues)
    var venue: String?

    @Flag(help: ArgumentHelp(say(.waiveHelpDistrict)))
    var district = false

    @Option(help: ArgumentHelp(say(.waiveHelpFrom), valueName: "day"))
    var from: String

    @Option(help: ArgumentHelp(say(.waiveHelpTo), valueName: "day"))
    var to: String?

    @OptionGroup var act: ActOptions

    func validate() throws {
        guard (venue != nil) != district else { throw ValidationError(say(.waiveVenueOrDistrict)) }
        guard let first = PatrolDay(from) else { throw ValidationError(say(.notADay, "--from", from)) }
        if let to {
            guard let last = PatrolDay(to) else { throw ValidationError(say(.notADay, "--to", to)) }
            guard last >= first else { throw ValidationError(say(.waiveToBeforeFrom, to, from)) }
            guard last - first < 366 else { throw ValidationError(say(.waiveAtMostAYear)) }
        }
    }

    func run() throws {
        try act.record { _, store, states in
            let target = try venue.map { try ActOptions.venue($0, in: store, states: states).id } ?? "*"
            let first = PatrolDay(from)!
            return Step(act: .waiver, venue: target, day: first, options: act, until: to.flatMap(PatrolDay.init) ?? first)
        }
    }
}
