import Foundation
import PatrolInventory
import PatrolLedger

/// One read of the registration platform: what it said about each registration system, with
/// its times on Patrol's clock.
public struct RegistrationReading: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// The status endpoint, over HTTP(S).
        case platform
        /// A file the platform exported into the drop folder: its name, the encoding it was read
        /// in (`utf-8` or `gb18030`) and the SHA-256 of its bytes (a file is applied once).
        case file(name: String, encoding: String, sha256: String)

        /// As stored: `http`, or `file:NAME`.
        public var label: String {
            switch self {
            case .platform: "http"
            case .file(let name, _, _): "file:\(name)"
            }
        }
    }

    /// When it was read: Patrol's clock when the answer came (a file: the platform's time in it).
    public var at: Date
    public var source: Source
    /// The platform's clock minus Patrol's, in seconds, when it could be measured.
    public var platformOffset: TimeInterval?
    /// Each system the answer gave, in the answer's order.
    public var samples: [RegistrationSample]
    /// What was wrong with the entries left out (a partial answer), each naming its entry.
    public var problems: [String]

    public init(at: Date, source: Source, platformOffset: TimeInterval? = nil, samples: [RegistrationSample], problems: [String] = []) {
        self.at = at
        self.source = source
        self.platformOffset = platformOffset
        self.samples = samples
        self.problems = problems
    }
}

/// Why a read of the platform gave nothing usable.
public struct RegistrationReadFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    /// Whether another attempt could do better (a timeout, a 5xx, a broken answer; not a 401).
    public var retryable: Bool

    public init(_ reason: String, retryable: Bool = true) {
        self.reason = reason
        self.retryable = retryable
    }

    public var description: String { reason }
}

/// The platform's answer (docs/REGISTRATION.md) decoded and checked field by field: a wrong
/// entry is left out and named, never taken for a terminal that is offline.
public enum PlatformAnswer {
    /// Differences between the platform's clock and Patrol's below this many seconds (network
    /// latency, ordinary drift) are left alone; above, the platform's times are corrected.
    public static let clockTolerance: TimeInterval = 5

