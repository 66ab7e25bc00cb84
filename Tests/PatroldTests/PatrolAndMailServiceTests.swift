import Foundation
import PatrolConfig
import PatrolDaemon
import PatrolLedger
import PatrolMail
import PatrolProbe
import PatrolReport
import PatrolSettings
import PatrolStore
import PatrolTestSupport
import Testing

/// The daily patrol and the mail in process: a store with a day of probes, the patrol service
/// judging it and queueing its report, the mail service handing the report to the real msmtp,
/// which delivers it to a real SMTP server on 127.0.0.1.
@Suite("patrold's daily patrol and mail")
struct PatrolAndMailServiceTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day = PatrolDay(year: 2026, month: 11, day: 10)
    /// The morning after, past the patrol's time (06:00).
    static let morning = day.adding(1).start(in: zone, hour: 7)

    let daemon: DaemonFolder
    let configuration: Configuration

    init() throws {
        daemon = try DaemonFolder()
        var configuration = try daemon.writeConfiguration()
        configuration.mail.office = [MailAddress("office@district.example", name: "治安办")]
        configuration.mail.maintenance = [MailAddress("maintenance@district.example")]
        self.configuration = configuration
        // Three cameras on record since the day before, probed every 15 minutes of the day; the
        // interior camera C2 never answers.
        try daemon.importCameras([1, 2, 3], port: 554, since: Self.day.start(in: Self.zone).addingTimeInterval(-86_400))
        try daemon.temporary.probe(Self.day, in: Self.zone, cameras: ["C1", "C2", "C3"]) { $0 == "C2" ? .timeout : .online }
    }

    @Test("a day due: the service judges it, records an order for the venue, and queues the day's reports")
    func patrolsAndQueues() async throws {
        let runs = Events<DailyPatrolService.Run>()
        let service = DailyPatrolService(store: daemon.store, configuration: { [configuration] in configuration },
                                         now: { Self.morning }, onRun: { runs.record($0) })
        let running = start(service)
        let run = try #require(await runs.next())
        running.cancel()
        await running.value

        #expect(run.reports.map(\.day) == [Self.day])
        #expect(run.reports.first?.entries.map(\.kind) == [.order])
        #expect(run.queued.map(\.day) == [Self.day])
        let queued = try #require(try run.queued.first?.result.get())
        #expect(Set(queued.map(\.entry.audience)) == [.office, .maintenance])
        let outbox = try daemon.store.mail(day: Self.day.description)
        #expect(Set(outbox.map(\.audience)) == [.office, .maintenance])
        #expect(outbox.allSatisfy { $0.sentAt == nil && $0.attempts == 0 })
        #expect(try daemon.store.lastPatrolDay() == Self.day)
    }

    @Test("the outbox's due reports go out through msmtp to the SMTP server, each marked sent once")
    func mails() async throws {
        _ = try DailyPatrol(store: daemon.store, settings: configuration.patrol).runDue(now: Self.morning)
        _ = try DailyMail.enqueueMissing(daemon.store, settings: configuration.mail, patrol: configuration.patrol)
        let receiver = try Receiver()
        let home = try MailHome()
        try home.use(port: receiver.port)
        let sends = Events<MailSender.Report?>()
        let service = MailService(sender: { [daemon] in MailSender(store: daemon.store, sendmail: home.sendmail()) },
                                  onSend: { sends.record($0) })
        let running = start(service)
        let report = try #require(await sends.next())
        // Asked again: the outbox has nothing more that is due.
        service.sendNow()
        let again = try #require(await sends.next())
        running.cancel()
        await running.value

        #expect(Set(report?.sent.map(\.audience) ?? []) == [.office, .maintenance])
        #expect(report?.failed.isEmpty == true)
        #expect(again?.sent.isEmpty == true && again?.failed.isEmpty == true)
        let received = try receiver.received()
        #expect(Set(received.flatMap(\.recipients)) == ["office@district.example", "maintenance@district.example"])
        let outbox = try daemon.store.mail(day: Self.day.description)
        #expect(outbox.count == 2 && outbox.allSatisfy { $0.sentAt != nil && $0.attempts == 1 })
    }
}
