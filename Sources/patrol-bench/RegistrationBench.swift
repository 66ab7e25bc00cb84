import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PatrolConfig
import PatrolFixtures
import PatrolInventory
import PatrolLedger
import PatrolOutput
import PatrolProbe
import PatrolRegistration
import PatrolSettings
import PatrolStore

/// Measures the registration half (scripts/bench-registration): reads of the platform's status
/// endpoint split into fetch, decode and store; then, with `--day`, a day of the platform's reads
/// every five minutes kept as patrold keeps them, and that day's patrol with registration judging
/// on and off, each on its own copy of the same database. One JSON object on standard output.
struct RegistrationBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registration",
        abstract: "Measure reads of the registration platform and their cost in the daily patrol (for scripts/bench-registration).",
        discussion: """
            The databases are made in FOLDER from the inventory files (on record from three days ago). Each timed read is \
            Patrol's read as patrold does it (PlatformClient, fetch and decode), then a fetch alone, the decode of its bytes, \
            and Store.recordRegistration. With --day the last answer, moved in time, stands for each read of yesterday.
            """
    )

    @Argument(help: "The platform's status endpoint (Samples/registry/registry.py serve).")
    var url: String

    @Option(help: "A new or empty folder for the databases.")
    var folder: String

    @Option(help: "venues.csv of the inventory (its registration column declares the systems).")
    var venues = "Samples/district/venues.csv"

    @Option(help: "cameras.csv of the inventory.")
    var cameras = "Samples/district/cameras.csv"

    @Option(help: "Timed reads of the platform.")
    var reads = 10

    @Flag(help: "Also fill a day of reads and time that day's patrol with registration judging on and off.")
    var day = false

    @Option(help: "Reads of the platform in the day (every 86400/N seconds).")
    var dayReads = 288

    @Flag(inversion: .prefixedNo, help: "Add the day's probe results of every camera (synthetic, at the default cadence).")
    var probes = true

    @Option(help: "Patrols of the day with judging on, and as many with it off, each on a fresh copy.")
    var patrolRuns = 3

    func validate() throws {
        guard let url = URL(string: url), ["http", "https"].contains(url.scheme ?? "") else {
            throw ValidationError("the platform's address must be an http:// or https:// URL")
        }
        guard reads > 0 else { throw ValidationError("--reads must be 1 or more") }
        guard dayReads > 0 else { throw ValidationError("--day-reads must be 1 or more") }
        guard patrolRuns > 0 else { throw ValidationError("--patrol-runs must be 1 or more") }
    }

    func run() async throws {
        let result: RegistrationCost
        do {
            result = try await measure()
        } catch {
            try BenchFailure.reporting { throw error }
            return
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        try Output.line(String(decoding: try encoder.encode(result), as: UTF8.self))
    }

    private func measure() async throws -> RegistrationCost {
        let configuration = Configuration()
        let zone = configuration.patrol.timeZone
        let judging = configuration.registration.judging
        let inventory: Inventory
        do {
            inventory = try Inventory.load(venues: URL(fileURLWithPath: venues), cameras: URL(fileURLWithPath: cameras))
        } catch {
            throw BenchFailure(message: "\(error)", exit: BenchFailure.invalidInput)
        }
        let root = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        guard try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty else {
            throw BenchFailure(message: "\(folder) is not empty", exit: BenchFailure.invalidInput)
        }
        let yesterday = PatrolDay.containing(Date(), in: zone).adding(-1)
        let since = yesterday.start(in: zone).addingTimeInterval(-2 * 86_400)

        // Reads of the platform, kept in a database of the inventory alone.
        let store = try Self.open(root.appendingPathComponent("read.sqlite"), inventory: inventory, zone: zone, since: since)
        let client = PlatformClient(url: URL(string: url)!, tokenFile: nil, deadline: configuration.registration.deadline,
                                    retries: 0, retryFirst: 0)
        let before = Self.peakRSS()
        var template = try Self.answer(await client.readOnce(zone: zone))  // warm-up: libcurl and the first connection
        var cost = RegistrationCost(systemsInAnswer: template.samples.count, problems: template.problems.count, rssBeforeMb: before)
        for _ in 0..<reads {
            let (read, whole) = try await Cost.of { try Self.answer(await client.readOnce(zone: zone)) }
            let (fetched, fetch) = try await Cost.of { try await fetchAlone(deadline: configuration.registration.deadline) }
            let (_, json) = try Cost.of { try JSONSerialization.jsonObject(with: fetched.data) }
            let (decoded, decode) = try Cost.of {
                try PlatformAnswer.decode(fetched.data, sentAt: fetched.sentAt, receivedAt: fetched.receivedAt, zone: zone)
            }
            let (recorded, kept) = try Cost.of {
                try store.recordRegistration(decoded, heartbeatTimeout: judging.heartbeatTimeout, maxWaiting: judging.maxWaitingSeconds)
            }
            cost.read.add(fetch: fetch, json: json, decode: decode, store: kept, whole: whole)
            cost.answerBytes = fetched.data.count
            (cost.kept, cost.unknown, cost.missing) = (recorded.kept, recorded.unknown, recorded.missing.count)
            template = read
        }
        cost.peakRssMb = Self.peakRSS()
        guard day else { return cost }
        cost.day = try await patrolDay(yesterday, template: template, inventory: inventory, zone: zone, since: since,
                                       configuration: configuration, in: root)
        return cost
    }

    /// The platform fetched as PlatformClient fetches it (a session of its own, the same limits),
    /// with nothing decoded.
    private func fetchAlone(deadline: TimeInterval) async throws -> (data: Data, sentAt: Date, receivedAt: Date) {
        var request = URLRequest(url: URL(string: url)!, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: deadline)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = deadline
        configuration.timeoutIntervalForResource = deadline
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let sentAt = Date()
        let (data, response, error): (Data?, URLResponse?, Error?) = await withCheckedContinuation { continuation in
            session.dataTask(with: request) { continuation.resume(returning: ($0, $1, $2)) }.resume()
        }
        guard error == nil, (response as? HTTPURLResponse)?.statusCode == 200, let data else {
            throw BenchFailure(message: "the platform could not be fetched: \(error.map { "\($0)" } ?? "HTTP \((response as? HTTPURLResponse)?.statusCode ?? 0)")",
                               exit: BenchFailure.invalidInput)
        }
        return (data, sentAt, Date())
    }

    /// A day of reads kept as patrold keeps them, then the day's patrol with registration judging
    /// off and on, in turn (which goes first alternates), each on a fresh copy of that database.
    private func patrolDay(_ day: PatrolDay, template: RegistrationReading, inventory: Inventory, zone: TimeZone, since: Date,
                           configuration: Configuration, in root: URL) async throws -> RegistrationDayCost {
        let database = root.appendingPathComponent("day.sqlite")
        let key = LedgerKeyFile(path: root.appendingPathComponent("ledger.key").path)
        try key.create()
        let judging = configuration.registration.judging
        var cost = RegistrationDayCost(reads: dayReads)
        let interval = day.interval(in: zone)
        do {
            let store = try Self.open(database, inventory: inventory, zone: zone, since: since, key: key)
            if probes {
                var history = SyntheticHistory(until: interval.end)
                (history.days, history.rawDays, history.cadence) = (1, 1, configuration.cadence)
                let (filled, fill) = try Cost.of { try store.fill(history) }
                (cost.probeResults, cost.probeFillS) = (filled.rawResults, fill.wall)
            }
        }
        cost.bytesBefore = Self.size(of: database)
        do {
            let store = try Store(path: database.path, ledgerKey: key)
            let step = interval.duration / Double(dayReads)
            var costs: [Cost] = []
            for index in 0..<dayReads {
                let reading = Self.moved(template, to: interval.start.addingTimeInterval(Double(index) * step))
                let (recorded, record) = try Cost.of {
                    try store.recordRegistration(reading, heartbeatTimeout: judging.heartbeatTimeout, maxWaiting: judging.maxWaitingSeconds)
                }
                costs.append(record)
                cost.sampleRows += recorded.kept
            }
            cost.recordPerRead = Phase(costs)
            cost.recordLastTenth = Phase(Array(costs.suffix(max(1, dayReads / 10))))
        }
        cost.bytesAfter = Self.size(of: database)
        var settings = configuration.patrol
        let morning = day.adding(1).start(in: zone, hour: settings.hour, minute: settings.minute).addingTimeInterval(1800)
        for run in 0..<patrolRuns {
            for judged in run.isMultiple(of: 2) ? [false, true] : [true, false] {
                settings.registration = judged ? judging : nil
                let copy = root.appendingPathComponent(judged ? "patrol-on.sqlite" : "patrol-off.sqlite")
                try Self.copy(database, to: copy)
                let store = try Store(path: copy.path, ledgerKey: key)
                let (report, patrol) = try Cost.of { try DailyPatrol(store: store, settings: settings).patrol(day, now: morning) }
                guard let report else { throw BenchFailure(message: "\(day) was already patrolled in \(copy.path)", exit: BenchFailure.invalidInput) }
                if judged {
                    cost.patrolOn.append(patrol)
                    cost.registrationVerdicts = Dictionary(uniqueKeysWithValues: report.registration.map { ($0.key.rawValue, $0.value) })
                    cost.venueVerdicts = Dictionary(uniqueKeysWithValues: report.venues.map { ($0.key.rawValue, $0.value) })
                } else {
                    cost.patrolOff.append(patrol)
                }
            }
        }
        return cost
    }

    /// A fresh database holding `inventory`, on record since `since`.
    private static func open(_ database: URL, inventory: Inventory, zone: TimeZone, since: Date, key: LedgerKeyFile? = nil) throws -> Store {
        let store = try Store(path: database.path, ledgerKey: key)
        let vault = try CredentialVault(path: database.deletingPathExtension().path + "-credentials.sqlite")
        try store.apply(inventory, vault: vault, zone: zone, now: since)
        return store
    }

    private static func answer(_ result: Result<RegistrationReading, RegistrationReadFailure>) throws -> RegistrationReading {
        switch result {
        case .success(let reading): return reading
        case .failure(let failure): throw BenchFailure(message: "the platform could not be read: \(failure)", exit: BenchFailure.invalidInput)
        }
    }

    /// The same answer read at `at`: every time in it moved by as much, so each system's
    /// heartbeat, upload and wait are as old as they were.
    static func moved(_ reading: RegistrationReading, to at: Date) -> RegistrationReading {
        let shift = at.timeIntervalSince(reading.at)
        var moved = reading
        moved.at = at
        moved.samples = reading.samples.map { sample in
            var sample = sample
            sample.at = at
            sample.lastHeartbeat = sample.lastHeartbeat?.addingTimeInterval(shift)
            sample.lastUpload = sample.lastUpload?.addingTimeInterval(shift)
            sample.oldestWaiting = sample.oldestWaiting?.addingTimeInterval(shift)
            return sample
        }
        return moved
    }

    static func peakRSS() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
    }

    /// The database's bytes on disk, its write-ahead log included (after a close, there is none).
    private static func size(of database: URL) -> Int {
        [database.path, database.path + "-wal"].reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
    }

    private static func copy(_ database: URL, to copy: URL) throws {
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: copy.path + suffix)
        }
        try FileManager.default.copyItem(at: database, to: copy)
        if FileManager.default.fileExists(atPath: database.path + "-wal") {
            try FileManager.default.copyItem(atPath: database.path + "-wal", toPath: copy.path + "-wal")
        }
    }
}

