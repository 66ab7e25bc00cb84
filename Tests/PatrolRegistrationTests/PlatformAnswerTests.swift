import Foundation
import PatrolLedger
import Testing
@testable import PatrolRegistration

/// The platform's answer decoded field by field: what is taken, what is left out and why, and the
/// forms of time and flag that platforms in the field write.
@Suite("The registration platform's answer")
struct PlatformAnswerTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let received = Date(timeIntervalSince1970: 1_764_662_700)  // 2025-12-02T16:05:00+08:00

    static func decode(_ json: String, sentAt: Date? = nil) throws -> RegistrationReading {
        try PlatformAnswer.decode(Data(json.utf8), sentAt: sentAt, receivedAt: received, zone: zone)
    }

    @Test("times as RFC 3339, with a space and no offset, in Unix seconds and milliseconds; flags as true, 1 and 在线")
    func forms() throws {
        let reading = try Self.decode("""
            {"generated_at": 1764662700000, "systems": [
              {"id": "A", "online": true, "last_heartbeat": "2025-12-02T16:04:40+08:00", "uploaded_today": 3, "waiting": 0},
              {"id": "B", "online": 1, "last_heartbeat": "2025-12-02 16:04:40", "uploaded_today": 3, "waiting": 0},
              {"id": "C", "online": "在线", "last_heartbeat": 1764662680, "uploaded_today": "3", "waiting": "0"},
              {"id": "D", "online": false, "last_heartbeat": "2025-12-02T08:04:40.250Z", "uploaded_today": 0, "waiting": 2,
               "oldest_waiting": 1764662680000, "upload_errors": 1, "last_error": "拒绝\\u001b[31m"}]}
            """)
        #expect(reading.problems.isEmpty)
        #expect(reading.samples.map(\.online) == [true, true, true, false])
        let heartbeat = Date(timeIntervalSince1970: 1_764_662_680)
        #expect(reading.samples.map(\.lastHeartbeat) == [heartbeat, heartbeat, heartbeat, heartbeat.addingTimeInterval(0.25)])
        #expect(reading.samples[3].oldestWaiting == heartbeat && reading.samples[3].lastError == "拒绝[31m")
        #expect(reading.platformOffset == 0 && reading.at == Self.received)
    }

    @Test("a wrong entry is left out and named; the others are kept; a repeated id keeps the first", arguments: [
        (#"{"id": "B", "online": "maybe", "uploaded_today": 1, "waiting": 0}"#, "systems[1] (B) online: expected true or false, got \"maybe\""),
        (#"{"id": "B", "online": true, "uploaded_today": -1, "waiting": 0}"#, "systems[1] (B) uploaded_today: expected a whole number of records, got -1"),
        (#"{"id": "B", "online": true, "uploaded_today": 1.5, "waiting": 0}"#, "systems[1] (B) uploaded_today: expected a whole number of records, got 1.5"),
        (#"{"id": "B", "online": true, "uploaded_today": 1, "waiting": true}"#, "systems[1] (B) waiting: expected a whole number of records, got 1"),
        (#"{"id": "B", "online": true, "uploaded_today": 1}"#, "systems[1] (B) waiting: missing"),
        (#"{"id": "B", "online": true, "uploaded_today": 1, "waiting": 0, "last_upload": "yesterday"}"#,
         "systems[1] (B) last_upload: \"yesterday\" is not a time (RFC 3339)"),
        (#"{"id": "B", "online": true, "uploaded_today": 1, "waiting": 0, "last_upload": 12}"#,
         "systems[1] (B) last_upload: 12 is not a time (Unix seconds or milliseconds between 2000 and 2100)"),
        (#"{"id": "旅馆", "online": true, "uploaded_today": 1, "waiting": 0}"#, "systems[1] id: not a registration system id"),
        (#"{"online": true, "uploaded_today": 1, "waiting": 0}"#, "systems[1] id: missing"),
        (#"["B", true]"#, "systems[1]: not an object"),
        (#"{"id": "A", "online": false, "uploaded_today": 1, "waiting": 0}"#, "systems[1]: registration system A appears twice; the first is kept"),
    ])
    func leftOut(entry: String, problem: String) throws {
        let reading = try Self.decode("""
            {"generated_at": "2025-12-02T16:05:00+08:00", "systems": [
              {"id": "A", "online": true, "uploaded_today": 1, "waiting": 0}, \(entry),
              {"id": "C", "online": true, "uploaded_today": 1, "waiting": 0}]}
            """)
        #expect(reading.samples.map(\.systemID) == ["A", "C"])
        #expect(reading.samples.allSatisfy { $0.online })
        #expect(reading.problems == [problem])
    }

    @Test("an answer that is no answer: one clear reason, nothing taken", arguments: [
        ("", "the answer is not valid JSON (0 bytes)"),
        (#"{"generated_at": "#, "the answer is not valid JSON (17 bytes, starting \"{\"generated_at\": \")"),
        ("[]", "the answer is not a JSON object with generated_at and systems"),
        (#"{"systems": []}"#, "the answer has no generated_at (the platform's time, RFC 3339)"),
        (#"{"generated_at": "soon", "systems": []}"#, "generated_at \"soon\" is not a time (RFC 3339, e.g. 2026-12-02T16:05:00+08:00)"),
        (#"{"generated_at": "2025-12-02T16:05:00+08:00"}"#, "the answer has no systems list"),
    ])
    func refused(body: String, reason: String) {
        #expect(throws: RegistrationReadFailure(reason)) { try Self.decode(body) }
    }

    @Test("the platform's clock: its offset against the middle of the request; its times taken back when it is off")
    func clock() throws {
        let answer = """
            {"generated_at": "2025-12-02T17:05:00+08:00", "systems": [
              {"id": "A", "online": true, "last_heartbeat": "2025-12-02T17:04:40+08:00", "uploaded_today": 1, "waiting": 0}]}
            """
        // Asked 4 s before the answer came: the platform wrote its time 2 s before it arrived, an hour ahead.
        let reading = try Self.decode(answer, sentAt: Self.received.addingTimeInterval(-4))
        #expect(reading.platformOffset == 3602)
        // Its heartbeat, 20 s before its own time, is 22 s before the answer on Patrol's clock (within the 2 s the answer took).
        #expect(reading.samples[0].lastHeartbeat == Self.received.addingTimeInterval(-22))
        #expect(reading.samples[0].at == Self.received)
        // A few seconds either way (latency, drift) are left alone.
        let near = try Self.decode(answer.replacingOccurrences(of: "17:0", with: "16:0"), sentAt: Self.received.addingTimeInterval(-1))
        #expect(near.platformOffset == 0.5)
        #expect(near.samples[0].lastHeartbeat == Self.received.addingTimeInterval(-20))
    }

    @Test("platform time: the forms read, impossible days refused")
    func times() {
        let zone = Self.zone
        #expect(PlatformTime.parse("2026-02-29 10:00:00", zone: zone) == nil)
        #expect(PlatformTime.parse("2026-13-01T10:00:00Z", zone: zone) == nil)
        #expect(PlatformTime.parse("2026-12-02T16:05:00+0800", zone: zone) == nil)
        #expect(PlatformTime.parse("2026-12-02T08:05:00Z", zone: zone) == PlatformTime.parse("2026-12-02 16:05:00", zone: zone))
        #expect(PlatformTime.parse("2026-12-02T16:05:00-05:30", zone: zone)?.timeIntervalSince1970 == 1_796_247_300)
        #expect(PlatformTime.parse(" 1796243700 ", zone: zone)?.timeIntervalSince1970 == 1_796_243_700)
        #expect(PlatformTime.parse("1796243700123", zone: zone)?.timeIntervalSince1970 == 1_796_243_700.123)
        #expect(PlatformTime.parse("17962437", zone: zone) == nil)
    }
}
