import Foundation
import PatrolProbe

extension Inventory {
    /// Reads `venues.csv` and `cameras.csv` (see `Samples/district`) and validates everything.
    ///
    /// Columns are found by their header name, in any order; unknown columns are ignored.
    /// venues: `id,name,kind,tier,district,grid,address,owner_contact,supervisor` and optionally
    /// `registration` (the venue's registration system ids separated by `;`, or `none`);
    /// cameras: `id,venue_id,placement,url` and optionally `username,password` (credentials
    /// go either in the URL or in those columns, not both).
    ///
    /// - Throws: every problem found in both files, each located as `file:line:field`. If
    ///   anything is wrong no inventory is returned, so the caller applies nothing.
    public static func load(venues: URL, cameras: URL) throws(InventoryError) -> Inventory {
        var loader = InventoryLoader()
        let venueTable = loader.read(venues, columns: InventoryLoader.venueColumns, optional: InventoryLoader.registrationColumns)
        let cameraTable = loader.read(
            cameras, columns: InventoryLoader.cameraColumns, optional: InventoryLoader.credentialColumns)
        let loadedVenues = venueTable.map { loader.venues(in: $0) }
        // Without a readable venues file every venue_id would look unknown: those are not checked.
        let knownVenues = loadedVenues.map { _ in Set(loader.venueLines.keys) }
        let loadedCameras = cameraTable.map { loader.cameras(in: $0, knownVenues: knownVenues) }
        guard loader.problems.isEmpty, let loadedVenues, let loadedCameras else {
            throw InventoryError(problems: loader.sortedProblems(files: [venues, cameras]))
        }
        return Inventory(venues: loadedVenues, cameras: loadedCameras)
    }
}

/// Validates the two files record by record, collecting every problem.
struct InventoryLoader {
    static let venueColumns = ["id", "name", "kind", "tier", "district", "grid", "address", "owner_contact", "supervisor"]
    static let cameraColumns = ["id", "venue_id", "placement", "url"]
    static let credentialColumns = ["username", "password"]
    /// A venues file without it declares no registration system (the venues are judged on video alone).
    static let registrationColumns = ["registration"]

    /// The longest value each column takes, in characters (docs/SWEEP.md). A longer one is refused.
    static let lengthLimits: [String: Int] = [
        "id": 64, "name": 200, "kind": 32, "tier": 32, "district": 100, "grid": 64, "address": 300,
        "owner_contact": 100, "supervisor": 200, "venue_id": 64, "placement": 32, "url": 2000,
        "username": 256, "password": 256, "registration": 600,
    ]

    /// A record by column name; a column absent from the file reads as empty. A column whose value
    /// was refused (a control character, too long) reads as empty too, and counts as given.
    struct Row {
        var file: String
        var line: Int
        var values: [String: String]
        var refused: Set<String> = []
        subscript(column: String) -> String { refused.contains(column) ? "" : values[column] ?? "" }
    }

    /// A file's records of the header's width.
    struct Table {
        var rows: [Row]
    }

    private(set) var problems: [InventoryProblem] = []
    /// The line of each venue id's first occurrence.
    private(set) var venueLines: [String: Int] = [:]
    private var cameraLines: [String: Int] = [:]
    /// The venue and line that first declared each registration system.
    private var registrationLines: [String: (venue: String, line: Int)] = [:]
    /// The camera id and line that first used each stream, keyed without credentials.
    private var streams: [String: (camera: String, line: Int)] = [:]

    // MARK: Files

    /// The file's records, or `nil` when it cannot be read as CSV with these columns.
    mutating func read(_ url: URL, columns: [String], optional: [String] = []) -> Table? {
        let file = url.lastPathComponent
        let text: String
        do {
            text = try CSV.decode(Data(contentsOf: url))
        } catch let problem as CSV.Problem {
            report(file, problem.line, nil, problem.reason)
            return nil
        } catch {
            report(file, nil, nil, "cannot read the file: \(error.localizedDescription)")
            return nil
        }
        let (records, csvProblems) = CSV.parse(text)
        guard let headerRecord = records.first, csvProblems.allSatisfy({ $0.line > headerRecord.line }) else {
            for problem in csvProblems { report(file, problem.line, nil, problem.reason) }
            if csvProblems.isEmpty { report(file, 1, nil, "the file is empty; it needs a header row") }
            return nil
        }
        let header = headerRecord.fields.map { $0.lowercased() }
        for problem in csvProblems {
            let field = problem.column.flatMap { header.indices.contains($0) ? header[$0] : nil }
            report(file, problem.line, field, problem.reason)
        }
        guard isValid(header: header, line: headerRecord.line, file: file, columns: columns) else { return nil }

        let wanted = Set(columns + optional)
        var rows: [Row] = []
        for record in records.dropFirst() {
            guard record.fields.count == header.count else {
                report(file, record.line, nil, "the record has \(record.fields.count) fields but the header has \(header.count)")
                continue
            }
            let values = zip(header, record.fields).filter { wanted.contains($0.0) }
            var row = Row(file: file, line: record.line, values: Dictionary(values, uniquingKeysWith: { a, _ in a }))
            for (column, value) in row.values.sorted(by: { $0.key < $1.key }) {
                guard let reason = Self.refusal(of: value, in: column) else { continue }
                report(row, column, reason)
                row.refused.insert(column)
            }
            rows.append(row)
        }
        return Table(rows: rows)
    }

