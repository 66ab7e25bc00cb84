import PatrolInventory
import PatrolSettings
import Testing

@Suite("One value per tier: by tier, by name, transformed")
struct PerTierTests {
    static let cadence = PerTier<Double>(general: 900, watch: 300, priority: 60)

    @Test("each tier reads the field of its own name", arguments: [
        (Tier.general, 900.0),
        (.watch, 300),
        (.priority, 60),
    ])
    func byTier(tier: Tier, seconds: Double) {
        #expect(Self.cadence[tier] == seconds)
        let field = PerTier<Double>.fields.first { $0.name == tier.rawValue }
        #expect(field.map { Self.cadence[keyPath: $0.value] } == seconds)
    }

    @Test("writing one tier's value leaves the others", arguments: [
        (Tier.general, PerTier<Double>(general: 1, watch: 300, priority: 60)),
        (.watch, PerTier(general: 900, watch: 1, priority: 60)),
        (.priority, PerTier(general: 900, watch: 300, priority: 1)),
    ])
    func write(tier: Tier, expected: PerTier<Double>) {
        var values = Self.cadence
        values[tier] = 1
        #expect(values == expected)
    }

    @Test("the names are the tiers' names, general up to priority, as the values are ordered")
    func names() {
        #expect(PerTier<Int>.fields.map(\.name) == Tier.allCases.map(\.rawValue))
        #expect(Self.cadence.values == Tier.allCases.map { Self.cadence[$0] })
        #expect(PerTier(repeating: 7).values == [7, 7, 7])
    }

    @Test("map transforms each tier's value in place", arguments: [
        (PerTier<Double>(general: 900, watch: 300, priority: 60), PerTier<Int>(general: 15, watch: 5, priority: 1)),
        (PerTier(repeating: 120), PerTier(repeating: 2)),
    ])
    func map(seconds: PerTier<Double>, minutes: PerTier<Int>) {
        #expect(seconds.map { Int($0 / 60) } == minutes)
    }

    @Test("coverage is twice the cadence, never less than the longest backoff, plus the deadline", arguments: [
        // The defaults: 60/300/900 s cadence, 600 s backoff limit, 8 s deadline.
        (PerTier<Double>(general: 900, watch: 300, priority: 60), 600.0, 8.0, PerTier<Double>(general: 1808, watch: 608, priority: 608)),
        (PerTier(general: 1200, watch: 300, priority: 60), 600, 8, PerTier(general: 2408, watch: 608, priority: 608)),
        (PerTier(repeating: 43_200), 600, 8, PerTier(repeating: 86_408)),
        (PerTier(repeating: 5), 5, 0.5, PerTier(repeating: 10.5)),
    ])
    func coverage(cadence: PerTier<Double>, backoffLimit: Double, deadline: Double, expected: PerTier<Double>) {
        var settings = DailyPatrolSettings()
        settings.cover(cadence: cadence, backoffLimit: backoffLimit, deadline: deadline)
        #expect(settings.coverage == expected)
    }
}
