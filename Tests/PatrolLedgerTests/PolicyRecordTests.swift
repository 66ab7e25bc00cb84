import Foundation
import PatrolInventory
import PatrolLedger
import PatrolSettings
import Testing

@Suite("The ladder policy as the database records it")
struct PolicyRecordTests {
    static let defaults = #"{"commendation_days":90,"deadline_days":{"general":3,"priority":1,"watch":2},"#
        + #""default_supervisor":"priority venue team","failure_window_days":365,"recheck_days":7}"#

    @Test("the defaults are written as they always were")
    func written() {
        #expect(Evidence.encode(LadderPolicy()) == Self.defaults)
    }

    @Test("deadline days are read by tier name; a tier not named has three days", arguments: [
        (#"{"general":3,"priority":1,"watch":2}"#, PerTier(general: 3, watch: 2, priority: 1)),
        (#"{"general":5}"#, PerTier(general: 5, watch: 3, priority: 3)),
        (#"{}"#, PerTier(repeating: 3)),
    ])
    func read(deadlines: String, expected: PerTier<Int>) throws {
        let json = Self.defaults.replacingOccurrences(of: #"{"general":3,"priority":1,"watch":2}"#, with: deadlines)
        let policy = try JSONDecoder().decode(LadderPolicy.self, from: Data(json.utf8))
        #expect(policy.deadlineDays == expected)
        #expect(Tier.allCases.map(policy.deadline(for:)) == expected.values)
    }

    @Test("a tier the product does not know is refused")
    func unknownTier() {
        let json = Self.defaults.replacingOccurrences(of: #""watch":2"#, with: #""vip":2"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LadderPolicy.self, from: Data(json.utf8)) }
    }
}
