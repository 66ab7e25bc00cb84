/// One thing wrong in an imported file, located as `file:line:field`.
public struct InventoryProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file's name, e.g. `cameras.csv`.
    public var file: String
    /// The physical line (1-based; the header is line 1) where the record starts, or `nil`
    /// when the problem is the file as a whole (it cannot be read).
    public var line: Int?
    /// The column concerned, by its header name, or `nil` when the problem is the whole record.
    public var field: String?
    /// What is wrong, in words an operator can act on. Never contains credentials.
    public var reason: String

    public init(file: String, line: Int?, field: String?, reason: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }

    /// `cameras.csv:37:venue_id: unknown venue "V0999"`.
    public var description: String {
        let place = [file, line.map(String.init), field].compactMap { $0 }.joined(separator: ":")
        return "\(place): \(reason)"
    }
}

/// Why an inventory was not loaded: every problem found, in file and line order.
public struct InventoryError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [InventoryProblem]

    public init(problems: [InventoryProblem]) {
        self.problems = problems
    }

    /// The problems, one per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
