import ArgumentParser
import Foundation
import PatrolStore

struct VenueCommand: ReadCommand {
    static let configuration = CommandConfiguration(
        commandName: "venue",
        abstract: "One venue: its registered facts, supervisor and owner contact, each camera's status and its registration systems.",
        discussion: "Exit status 66 when there is no such venue."
    )

    @Argument(help: ArgumentHelp("The venue's id, e.g. V0001.", valueName: "venue-id"))
    var id: String

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    struct Ledger: Encodable {
        var ladder: LadderView
        var entries: [EntryView]
    }

    func report(from store: Store, now: Date) throws -> WithLadder<VenueDetail, Ledger> {
        guard let detail = try store.venue(id: id) else {
            throw CommandFailure(message: "no venue \(id): `patrol venues` lists them", exit: .notFound)
        }
        let reading = try LadderReading(store, options: self.store, now: now, venues: [id])
        let ladder = reading.view(id, tier: detail.venue.tier, supervisor: detail.venue.supervisor)
        return WithLadder(base: detail, ladder: Ledger(ladder: ladder, entries: try store.ledger(venue: id).map(EntryView.init)))
    }

    func text(_ report: WithLadder<VenueDetail, Ledger>, now: Date) -> String {
        let detail = report.base
        let venue = detail.venue, counts = detail.counts
        var facts = [("kind", venue.kind.rawValue), ("tier", venue.tier.rawValue),
                     ("supervisor", venue.supervisor ?? "-"), ("district", "\(venue.district), grid \(venue.grid)"),
                     ("address", venue.address), ("owner", venue.ownerContact)]
        if let retired = detail.retiredAt { facts.append(("retired", Format.time(retired))) }
        facts.append(("cameras", "\(counts.total) in service (\(counts.perimeter) perimeter, \(counts.interior) interior): "
            + "\(counts.down) down (\(counts.interiorDown) interior, \(counts.perimeterDown) perimeter), \(counts.up) up, "
            + "\(counts.unknown) unknown"))
        switch venue.registration {
        case .undeclared: break
        case .noSystem: facts.append(("registration", "none (the inventory declares no registration system)"))
        case .systems(let ids):
            let down = detail.registration.filter(\.isDown).count
            facts.append(("registration", "\(ids.joined(separator: ", ")): " + (down == 0 ? "all online" : "\(down) offline, stuck or unseen")))
        }
        var sections = ["\(venue.id)  \(venue.name)", Table.fields(facts)]
        sections.append(Table.fields(report.ladder.ladder.fields))
        if !detail.cameras.isEmpty { sections.append(CamerasCommand.table(detail.cameras, now: now, showVenue: false)) }
        if !detail.registration.isEmpty {
            sections.append(RegistrationCommand.table(detail.registration, now: now, showVenue: false))
        }
        sections.append(report.ladder.entries.isEmpty ? "no ledger entries"
            : "LEDGER\n" + EntryView.table(report.ladder.entries, showVenue: false))
        return sections.joined(separator: "\n\n")
    }
}
