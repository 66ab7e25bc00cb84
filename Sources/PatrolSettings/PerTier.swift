/// One value for each venue tier (general, watch, priority), named as the configuration file
/// names the tiers: seconds between probes, seconds a probe stands for, days to rectify.
///
/// The tiers themselves (`Tier`, ordered and stored with the venues) belong to the inventory,
/// which reads a value by tier through its `subscript(_ tier: Tier)`.
public struct PerTier<Value> {
    public var general: Value
    public var watch: Value
    public var priority: Value

    public init(general: Value, watch: Value, priority: Value) {
        self.general = general
        self.watch = watch
        self.priority = priority
    }

    /// The same value for every tier.
    public init(repeating value: Value) {
        self.init(general: value, watch: value, priority: value)
    }

    /// Each tier's name as the configuration file writes it, with where its value is, from
    /// general up to priority.
    public static var fields: [(name: String, value: WritableKeyPath<PerTier, Value>)] {
        [("general", \.general), ("watch", \.watch), ("priority", \.priority)]
    }

    /// The values, from general up to priority.
    public var values: [Value] { [general, watch, priority] }

    /// Each tier's value transformed, tier by tier.
    public func map<Other>(_ transform: (Value) throws -> Other) rethrows -> PerTier<Other> {
        PerTier<Other>(general: try transform(general), watch: try transform(watch), priority: try transform(priority))
    }
}

extension PerTier: Sendable where Value: Sendable {}
extension PerTier: Equatable where Value: Equatable {}
extension PerTier: Hashable where Value: Hashable {}