    /// Decodes the status endpoint's JSON, asked for at `sentAt` and received at `receivedAt`.
    /// - Parameter zone: the zone of times written without an offset.
    public static func decode(_ data: Data, sentAt: Date? = nil, receivedAt: Date, zone: TimeZone) throws(RegistrationReadFailure) -> RegistrationReading {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw RegistrationReadFailure("the answer is not valid JSON (\(data.count) bytes\(data.isEmpty ? "" : ", starting \(preview(data))"))")
        }
        guard let object = root as? [String: Any] else {
            throw RegistrationReadFailure("the answer is not a JSON object with generated_at and systems")
        }
        let generated: Date
        switch object["generated_at"] {
        case let text as String:
            guard let date = PlatformTime.parse(text, zone: zone) else {
                throw RegistrationReadFailure("generated_at \"\(clean(text))\" is not a time (RFC 3339, e.g. 2026-12-02T16:05:00+08:00)")
            }
            generated = date
        case let number as NSNumber where !isBoolean(number):
            guard let date = PlatformTime.epoch(number.doubleValue) else {
                throw RegistrationReadFailure("generated_at \(number) is not a time (Unix seconds or milliseconds)")
            }
            generated = date
        default:
            throw RegistrationReadFailure("the answer has no generated_at (the platform's time, RFC 3339)")
        }
        guard let systems = object["systems"] as? [Any] else {
            throw RegistrationReadFailure("the answer has no systems list")
        }
        // The platform wrote its time somewhere between the request and the answer: against the
        // middle, give or take half the round trip (NTP's reasoning).
        let sent = min(sentAt ?? receivedAt, receivedAt)
        let halfTrip = receivedAt.timeIntervalSince(sent) / 2
        let offset = generated.timeIntervalSince(sent.addingTimeInterval(halfTrip))
        let shift = abs(offset) > clockTolerance + halfTrip ? offset : 0
        var entries = Entries()
        for (index, item) in systems.enumerated() {
            guard let entry = item as? [String: Any] else {
                entries.problems.append("systems[\(index)]: not an object")
                continue
            }
            var fields = Fields(values: entry, zone: zone, shift: shift)
            entries.add(fields.sample(at: receivedAt), label: "systems[\(index)]", problems: fields.problems)
        }
        return RegistrationReading(at: receivedAt, source: .platform, platformOffset: offset, samples: entries.samples,
                                   problems: entries.problems)
    }

    /// The columns of an exported file, in the contract's order.
    public static let columns = ["generated_at", "id", "online", "last_heartbeat", "last_upload", "uploaded_today", "waiting",
                                 "oldest_waiting", "upload_errors", "last_error"]

    /// Samples from an exported CSV's records (the header first); every problem as `line:field: reason`.
    /// A file is taken whole or not at all: any problem and nothing of it is used.
    static func decode(records: [(line: Int, fields: [String])], zone: TimeZone) -> (samples: [RegistrationSample], at: Date?, problems: [String]) {
        guard let header = records.first?.fields.map({ $0.lowercased() }) else { return ([], nil, ["the file is empty; it needs a header row"]) }
        var problems = ["id", "generated_at", "online", "uploaded_today", "waiting"].filter { !header.contains($0) }
            .map { "\(records[0].line):\($0): missing column \"\($0)\" in the header" }
        guard problems.isEmpty else { return ([], nil, problems) }
        var entries = Entries()
        var latest: Date?
        for record in records.dropFirst() {
            guard record.fields.count == header.count else {
                problems.append("\(record.line): the record has \(record.fields.count) fields but the header has \(header.count)")
                continue
            }
            var values: [String: Any] = [:]
            for (name, value) in zip(header, record.fields) where !value.isEmpty { values[name] = value }
            var fields = Fields(values: values, zone: zone, shift: 0)
            guard let at = fields.time("generated_at", required: true) else {
                problems += fields.problems.map { "\(record.line):\($0)" }
                continue
            }
            latest = max(latest ?? at, at)
            let sample = fields.sample(at: at)
            let before = entries.problems.count
            entries.add(sample, label: "\(record.line)", problems: fields.problems.map { "\(record.line):\($0)" })
            problems += entries.problems[before...]
        }
        return (entries.samples, latest, problems)
    }

    /// The samples kept so far, each id once.
    private struct Entries {
        var samples: [RegistrationSample] = []
        var problems: [String] = []
        var seen: Set<String> = []

        mutating func add(_ sample: RegistrationSample?, label: String, problems found: [String]) {
            guard let sample, found.isEmpty else {
                problems += found.map { $0.hasPrefix(label) ? $0 : "\(label) \($0)" }
                return
            }
            guard seen.insert(sample.systemID).inserted else {
                problems.append("\(label): registration system \(sample.systemID) appears twice; the first is kept")
                return
            }
            samples.append(sample)
        }
    }

    /// One entry's fields, read with the problems they have.
    private struct Fields {
        let values: [String: Any]
        let zone: TimeZone
        /// The platform's clock offset to take out of its times.
        let shift: TimeInterval
        var problems: [String] = []
        var id = "?"

        init(values: [String: Any], zone: TimeZone, shift: TimeInterval) {
            self.values = values
            self.zone = zone
            self.shift = shift
        }

        mutating func sample(at: Date) -> RegistrationSample? {
            guard let id = values["id"] as? String, RegistrationSystems.isValidID(id) else {
                problems.append("id: \(values["id"] == nil ? "missing" : "not a registration system id")")
                return nil
            }
            self.id = id
            let online = flag("online")
            let heartbeat = time("last_heartbeat"), upload = time("last_upload"), oldest = time("oldest_waiting")
            let uploaded = count("uploaded_today", required: true), waiting = count("waiting", required: true)
            let errors = count("upload_errors", required: false)
            var lastError: String?
            if let value = values["last_error"], !(value is NSNull) {
                if let text = value as? String { lastError = text.isEmpty ? nil : PlatformAnswer.clean(text) } else { problem("last_error", "expected text") }
            }
            guard problems.isEmpty, let online, let uploaded, let waiting else { return nil }
            return RegistrationSample(systemID: id, at: at, online: online, lastHeartbeat: heartbeat, lastUpload: upload,
                                      uploadedToday: uploaded, waiting: waiting, oldestWaiting: oldest, uploadErrors: errors,
                                      lastError: lastError)
        }

        mutating func problem(_ field: String, _ reason: String) {
            problems.append("(\(id)) \(field): \(reason)")
        }

        mutating func flag(_ field: String) -> Bool? {
            switch values[field] {
            case let value? where PlatformAnswer.isBoolean(value): return (value as? Bool) ?? false
            case let number as NSNumber where number.doubleValue == 0 || number.doubleValue == 1: return number.doubleValue == 1
            case let text as String:
                switch text.lowercased() {
                case "1", "true", "online", "在线": return true
                case "0", "false", "offline", "离线": return false
                default: problem(field, "expected true or false, got \"\(PlatformAnswer.clean(text))\"")
                }
            case nil: problem(field, "missing")
            default: problem(field, "expected true or false")
            }
            return nil
        }

        mutating func count(_ field: String, required: Bool) -> Int? {
            switch values[field] {
            case nil, is NSNull:
                if required { problem(field, "missing") }
                return nil
            case let text as String:
                if let number = Int(text), number >= 0 { return number }
                problem(field, "expected a whole number of records, got \"\(PlatformAnswer.clean(text))\"")
            case let number as NSNumber:
                let value = number.doubleValue
                if value >= 0, value == value.rounded(), value < 1e12, !PlatformAnswer.isBoolean(number) { return Int(value) }
                problem(field, "expected a whole number of records, got \(number)")
            default:
                problem(field, "expected a whole number of records")
            }
            return nil
        }

        mutating func time(_ field: String, required: Bool = false) -> Date? {
            switch values[field] {
            case nil, is NSNull:
                if required { problem(field, "missing") }
                return nil
            case let text as String:
                if let date = PlatformTime.parse(text, zone: zone) { return date.addingTimeInterval(-shift) }
                problem(field, "\"\(PlatformAnswer.clean(text))\" is not a time (RFC 3339)")
            case let number as NSNumber where !PlatformAnswer.isBoolean(number):
                if let date = PlatformTime.epoch(number.doubleValue) { return date.addingTimeInterval(-shift) }
                problem(field, "\(number) is not a time (Unix seconds or milliseconds between 2000 and 2100)")
            default:
                problem(field, "expected a time (RFC 3339)")
            }
            return nil
        }
    }

    /// Platform text as it may be logged: control characters out, at most 200 characters.
    static func clean(_ text: String) -> String {
        let kept = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) }))
        return kept.count > 200 ? String(kept.prefix(200)) + "…" : kept
    }

    /// Whether a JSON value is `true` or `false` (which Foundation may hand over as a number).
    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return value is Bool }
        return String(cString: number.objCType) == "c"
    }

    static func preview(_ data: Data) -> String {
        "\"" + clean(String(decoding: data.prefix(40), as: UTF8.self)) + "\""
    }
}

