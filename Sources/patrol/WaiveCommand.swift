import ArgumentParser
import Foundation
import PatrolLedger
import PatrolStore

struct WaiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waive",
        abstract: "Waive days for force majeure: neither failed nor compliant, for a venue or the whole district.",
        discussion: """
        Days already judged are judged again without them: an order or warning they caused is \
        revoked, and deadlines move by the days waived (docs/LEDGER.md).
          patrol waive --district --from 2026-11-20 --to 2026-11-21 --by 王芳 --reason "district power cut"
        """
    )

    @Option(help: ArgumentHelp("The venue whose days are waived.", valueName: "venue-id"))
    var venue: String?

    @Flag(help: "Waive the days for every venue of the district.")
    var district = false

    @Option(help: ArgumentHelp("The first day waived (YYYY-MM-DD).", valueName: "day"))
    var from: String

    @Option(help: ArgumentHelp("The last day waived (YYYY-MM-DD; the first day when left out).", valueName: "day"))
    var to: String?

    @OptionGroup var act: ActOptions

    func validate() throws {
        guard (venue != nil) != district else { throw ValidationError("give either --venue ID or --district") }
        guard let first = PatrolDay(from) else { throw ValidationError("--from: '\(from)' is not a day (YYYY-MM-DD)") }
        if let to {
            guard let last = PatrolDay(to) else { throw ValidationError("--to: '\(to)' is not a day (YYYY-MM-DD)") }
            guard last >= first else { throw ValidationError("--to: \(to) is before --from \(from)") }
            guard last - first < 366 else { throw ValidationError("--to: a waiver covers at most a year") }
        }
    }

    func run() throws {
        try act.record { _, store, states in
            let target = try venue.map { id in _ = try ActOptions.venue(id, in: store, states: states); return id } ?? "*"
            let first = PatrolDay(from)!
            return Step(act: .waiver, venue: target, day: first, options: act, until: to.flatMap(PatrolDay.init) ?? first)
        }
    }
}
