import Foundation
import PatrolTestSupport
import Testing
import Yams

/// The console in process on a real store: every page and API call needs a login; the login sets
/// a session cookie that scripts cannot read; wrong passwords are rate-limited; the API answers
/// what the real `patrol … --json` prints for the same store; the OpenAPI file says what it answers.
@Suite("The web console's logins and JSON API", .serialized)
struct ConsoleAPITests {
    /// Logs in as the fixture's account; the cookie jar then holds the session.
    static func login(_ console: ConsoleFixture) async throws -> URL {
        let jar = console.folder.appendingPathComponent("cookies-\(UUID().uuidString)")
        let response = try await HTTP.post(console.base + "/login", form: [("name", ConsoleFixture.user), ("password", ConsoleFixture.password)], jar: jar)
        #expect(response.status == 303, "\(response)")
        return jar
    }

    @Test("without a login a page redirects to the login and the API answers 401; a login's cookie is HttpOnly and SameSite=Strict")
    func loginRequired() async throws {
        let console = try await ConsoleFixture()
        defer { Task { await console.stop() } }
        let page = try await HTTP.get(console.base + "/venues/V1")
        #expect(page.status == 303)
        #expect(page.headers["location"] == "/login?next=%2Fvenues%2FV1")
        for path in ["/", "/venues", "/cameras/C1", "/cameras/C2/snapshot", "/ledger", "/reports", "/reports/2026-09-01"] {
            #expect(try await HTTP.get(console.base + path).status == 303, "\(path)")
        }
        let api = try await HTTP.get(console.base + "/api/v1/status")
        #expect(api.status == 401)
        #expect(!api.body.contains("cameras"))
        // A forged cookie is no session.
        #expect(try await HTTP.get(console.base + "/api/v1/status", headers: ["Cookie: patrol_session=" + String(repeating: "ab", count: 32)]).status == 401)

        let jar = console.folder.appendingPathComponent("cookies")
        let login = try await HTTP.post(console.base + "/login", form: [("name", ConsoleFixture.user), ("password", ConsoleFixture.password),
                                                                   ("next", "/venues/V1")], jar: jar)
        #expect(login.status == 303)
        #expect(login.headers["location"] == "/venues/V1")
        // Never back to another site, however the address is written.
        for elsewhere in ["//evil.example/", "/\\evil.example/", "https://evil.example/"] {
            let away = try await HTTP.post(console.base + "/login", form: [("name", ConsoleFixture.user), ("password", ConsoleFixture.password),
                                                                           ("next", elsewhere)])
            #expect(away.headers["location"] == "/", "\(elsewhere)")
        }
        let cookie = try #require(login.headers["set-cookie"]?.split(separator: "\n").first { $0.hasPrefix("patrol_session=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
        #expect(!cookie.contains("Secure"), "no TLS configured: the cookie must reach plain HTTP on loopback")
        let venue = try await HTTP.get(console.base + "/venues/V1", jar: jar)
        #expect(venue.status == 200)
        #expect(venue.body.contains("平安宾馆") && venue.body.contains("整改通知"))
        #expect(venue.headers["content-security-policy"]?.hasPrefix("default-src 'none'") == true, "no script may run on a page")

        // The reports archive: the patrolled day, and its report as the office's mail shows it.
        let archive = try await HTTP.get(console.base + "/reports", jar: jar)
        #expect(archive.status == 200 && archive.body.contains("href=\"/reports/2026-09-01\""))
        let report = try await HTTP.get(console.base + "/reports/2026-09-01", jar: jar)
        #expect(report.status == 200)
        #expect(report.body.contains("2026年9月1日") && report.body.contains("平安宾馆"))
        #expect(try await HTTP.get(console.base + "/reports/2026-09-02", jar: jar).status == 404)
        let ledger = try await HTTP.get(console.base + "/ledger", jar: jar)
        #expect(ledger.status == 200 && ledger.body.contains("台账校验通过"))
        #expect(try await HTTP.get(console.base + "/cameras/C1/snapshot", jar: jar).status == 404, "no snapshot kept")
        // C2's snapshot: shown on its page, served from the snapshots folder, the very bytes kept.
        #expect(try await HTTP.get(console.base + "/cameras/C2", jar: jar).body.contains("<img class=\"snapshot\" id=\"snapshot\" src=\"/cameras/C2/snapshot\""))
        let picture = try await HTTP.get(console.base + "/cameras/C2/snapshot", jar: jar)
        #expect(picture.status == 200 && picture.headers["content-type"] == "image/jpeg")
        #expect(picture.headers["content-length"] == String(console.snapshot.count))

        // Logging out ends the session on the server, not only in the browser.
        let token = String(cookie.split(separator: ";")[0])
        _ = try await HTTP.post(console.base + "/logout", form: [], jar: jar)
        #expect(try await HTTP.get(console.base + "/api/v1/status", headers: ["Cookie: " + token]).status == 401)
    }

    @Test("wrong passwords: refused, then rate-limited per name even with the right one, and per address for other names")
    func rateLimited() async throws {
        let console = try await ConsoleFixture(maxFailures: 3)
        defer { Task { await console.stop() } }
        for _ in 0..<3 {
            let wrong = try await HTTP.post(console.base + "/login", form: [("name", ConsoleFixture.user), ("password", "wrong password")])
            #expect(wrong.status == 401)
            #expect(wrong.body.contains("用户名或密码错误"))
            #expect(wrong.headers["set-cookie"]?.contains("patrol_session") != true)
        }
        let limited = try await HTTP.post(console.base + "/login", form: [("name", ConsoleFixture.user), ("password", ConsoleFixture.password)])
        #expect(limited.status == 429)
        #expect(limited.body.contains("登录失败次数过多"))
        #expect(limited.headers["set-cookie"]?.contains("patrol_session") != true)
        // The address is limited too: guessing at another name from it is refused.
        #expect(try await HTTP.post(console.base + "/login", form: [("name", "李娜"), ("password", "whatever")]).status == 429)
    }

