import Foundation
import PatrolConfig
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings

/// A scenario for `patrol-bench simulate` (docs/SIMULATE.md): a district, the configuration it
/// is patrolled under, a run of days, and what happened on them: cameras failing and being
/// fixed, registration systems and the platform down, operators' acts.
struct Scenario: Sendable {
    /// The camera or cameras an entry speaks of.
    enum Target: Sendable, Equatable {
        case camera(String)
        /// Every camera of the venue, or those of one placement.
        case venue(String, Placement?)
    }

    /// What the probes of some cameras saw, from `start` until `end` (nil: until a later entry
    /// says `online`: "until fixed").
    struct CameraSpell: Sendable {
        var line: Int?
        var target: Target
        var outcome: Outcome
        var start: Date
        var end: Date?
    }

    /// What the registration platform said of some systems (or that it could not be read).
    struct RegistrationSpell: Sendable {
        enum State: String, Sendable, CaseIterable {
            case online, offline, stuck
            case uploadErrors = "upload_errors"
        }

        var line: Int?
        /// System ids; empty with `platformDown`.
        var systems: [String]
        var state: State
        /// The platform itself could not be read.
        var platformDown: Bool
        var start: Date
        var end: Date?
    }

    /// An operator's act, recorded through the store as `patrol`'s acts record it.
    struct Act: Sendable {
        enum Kind: String, Sendable, CaseIterable {
            case reinstate, waive, violation, note, revoke, tier, supervisor
        }

        var line: Int?
        var kind: Kind
        var at: Date
        var venue: String?
        var by: String
        var reason: String
        /// waive: the days waived.
        var from: PatrolDay?
        var to: PatrolDay?
        /// revoke: the entry, by number or as the venue's latest standing entry of a kind.
        var seq: Int?
        var entryKind: EntryKind?
        /// tier, supervisor.
        var tier: Tier?
        var supervisor: String?
    }

    /// How often each camera is probed on the virtual clock.
    enum Sampling: String, Sendable, CaseIterable {
        /// Each tier's cadence, as patrold probes.
        case cadence
        /// As seldom as the daily patrol's coverage allows without a gap (every 30 minutes for
        /// general venues, every 10 minutes for watch and priority by default), and at every
        /// moment a camera's outcome changes: the day is judged on the same seconds.
        case coverage
    }

    var file: String
    var inventory: Inventory
    var configuration: Configuration
    var start: PatrolDay
    var days: Int
    var sampling: Sampling
    var cameras: [CameraSpell]
    var registration: [RegistrationSpell]
    var acts: [Act]

    var zone: TimeZone { configuration.patrol.timeZone }
    var end: Date { start.adding(days).start(in: zone) }
}

/// A scenario that cannot be run, said as `file:line: field: reason`.
struct ScenarioError: Error, CustomStringConvertible {
    var description: String
}

extension Scenario {
    /// Reads and checks the whole scenario; nothing is written anywhere.
    static func load(_ path: String, today: Date = Date()) throws -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(description: "\(path): cannot read the scenario file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(description: "\(path): the scenario file is not UTF-8")
        }
        do {
            guard var top = try YAMLReader.document(text, file: path) else {
                throw ScenarioError(description: "\(path):1: the scenario is empty")
            }
            return try ScenarioReader(file: path, today: today).read(&top)
        } catch let error as ConfigError {
            throw ScenarioError(description: error.description)
        } catch let error as InventoryError {
            throw ScenarioError(description: error.description)
        }
    }
}

/// Reads a scenario's YAML with `YAMLReader`: every problem names the file, the line and the key.
private struct ScenarioReader {
    let file: String
    let today: Date
    var folder: URL { URL(fileURLWithPath: file).deletingLastPathComponent() }

    /// What Samples/demo.yaml sets beside the files: a scenario's settings start from it.
    static let demo = """
        schedule:
          per_host_sessions: 1024
        registration:
          platform: http://127.0.0.1:8700/api/v1/registration/status
        """

