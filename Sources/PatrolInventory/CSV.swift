import Foundation

/// RFC 4180 CSV as spreadsheets write it: quoted fields may hold commas, quotes (doubled) and
/// line breaks; lines end in CRLF or LF; a UTF-8 byte order mark is skipped; blank lines are
/// ignored; whitespace around a field (outside its quotes) is trimmed.
public enum CSV {
    /// One record and the physical line (1-based) where it starts.
    public struct Record: Equatable, Sendable {
        public var line: Int
        public var fields: [String]
    }

    /// Something that makes the text not CSV, at the line where its record starts.
    public struct Problem: Error, Equatable {
        public enum Kind: Error, Equatable {
            case notUTF8, unterminatedQuote, textAfterQuote
        }

        public var kind: Kind
        public var line: Int
        /// The 0-based position of the field concerned in its record, when there is one.
        public var column: Int?

        public var reason: String {
            switch kind {
            case .notUTF8: """
                the file is not UTF-8 text (perhaps GBK, as Excel saves it); \
                save it as UTF-8 ("CSV UTF-8" in Excel) and import it again
                """
            case .unterminatedQuote: "a quoted field is never closed (a closing quote is missing)"
            case .textAfterQuote: "text after the closing quote of a quoted field (double a quote inside quotes)"
            }
        }
    }

    /// The text of UTF-8 `data` without its byte order mark, or the line of the first byte
    /// that is not UTF-8 (a GBK file saved by Excel, typically).
    public static func decode(_ data: Data) throws(Problem) -> String {
        var bytes = data.makeIterator()
        var decoder = UTF8()
        var line = 1
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput:
                let text = String(decoding: data, as: UTF8.self)
                return text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
            case .error:
                throw Problem(kind: .notUTF8, line: line)
            }
        }
    }

    /// The records of `text` and the problems that made other records unreadable.
    ///
    /// A record with a problem is left out; reading stops at an unterminated quote, which
    /// swallows the rest of the file.
    public static func parse(_ text: String) -> (records: [Record], problems: [Problem]) {
        var reader = Reader(scalars: Array(text.unicodeScalars))
        var records: [Record] = []
        var problems: [Problem] = []
        while !reader.isAtEnd {
            let start = reader.line
            switch reader.record() {
            case .success(let fields) where fields.allSatisfy(\.isEmpty): continue
            case .success(let fields): records.append(Record(line: start, fields: fields))
            case .failure(let problem):
                problems.append(problem)
                if problem.kind == .unterminatedQuote { return (records, problems) }
            }
        }
        return (records, problems)
    }

    /// One line of CSV (ending in LF), quoting only the fields that need it.
    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\n"
    }

    /// `field`, quoted when it holds a comma, quote or line break, or starts or ends with
    /// whitespace that reading would trim.
    static func escape(_ field: String) -> String {
        let special = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        let padded = field.unicodeScalars.first.map(isBlank) == true || field.unicodeScalars.last.map(isBlank) == true
        guard special || padded else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace && scalar != "\n" && scalar != "\r"
    }

    private struct Reader {
        let scalars: [Unicode.Scalar]
        var index = 0
        /// The physical line of `index`.
        var line = 1

        var isAtEnd: Bool { index == scalars.count }
        private var current: Unicode.Scalar? { isAtEnd ? nil : scalars[index] }

        /// Reads one record and the line break after it.
        mutating func record() -> Result<[String], Problem> {
            let start = line
            var fields: [String] = []
            var problem: Problem?
            while true {
                switch field() {
                case .success(let value): fields.append(value)
                case .failure(.unterminatedQuote):
                    return .failure(Problem(kind: .unterminatedQuote, line: start, column: fields.count))
                case .failure(let kind):
                    problem = problem ?? Problem(kind: kind, line: start, column: fields.count)
                    fields.append("")
                }
                if current == "," {
                    index += 1
                } else {
                    skipLineBreak()
                    return problem.map { .failure($0) } ?? .success(fields)
                }
            }
        }

        /// Reads one field, leaving `index` on the comma, line break or end after it.
        private mutating func field() -> Result<String, Problem.Kind> {
            skipBlanks()
            guard current == "\"" else {
                var value = String.UnicodeScalarView()
                while let scalar = current, !isDelimiter(scalar) {
                    value.append(scalar)
                    index += 1
                }
                return .success(String(value).trimmingCharacters(in: .whitespaces))
            }
            index += 1
            var value = String.UnicodeScalarView()
            while true {
                guard let scalar = current else { return .failure(.unterminatedQuote) }
                if scalar == "\"" {
                    index += 1
                    guard current == "\"" else { break }
                    value.append("\"")
                    index += 1
                } else if scalar == "\n" || scalar == "\r" {
                    skipLineBreak()
                    value.append("\n")
                } else {
                    value.append(scalar)
                    index += 1
                }
            }
            skipBlanks()
            guard let next = current, !isDelimiter(next) else { return .success(String(value)) }
            while let scalar = current, !isDelimiter(scalar) { index += 1 }
            return .failure(.textAfterQuote)
        }

        private func isDelimiter(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "," || scalar == "\n" || scalar == "\r"
        }

        private mutating func skipBlanks() {
            while let scalar = current, CSV.isBlank(scalar) { index += 1 }
        }

        /// Consumes one CRLF, LF or CR, counting the line.
        private mutating func skipLineBreak() {
            guard let scalar = current, scalar == "\n" || scalar == "\r" else { return }
            index += 1
            if scalar == "\r", current == "\n" { index += 1 }
            line += 1
        }
    }
}