/// The platform's times: RFC 3339 (`2026-12-02T16:05:00+08:00`, `…Z`, fractions allowed); the
/// same with a space and no offset (`2026-12-02 16:05:00`, as Chinese platforms export them),
/// read in the district's zone; or Unix time in seconds or milliseconds.
public enum PlatformTime {
    /// Unix time in seconds, or in milliseconds (as many platforms write it: 13 digits), between
    /// 2000 and 2100; nil for anything else.
    public static func epoch(_ value: Double) -> Date? {
        let seconds = value >= 1e11 ? value / 1000 : value
        guard (946_684_800...4_102_444_800).contains(seconds) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    public static func parse(_ text: String, zone: TimeZone) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if (10...13).contains(trimmed.count), trimmed.allSatisfy(\.isASCII), let number = Double(trimmed), trimmed.allSatisfy(\.isNumber) {
            return epoch(number)
        }
        let scalars = Array(trimmed.unicodeScalars)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count else { return nil }
            var value = 0
            for scalar in scalars[range] {
                guard ("0"..."9").contains(scalar) else { return nil }
                value = value * 10 + Int(scalar.value - 48)
            }
            return value
        }
        guard scalars.count >= 19, scalars[4] == "-", scalars[7] == "-", scalars[10] == "T" || scalars[10] == " " || scalars[10] == "t",
              scalars[13] == ":", scalars[16] == ":",
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < scalars.count, scalars[index] == "." {
            var scale = 0.1
            index += 1
            let start = index
            while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                fraction += Double(scalars[index].value - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset: Int?
        if index < scalars.count {
            switch scalars[index] {
            case "Z", "z":
                offset = 0
                index += 1
            case "+", "-":
                guard let hours = number(index + 1..<index + 3), index + 3 < scalars.count, scalars[index + 3] == ":",
                      let minutes = number(index + 4..<index + 6), hours < 24, minutes < 60 else { return nil }
                offset = (scalars[index] == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
                index += 6
            default: return nil
            }
        }
        guard index == scalars.count else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = offset.flatMap { TimeZone(secondsFromGMT: $0) } ?? zone
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59))
        guard let date = calendar.date(from: parts), calendar.component(.day, from: date) == day else { return nil }
        return date.addingTimeInterval(fraction)
    }
}