    func read(_ top: inout YAMLReader) throws -> Scenario {
        // Samples/demo.yaml's settings: the defaults, and the registration systems read and judged.
        var configuration = try Configuration.parse(Self.demo, file: "Samples/demo.yaml")
        if let base = try top.string("config") {
            let path = resolve(base)
            do {
                configuration = try Configuration.load(path)
            } catch {
                throw top.error("config", "\(error)")
            }
        }
        if let settings = try top.section("settings") {
            if settings.has("database") || settings.has("credentials") || settings.has("ledger_key") {
                throw settings.error(["database", "credentials", "ledger_key"].first(where: settings.has)!,
                                     "the simulation chooses its own files (--db)")
            }
            try configuration.apply(settings)
        }
        let zone = configuration.patrol.timeZone
        let inventory = try district(&top)
        guard let startText = try top.string("start") else { throw top.error("start", "missing: the first day, as 2026-11-02 or -7 (days before today)") }
        let start: PatrolDay
        if let back = Int(startText), back < 0 {
            start = PatrolDay.containing(today, in: zone).adding(back)
        } else if let day = PatrolDay(startText) {
            start = day
        } else {
            throw top.error("start", "'\(startText)' is not a day (2026-11-02) or a number of days before today (-7)")
        }
        guard let days = try top.integer("days", in: 1...366) else { throw top.error("days", "missing: how many days to patrol (1 to 366)") }
        let sampling = try top.choice("sampling", of: Scenario.Sampling.self) ?? .coverage
        var scenario = Scenario(file: file, inventory: inventory, configuration: configuration, start: start, days: days, sampling: sampling,
                                cameras: [], registration: [], acts: [])
        let targets = Targets(inventory)
        for var event in try top.sections("events") ?? [] {
            let day = try self.day(&event, "day", scenario: scenario, required: true)!
            for var entry in try event.sections("cameras") ?? [] {
                scenario.cameras.append(try camera(&entry, day: day, zone: zone, targets: targets))
            }
            for var entry in try event.sections("registration") ?? [] {
                scenario.registration.append(try registration(&entry, day: day, zone: zone, targets: targets))
            }
            for var entry in try event.sections("acts") ?? [] {
                scenario.acts.append(try act(&entry, day: day, scenario: scenario, targets: targets))
            }
            try event.rejectUnknownKeys()
        }
        try top.rejectUnknownKeys()
        return scenario
    }