    private mutating func isValid(header: [String], line: Int, file: String, columns: [String]) -> Bool {
        var valid = true
        var seen: Set<String> = []
        for name in header where !name.isEmpty && !seen.insert(name).inserted {
            report(file, line, name, "column \"\(name)\" appears twice in the header")
            valid = false
        }
        for column in columns where !seen.contains(column) {
            report(file, line, column, "missing column \"\(column)\" in the header")
            valid = false
        }
        return valid
    }

    // MARK: Venues

    mutating func venues(in table: Table) -> [Venue] {
        var venues: [Venue] = []
        for row in table.rows {
            let id = uniqueID(row, seen: \.venueLines)
            let name = required(row, "name")
            let kind: VenueKind? = choice(row, "kind")
            let tier: Tier? = choice(row, "tier")
            let district = required(row, "district")
            let grid = required(row, "grid")
            let address = required(row, "address")
            let ownerContact = required(row, "owner_contact")
            let supervisor = row["supervisor"].isEmpty ? nil : row["supervisor"]
            if tier == .priority, supervisor == nil {
                report(row, "supervisor", "a priority venue needs an assigned supervisor")
            }
            let registration = registration(row, venue: id)
            guard let id, let name, let kind, let tier, let district, let grid, let address, let ownerContact, let registration
            else { continue }
            venues.append(Venue(
                id: id, name: name, kind: kind, tier: tier, district: district, grid: grid,
                address: address, ownerContact: ownerContact, supervisor: supervisor, registration: registration))
        }
        return venues
    }

    /// The venue's registration systems: `none`, or ids separated by `;`, each known by one venue only.
    /// Undeclared when the file has no `registration` column; nil when the value is wrong.
    private mutating func registration(_ row: Row, venue: String?) -> RegistrationSystems? {
        guard row.values["registration"] != nil else { return .undeclared }
        guard let text = required(row, "registration", hint: "write the venue's registration system id(s), or none") else { return nil }
        if text.lowercased() == "none" { return RegistrationSystems.noSystem }
        var ids: [String] = []
        for part in text.split(separator: ";", omittingEmptySubsequences: false) {
            let id = part.trimmingCharacters(in: .whitespaces)
            if id.lowercased() == "none" {
                report(row, "registration", "\"none\" cannot stand beside registration system ids")
                return nil
            }
            guard RegistrationSystems.isValidID(id) else {
                report(row, "registration", id.isEmpty
                       ? "an empty registration system id (ids are separated by \";\")"
                       : "\"\(id)\" is not a registration system id (letters, digits, \".\", \"_\", \"-\" and \":\", at most 64)")
                return nil
            }
            if ids.contains(id) {
                report(row, "registration", "registration system \"\(id)\" is named twice")
                return nil
            }
            if let first = registrationLines[id] {
                report(row, "registration", "registration system \"\(id)\" is already declared by venue \(first.venue) (line \(first.line))")
                return nil
            }
            ids.append(id)
        }
        for id in ids { registrationLines[id] = (venue ?? "?", row.line) }
        return .systems(ids)
    }

    // MARK: Cameras

    /// - Parameter knownVenues: the venue ids to check `venue_id` against, `nil` to skip the check.
    mutating func cameras(in table: Table, knownVenues: Set<String>?) -> [Camera] {
        var cameras: [Camera] = []
        for row in table.rows {
            let id = uniqueID(row, seen: \.cameraLines)
            let venueID = required(row, "venue_id")
            if let venueID, let knownVenues, !knownVenues.contains(venueID) {
                report(row, "venue_id", "unknown venue \"\(venueID)\"")
            }
            let placement: Placement? = choice(row, "placement")
            let stream = stream(row, camera: id)
            guard let id, let venueID, let placement, let stream,
                  let camera = try? Camera(
                      id: id, venueID: venueID, placement: placement, url: stream.url, credentials: stream.credentials)
            else { continue }
            cameras.append(camera)
        }
        return cameras
    }

