import Foundation
import PatrolAlerts
import PatrolSettings
import Testing

/// The alert rules on a virtual clock: each case feeds changes at given seconds and checks what
/// the rules send, pass by pass. No clock, no store.
struct AlertRulesTests {
    static let t0 = Date(timeIntervalSince1970: 1_794_999_960)  // 2026-11-18 11:06 UTC, on the minute

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func camera(_ id: String, down: Bool, at seconds: Double, venue: String = "V1", tier: String = "priority",
                       placement: String = "interior", detail: String = "black", baseline: Bool = false) -> AlertChange {
        AlertChange(signal: .camera, subject: id, bad: down, since: at(seconds), venueID: venue, venueName: "平安宾馆\(venue)", tier: tier,
                    placement: placement, supervisor: "张伟", detail: down ? detail : "online", baseline: baseline)
    }

    static func settings(after: Double = 60, window: Double = 0, threshold: Int = 10, remind: Double? = nil,
                         quiet: QuietHours? = nil, sendInQuiet: Bool? = nil) -> AlertSettings {
        var settings = AlertSettings()
        var rule = AlertRule(name: "cameras", signal: .camera, sendInQuietHours: sendInQuiet)
        rule.after = after
        rule.to = ["duty_desk", "supervisor"]
        rule.remindEvery = remind
        settings.rules = [rule]
        settings.groups = ["duty_desk": [MailAddress("duty@district.example")]]
        settings.stormWindow = window
        settings.stormThreshold = threshold
        settings.quietHours = quiet
        return settings
    }

    /// Runs passes at the given seconds, each fed the changes listed for it; returns what each pass sent.
    static func run(_ settings: AlertSettings, _ passes: [(Double, [AlertChange])], book: inout AlertBook,
                    zone: TimeZone = TimeZone(identifier: "UTC")!) -> [[AlertNotice]] {
        let rules = AlertRules(settings: settings, timeZone: zone)
        return passes.map { seconds, changes in rules.step(&book, changes: changes, now: at(seconds)) }
    }

    static func kinds(_ sent: [[AlertNotice]]) -> [[String]] {
        sent.map { $0.map { "\($0.kind.rawValue) \($0.summary ? "summary \($0.total)" : $0.members.first?.subject ?? "-")" } }
    }

    @Test("debounce: a fault alerts once it has lasted `after` from when it began; a flap inside the window sends nothing")
    func debounce() {
        var book = AlertBook()
        let sent = Self.run(Self.settings(after: 60), [
            (10, [Self.camera("C1", down: true, at: 0), Self.camera("C2", down: true, at: 5)]),
            (30, [Self.camera("C2", down: false, at: 28)]),   // C2 back within its minute: nothing, ever
            (59, []),
            (60, []),                                         // C1 has been down a minute
            (70, []),
        ], book: &book)
        #expect(Self.kinds(sent) == [[], [], [], ["open C1"], []])
        #expect(book.openAlerts.map(\.members.count) == [1])
        #expect(book.pending.isEmpty)
    }

    @Test("resolution: an alert is resolved when its camera is back; a camera back before its alert resolves nothing")
    func resolution() {
        var book = AlertBook()
        let sent = Self.run(Self.settings(after: 0), [
            (0, [Self.camera("C1", down: true, at: 0)]),
            (100, [Self.camera("C1", down: false, at: 95)]),
            (200, [Self.camera("C1", down: false, at: 200)]),  // said again: nothing more
        ], book: &book)
        #expect(Self.kinds(sent) == [["open C1"], ["resolve C1"], []])
        #expect(sent[1][0].eventID == "patrol-A1-resolve" && sent[1][0].stillDown == 0)
        #expect(sent[0][0].eventID == "patrol-A1-open")
        #expect(sent[0][0].groups == ["duty_desk"] && sent[0][0].supervisors == ["张伟"])
        #expect(book.openAlerts.isEmpty)
    }