    private func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : folder.appendingPathComponent(path).standardizedFileURL.path
    }

    // MARK: The district

    /// `district: sample`, `district: {venues: FILE, cameras: FILE}`, or the venues and cameras
    /// written out in the scenario.
    private func district(_ top: inout YAMLReader) throws -> Inventory {
        if let name = try? top.string("district") {
            guard name == "sample" else { throw top.error("district", "'\(name)' is not a district: sample, or a section") }
            guard let folder = sampleDistrict() else {
                throw top.error("district", "Samples/district is not found beside the scenario, above it, or in the current folder")
            }
            return try Inventory.load(venues: folder.appendingPathComponent("venues.csv"), cameras: folder.appendingPathComponent("cameras.csv"))
        }
        guard var section = try top.section("district") else { throw top.error("district", "missing: sample, or a section") }
        if let venues = try? section.string("venues"), let cameras = try section.string("cameras") {
            try section.rejectUnknownKeys()
            return try Inventory.load(venues: URL(fileURLWithPath: resolve(venues)), cameras: URL(fileURLWithPath: resolve(cameras)))
        }
        guard let venues = try section.sections("venues") else { throw section.error("venues", "missing: CSV file or a list of venues") }
        guard let cameras = try section.sections("cameras") else { throw section.error("cameras", "missing: CSV file or a list of cameras") }
        try section.rejectUnknownKeys()
        return try inline(venues: venues, cameras: cameras)
    }

    /// Samples/district: beside the scenario, in a folder above it, or in the current folder.
    private func sampleDistrict() -> URL? {
        var candidates: [URL] = []
        var at = folder
        for _ in 0..<6 {
            candidates += [at.appendingPathComponent("district"), at.appendingPathComponent("Samples/district")]
            at = at.deletingLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Samples/district"))
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("venues.csv").path) }
    }

    /// Venues and cameras written in the scenario, read as the CSV import reads them (the same
    /// checks); a problem is placed at the entry's line.
    private func inline(venues: [YAMLReader], cameras: [YAMLReader]) throws -> Inventory {
        let venueColumns: [(String, String?)] = [("id", nil), ("name", nil), ("kind", "hotel"), ("tier", "general"), ("district", "城南区"),
                                                 ("grid", "G01-01"), ("address", "城南区解放路1号"), ("owner_contact", "13800000000"),
                                                 ("supervisor", ""), ("registration", "none")]
        let cameraColumns: [(String, String?)] = [("id", nil), ("venue_id", nil), ("placement", "interior"), ("url", nil)]
        func csv(_ entries: [YAMLReader], _ columns: [(String, String?)]) throws -> (String, [Int?]) {
            var lines = [columns.map(\.0).joined(separator: ",")], places: [Int?] = []
            for var entry in entries {
                var values: [String] = []
                for (column, fallback) in columns {
                    let name = column == "venue_id" ? "venue" : column
                    var value = try entry.string(name) ?? fallback
                    if column == "url", value == nil, let id = values.first { value = "rtsp://127.0.0.1:8554/cam/\(id)" }
                    guard let value else { throw entry.error(name, "missing") }
                    values.append(value.contains(",") || value.contains("\"") ? "\"\(value.replacingOccurrences(of: "\"", with: "\"\""))\"" : value)
                }
                try entry.rejectUnknownKeys()
                lines.append(values.joined(separator: ","))
                places.append(entry.line)
            }
            return (lines.joined(separator: "\n") + "\n", places)
        }
        let (venueText, venueLines) = try csv(venues, venueColumns)
        let (cameraText, cameraLines) = try csv(cameras, cameraColumns)
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-scenario-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: staging) }
        let venueFile = staging.appendingPathComponent("venues.csv"), cameraFile = staging.appendingPathComponent("cameras.csv")
        try Data(venueText.utf8).write(to: venueFile)
        try Data(cameraText.utf8).write(to: cameraFile)
        let load: () throws -> Inventory = { try Inventory.load(venues: venueFile, cameras: cameraFile) }
        do {
            return try load()
        } catch let error as InventoryError {
            // Line 2 of the staged file is the list's first entry.
            let placed = error.problems.map { problem -> String in
                let isVenue = problem.file.hasSuffix("venues.csv")
                let lines = isVenue ? venueLines : cameraLines
                let line = problem.line.flatMap { $0 - 2 < lines.count && $0 >= 2 ? lines[$0 - 2] : nil }
                let field = ["district", isVenue ? "venues" : "cameras", problem.field == "venue_id" ? "venue" : problem.field]
                    .compactMap { $0 }.joined(separator: ".")
                return "\(file):\(line.map(String.init) ?? "?"): \(field): \(problem.reason)"
            }
            throw ScenarioError(description: placed.joined(separator: "\n"))
        }
    }

    // MARK: Times

    /// A day of the scenario: its number (1 is `start`) or its date.
    private func day(_ entry: inout YAMLReader, _ key: String, scenario: Scenario, required: Bool) throws -> PatrolDay? {
        guard let text = try entry.string(key) else {
            if required { throw entry.error(key, "missing: the day, 1 to \(scenario.days) or a date") }
            return nil
        }
        let day: PatrolDay
        if let number = Int(text) {
            day = scenario.start.adding(number - 1)
        } else if let date = PatrolDay(text) {
            day = date
        } else {
            throw entry.error(key, "'\(text)' is not a day of the scenario (1 to \(scenario.days)) or a date")
        }
        guard day >= scenario.start, day < scenario.start.adding(scenario.days) else {
            throw entry.error(key, "\(day) is outside the scenario's days (\(scenario.start) to \(scenario.start.adding(scenario.days - 1)))")
        }
        return day
    }

    /// `from` as HH:MM (default 00:00) on `day`.
    private func time(_ entry: inout YAMLReader, _ key: String, day: PatrolDay, zone: TimeZone, default fallback: String) throws -> Date {
        let text = try entry.string(key) ?? fallback
        let parts = text.split(separator: ":").map { Int($0) }
        guard (2...3).contains(parts.count), let hour = parts[0], let minute = parts[1], (0..<24).contains(hour), (0..<60).contains(minute),
              parts.count == 2 || (parts[2].map { (0..<60).contains($0) } ?? false)
        else { throw entry.error(key, "'\(text)' is not a time of day as HH:MM (e.g. \"09:00\")") }
        return day.start(in: zone, hour: hour, minute: minute).addingTimeInterval(Double(parts.count == 3 ? parts[2]! : 0))
    }

    /// `for`: `5h`, `30m`, `1h30m`, `2d`, `all day` (to the day's end) or `until fixed` (nil).
    private func end(_ entry: inout YAMLReader, from start: Date, day: PatrolDay, zone: TimeZone) throws -> Date? {
        let text = try entry.string("for") ?? "all day"
        switch text {
        case "all day": return day.adding(1).start(in: zone)
        case "until fixed": return nil
        default:
            var seconds = 0.0, number = ""
            for character in text where character != " " {
                if character.isNumber || character == "." { number.append(character); continue }
                let unit: Double? = ["s": 1, "m": 60, "h": 3600, "d": 86_400][String(character)]
                guard let unit, let value = Double(number) else { seconds = 0; number = "bad"; break }
                seconds += value * unit
                number = ""
            }
            guard number.isEmpty, seconds > 0 else {
                throw entry.error("for", "'\(text)' is not a length (5h, 30m, 1h30m, 2d), all day, or until fixed")
            }
            return start.addingTimeInterval(seconds)
        }
    }

    // MARK: Entries

    private func camera(_ entry: inout YAMLReader, day: PatrolDay, zone: TimeZone, targets: Targets) throws -> Scenario.CameraSpell {
        let target = try targets.cameras(&entry)
        guard let outcome = try entry.choice("outcome", of: Outcome.self) else {
            throw entry.error("outcome", "missing: online, black, frozen, refused, timeout…")
        }
        let start = try time(&entry, "from", day: day, zone: zone, default: "00:00")
        let end = outcome == .online && !entry.has("for") ? nil : try self.end(&entry, from: start, day: day, zone: zone)
        try entry.rejectUnknownKeys()
        return Scenario.CameraSpell(line: entry.line, target: target, outcome: outcome, start: start, end: end)
    }

    private func registration(_ entry: inout YAMLReader, day: PatrolDay, zone: TimeZone, targets: Targets) throws -> Scenario.RegistrationSpell {
        var systems: [String] = [], platformDown = false
        var state = Scenario.RegistrationSpell.State.offline
        if let platform = try entry.string("platform") {
            guard platform == "down" || platform == "up" else { throw entry.error("platform", "'\(platform)' is not a platform state: down or up") }
            platformDown = true
            state = platform == "down" ? .offline : .online
        } else {
            systems = try targets.systems(&entry)
        }
        if !platformDown {
            guard let given = try entry.choice("state", of: Scenario.RegistrationSpell.State.self) else {
                throw entry.error("state", "missing: offline, stuck, upload_errors or online")
            }
            state = given
        }
        let start = try time(&entry, "from", day: day, zone: zone, default: "00:00")
        let end = state == .online && !entry.has("for") ? nil : try self.end(&entry, from: start, day: day, zone: zone)
        try entry.rejectUnknownKeys()
        return Scenario.RegistrationSpell(line: entry.line, systems: systems, state: state, platformDown: platformDown, start: start, end: end)
    }

    private func act(_ entry: inout YAMLReader, day: PatrolDay, scenario: Scenario, targets: Targets) throws -> Scenario.Act {
        guard let kind = try entry.choice("act", of: Scenario.Act.Kind.self) else {
            throw entry.error("act", "missing: reinstate, waive, violation, note, revoke, tier or supervisor")
        }
        let at = try time(&entry, "at", day: day, zone: scenario.zone, default: "12:00")
        guard let by = try entry.string("by") else { throw entry.error("by", "missing: the operator's name (as patrol's --by)") }
        guard by != LedgerEntry.patrolActor, by != LedgerEntry.inventoryActor else { throw entry.error("by", "'\(by)' is reserved for Patrol itself") }
        guard let reason = try entry.string("reason") else { throw entry.error("reason", "missing: why (as patrol's --reason)") }
        var act = Scenario.Act(line: entry.line, kind: kind, at: at, by: by, reason: reason)
        switch kind {
        case .waive:
            if try entry.string("district").map({ $0 == "true" }) != true { act.venue = try targets.venue(&entry, "venue") }
            act.from = try self.day(&entry, "from", scenario: scenario, required: false) ?? day
            act.to = try self.day(&entry, "to", scenario: scenario, required: false) ?? act.from
            if let from = act.from, let to = act.to, to < from { throw entry.error("to", "\(to) is before \(from)") }
        case .revoke:
            act.seq = try entry.integer("seq", in: 1...Int.max)
            if act.seq == nil {
                act.venue = try targets.venue(&entry, "venue")
                act.entryKind = try entry.choice("entry", of: EntryKind.self)
                if act.entryKind == nil { throw entry.error("entry", "missing: seq, or the kind of the venue's entry to revoke (warning, order…)") }
            }
        case .tier:
            act.venue = try targets.venue(&entry, "venue")
            act.tier = try entry.choice("tier", of: Tier.self)
            if act.tier == nil { throw entry.error("tier", "missing: general, watch or priority") }
            act.supervisor = try entry.string("supervisor")
        case .supervisor:
            act.venue = try targets.venue(&entry, "venue")
            act.supervisor = try entry.string("name")
            if act.supervisor == nil { throw entry.error("name", "missing: the supervisor's name") }
        case .reinstate, .violation, .note:
            act.venue = try targets.venue(&entry, "venue")
        }
        try entry.rejectUnknownKeys()
        return act
    }
}

