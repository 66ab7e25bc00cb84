import Foundation
import PatrolAlerts
import PatrolInventory
import PatrolReport
import PatrolSettings
import PatrolStore
import PatrolTestSupport
import Testing

/// `patrol alerts` through the real binary against a real database that holds what the alert
/// service keeps: the rules' memory, an alert open, one of its deliveries sent and one failing.
@Suite("patrol alerts")
struct AlertsCommandTests {
    let fixture: TemporaryStore
    let now = Date()

    init() throws {
        fixture = try TemporaryStore()
        let camera = try Camera(id: "C1", venueID: "V1", placement: .interior, url: "rtsp://10.0.0.1/live")
        try fixture.seed(Inventory(venues: [TestDistrict.pingan()], cameras: [camera]), since: now.addingTimeInterval(-86_400))
    }

    func patrol(_ arguments: [String], chinese: Bool = false) throws -> CommandRun {
        try CommandRun("patrol", ["alerts"] + arguments + ["--db", fixture.database],
                       environment: ["TZ": "Asia/Shanghai", "LANG": chinese ? "zh_CN.UTF-8" : "C.UTF-8"])
    }

    /// One pass of the rules as the service makes it, from the store's changes since the cursor.
    func pass(_ settings: AlertSettings, at time: Date) throws -> [AlertNotice] {
        let previous = try fixture.store.alertCursor()
        let inputs = try fixture.store.alertInputs(after: previous)
        var book = previous?.book ?? AlertBook()
        let notices = AlertRules(settings: settings, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            .step(&book, changes: inputs.cameras + inputs.registration + inputs.ledger, now: time)
        var mail = MailSettings()
        mail.from = MailAddress("patrol@district.example")
        let events = try notices.map { try AlertMail.event($0, alerts: settings, mail: mail, timeZone: .current, language: .zhCN, now: time) }
        try fixture.store.commitAlerts(AlertCursor(stateEvent: inputs.stateEvent, ledger: inputs.ledgerSeq, book: book), events: events, now: time)
        return notices
    }

    @Test("before the alert service ran: said so, and `started` false in JSON")
    func notStarted() throws {
        let run = try patrol([], chinese: true)
        #expect(run.status == 0 && run.stdout.contains("告警服务尚未"), "\(run.all)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(patrol(["--json"]).stdout.utf8)) as? [String: Any])
        #expect(json["started"] as? Bool == false)
    }

    @Test("an open alert, a delivery sent and one waiting with its error and next try, in JSON and in Chinese")
    func openAndWaiting() throws {
        var settings = AlertSettings()
        var rule = AlertRule(name: "cameras-down", signal: .camera)
        rule.to = ["duty_desk"]
        rule.channels = [.mail, .webhook]
        settings.rules = [rule]
        settings.stormWindow = 0
        settings.groups = ["duty_desk": [MailAddress("duty@district.example")]]
        var webhook = WebhookSettings(url: "https://gateway.district.example/patrol")
        webhook.secretEnvironment = "PATROL_WEBHOOK_SECRET"
        settings.webhook = webhook
        let start = now.addingTimeInterval(-600)
        #expect(try pass(settings, at: start).isEmpty)
        try fixture.store.write((0..<3).map { (cameraID: "C1", result: probeResult(.refused, at: start.addingTimeInterval(Double($0) * 10))) })
        let notices = try pass(settings, at: start.addingTimeInterval(60))
        #expect(notices.map(\.eventID) == ["patrol-A1-open"])
        let claimed = try fixture.store.claimDueAlertDeliveries(now: start.addingTimeInterval(61), limit: 10) { _ in 60 }
        #expect(claimed.map(\.channel) == [.mail, .webhook])
        try fixture.store.recordAlertDelivery(id: claimed[0].id, failure: nil, now: start.addingTimeInterval(62)) { _ in 10 }
        try fixture.store.recordAlertDelivery(id: claimed[1].id, failure: "the webhook refused the connection",
                                              now: start.addingTimeInterval(62)) { _ in 10 }

        let run = try patrol(["--json"])
        #expect(run.status == 0, "\(run.all)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["started"] as? Bool == true && json["schema_version"] != nil)
        let open = try #require((json["open"] as? [[String: Any]])?.first)
        #expect(open["alert"] as? Int == 1 && open["down"] as? Int == 1 && open["rule"] as? String == "cameras-down")
        #expect((open["subjects"] as? [[String: Any]])?.first?["subject"] as? String == "C1")
        let waiting = try #require(json["waiting"] as? [[String: Any]])
        #expect(waiting.count == 1 && waiting[0]["channel"] as? String == "webhook" && waiting[0]["attempts"] as? Int == 1)
        #expect(waiting[0]["last_error"] as? String == "the webhook refused the connection")
        #expect(waiting[0]["event_id"] as? String == "patrol-A1-open" && waiting[0]["next_attempt_at"] is String)
        let recent = try #require(json["recent"] as? [[String: Any]])
        #expect(recent.count == 1 && recent[0]["deliveries"] as? Int == 2 && recent[0]["sent"] as? Int == 1)

        let chinese = try patrol([], chinese: true)
        #expect(chinese.status == 0, "\(chinese.all)")
        for words in ["未解除的告警（1）", "摄像机 C1 连接被拒（平安宾馆）", "等待投递（1）", "网络回调", "the webhook refused the connection",
                      "最近的告警事件", "1 / 2"] {
            #expect(chinese.stdout.contains(words), "\(words) missing from:\n\(chinese.stdout)")
        }
    }
}