/// Wall and CPU seconds of one step; CPU is the whole process's (URLSession's threads too).
struct Cost: Codable {
    var wall: Double
    var cpu: Double

    static func of<T>(_ body: () throws -> T) rethrows -> (T, Cost) {
        let (cpu, start) = (ProbeBench.cpuSeconds(), ContinuousClock.now)
        let value = try body()
        return (value, Cost(wall: (ContinuousClock.now - start).seconds, cpu: ProbeBench.cpuSeconds() - cpu))
    }

    static func of<T>(_ body: () async throws -> T) async rethrows -> (T, Cost) {
        let (cpu, start) = (ProbeBench.cpuSeconds(), ContinuousClock.now)
        let value = try await body()
        return (value, Cost(wall: (ContinuousClock.now - start).seconds, cpu: ProbeBench.cpuSeconds() - cpu))
    }
}

/// One step over several runs, in milliseconds.
struct Phase: Codable {
    var wallMs = 0.0
    var wallMinMs = 0.0
    var cpuMs = 0.0

    init(_ costs: [Cost] = []) {
        guard !costs.isEmpty else { return }
        wallMs = costs.map(\.wall).reduce(0, +) / Double(costs.count) * 1000
        wallMinMs = (costs.map(\.wall).min() ?? 0) * 1000
        cpuMs = costs.map(\.cpu).reduce(0, +) / Double(costs.count) * 1000
    }
}

