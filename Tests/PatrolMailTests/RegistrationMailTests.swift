import Foundation
import PatrolInventory
import PatrolLedger
import PatrolMail
import PatrolRegistration
import PatrolReport
import PatrolSettings
@testable import PatrolStore
import PatrolTestSupport
import Testing

/// A day whose registration systems were patrolled: the platform's reads kept as patrold keeps
/// them, the day judged by the real daily patrol, its report queued, and each queued message read
/// back by Python's email package.
@Suite("The daily report's registration systems, from the store to the mail")
struct RegistrationMailTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day = PatrolDay(year: 2026, month: 11, day: 21)
    static let start = day.start(in: zone)
    static let uploadError = "证件号码校验失败"

    let temporary: TemporaryStore
    var store: Store { temporary.store }
    let settings: MailSettings
    let patrol: DailyPatrolSettings

    /// 平安宾馆 (V1) declares R-1, which uploads, and R-1Q, which uploads nothing; 星空网吧 (V2, the
    /// supervisor's) R-2A, offline 10:00–18:00, and R-2B, online but its uploads refused from
    /// 08:00; 温馨公寓 (V3) R-3, which the platform's answers leave out after 02:00. Every camera
    /// is online all day.
    init() throws {
        temporary = try TemporaryStore()
        var pingan = TestDistrict.pingan(), xingkong = TestDistrict.xingkong(), wenxin = TestDistrict.wenxin()
        pingan.registration = .systems(["R-1", "R-1Q"])
        xingkong.registration = .systems(["R-2A", "R-2B"])
        wenxin.registration = .systems(["R-3"])
        let cameras = try TestDistrict.cameras([("C1", "V1", .interior), ("C2", "V2", .interior), ("C3", "V3", .interior)]) {
            "rtsp://10.0.0.1/\($0)"
        }
        try temporary.seed(Inventory(venues: [pingan, xingkong, wenxin], cameras: cameras), since: Self.start.addingTimeInterval(-86_400))
        try temporary.probe(Self.day, in: Self.zone, cameras: ["C1", "C2", "C3"])
        settings = DailyReportMailTests.recipients
        var patrol = DailyPatrolSettings()
        patrol.registration = RegistrationJudging()
        // The English report, whose words these tests read; DailyReportMailTests reads the Chinese.
        patrol.reportLanguage = .en
        self.patrol = patrol
    }

    static func at(_ hours: Double) -> Date { start.addingTimeInterval(hours * 3600) }

    /// The platform read every 5 minutes from just before the day, as patrold reads it; from
    /// `failingFrom` on each read fails.
    func readThePlatform(failingFrom: Double = 24) throws {
        for seconds in stride(from: -300.0, to: 86_400, by: 300) {
            let time = Self.start.addingTimeInterval(seconds), hour = seconds / 3600
            guard hour < failingFrom else {
                try store.recordRegistrationFailure(at: time, source: "http", reason: "HTTP 503 from the platform")
                continue
            }
            let refused = hour >= 8
            var samples = [
                RegistrationSample(systemID: "R-1", at: time, online: true, lastUpload: time, uploadedToday: max(0, Int(hour))),
                RegistrationSample(systemID: "R-1Q", at: time, online: true),
                RegistrationSample(systemID: "R-2A", at: time, online: !(10..<18).contains(hour), uploadedToday: 6),
                RegistrationSample(systemID: "R-2B", at: time, online: true, uploadedToday: 11, waiting: refused ? 4 : 0,
                                   oldestWaiting: refused ? Self.at(8) : nil, uploadErrors: refused ? 3 : nil,
                                   lastError: refused ? Self.uploadError : nil),
            ]
            if hour < 2 { samples.append(RegistrationSample(systemID: "R-3", at: time, online: true, uploadedToday: 1)) }
            try store.recordRegistration(RegistrationReading(at: time, source: .platform, samples: samples), heartbeatTimeout: 900)
        }
    }

    /// Patrols the day the next morning and queues its report; the queued messages, by audience.
    func patrolAndQueue() throws -> [String: ParsedMessage] {
        let judged = try DailyPatrol(store: store, settings: patrol).runDue(now: Self.day.adding(1).start(in: Self.zone, hour: 6, minute: 5))
        #expect(judged.map(\.day) == [Self.day])
        for queued in try DailyMail.enqueueMissing(store, settings: settings, patrol: patrol) { _ = try queued.result.get() }
        var messages: [String: ParsedMessage] = [:]
        for entry in try store.pendingMail() {
            messages[entry.audience.rawValue] = try ParsedMessage(try #require(try store.mailBytes(id: entry.id)))
        }
        return messages
    }

    func attachment(_ message: ParsedMessage, _ name: String) throws -> [[String]] {
        let file = try #require(message.attachments.first { $0.filename == name }, "\(name)")
        return try CSVRecords.parse(String(decoding: file.bytes, as: UTF8.self))
    }

    @Test("the office's and the supervisor's mail carry the systems and their CSV; the maintenance team's does not")
    func everyKind() throws {
        try readThePlatform()
        let messages = try patrolAndQueue()
        #expect(messages.keys.sorted() == ["maintenance", "office", "supervisor:张伟 (一组)"])

        let office = try #require(messages["office"])
        #expect(office.structure.shape
            == "multipart/mixed(multipart/alternative(text/plain,text/html),text/csv,text/csv,text/csv,text/csv,text/csv)")
        #expect(office.defects.isEmpty)
        #expect(office.attachments.compactMap(\.filename)
            == ["patrol-cameras-2026-11-21.csv", "patrol-venues-2026-11-21.csv", "patrol-ledger-2026-11-21.csv",
                "patrol-registration-2026-11-21.csv", "patrol-maintenance-2026-11-21.csv"])
        let text = try #require(lines(office.text))
        #expect(text.contains("\nRegistration systems: 2 of 4 judged compliant (50.0%); 1 offline, 1 uploads stuck; 1 not judged\n"))
        let offline = listing(text, "Systems offline")
        #expect(offline.count == 2 && words(offline[1]).prefix(6) == ["R-2A", "V2", "星空网吧", "张伟", "(一组)", "8"])
        #expect(offline[1].contains(" h  offline for 480 min (online 66.6% of 24.0 h seen, needs 95%)"))
        let stuck = listing(text, "Uploads stuck")
        #expect(stuck.count == 2 && words(stuck[1]) == ["R-2B", "V2", "星空网吧", "张伟", "(一组)", "2026-11-21", "08:00", "4", "15", "h",
                                                         Self.uploadError])
        let look = listing(text, "Worth a look")
        #expect(look.map { words($0).first } == ["System", "R-1Q", "R-3"])
        #expect(look[1].contains("no record uploaded all day") && look[2].hasSuffix("in the platform's answers for 2.0 h of 24.0 h read; not enough to judge"))
        #expect(try #require(office.html).contains("<td>R-2B</td><td>V2</td><td nowrap>星空网吧</td>"))

        let systems = try attachment(office, "patrol-registration-2026-11-21.csv")
        #expect(systems.first?.count == 16 && systems.first?[1] == "system_id")
        let rows = Dictionary(uniqueKeysWithValues: systems.dropFirst().map { ($0[1], $0) })
        #expect(rows.keys.sorted() == ["R-1", "R-1Q", "R-2A", "R-2B", "R-3"])
        #expect(rows.mapValues { $0[6] } == ["R-1": "compliant", "R-1Q": "compliant", "R-2A": "failed", "R-2B": "failed", "R-3": "unknown"])
        #expect(rows["R-1Q"]?[14] == "true" && rows["R-1"]?[14] == "false" && rows["R-1"]?[13] == "23")
        #expect(rows["R-2A"]?[8...9] == ["66.6", "480"])
        #expect(rows["R-2B"]?[10...12] == ["955", "4", "2026-11-21T08:00:00+08:00"])
        #expect(rows["R-2B"]?[15] == Self.uploadError && rows["R-2B"]?[3] == "星空网吧" && rows["R-2B"]?[5] == TestDistrict.supervisor)
        // The venue-day's reason, in the venues file, names the side that failed.
        let venues = Dictionary(uniqueKeysWithValues: try attachment(office, "patrol-venues-2026-11-21.csv").dropFirst().map { ($0[1], $0) })
        #expect(venues["V2"]?[6] == "failed" && venues["V2"]?[9].hasPrefix("registration: R-2A offline for 480 min") == true)
        #expect(venues["V1"]?[9].hasPrefix("video: all 1 interior cameras compliant; registration: R-1 online 100%") == true)
        #expect(venues["V3"]?[6] == "unknown")

        let supervisor = try #require(messages["supervisor:张伟 (一组)"])
        let own = try #require(lines(supervisor.text))
        #expect(own.contains("\nRegistration systems at your venues: 0 of 2 judged compliant (0.0%); 1 offline, 1 uploads stuck\n"))
        #expect(!own.contains("R-1") && !own.contains("R-3") && !own.contains("平安宾馆"))
        #expect(try attachment(supervisor, "patrol-registration-2026-11-21.csv").dropFirst().map { $0[1] } == ["R-2A", "R-2B"])

        let maintenance = try #require(messages["maintenance"])
        #expect(maintenance.attachments.compactMap(\.filename) == ["patrol-maintenance-2026-11-21.csv"])
        for body in [maintenance.text, maintenance.html] { #expect(body?.lowercased().contains("registration") == false) }
    }

    @Test("patrol report daily prints the registration table as the attachment holds it, and the text's section")
    func command() throws {
        try readThePlatform()
        _ = try patrolAndQueue()
        let csv = try CommandRun("patrol", ["report", "daily", "--db", temporary.database, "--date", "2026-11-21", "--format", "csv",
                                            "--table", "registration", "--supervisor", TestDistrict.supervisor])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(try CSVRecords.parse(csv.stdout).dropFirst().map { $0[1] } == ["R-2A", "R-2B"])
        // Without a configuration the report is in Chinese.
        let text = try CommandRun("patrol", ["report", "daily", "--db", temporary.database, "--date", "2026-11-21"])
        #expect(text.stdout.contains("\n实名登记系统\n------------\n"))
        #expect(text.stdout.contains("实名登记系统：已判定的4套中2套合格（50.0%）；离线1套、上传积压1套；1套无法判定"))
    }

    @Test("a platform read for 5 hours: every system not judged, an alert, and no step against a venue")
    func platformUnread() throws {
        try readThePlatform(failingFrom: 5)
        let messages = try patrolAndQueue()
        let alert = "!! Registration platform read for 5.0 h of 24.0 h: the platform could not be read for most of the day, "
            + "so 5 of 5 registration systems were not judged. This never counts against a venue."
        for audience in ["office", "supervisor:张伟 (一组)"] {
            let text = try #require(lines(messages[audience]?.text))
            #expect(text.contains("\n\(alert)\n"), "\(audience)")
        }
        let text = try #require(lines(messages["office"]?.text))
        #expect(text.contains("\nRegistration systems: none judged; 5 not judged\n"))
        #expect(listing(text, "Worth a look") == ["  No system quiet all day or missing from the platform's answers."])
        #expect(try store.ledger().isEmpty, "R-2A offline and R-2B stuck in the hours read: still no order")
        let systems = try attachment(try #require(messages["office"]), "patrol-registration-2026-11-21.csv")
        #expect(systems.dropFirst().allSatisfy { $0[6] == "unknown" && $0[7].hasPrefix("registration platform read for 5.0 h") })
        #expect(messages["maintenance"]?.text?.contains("Registration") == false)
    }
}

/// The lines of the list under `heading:`, up to the blank line that ends it.
func listing(_ text: String, _ heading: String) -> [String] {
    let lines = text.components(separatedBy: "\n")
    guard let start = lines.firstIndex(of: heading + ":") else { return [] }
    return Array(lines[(start + 1)...].prefix { !$0.isEmpty })
}

func words(_ line: String) -> [String] { line.split(separator: " ").map(String.init) }
