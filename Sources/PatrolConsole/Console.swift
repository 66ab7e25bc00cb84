import Dispatch
import Foundation
import Hummingbird
import HummingbirdBcrypt
import Logging
import NIOCore
import PatrolInventory
import PatrolLedger
import PatrolOutput
import PatrolReport
import PatrolSettings
import PatrolStore
import PatrolViews
import ServiceLifecycle
import Synchronization

/// The request's context: Hummingbird's, with the peer's address for the login limiter.
public struct ConsoleContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The logged-in name, set by LoginRequired.
    public var user = ""

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// The duty desk's web console as one of patrold's services: server-rendered pages, the JSON
/// API under `/api/v1` (the shapes of `patrol --json`, through PatrolViews), and `/metrics`.
/// It reads the store through its own read-only connection, never the writer's, with every
/// SQLite read and bcrypt check on a Dispatch queue of its own, off Swift's cooperative pool.
public final class ConsoleService: Service, Sendable {
    /// What the console needs from patrold's configuration.
    public struct Setup: Sendable {
        public var console: ConsoleSettings
        public var patrol: DailyPatrolSettings
        public var cadence: PerTier<TimeInterval>
        public var staleAfter: Double
        /// The database file: opened read-only here.
        public var database: String
        /// The ledger's public key file, for the seals `verify` checks; nil: none.
        public var publicKey: String?

        public init(console: ConsoleSettings, patrol: DailyPatrolSettings, cadence: PerTier<TimeInterval>, staleAfter: Double,
                    database: String, publicKey: String?) {
            self.console = console
            self.patrol = patrol
            self.cadence = cadence
            self.staleAfter = staleAfter
            self.database = database
            self.publicKey = publicKey
        }
    }

    static let cookie = "patrol_session"

    let setup: Setup
    let live: LiveFigures?
    let sessions: Sessions
    let limiter: LoginLimiter
    let clock: @Sendable () -> Date
    let onListening: @Sendable (Int) -> Void
    private let work = DispatchQueue(label: "patrol.console", attributes: .concurrent)
    private let opened = Mutex<Store?>(nil)

    /// - Parameters:
    ///   - live: what the running daemon counts, for `/metrics`; nil leaves those families out.
    ///   - onListening: called with the port once the server listens (0 in the settings picks one).
    public init(setup: Setup, live: LiveFigures?, clock: @escaping @Sendable () -> Date = { Date() },
                onListening: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.setup = setup
        self.live = live
        self.clock = clock
        self.onListening = onListening
        sessions = Sessions(lifetime: setup.console.sessionSeconds)
        limiter = LoginLimiter(limit: setup.console.maxFailures, window: setup.console.lockoutSeconds)
    }

