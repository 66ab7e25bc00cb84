import Testing
@testable import PatrolInventory

@Suite("Domain types")
struct DomainTests {
    @Test("tiers are ordered general < watch < priority")
    func tiers() {
        #expect(Tier.general < .watch && Tier.watch < .priority)
        #expect([Tier.priority, .general, .watch].sorted() == [.general, .watch, .priority])
    }

    @Test("kinds and placements are named as in the CSV files")
    func rawValues() {
        #expect(VenueKind.allCases.map(\.rawValue) == ["hotel", "rental", "internet_cafe"])
        #expect(Placement.allCases.map(\.rawValue) == ["perimeter", "interior"])
    }

    @Test("a problem prints as file:line:field: reason", arguments: [
        (InventoryProblem(file: "cameras.csv", line: 37, field: "venue_id", reason: #"unknown venue "V0999""#),
         #"cameras.csv:37:venue_id: unknown venue "V0999""#),
        (InventoryProblem(file: "venues.csv", line: 14, field: nil, reason: "the record has 8 fields but the header has 9"),
         "venues.csv:14: the record has 8 fields but the header has 9"),
        (InventoryProblem(file: "venues.csv", line: nil, field: nil, reason: "cannot read the file"),
         "venues.csv: cannot read the file"),
    ])
    func problem(problem: InventoryProblem, printed: String) {
        #expect(problem.description == printed)
    }
}
