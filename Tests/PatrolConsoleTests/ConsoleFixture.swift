import Foundation
import HummingbirdBcrypt
import PatrolConfig
import PatrolConsole
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolStore
import PatrolTestSupport
import PatrolViews
import ServiceLifecycle
import Synchronization

/// A real store whose first day was patrolled (V1's interior camera refused all day, so V1 has an
/// order whose deadline has long passed: overdue), an account, and the console serving it on a
/// port of loopback the system picked, in process.
final class ConsoleFixture: Sendable {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day1 = PatrolDay(year: 2026, month: 9, day: 1)
    static let user = "王芳"
    static let password = "correct horse battery"
    /// A fixed clock for the console when a test needs one: 2026-11-20 10:00 in the district.
    static let now = PatrolDay(year: 2026, month: 11, day: 20).start(in: zone, hour: 10)

    let temporary: TemporaryStore
    let config: String
    let port: Int
    let settings: ConsoleSettings
    /// The JPEG kept as C2's snapshot.
    let snapshot: Data
    private let task: Task<Void, any Error>

    var base: String { "http://127.0.0.1:\(port)" }
    var database: String { temporary.database }
    var folder: URL { temporary.folder }

    /// - Parameter live: the daemon's figures for /metrics; `prepare` writes more into the store first.
    /// - Parameter clock: the console's time; nil: the real one.
    init(maxFailures: Int = 3, clock: Date? = nil, live: LiveFigures? = nil, prepare: (TemporaryStore) throws -> Void = { _ in }) async throws {
        temporary = try TemporaryStore()
        config = temporary.folder.appendingPathComponent("patrol.yaml").path
        try """
            database: patrol.sqlite
            credentials: credentials.sqlite
            console:
              listen: 127.0.0.1:0
              max_failures: \(maxFailures)
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let cameras = try TestDistrict.cameras([("C1", "V1", .interior), ("C2", "V2", .interior), ("C3", "V3", .interior),
                                                ("C4", "V1", .perimeter)]) { "rtsp://admin:cam-secret@10.0.0.1/\($0)" }
        try temporary.seed(Inventory(venues: [TestDistrict.pingan(), TestDistrict.xingkong(), TestDistrict.wenxin()], cameras: cameras),
                           since: Self.day1.start(in: Self.zone).addingTimeInterval(-86_400))
        try temporary.probe(Self.day1, in: Self.zone, cameras: ["C1", "C2", "C3", "C4"]) { $0 == "C1" ? .refused : .online }
        try DailyPatrol(store: temporary.store, settings: DailyPatrolSettings()).runDue(now: Self.day1.adding(1).start(in: Self.zone, hour: 7))
        // C2's picture the next morning, kept as its snapshot (a JPEG made by PIL).
        let jpeg = temporary.folder.appendingPathComponent("c2.jpg")
        let made = try CommandRun(program: URL(fileURLWithPath: "/usr/bin/python3"), [
            "-c", "import sys; from PIL import Image; Image.new('RGB', (320, 180), (40, 120, 200)).save(sys.argv[1], 'JPEG')", jpeg.path])
        guard made.status == 0 else { throw ConsoleTestFailure(message: "PIL: \(made.all)") }
        var picture = probeResult(.online, at: Self.day1.adding(1).start(in: Self.zone, hour: 0, minute: 5))
        picture.snapshot = Snapshot(jpeg: try Data(contentsOf: jpeg), width: 320, height: 180)
        try temporary.store.write([("C2", picture)])
        snapshot = try Data(contentsOf: jpeg)
        try temporary.store.addAccount(name: Self.user, role: .operator, passwordHash: Bcrypt.hash(Self.password, cost: 6))
        try prepare(temporary)

        let configuration = try Configuration.load(config)
        settings = configuration.console
        let setup = ConsoleService.Setup(console: configuration.console, patrol: configuration.patrol, cadence: configuration.cadence,
                                         staleAfter: Reader.staleAfter(cadence: configuration.cadence,
                                                                       backoffLimit: configuration.schedule.backoffLimit),
                                         database: configuration.database, publicKey: nil)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let console = ConsoleService(setup: setup, live: live, clock: { clock ?? Date() }, onListening: { continuation.yield($0) })
        task = Task { try await console.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw ConsoleTestFailure(message: "the console never listened") }
        self.port = port
    }

    deinit { task.cancel() }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// One HTTP exchange through curl, with a cookie jar kept between calls.
struct HTTP {
    var status: Int
    var headers: [String: String]
    var body: String

    /// - Parameter insecure: accept a self-signed certificate (nginx's in NginxTests).
    static func get(_ url: String, jar: URL? = nil, headers: [String] = [], insecure: Bool = false) async throws -> HTTP {
        try await offPool { try run(url, ["-X", "GET"] + (insecure ? ["-k"] : []), jar: jar, headers: headers) }
    }

    static func post(_ url: String, form: [(String, String)], jar: URL? = nil, insecure: Bool = false) async throws -> HTTP {
        let encoded = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)" }.joined(separator: "&")
        return try await offPool { try run(url, ["-X", "POST", "--data", encoded] + (insecure ? ["-k"] : []), jar: jar, headers: []) }
    }

    private static func run(_ url: String, _ extra: [String], jar: URL?, headers: [String]) throws -> HTTP {
        var arguments = ["-s", "-i", "--max-time", "60"] + extra + headers.flatMap { ["-H", $0] }
        if let jar { arguments += ["-b", jar.path, "-c", jar.path] }
        let run = try CommandRun(program: URL(fileURLWithPath: "/usr/bin/curl"), arguments + [url])
        guard run.status == 0 else { throw ConsoleTestFailure(message: "curl \(url) exited \(run.status): \(run.stderr)") }
        let parts = run.stdout.components(separatedBy: "\r\n\r\n")
        let head = parts[0].components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ")[1]) ?? 0
        var fields: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased(), value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            fields[name] = fields[name].map { $0 + "\n" + value } ?? value
        }
        return HTTP(status: status, headers: fields, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
}

struct ConsoleTestFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Runs blocking work (a subprocess waited for) on a thread of its own, never on Swift's
/// cooperative pool, which the console's handlers in this same process need to answer it.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