    public func run() async throws {
        let settings = setup.console
        let onListening = self.onListening
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? settings.port
                Output.log(.notice, "console listening on \(settings.host):\(port)\n")
                onListening(port)
            },
            logger: Logger(label: "patrol.console") { _ in SwiftLogNoOpLogHandler() })
        try await app.run()
    }

    /// Runs `body` on the console's queue (SQLite reads, bcrypt), awaited.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            work.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// The store, opened read-only at the first request that needs it (a read-only pool on the WAL
    /// file, beside the writer's), then kept.
    func reader() throws -> Reader {
        let store = try opened.withLock { opened in
            if let opened { return opened }
            do {
                let store = try Store.reading(setup.database)
                opened = store
                return store
            } catch {
                throw HTTPError(.serviceUnavailable, message: "\(error)")
            }
        }
        return Reader(store: store, settings: setup.patrol)
    }

    // MARK: Routing

    func router() -> Router<ConsoleContext> {
        let router = Router(context: ConsoleContext.self)
        router.get("/login") { [self] request, _ in
            html(pages(request).login(error: nil, next: request.uri.queryParameters.get("next") ?? "/"), language: language(request))
        }
        router.post("/login") { [self] request, context in try await login(request, context) }
        router.post("/logout") { [self] request, _ in
            sessions.close(request.cookies[Self.cookie]?.value)
            var response = redirect("/login")
            response.setCookie(sessionCookie("", maxAge: 0))
            return response
        }
        router.get("/metrics") { [self] request, _ in try await metrics(request) }

        let guarded = router.group().add(middleware: LoginRequired(console: self))
        guarded.get("/") { [self] request, context in
            let now = clock(), staleAfter = setup.staleAfter
            let report = try await blocking { try self.reader().status(now: now, staleAfter: staleAfter) }
            return html(self.pages(request).status(report, user: context.user), language: language(request))
        }
        guarded.get("/venues") { [self] request, context in
            let now = clock()
            let query = request.uri.queryParameters
            var filter = VenueFilter()
            filter.tier = query.get("tier").flatMap(Tier.init)
            filter.kind = query.get("kind").flatMap(VenueKind.init)
            let state = query.get("state").flatMap(Reader.StandingFilter.init)
            let asked = filter
            let rows = try await blocking { () -> [(WithLadder<VenueSummary, LadderView>, Bool)] in
                let reader = try self.reader()
                let overdue = Set(try reader.venues(VenueFilter(), standing: .overdue, now: now).map(\.base.venue.id))
                return try reader.venues(asked, standing: state, now: now).map { ($0, overdue.contains($0.base.venue.id)) }
            }
            // Overdue first, then the furthest up the ladder, then by id.
            let order: [String: Int] = ["closed": 1, "suspended": 2, "warned": 3, "ordered": 4, "clean": 5]
            let sorted = rows.sorted { a, b in
                if a.1 != b.1 { return a.1 }
                let (x, y) = (order[a.0.ladder.standing] ?? 9, order[b.0.ladder.standing] ?? 9)
                return x != y ? x < y : a.0.base.venue.id < b.0.base.venue.id
            }
            return html(self.pages(request).venues(sorted.map { (row: $0.0, overdue: $0.1) },
                                                   filters: .init(tier: filter.tier?.rawValue, kind: filter.kind?.rawValue, state: state?.rawValue),
                                                   user: context.user), language: language(request))
        }
        guarded.get("/venues/{id}") { [self] request, context in
            let id = try context.parameters.require("id"), now = clock()
            do {
                let (report, overdue) = try await blocking { () -> (WithLadder<VenueDetail, Reader.VenueLedger>, Bool) in
                    let reader = try self.reader()
                    let report = try reader.venue(id, now: now)
                    let overdue = try reader.venues(VenueFilter(), standing: .overdue, now: now).contains { $0.base.venue.id == report.base.venue.id }
                    return (report, overdue)
                }
                return html(self.pages(request).venue(report, overdue: overdue, user: context.user), language: language(request))
            } catch let failure as Reader.Failure {
                return html(self.pages(request).notFound("\(failure)", user: context.user), status: .notFound, language: language(request))
            }
        }
        guarded.get("/cameras/{id}") { [self] request, context in
            let id = try context.parameters.require("id"), now = clock()
            do {
                let detail = try await blocking { try self.reader().camera(id, probes: 20, changes: 20, now: now) }
                return html(self.pages(request).camera(detail, user: context.user), language: language(request))
            } catch let failure as Reader.Failure {
                return html(self.pages(request).notFound("\(failure)", user: context.user), status: .notFound, language: language(request))
            }
        }
        guarded.get("/cameras/{id}/snapshot") { [self] _, context in
            let id = try context.parameters.require("id"), now = clock()
            let picture = try await blocking { () -> Data? in
                let reader = try self.reader()
                guard let snapshot = try reader.camera(id, probes: 0, changes: 0, now: now).latestSnapshot else { return nil }
                return FileManager.default.contents(atPath: snapshot.path)
            }
            guard let picture else { throw HTTPError(.notFound) }
            return Response(status: .ok, headers: [.contentType: "image/jpeg", .cacheControl: "private, max-age=60"],
                            body: .init(byteBuffer: ByteBuffer(bytes: picture)))
        }
        guarded.get("/ledger") { [self] request, context in
            let trusted = publicKey()
            let (entries, verification) = try await blocking { () -> ([EntryView], Reader.Verification) in
                let reader = try self.reader()
                return (try reader.ledger(), try reader.verify(trusted: trusted).verification)
            }
            return html(self.pages(request).ledger(entries, verification: verification, user: context.user), language: language(request))
        }
        guarded.get("/reports") { [self] request, context in
            let days = try await blocking { try self.reader().store.patrolledDays() }
            return html(self.pages(request).reports(days, user: context.user), language: language(request))
        }
        guarded.get("/reports/{day}") { [self] request, context in
            guard let day = PatrolDay(try context.parameters.require("day")) else { throw HTTPError(.notFound) }
            let settings = setup.patrol, trusted = publicKey()
            let page = try await blocking { () -> String? in
                let store = try self.reader().store
                do {
                    let report = try DailyReport.build(from: store, day: day, policy: settings.ladder, trusted: trusted,
                                                       clockTolerance: settings.clockTolerance, timeZone: settings.timeZone)
                    return ReportHTML.render(report, for: .office, timeZone: settings.timeZone, language: settings.reportLanguage)
                } catch ReportError.notPatrolled {
                    return nil
                }
            }
            guard let page else {
                return html(self.pages(request).notFound(day.description, user: context.user), status: .notFound, language: language(request))
            }
            return html(page, language: nil)
        }
        Api.routes(guarded.group("/api/v1"), console: self)
        return router
    }

    /// The ledger's public key, read from its file when there is one.
    func publicKey() -> String? {
        guard let path = setup.publicKey else { return nil }
        return (try? LedgerKeyFile.publicKey(at: path)) ?? nil
    }

    // MARK: Languages and responses

    /// `?lang=en` or `?lang=zh` (kept in a cookie), else the cookie, else Chinese.
    func language(_ request: Request) -> ReportLanguage {
        switch request.uri.queryParameters.get("lang") ?? request.cookies["patrol_lang"]?.value {
        case "en": .en
        default: .zhCN
        }
    }

    func pages(_ request: Request) -> Pages {
        Pages(language: language(request), zone: setup.patrol.timeZone, now: clock())
    }

    func html(_ text: String, status: HTTPResponse.Status = .ok, language: ReportLanguage?) -> Response {
        var response = Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                                body: .init(byteBuffer: ByteBuffer(string: text)))
        // No script anywhere, no framing, nothing from elsewhere.
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
        if let language {
            response.setCookie(Cookie(name: "patrol_lang", value: language == .en ? "en" : "zh", maxAge: 365 * 86_400, path: "/",
                                      secure: setup.console.secureCookie, httpOnly: true, sameSite: .strict))
        }
        return response
    }

    func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    func sessionCookie(_ token: String, maxAge: Int) -> Cookie {
        Cookie(name: Self.cookie, value: token, maxAge: maxAge, path: "/", secure: setup.console.secureCookie, httpOnly: true, sameSite: .strict)
    }

    // MARK: Logging in

    /// The client's address: the peer's, or, when the peer is nginx on loopback, the address
    /// nginx names in X-Real-IP (docs/nginx/patrol-console.conf). Nobody else may name it.
    static func address(_ request: Request, _ context: ConsoleContext) -> String {
        let peer = context.remoteAddress?.ipAddress ?? "?"
        if peer == "127.0.0.1" || peer == "::1",
           let real = request.headers.first(where: { $0.name.canonicalName == "x-real-ip" })?.value, !real.isEmpty {
            return String(real.prefix(64))
        }
        return peer
    }

    func login(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        var request = request
        let form = Form(String(buffer: try await request.collectBody(upTo: 16_384)))
        let name = form["name"] ?? "", password = form["password"] ?? ""
        // Back to a page of this console only: a path, never `//host` or `/\\host`, which browsers read as another site.
        let next = form["next"].flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") && !$0.contains("\\") ? $0 : nil } ?? "/"
        let address = Self.address(request, context), now = clock()
        let pages = self.pages(request), say = ConsoleWords(language: language(request))
        guard limiter.allows(name: name, address: address, now: now) else {
            Output.log(.warning, "console: login refused for '\(Output.printable(name))' from \(address): too many failed logins\n")
            return html(pages.login(error: say(.tooManyTries), next: next), status: .tooManyRequests, language: nil)
        }
        let account = try await blocking { () -> Account? in
            guard let found = try self.reader().store.credentials(of: name) else {
                // The same work as for a real account: a missing name answers no faster.
                _ = Bcrypt.verify(password, hash: Self.decoy)
                return nil
            }
            return Bcrypt.verify(password, hash: found.passwordHash) ? found.account : nil
        }
        guard let account else {
            limiter.failed(name: name, address: address, now: now)
            Output.log(.warning, "console: failed login for '\(Output.printable(name))' from \(address)\n")
            return html(pages.login(error: say(.wrongLogin), next: next), status: .unauthorized, language: nil)
        }
        limiter.succeeded(name: name)
        Output.log(.notice, "console: \(account.name) logged in from \(address)\n")
        let token = sessions.open(name: account.name, role: account.role, now: now)
        var response = redirect(next)
        response.setCookie(sessionCookie(token, maxAge: Int(setup.console.sessionSeconds)))
        return response
    }

    /// A bcrypt hash of nothing anyone knows, checked when the name has no account.
    static let decoy = Bcrypt.hash(UUID().uuidString, cost: 12)

    // MARK: Metrics

    func metrics(_ request: Request) async throws -> Response {
        if let file = setup.console.metricsTokenFile {
            let token = try await blocking {
                try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard !token.isEmpty, request.headers[.authorization] == "Bearer \(token)" else {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
            }
        }
        let now = clock(), cadence = setup.cadence, zone = setup.patrol.timeZone, live = self.live
        let text = try await blocking { try MetricsPage(store: self.reader().store, cadence: cadence, zone: zone, live: live).render(now: now) }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Every page and API call behind it needs a session: a page answers a redirect to the login,
/// the API 401.
struct LoginRequired: RouterMiddleware {
    typealias Context = ConsoleContext
    let console: ConsoleService

    func handle(_ request: Request, context: ConsoleContext, next: (Request, ConsoleContext) async throws -> Response) async throws -> Response {
        guard let session = console.sessions.session(request.cookies[ConsoleService.cookie]?.value, now: console.clock()) else {
            if request.uri.path.hasPrefix("/api/") {
                return Response(status: .unauthorized, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: "{\"error\":\"login required\"}")))
            }
            let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return console.redirect("/login?next=" + Pages.component(target))
        }
        var context = context
        context.user = session.name
        return try await next(request, context)
    }
}

/// An `application/x-www-form-urlencoded` body.
struct Form {
    var fields: [String: String] = [:]

    init(_ body: String) {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let key = parts.first else { continue }
            fields[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
    }

    subscript(_ key: String) -> String? { fields[key] }
}