    @Test("a storm: 300 cameras down within a minute become one summary by venue and placement, and their recovery one resolution")
    func storm() {
        var book = AlertBook()
        let cameras = (0..<300).map { index in
            Self.camera(String(format: "C%04d", index), down: true, at: Double(index) / 6, venue: "V\(index % 40)",
                        placement: index % 5 == 0 ? "perimeter" : "interior", detail: "timeout")
        }
        var passes: [(Double, [AlertChange])] = stride(from: 0, to: 300, by: 30).map { start in
            (Double(start) / 6 + 1, Array(cameras[start..<start + 30]))
        }
        passes.append((200, []))
        // Power back: each camera up, over two minutes.
        let back = cameras.enumerated().map { index, camera in
            Self.camera(camera.subject, down: false, at: 400 + Double(index) / 3, venue: camera.venueID!, placement: camera.placement!)
        }
        passes += stride(from: 0, to: 300, by: 50).map { start in (401 + Double(start) / 3, Array(back[start..<start + 50])) }
        let sent = Self.run(Self.settings(after: 60, window: 60), passes, book: &book)
        let all = sent.flatMap { $0 }
        #expect(all.count == 2, "\(Self.kinds(sent))")
        let open = all[0]
        #expect(open.kind == .open && open.summary && open.total == 300 && open.members.count == 300)
        #expect(open.byVenue.reduce(0) { $0 + $1.count } == 300)
        // 40 venues, each with interior and perimeter cameras or interior alone.
        #expect(Set(open.byVenue.compactMap(\.venueID)).count == 40)
        #expect(open.byVenue.contains { $0.placement == "perimeter" } && open.byVenue.contains { $0.placement == "interior" })
        let resolve = all[1]
        #expect(resolve.kind == .resolve && resolve.summary && resolve.total == 300 && resolve.alert == open.alert)
        // The resolution comes with the last camera back, not before.
        #expect(resolve.at == Self.at(401 + 250.0 / 3))
        #expect(book.openAlerts.isEmpty)
    }

    @Test("below the storm threshold, faults in one window go as alerts of their own")
    func belowThreshold() {
        var book = AlertBook()
        let sent = Self.run(Self.settings(after: 0, window: 30, threshold: 5), [
            (0, (1...4).map { Self.camera("C\($0)", down: true, at: 0) }),
            (29, []),
            (30, []),
        ], book: &book)
        #expect(Self.kinds(sent) == [[], [], ["open C1", "open C2", "open C3", "open C4"]])
    }

    @Test("a camera of a storm's summary back and down again is down in the same alert, not a new one")
    func backInStorm() {
        var book = AlertBook()
        let sent = Self.run(Self.settings(after: 0, threshold: 2), [
            (0, [Self.camera("C1", down: true, at: 0), Self.camera("C2", down: true, at: 0)]),
            (10, [Self.camera("C1", down: false, at: 10)]),
            (20, [Self.camera("C1", down: true, at: 20)]),
            (30, [Self.camera("C1", down: false, at: 30), Self.camera("C2", down: false, at: 30)]),
        ], book: &book)
        #expect(Self.kinds(sent) == [["open summary 2"], [], [], ["resolve summary 2"]])
    }

    @Test("reminders: every remind_every while down, numbered, with what is still down; none once resolved")
    func reminders() {
        var book = AlertBook()
        let sent = Self.run(Self.settings(after: 0, remind: 3600), [
            (0, [Self.camera("C1", down: true, at: 0)]),
            (3599, []),
            (3600, []),
            (5000, []),
            (7200, []),
            (7300, [Self.camera("C1", down: false, at: 7300)]),
            (10_800, []),
        ], book: &book)
        #expect(Self.kinds(sent) == [["open C1"], [], ["remind C1"], [], ["remind C1"], ["resolve C1"], []])
        #expect(sent[2][0].eventID == "patrol-A1-remind-1" && sent[4][0].eventID == "patrol-A1-remind-2")
        #expect(sent[4][0].stillDown == 1)
    }

    @Test("quiet hours: a rule that holds sends nothing in them; what is still down goes at their end, grouped; what came and went sends nothing")
    func quietHours() {
        var book = AlertBook()
        let zone = TimeZone(identifier: "UTC")!
        let start = Calendar.current.dateComponents(in: zone, from: Self.t0)
        let minute = (start.hour! * 60 + start.minute!)
        // Quiet from now for two hours.
        let quiet = QuietHours(start: minute, end: (minute + 120) % 1440)
        let sent = Self.run(Self.settings(after: 0, threshold: 3, remind: 600, quiet: quiet), [
            (60, [Self.camera("C1", down: true, at: 60)]),
            (120, [Self.camera("C2", down: true, at: 120), Self.camera("C3", down: true, at: 120), Self.camera("C4", down: true, at: 120)]),
            (1800, [Self.camera("C1", down: false, at: 1800)]),   // came and went inside the quiet hours
            (7199, []),
            (7260, []),                                           // their end: C2..C4 as one summary
        ], book: &book, zone: zone)
        #expect(Self.kinds(sent) == [[], [], [], [], ["open summary 3"]])
        #expect(Set(sent[4][0].members.map(\.subject)) == ["C2", "C3", "C4"])
    }

