/// RFC 4180 read back, as a spreadsheet would: the records of a file the report attaches and
/// their fields. Strict where the report promises: a UTF-8 byte order mark first, CRLF after
/// every record, quotes only around a whole field.
public enum CSVRecords {
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String) throws -> [[String]] {
        guard text.hasPrefix("\u{FEFF}") else { throw Malformed(description: "no byte order mark") }
        var records: [[String]] = [], record: [String] = [], field = "", quoted = false
        var scalars = Array(text.unicodeScalars.dropFirst())[...]
        while let scalar = scalars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if scalars.first == "\"" { field.unicodeScalars.append(scalars.removeFirst()) } else { quoted = false }
                } else {
                    field.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" {
                guard field.isEmpty else { throw Malformed(description: "a quote inside an unquoted field") }
                quoted = true
            } else if scalar == "," {
                record.append(field)
                field = ""
            } else if scalar == "\r" {
                guard scalars.popFirst() == "\n" else { throw Malformed(description: "CR without LF") }
                records.append(record + [field])
                record = []
                field = ""
            } else {
                guard scalar != "\n" else { throw Malformed(description: "a bare LF ends no record") }
                field.unicodeScalars.append(scalar)
            }
        }
        guard !quoted, record.isEmpty, field.isEmpty else { throw Malformed(description: "the last record does not end in CRLF") }
        return records
    }
}
