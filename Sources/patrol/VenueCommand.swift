import ArgumentParser
import Foundation
import PatrolStore
import PatrolViews

struct VenueCommand: ReadCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "venue", abstract: say(.venueAbstract), discussion: say(.venueDiscussion))
    }

    @Argument(help: ArgumentHelp(say(.venueHelpID), valueName: "venue-id"), completion: Completion.venues)
    var id: String

    @OptionGroup var store: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func report(from store: Store, now: Date) throws -> WithLadder<VenueDetail, Reader.VenueLedger> {
        try Reader(store: store, settings: self.store.patrolSettings()).venue(id, now: now)
    }

    func text(_ report: WithLadder<VenueDetail, Reader.VenueLedger>, now: Date) -> String {
        let detail = report.base
        let venue = detail.venue, counts = detail.counts
        var facts = [(say(.venueKind), word(venue.kind)), (say(.venueTier), word(venue.tier)),
                     (say(.venueSupervisor), venue.supervisor ?? "-"), (say(.venueDistrict), say(.venueDistrictGrid, venue.district, venue.grid)),
                     (say(.venueAddress), venue.address), (say(.venueOwner), venue.ownerContact)]
        if let retired = detail.retiredAt { facts.append((say(.factRetired), Format.time(retired))) }
        facts.append((say(.venueCameras), say(.venueCameraCounts, counts.total, counts.perimeter, counts.interior, counts.down,
                                               counts.interiorDown, counts.perimeterDown, counts.up, counts.unknown)))
        switch venue.registration {
        case .undeclared: break
        case .noSystem: facts.append((say(.statusRegistration), say(.venueRegistrationNone)))
        case .systems(let ids):
            let down = detail.registration.filter(\.isDown).count
            facts.append((say(.statusRegistration), say(.venueRegistrationSystems, ids.joined(separator: ", "),
                                                         down == 0 ? say(.venueRegistrationAllOnline) : say(.venueRegistrationDown, down))))
        }
        var sections = ["\(venue.id)  \(venue.name)", Table.fields(facts)]
        sections.append(Table.fields(report.ladder.ladder.fields))
        if !detail.cameras.isEmpty { sections.append(CamerasCommand.table(detail.cameras, now: now, showVenue: false)) }
        if !detail.registration.isEmpty {
            sections.append(RegistrationCommand.table(detail.registration, now: now, showVenue: false))
        }
        sections.append(report.ladder.entries.isEmpty ? say(.ledgerNoEntries)
            : say(.venueLedger) + "\n" + EntryView.table(report.ladder.entries, showVenue: false))
        return sections.joined(separator: "\n\n")
    }
}
