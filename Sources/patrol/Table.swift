import PatrolOutput
import PatrolReport

/// A plain-text table whose columns line up on a terminal, Chinese text included: cells are
/// padded by their display width (DisplayWidth), not by their count of characters.
struct Table {
    enum Alignment { case left, right }

    struct Column {
        var title: String
        var alignment: Alignment

        static func left(_ title: String) -> Column { Column(title: title, alignment: .left) }
        static func right(_ title: String) -> Column { Column(title: title, alignment: .right) }
    }

    var columns: [Column]
    var rows: [[String]] = []
    /// Whether the titles are printed as the first line.
    var header = true

    init(_ columns: [Column], header: Bool = true) {
        self.columns = columns
        self.header = header
    }

    /// A two-column list of labels and values, without a header.
    static func fields(_ pairs: [(String, String)]) -> String {
        var table = Table([.left(""), .left("")], header: false)
        for (label, value) in pairs { table.add([label, value]) }
        return table.render()
    }

    /// Adds a row. Control characters in a cell (a name stored before import refused them, a
    /// reason typed with one) are shown escaped, `\x1B`: a cell never drives the terminal.
    mutating func add(_ cells: [String]) {
        rows.append(cells.map(Output.printable))
    }

    /// The lines of the table, two spaces between columns, no trailing blanks.
    func render() -> String {
        let lines = (header ? [columns.map(\.title)] : []) + rows
        var widths = columns.map { _ in 0 }
        for line in lines {
            for (index, cell) in line.prefix(columns.count).enumerated() { widths[index] = max(widths[index], DisplayWidth.of(cell)) }
        }
        return lines.map { line in
            var text = ""
            for (index, column) in columns.enumerated() {
                let cell = index < line.count ? line[index] : ""
                let padding = String(repeating: " ", count: widths[index] - DisplayWidth.of(cell))
                if index > 0 { text += "  " }
                text += column.alignment == .left ? cell + padding : padding + cell
            }
            return String(text.reversed().drop { $0 == " " }.reversed())
        }.joined(separator: "\n")
    }
}