    @Test("quiet hours: a rule that sends in them (health by default) sends at once")
    func quietHoursSend() {
        var settings = Self.settings(after: 0)
        var health = AlertRule(name: "health", signal: .health)
        health.to = ["duty_desk"]
        settings.rules.append(health)
        settings.quietHours = QuietHours(start: 0, end: 1439)
        var book = AlertBook()
        let sent = Self.run(settings, [
            (0, [Self.camera("C1", down: true, at: 0),
                 AlertChange(signal: .health, subject: "writer_stalled", bad: true, since: Self.at(0), detail: "store writer wedged")]),
        ], book: &book)
        #expect(Self.kinds(sent) == [["open writer_stalled"]])
        #expect(health.sendInQuietHours && !settings.rules[0].sendInQuietHours)
    }

    @Test("rules filter by tier and placement; a ledger rule sends its steps as notices, never resolved")
    func filters() {
        var settings = Self.settings(after: 0)
        settings.rules[0].tiers = ["priority"]
        settings.rules[0].placements = ["interior"]
        var ledger = AlertRule(name: "ledger", signal: .ledger)
        ledger.to = ["duty_desk"]
        ledger.steps = ["warning", "closure"]
        settings.rules.append(ledger)
        var book = AlertBook()
        func step(_ seq: Int, _ kind: String) -> AlertChange {
            AlertChange(signal: .ledger, subject: String(seq), bad: true, since: Self.at(0), venueID: "V1", tier: "general", detail: kind)
        }
        let sent = Self.run(settings, [
            (0, [Self.camera("C1", down: true, at: 0, tier: "general"), Self.camera("C2", down: true, at: 0, placement: "perimeter"),
                 Self.camera("C3", down: true, at: 0), step(7, "order"), step(8, "warning")]),
            (10, []),
        ], book: &book)
        #expect(Self.kinds(sent) == [["open C3", "notice 8"], []])
        #expect(book.openAlerts.map(\.rule) == ["cameras"])
    }

    @Test("baseline: what was down before alerting began is remembered, never alerted, and its recovery sends nothing")
    func baseline() {
        var book = AlertBook()
        let sent = Self.run(Self.settings(after: 0), [
            (0, [Self.camera("C1", down: true, at: -3600, baseline: true)]),
            (10, [Self.camera("C1", down: true, at: -3600)]),
            (20, [Self.camera("C1", down: false, at: 20)]),
            (30, [Self.camera("C1", down: true, at: 30)]),
        ], book: &book)
        #expect(Self.kinds(sent) == [[], [], [], ["open C1"]])
    }

    @Test("the rules' memory survives a restart: encoded and decoded, the next pass goes on as if nothing happened")
    func memory() throws {
        var book = AlertBook()
        _ = Self.run(Self.settings(after: 60, remind: 600), [(0, [Self.camera("C1", down: true, at: 0), Self.camera("C2", down: true, at: 30)]),
                                                            (60, [])], book: &book)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        var restored = try decoder.decode(AlertBook.self, from: encoder.encode(book))
        #expect(restored == book)
        let sent = Self.run(Self.settings(after: 60, remind: 600), [(90, []), (700, [Self.camera("C1", down: false, at: 700)])], book: &restored)
        #expect(Self.kinds(sent) == [["open C2"], ["resolve C1", "remind C2"]])
    }

    @Test("the webhook body names the event and its subjects; the signature is HMAC-SHA256 of the body")
    func body() throws {
        var book = AlertBook()
        let notice = Self.run(Self.settings(after: 0), [(0, [Self.camera("C1", down: true, at: 0)])], book: &book)[0][0]
        let body = AlertBody.json(notice, title: "title", text: "text")
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(object["event_id"] as? String == "patrol-A1-open")
        #expect(object["kind"] as? String == "open" && object["signal"] as? String == "camera")
        #expect((object["subjects"] as? [[String: Any]])?.first?["venue_name"] as? String == "平安宾馆V1")
        // RFC 4231, test case 2.
        #expect(AlertBody.signature(Data("what do ya want for nothing?".utf8), secret: Data("Jefe".utf8))
                == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
