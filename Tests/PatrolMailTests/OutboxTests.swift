import Foundation
import PatrolSettings
import PatrolStore
import Testing
@testable import PatrolMail

@Suite("The outbox: queued once, sent once, through the real msmtp to a real SMTP server")
struct OutboxTests {
    @Test("the day's report goes out through sendmail and arrives whole, exactly once")
    func delivers() throws {
        let rig = try OutboxRig()
        let (receiver, store, clock) = (rig.receiver, rig.store, rig.clock)
        let report = sampleReport()
        let queued = try rig.enqueue(.office, report)
        #expect(queued.isNew)
        #expect(queued.entry.state == .queued)

        let sender = rig.sender()
        let result = try sender.sendDue()
        #expect(result.failed == [])
        #expect(result.sent.map(\.id) == [queued.entry.id])
        #expect(result.sent.first?.state == .sent)
        #expect(result.sent.first?.attempts == 1)
        #expect(try store.pendingMail().isEmpty)
        #expect(try sender.nextAttempt() == nil)
        // A later run finds nothing to send.
        clock.advance(86_400)
        #expect(try sender.sendDue() == MailSender.Report())

        let received = try receiver.received()
        try #require(received.count == 1)
        #expect(received[0].mailFrom == "patrol@district.example")
        #expect(received[0].recipients == ["office@district.example", "duty@district.example", "team1@district.example",
                                           "maintenance@city.example"])
        let parsed = try ParsedMessage(received[0].message)
        #expect(parsed.defects == [])
        #expect(parsed.message_id == queued.entry.messageID)
        #expect(parsed.subject == "每日巡查合规报告 2025-03-14: 平安宾馆1号 责令整改")
        #expect(parsed.from == [.init(name: "城东区视频巡查", address: "patrol@district.example")])
        #expect(parsed.to.map(\.address) == ["office@district.example", "duty@district.example"])
        #expect(parsed.to.first?.name == "综治办")
        #expect(parsed.cc.map(\.name) == ["张伟 (一组)", "City Maintenance, Team 3"])
        #expect(parsed.date == "2025-03-14T07:00:00+08:00")
        #expect(parsed.structure.shape == "multipart/mixed(multipart/alternative(text/plain,text/html),text/csv,text/csv)")
        #expect(lines(parsed.text) == report.text)
        #expect(lines(parsed.html) == report.html)
        #expect(parsed.text?.contains("平安宾馆1号") == true && parsed.html?.contains("平安宾馆1号") == true)
        #expect(parsed.attachments.map(\.filename) == ["场所-2025-03-14.csv", "cameras-2025-03-14.csv"])
        #expect(parsed.attachments.map(\.bytes) == report.attachments.map(\.data))
        #expect(parsed.attachments.allSatisfy { String(decoding: $0.bytes, as: UTF8.self).contains("平安宾馆1号") })
    }

    @Test("a (day, audience) is queued once; the first message's bytes and Message-ID stand")
    func idempotent() throws {
        let store = try outboxStore()
        let first = try Outbox.enqueue(store, message: sampleReport(), audience: .office, day: reportDay, now: reportMorning)
        var changed = sampleReport()
        changed.subject = "another subject"
        let second = try Outbox.enqueue(store, message: changed, audience: .office, day: reportDay, now: reportMorning + 60)
        #expect(first.isNew && !second.isNew)
        #expect(second.entry == first.entry)
        let other = try Outbox.enqueue(store, message: sampleReport(), audience: .maintenance, day: reportDay,
                                       now: reportMorning)
        #expect(other.isNew && other.entry.messageID != first.entry.messageID)
        #expect(try store.mail(day: reportDay.description).map(\.audience) == [.office, .maintenance])
        let bytes = try store.mailBytes(id: first.entry.id)
        #expect(bytes.map { String(decoding: $0, as: UTF8.self).contains("Message-ID: \(first.entry.messageID)\n") } == true)
        #expect(bytes?.count == first.entry.size)
    }

    @Test("a day's messages are queued together: one that cannot be rendered queues none")
    func allOrNothing() throws {
        let store = try outboxStore()
        var broken = sampleReport()
        broken.subject = "日报\r\nBcc: everyone@evil.example"
        #expect(throws: MailError.self) {
            try Outbox.enqueue(store, messages: [(.office, sampleReport()), (.supervisors, broken)], day: reportDay,
                               now: reportMorning)
        }
        #expect(try store.pendingMail().isEmpty)
        // Queued whole once the broken one is mended.
        let queued = try Outbox.enqueue(store, messages: [(.office, sampleReport()), (.supervisors, sampleReport())],
                                        day: reportDay, now: reportMorning)
        #expect(queued.map(\.isNew) == [true, true])
        #expect(try store.pendingMail().map(\.audience) == [.office, .supervisors])
    }

    @Test("no sendmail: the message waits with a clear error; a later run with sendmail delivers it once")
    func missingSendmail() throws {
        let rig = try OutboxRig()
        let (store, clock) = (rig.store, rig.clock)
        let queued = try rig.enqueue(.supervisors)
        let missing = rig.sender(rig.home.sendmail(path: "/nonexistent/sbin/sendmail"))
        let result = try missing.sendDue()
        #expect(result.sent == [])
        let failed = try #require(result.failed.first)
        #expect(failed.state == .retrying)
        #expect(failed.attempts == 1)
        #expect(failed.lastError == "/nonexistent/sbin/sendmail is not installed (install msmtp-mta or postfix, or set the sendmail path)")
        #expect(failed.nextAttemptAt == reportMorning + 60)
        #expect(try store.pendingMail() == [failed])

        let working = rig.sender()
        #expect(try working.sendDue() == MailSender.Report())  // not due yet
        clock.advance(60)
        #expect(try working.sendDue().sent.map(\.id) == [queued.entry.id])
        #expect(try working.sendDue() == MailSender.Report())
        let received = try rig.receiver.received()
        #expect(received.count == 1)
        #expect(try ParsedMessage(received[0].message).message_id == queued.entry.messageID)
    }

    @Test("sendmail failing (msmtp at a closed port): attempts, errors and backoff recorded; later delivered once")
    func failingSendmail() throws {
        let rig = try OutboxRig(port: \.refusedPort)
        let (receiver, store, clock) = (rig.receiver, rig.store, rig.clock)
        let queued = try rig.enqueue(.maintenance)
        let sender = rig.sender()
        #expect(try sender.nextAttempt() == reportMorning)

        // Three failures: 1, 2, then 4 minutes apart.
        var delays: [TimeInterval] = []
        for attempt in 1...3 {
            let result = try sender.sendDue()
            let failed = try #require(result.failed.first)
            #expect(failed.attempts == attempt)
            #expect(failed.lastError?.hasPrefix("/usr/sbin/sendmail exited with status ") == true)
            #expect(failed.lastError?.contains("cannot connect to 127.0.0.1, port \(receiver.refusedPort)") == true)
            delays.append(failed.nextAttemptAt.timeIntervalSince(clock.now))
            #expect(try sender.sendDue() == MailSender.Report())  // nothing due until then
            clock.set(failed.nextAttemptAt)
        }
        #expect(delays == [60, 120, 240])

        // The listing an operator sees.
        let pending = try store.pendingMail()
        #expect(pending.count == 1)
        #expect(pending[0].audience == .maintenance)
        #expect(pending[0].recipients == ["综治办 <office@district.example>", "duty@district.example",
                                          "张伟 (一组) <team1@district.example>",
                                          "City Maintenance, Team 3 <maintenance@city.example>"])
        #expect(pending[0].subject == sampleReport().subject)
        #expect(pending[0].attempts == 3 && pending[0].state == .retrying)
        #expect(pending[0].nextAttemptAt == clock.now)

        // The mail server is back.
        try rig.home.use(port: receiver.port)
        let result = try sender.sendDue()
        #expect(result.failed == [])
        #expect(result.sent.first?.attempts == 4)
        #expect(result.sent.first?.lastError == nil)
        clock.advance(7200)
        #expect(try sender.sendDue() == MailSender.Report())
        let received = try receiver.received()
        #expect(received.count == 1)
        #expect(try ParsedMessage(received[0].message).message_id == queued.entry.messageID)
        // The very bytes queued in the morning (on the wire, lines end in CRLF).
        let queuedBytes = try #require(try store.mailBytes(id: queued.entry.id))
        #expect(received[0].message == Data(String(decoding: queuedBytes, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    @Test("a message being sent is claimed: a second sender does not take it")
    func claimed() throws {
        let rig = try OutboxRig(port: \.silentPort)
        let store = rig.store
        _ = try rig.enqueue(.office)
        // The first sender's sendmail hangs until its timeout; meanwhile the row is claimed.
        let hanging = rig.sender(rig.home.sendmail(timeout: 2))
        #expect(try store.pendingMail()[0].attempts == 0)
        let first = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var report: MailSender.Report? }
        let box = Box()
        Thread {
            box.report = try? hanging.sendDue()
            first.signal()
        }.start()
        // Wait on the claim itself (the attempt is counted when claimed), not on time.
        var attempts = 0
        while attempts == 0 {
            attempts = try store.pendingMail().first?.attempts ?? 0
            if attempts == 0 { sched_yield() }
        }
        #expect(try rig.sender().sendDue() == MailSender.Report())
        // Not taken though still in its first attempt: no failure recorded yet.
        #expect(try store.pendingMail().map(\.lastError) == [nil])
        first.wait()
        #expect(box.report?.failed.first?.lastError?.contains("did not finish within 2 s") == true)
        #expect(try rig.receiver.received().isEmpty)
    }

    @Test("backoff doubles from a minute to an hour and stays there", arguments: [
        (1, 60.0), (2, 120), (3, 240), (6, 1920), (7, 3600), (8, 3600), (1000, 3600),
    ])
    func backoff(attempts: Int, delay: TimeInterval) {
        #expect(RetryPolicy().delay(afterAttempts: attempts) == delay)
    }
}
