import Foundation
import PatrolTestSupport
import Testing

/// The console as an operator meets it, in real headless Chromium through Selenium
/// (Tools/console_browser.py): refused without a login, logged in, the overdue venue first,
/// a venue and a camera opened, each page fitting a phone, wrong passwords rate-limited.
/// The screenshots go to .build/console-screenshots (docs/console-*.jpg are copies of them).
@Suite("The web console in headless Chromium")
struct ConsoleBrowserTests {
    static let tool = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Tools/console_browser.py")
    static let shots = Fleet.repository.appendingPathComponent(".build/console-screenshots")

    struct Seen: Decodable {
        var withoutLogin: String
        var afterLogin: String
        var venues: [String]
        var overdue: [Bool]
        var statusOverdue: String
        var statusTitle: String
        var statusLang: String
        var statusRefresh: Bool
        var venueTitle: String
        var cameraTitle: String
        var ledgerVerify: String
        var ledgerLang: String
        var englishKept: String
        var afterLogout: String
        var loginErrors: [String]
        var venuesPhoneTooWide: Bool
        var statusPhoneTooWide: Bool
        var venuePhoneTooWide: Bool
        var cameraPhoneTooWide: Bool
        var snapshotWidth: Int
    }

    @Test("refused without a login; logged in, the overdue venue first; a venue, a camera; a phone's width; wrong passwords rate-limited")
    func operatorSession() async throws {
        let console = try await ConsoleFixture(maxFailures: 3)
        defer { Task { await console.stop() } }
        try FileManager.default.createDirectory(at: Self.shots, withIntermediateDirectories: true)
        let arguments = [Self.tool.path, console.base, ConsoleFixture.user, ConsoleFixture.password, Self.shots.path, "--tries", "3"]
        let run = try await offPool { try CommandRun(program: URL(fileURLWithPath: "/usr/bin/python3"), arguments) }
        try #require(run.status == 0, "\(run.all)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let seen = try decoder.decode(Seen.self, from: Data(run.stdout.utf8))

        #expect(seen.withoutLogin == "/login?next=%2Fvenues")
        #expect(seen.afterLogin == "/venues", "the login leads back to the page asked for")
        #expect(seen.venues == ["V1", "V2", "V3"])
        #expect(seen.overdue == [true, false, false], "V1, past its deadline, comes first and is marked")
        #expect(seen.statusOverdue == "1")
        #expect(seen.statusTitle == "全区概况" && seen.statusLang == "zh-CN" && seen.statusRefresh)
        #expect(seen.venueTitle == "V1 平安宾馆")
        #expect(seen.cameraTitle.hasPrefix("C1") && seen.cameraTitle.contains("V1 平安宾馆"))
        #expect(seen.ledgerVerify.contains("The ledger verifies") && seen.ledgerLang == "en")
        #expect(seen.englishKept == "en", "the language chosen is kept in a cookie")
        #expect(seen.afterLogout.hasPrefix("/login"))
        #expect(seen.loginErrors.prefix(3).allSatisfy { $0 == "用户名或密码错误。" }, "\(seen.loginErrors)")
        #expect(seen.loginErrors.dropFirst(3).allSatisfy { $0 == "登录失败次数过多，请稍后再试。" },
                "the fourth try and the right password after it are refused: \(seen.loginErrors)")
        #expect(seen.snapshotWidth == 320, "C2's snapshot drawn, fetched with the session's cookie")
        #expect(!seen.venuesPhoneTooWide && !seen.statusPhoneTooWide && !seen.venuePhoneTooWide && !seen.cameraPhoneTooWide)
        for page in ["login", "status", "venues", "venue", "camera", "snapshot", "ledger", "phone", "refused"] {
            let size = try FileManager.default.attributesOfItem(atPath: Self.shots.appendingPathComponent("console-\(page).jpg").path)[.size] as? Int
            #expect((size ?? 0) > 5_000, "console-\(page).jpg")
        }
    }
}
