import Foundation
import PatrolInventory
import PatrolLedger
import PatrolMail
import PatrolProbe
import PatrolReport
import PatrolSettings
@testable import PatrolStore
import PatrolTestSupport
import Testing

/// A patrolled day's report, queued once the day is recorded, sent
/// through Debian's msmtp (as /usr/sbin/sendmail) to a real SMTP server, and read back.
@Suite("The daily report through the real mail path")
struct DailyReportMailTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day = PatrolDay(year: 2026, month: 11, day: 21)

    let store: Store
    let settings: MailSettings

    init() throws {
        let temporary = try TemporaryStore()
        store = temporary.store
        let cameras = try TestDistrict.cameras([("C1", "V1", .interior), ("P1", "V1", .perimeter), ("C2", "V2", .interior)]) {
            "rtsp://admin:cam-secret@10.0.0.1/\($0)"
        }
        try temporary.seed(Inventory(venues: [TestDistrict.pingan(), TestDistrict.xingkong()], cameras: cameras),
                           since: Self.day.start(in: Self.zone).addingTimeInterval(-86_400))
        // C1 (interior, 平安宾馆) refuses all day; P1 (the city's) times out; C2 is fine.
        try temporary.probe(Self.day, in: Self.zone, cameras: ["C1", "P1", "C2"]) {
            ["C1": Outcome.refused, "P1": .timeout][$0] ?? .online
        }
        settings = Self.recipients
    }

    /// The office, the supervisor of the test district's priority venues, and the city's maintenance team.
    static var recipients: MailSettings {
        var settings = MailSettings()
        settings.from = MailAddress("patrol@district.example", name: "巡查系统")
        settings.office = [MailAddress("office@district.example", name: "治安办")]
        settings.maintenance = [MailAddress("city@maintenance.example")]
        settings.supervisors = [TestDistrict.supervisor: [MailAddress("zhang.wei@district.example")]]
        return settings
    }

    /// Patrols what is due, then queues the report of every patrolled day that has none, as the
    /// daemon does after each patrol; the days patrolled.
    @discardableResult
    func patrol() throws -> Int {
        let daily = DailyPatrol(store: store, settings: DailyPatrolSettings())
        let days = try daily.runDue(now: Self.day.adding(1).start(in: Self.zone, hour: 6, minute: 5)).count
        for queued in try DailyMail.enqueueMissing(store, settings: settings, patrol: DailyPatrolSettings()) {
            _ = try queued.result.get()
        }
        return days
    }

    @Test("sendmail missing: the reports wait in the outbox; then each arrives once, with its parts and Chinese intact")
    func delivered() throws {
        #expect(try patrol() == 1)
        let pending = try store.pendingMail()
        #expect(pending.map(\.audience.rawValue).sorted() == ["maintenance", "office", "supervisor:张伟 (一组)"])

        // No sendmail at that path: nothing is lost.
        let clock = TestClock(Date())
        let missing = MailSender(store: store, sendmail: Sendmail(path: "/nonexistent/sendmail"), clock: { clock.now })
        #expect(try missing.sendDue().failed.count == 3)
        #expect(try store.pendingMail().allSatisfy { $0.attempts == 1 && $0.lastError != nil })

        let receiver = try Receiver()
        let home = try MailHome()
        try home.use(port: receiver.port)
        clock.advance(3600)
        let sender = MailSender(store: store, sendmail: home.sendmail(), clock: { clock.now })
        #expect(try sender.sendDue().sent.count == 3)
        clock.advance(86_400)
        #expect(try sender.sendDue().sent.isEmpty)
        #expect(try store.pendingMail().isEmpty)

        let received = try receiver.received()
        #expect(received.count == 3)
        var byRecipient: [String: ParsedMessage] = [:]
        for message in received {
            #expect(message.recipients.count == 1)
            byRecipient[message.recipients[0]] = try ParsedMessage(message.message)
        }
        let office = try #require(byRecipient["office@district.example"])
        // In Chinese by default, the subject through RFC 2047 and back.
        #expect(office.subject == "每日巡查通报 2026年11月21日：新下达整改通知1家，外围摄像机待维修1台")
        #expect(office.to == [.init(name: "治安办", address: "office@district.example")])
        #expect(office.from == [.init(name: "巡查系统", address: "patrol@district.example")])
        #expect(office.structure.shape
            == "multipart/mixed(multipart/alternative(text/plain,text/html),text/csv,text/csv,text/csv,text/csv)")
        #expect(office.defects.isEmpty)
        #expect(office.text?.contains("平安宾馆") == true && office.html?.contains("平安宾馆") == true)
        #expect(office.text?.contains("限2026年11月24日前整改：内部摄像机1台中1台不合格：C1 在线率0%（巡查24.0小时，要求不低于95%），主要为连接被拒")
            == true)
        #expect(office.html?.contains("<html lang=\"zh-CN\">") == true)
        #expect(office.html?.contains("font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC','WenQuanYi Micro Hei',SimSun,sans-serif")
            == true)
        let csv = office.attachments.map { String(decoding: $0.bytes, as: UTF8.self) }
        #expect(office.attachments.compactMap(\.filename).sorted() == ["patrol-cameras-2026-11-21.csv", "patrol-ledger-2026-11-21.csv",
                                                                       "patrol-maintenance-2026-11-21.csv", "patrol-venues-2026-11-21.csv"])
        #expect(csv.contains { $0.contains("平安宾馆") && $0.contains("C1") && $0.contains("不合格") })
        #expect(csv.allSatisfy { $0.hasPrefix("\u{FEFF}日期,") })
        #expect(received.allSatisfy { !String(decoding: $0.message, as: UTF8.self).contains("cam-secret") })

        let supervisor = try #require(byRecipient["zhang.wei@district.example"])
        #expect(supervisor.text?.contains("星空网吧") == true)
        #expect(supervisor.text?.contains("平安宾馆") == false)

        let maintenance = try #require(byRecipient["city@maintenance.example"])
        #expect(maintenance.subject == "维修清单 2026年11月21日：外围摄像机故障1台")
        #expect(maintenance.text?.contains("P1") == true && maintenance.text?.contains("城东路1号") == true)
        #expect(maintenance.attachments.compactMap(\.filename) == ["patrol-maintenance-2026-11-21.csv"])
    }

    @Test("a day is recorded first, its report queued after, once: a crash between only delays the report")
    func queuedAfterTheDay() throws {
        // The day commits; the report is not queued yet (as after a crash right after the commit).
        #expect(try DailyPatrol(store: store, settings: DailyPatrolSettings())
            .runDue(now: Self.day.adding(1).start(in: Self.zone, hour: 7)).map(\.day) == [Self.day])
        #expect(try store.pendingMail().isEmpty)
        #expect(try store.patrolledDaysWithoutMail(recent: 7) == [Self.day])
        // The next pass queues it; later passes and a rerun of the patrol add nothing.
        #expect(try patrol() == 0)
        #expect(try store.pendingMail().count == 3)
        #expect(try store.patrolledDaysWithoutMail(recent: 7).isEmpty)
        #expect(try patrol() == 0)
        #expect(try DailyMail.enqueueMissing(store, settings: settings, patrol: DailyPatrolSettings()).isEmpty)
        #expect(try store.pendingMail().count == 3)
    }

    @Test("a day that fails before it commits leaves nothing behind, and no report")
    func failedDayNoReport() throws {
        struct Broken: Error {}
        let daily = DailyPatrol(store: store, settings: DailyPatrolSettings(), beforeCommit: { _ in throw Broken() })
        #expect(throws: Broken.self) { try daily.runDue(now: Self.day.adding(1).start(in: Self.zone, hour: 7)) }
        #expect(try store.lastPatrolDay() == nil)
        #expect(try DailyMail.enqueueMissing(store, settings: settings, patrol: DailyPatrolSettings()).isEmpty)
        #expect(try store.pendingMail().isEmpty)
        #expect(try patrol() == 1)
        #expect(try store.pendingMail().count == 3)
    }

    @Test("a report that cannot be built never stops the day: verdicts and ledger are recorded, the report is queued once later")
    func mailNeverStopsTheDay() throws {
        // A sender with a control character, as a configuration from before load-time checks held.
        var broken = settings
        broken.from = MailAddress("patrol\u{1B}@district.example")
        let daily = DailyPatrol(store: store, settings: DailyPatrolSettings())
        #expect(try daily.runDue(now: Self.day.adding(1).start(in: Self.zone, hour: 7)).map(\.day) == [Self.day])
        let first = try DailyMail.enqueueMissing(store, settings: broken, patrol: DailyPatrolSettings())
        #expect(first.map(\.day) == [Self.day])
        #expect(throws: MailError.self) { try first.first?.result.get() }
        #expect(try store.lastPatrolDay() == Self.day)
        #expect(try store.ledger().map { "\($0.venueID) \($0.kind.rawValue)" } == ["V1 order"])
        #expect(try store.mail(day: "2026-11-21").isEmpty)

        // Still broken: tried again, nothing queued.
        let again = try DailyMail.enqueueMissing(store, settings: broken, patrol: DailyPatrolSettings())
        #expect(again.map(\.day) == [Self.day])
        #expect(throws: MailError.self) { try again.first?.result.get() }
        // Mended: queued once, whatever the number of tries.
        let mended = try DailyMail.enqueueMissing(store, settings: settings, patrol: DailyPatrolSettings())
        #expect(try mended.first?.result.get().count == 3)
        #expect(try DailyMail.enqueueMissing(store, settings: settings, patrol: DailyPatrolSettings()).isEmpty)
        #expect(try store.pendingMail().count == 3)
    }

    @Test("a venue name with CR/LF (stored before import refused it) cannot add a header to the report's mail")
    func noHeaderInjection() throws {
        try store.pool.write { db in
            try db.execute(sql: "UPDATE venue SET name = ?, supervisor = ? WHERE id = 'V1'",
                           arguments: ["平安宾馆\r\nBcc: all@evil.example\r\n\r\n", "张伟 (一组)"])
        }
        #expect(try patrol() == 1)
        for entry in try store.pendingMail() {
            let bytes = try #require(try store.mailBytes(id: entry.id))
            let text = String(decoding: bytes, as: UTF8.self)
            let headers = text.components(separatedBy: "\n\n").first ?? ""
            // No header line of its own (a substring test would also find "bcc" in the random Message-ID).
            #expect(!headers.split(separator: "\n").contains { $0.lowercased().hasPrefix("bcc:") }, "\(headers)")
            #expect(headers.contains("To: ") && headers.contains("Subject: "))
        }
    }
}
