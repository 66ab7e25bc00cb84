/// How long the store keeps what it is given.
public struct RetentionSettings: Sendable, Equatable {
    public var rawDays = 7
    public var rollupDays = 730
    public init() {}
}

/// How the daemon's single writer batches probe results.
public struct WriterSettings: Sendable, Equatable {
    /// Results written in one transaction at most.
    public var batchSize = 256
    /// Seconds a result may wait for its batch to fill.
    public var batchInterval = 1.0
    /// Seconds results may wait with no write and no failed write before the writer counts
    /// as wedged and the watchdog stops (never less than ten batch intervals).
    public var stallLimit = 120.0
    public init() {}

    /// The stall limit in force.
    public var stall: Double { max(stallLimit, 10 * batchInterval) }
}

/// What a re-import of the inventory may do unasked.
public struct InventoryImportSettings: Sendable, Equatable {
    /// The share of the cameras (or of the venues) in service that one import may retire
    /// without `--allow-retire`: more is refused, as files cut short would do.
    public var maxRetirePercent = 10.0
    public init() {}
}