    /// The API's answer and `patrol ARGUMENTS --json`'s, as JSON values, with the fields that
    /// name the moment of asking (now) left out.
    static func same(_ console: ConsoleFixture, jar: URL, _ path: String, _ arguments: [String]) async throws {
        let api = try await HTTP.get(console.base + path, jar: jar)
        #expect(api.status == 200, "\(path): \(api.body)")
        #expect(api.headers["content-type"] == "application/json")
        let config = console.config
        let cli = try await offPool { try CommandRun("patrol", arguments + ["--json", "--config", config]) }
        #expect(cli.status == 0, "\(cli.all)")
        let fromAPI = try #require(api.json as? [String: Any]), fromCLI = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
        let a = Self.withoutNow(fromAPI), b = Self.withoutNow(fromCLI)
        let text = { (object: [String: Any]) in
            String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        }
        #expect(text(a) == text(b), "\(path) differs from patrol \(arguments.joined(separator: " ")) --json:\n\(text(a))\n\(text(b))")
        #expect(!a.isEmpty)
    }

    static let nowFields: Set<String> = ["checked_at", "seconds_since_last_probe", "from"]

    static func withoutNow(_ object: [String: Any]) -> [String: Any] {
        object.filter { !nowFields.contains($0.key) }.mapValues { value in
            if let inner = value as? [String: Any] { return withoutNow(inner) }
            if let list = value as? [Any] { return list.map { ($0 as? [String: Any]).map(withoutNow) ?? $0 } }
            return value
        }
    }

    @Test("the API answers what patrol --json prints for the same store")
    func sameAsTheCommandLine() async throws {
        let console = try await ConsoleFixture()
        defer { Task { await console.stop() } }
        let jar = try await Self.login(console)
        try await Self.same(console, jar: jar, "/api/v1/status", ["status"])
        try await Self.same(console, jar: jar, "/api/v1/venues", ["venues"])
        try await Self.same(console, jar: jar, "/api/v1/venues?state=overdue", ["venues", "--state", "overdue"])
        try await Self.same(console, jar: jar, "/api/v1/venues?tier=priority&limit=1", ["venues", "--tier", "priority", "--limit", "1"])
        try await Self.same(console, jar: jar, "/api/v1/venues/v1", ["venue", "v1"])
        try await Self.same(console, jar: jar, "/api/v1/cameras/C1", ["camera", "C1"])
        try await Self.same(console, jar: jar, "/api/v1/ledger", ["ledger"])
        try await Self.same(console, jar: jar, "/api/v1/ledger?venue=V1&kind=order", ["ledger", "--venue", "V1", "--kind", "order"])
        try await Self.same(console, jar: jar, "/api/v1/ledger/verify", ["ledger", "verify"])
        let overdue = try #require(try await HTTP.get(console.base + "/api/v1/venues?state=overdue", jar: jar).json as? [String: Any])
        #expect((overdue["venues"] as? [[String: Any]])?.compactMap { ($0["venue"] as? [String: Any])?["id"] as? String } == ["V1"])
        let missing = try await HTTP.get(console.base + "/api/v1/cameras/C99", jar: jar)
        #expect(missing.status == 404)
        #expect(try await HTTP.get(console.base + "/api/v1/venues?tier=gold", jar: jar).status == 400)
    }

    static let openAPI = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/console-api.yaml")

    @Test("each path docs/console-api.yaml documents answers with the top-level keys it documents")
    func openAPIDocumented() async throws {
        let console = try await ConsoleFixture()
        defer { Task { await console.stop() } }
        let jar = try await Self.login(console)
        let document = try #require(try Yams.load(yaml: String(contentsOf: Self.openAPI, encoding: .utf8)) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
        let paths = try #require(document["paths"] as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        #expect(paths.count >= 6)
        for (path, item) in paths {
            let get = try #require((item as? [String: Any])?["get"] as? [String: Any], "\(path)")
            let ok = try #require((get["responses"] as? [String: Any])?["200"] as? [String: Any], "\(path)")
            let schema = try #require((((ok["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]) as? [String: Any])
            let reference = try #require(schema["$ref"] as? String, "\(path): the 200 answer names a schema")
            let named = try #require(schemas[String(reference.split(separator: "/").last!)] as? [String: Any])
            let required = try #require(named["required"] as? [String], "\(path): its schema lists its required keys")
            let concrete = path.replacingOccurrences(of: "{venue_id}", with: "V1").replacingOccurrences(of: "{camera_id}", with: "C1")
            let answer = try await HTTP.get(console.base + "/api/v1" + concrete, jar: jar)
            #expect(answer.status == 200, "\(concrete)")
            let keys = Set((answer.json as? [String: Any])?.keys.map { $0 } ?? [])
            #expect(Set(required).isSubset(of: keys), "\(concrete) lacks \(Set(required).subtracting(keys))")
            let documented = Set((named["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
            #expect(keys.isSubset(of: documented), "\(concrete) answers undocumented keys \(keys.subtracting(documented))")
        }
    }
}