/// The inventory's ids, to check each entry's camera, venue and system.
private struct Targets {
    let cameras: Set<String>
    let venues: [String: Venue]

    init(_ inventory: Inventory) {
        cameras = Set(inventory.cameras.map(\.id))
        venues = Dictionary(uniqueKeysWithValues: inventory.venues.map { ($0.id, $0) })
    }

    func cameras(_ entry: inout YAMLReader) throws -> Scenario.Target {
        if let camera = try entry.string("camera") {
            guard cameras.contains(camera) else { throw entry.error("camera", "no camera \(camera) in the district") }
            return .camera(camera)
        }
        guard entry.has("venue") else { throw entry.error("camera", "missing: a camera, or a venue (and a placement)") }
        let venue = try self.venue(&entry, "venue")
        return .venue(venue, try entry.choice("placement", of: Placement.self))
    }

    func venue(_ entry: inout YAMLReader, _ key: String) throws -> String {
        guard let venue = try entry.string(key) else { throw entry.error(key, "missing: the venue") }
        guard venues[venue] != nil else { throw entry.error(key, "no venue \(venue) in the district") }
        return venue
    }

    func systems(_ entry: inout YAMLReader) throws -> [String] {
        let declared = Set(venues.values.flatMap(\.registration.ids))
        if let system = try entry.string("system") {
            guard declared.contains(system) else { throw entry.error("system", "no registration system \(system) in the district") }
            return [system]
        }
        guard entry.has("venue") else { throw entry.error("system", "missing: a system, a venue, or platform: down") }
        let venue = try self.venue(&entry, "venue")
        let ids = venues[venue]!.registration.ids
        guard !ids.isEmpty else { throw entry.error("venue", "venue \(venue) declares no registration system") }
        return ids
    }
}