struct RegistrationCost: Encodable {
    struct Read: Encodable {
        var fetch: [Cost] = []
        /// JSONSerialization alone, the first step of the decode.
        var json: [Cost] = []
        var decode: [Cost] = []
        var store: [Cost] = []
        /// PlatformClient.readOnce: fetch and decode, as patrold reads.
        var readOnce: [Cost] = []

        mutating func add(fetch: Cost, json: Cost, decode: Cost, store: Cost, whole: Cost) {
            self.fetch.append(fetch)
            self.json.append(json)
            self.decode.append(decode)
            self.store.append(store)
            readOnce.append(whole)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(fetch.count, forKey: .reads)
            try container.encode(Phase(fetch), forKey: .fetch)
            try container.encode(Phase(json), forKey: .json)
            try container.encode(Phase(decode), forKey: .decode)
            try container.encode(Phase(store), forKey: .store)
            try container.encode(Phase(readOnce), forKey: .readOnce)
        }

        enum CodingKeys: String, CodingKey { case reads, fetch, json, decode, store, readOnce }
    }

    var systemsInAnswer: Int
    var problems: Int
    var answerBytes = 0
    var kept = 0
    var unknown = 0
    var missing = 0
    var read = Read()
    /// The process's peak resident memory before the first read (the inventory imported) and
    /// after the reads (before any day), in MB.
    var rssBeforeMb: Double
    var peakRssMb = 0.0
    var day: RegistrationDayCost?
}

struct RegistrationDayCost: Encodable {
    var reads: Int
    var probeResults = 0
    var probeFillS = 0.0
    /// Store.recordRegistration, each read of the day; and the day's last tenth alone.
    var recordPerRead = Phase()
    var recordLastTenth = Phase()
    var sampleRows = 0
    var bytesBefore = 0
    var bytesAfter = 0
    var patrolOff: [Cost] = []
    var patrolOn: [Cost] = []
    var registrationVerdicts: [String: Int] = [:]
    var venueVerdicts: [String: Int] = [:]
}