    /// The row's URL and credentials, from the URL or from the username/password columns.
    private mutating func stream(_ row: Row, camera: String?) -> (url: String, credentials: StreamURL.Credentials?)? {
        let columns = columnCredentials(row)
        guard let url = required(row, "url") else { return nil }
        let parsed: StreamURL
        do {
            parsed = try StreamURL(url)
        } catch {
            let secrets = [row["username"], row["password"]]
            report(row, "url", Redaction.scrub(Self.describe(error), secrets: secrets))
            return nil
        }
        if parsed.pathAndQuery.contains("=***") {
            report(row, "url", "the URL carries a secret shown as *** (from an export without --with-credentials): give its real value")
            return nil
        }
        if let port = parsed.port, !(1...65535).contains(port) {
            report(row, "url", "port \(port) is out of range (1-65535)")
            return nil
        }
        if parsed.credentials != nil, !(row["username"].isEmpty && row["password"].isEmpty) {
            report(row, "url", "credentials are given both in the URL and in the username/password columns; keep one")
            return nil
        }
        if let credentials = parsed.credentials, credentials.password.isEmpty {
            report(row, "url", "the URL has a username but no password")
            return nil
        }
        let key = Camera.streamKey(of: parsed)
        if let first = streams[key] {
            report(row, "url", "the stream \(parsed.redacted) is already used by camera \(first.camera) (line \(first.line))")
        } else {
            streams[key] = (camera ?? "?", row.line)
        }
        return (url, columns ?? parsed.credentials)
    }

    private mutating func columnCredentials(_ row: Row) -> StreamURL.Credentials? {
        guard row.refused.isDisjoint(with: Self.credentialColumns) else { return nil }
        switch (row["username"].isEmpty, row["password"].isEmpty) {
        case (false, false): return .init(username: row["username"], password: row["password"])
        case (false, true): report(row, "password", "a username needs a password")
        case (true, false): report(row, "username", "a password needs a username")
        case (true, true): break
        }
        return nil
    }

    /// StreamURL's message, unless it could still show credentials: it masks userinfo only
    /// in text that has `://`, so a message with any other `@` is not echoed.
    static func describe(_ error: StreamURL.ParseError) -> String {
        let message = error.description
        guard message.replacingOccurrences(of: "***@", with: "").contains("@") else { return message }
        switch error {
        case .malformed: return "not a valid stream URL (not shown: it may contain credentials)"
        case .missingHost: return "stream URL has no host (not shown: it may contain credentials)"
        case .unsupportedScheme: return "unsupported scheme (use rtsp, rtsps, http, https, rtmp or rtmps)"
        }
    }

    // MARK: Fields

    /// The row's id, recorded in `seen` (id to line) unless it was seen before.
    private mutating func uniqueID(_ row: Row, seen: WritableKeyPath<Self, [String: Int]>) -> String? {
        guard let id = required(row, "id") else { return nil }
        if let first = self[keyPath: seen][id] {
            report(row, "id", "duplicate id \"\(id)\" (first on line \(first))")
            return nil
        }
        self[keyPath: seen][id] = row.line
        return id
    }

    /// Why `value` cannot be taken for `column`, if it cannot: a control character (ESC, NUL, a
    /// line end: a name printed on a terminal or put in a mail must stay text) or a length past
    /// the column's limit. Never quotes the value (it may be a password).
    static func refusal(of value: String, in column: String) -> String? {
        if let control = value.unicodeScalars.first(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value)
            || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            let code = String(control.value, radix: 16, uppercase: true)
            return "contains a control character (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)): "
                + "the field must be plain text on one line"
        }
        if let limit = lengthLimits[column], value.count > limit {
            return "is \(value.count) characters long; the limit is \(limit)"
        }
        return nil
    }

    private mutating func required(_ row: Row, _ column: String, hint: String? = nil) -> String? {
        if row.refused.contains(column) { return nil }
        let value = row[column]
        if value.isEmpty { report(row, column, "required field is empty" + (hint.map { ": \($0)" } ?? "")) }
        return value.isEmpty ? nil : value
    }

    private mutating func choice<Value: RawRepresentable<String> & CaseIterable>(_ row: Row, _ column: String) -> Value? {
        guard let text = required(row, column) else { return nil }
        if let value = Value(rawValue: text.lowercased()) { return value }
        let names = Value.allCases.map(\.rawValue)
        let expected = names.dropLast().joined(separator: ", ") + " or " + names.last!
        report(row, column, "unknown \(column) \"\(text)\" (expected \(expected))")
        return nil
    }

    private mutating func report(_ row: Row, _ field: String?, _ reason: String) {
        report(row.file, row.line, field, reason)
    }

    private mutating func report(_ file: String, _ line: Int?, _ field: String?, _ reason: String) {
        problems.append(InventoryProblem(file: file, line: line, field: field, reason: reason))
    }

    /// The problems by file (in the order given), then by line, keeping the order found.
    func sortedProblems(files: [URL]) -> [InventoryProblem] {
        let order = files.map(\.lastPathComponent)
        return problems.enumerated().sorted { a, b in
            let (fileA, fileB) = (order.firstIndex(of: a.element.file) ?? 0, order.firstIndex(of: b.element.file) ?? 0)
            return (fileA, a.element.line ?? 0, a.offset) < (fileB, b.element.line ?? 0, b.offset)
        }.map(\.element)
    }
}
