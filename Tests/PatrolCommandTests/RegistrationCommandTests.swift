import Foundation
import PatrolInventory
import PatrolLedger
import PatrolRegistration
import PatrolStore
import PatrolTestSupport
import Testing

/// `patrol registration`, and the registration side of `status`, `venues` and `venue`, through
/// the real binary against a real database holding the platform's reads.
@Suite("patrol registration and the registration side of the reading commands")
struct RegistrationCommandTests {
    let fixture: TemporaryStore
    let now = Date()

    init() throws {
        fixture = try TemporaryStore()
        // V1 平安宾馆 (online), V2 星空网吧 (two terminals: one offline, one stuck), V3 温馨公寓 (none),
        // V4 (never in an answer).
        var venues = [TestDistrict.pingan("V1"), TestDistrict.xingkong("V2"), TestDistrict.wenxin("V3"),
                      TestDistrict.venue("V4", "悦来旅社", number: 4)]
        venues[0].registration = .systems(["HTL-0001"])
        venues[1].registration = .systems(["NET-0002", "NET-0002B"])
        venues[2].registration = .noSystem
        venues[3].registration = .systems(["HTL-0004"])
        try fixture.seed(Inventory(venues: venues, cameras: []), since: now.addingTimeInterval(-86_400))
        let offlineSince = now.addingTimeInterval(-3 * 3600)
        for minutes in stride(from: 240, through: 5, by: -5) {
            let at = now.addingTimeInterval(-Double(minutes) * 60)
            let samples = [
                RegistrationSample(systemID: "HTL-0001", at: at, online: true, lastHeartbeat: at.addingTimeInterval(-20),
                                   lastUpload: at.addingTimeInterval(-600), uploadedToday: 31),
                RegistrationSample(systemID: "NET-0002", at: at, online: at < offlineSince, lastHeartbeat: min(at, offlineSince),
                                   lastUpload: offlineSince.addingTimeInterval(-900), uploadedToday: 9),
                RegistrationSample(systemID: "NET-0002B", at: at, online: true, lastHeartbeat: at.addingTimeInterval(-20),
                                   lastUpload: now.addingTimeInterval(-5 * 3600), uploadedToday: 40, waiting: 12,
                                   oldestWaiting: now.addingTimeInterval(-5 * 3600), uploadErrors: 3, lastError: "上传被拒绝：数据校验失败"),
                RegistrationSample(systemID: "HTL-9999", at: at, online: true, uploadedToday: 1),
            ]
            try fixture.store.recordRegistration(RegistrationReading(at: at, source: .platform, platformOffset: 400, samples: samples),
                                                 heartbeatTimeout: 900)
        }
        try fixture.store.recordRegistrationFailure(at: now.addingTimeInterval(-60), source: "http", reason: "the platform answered HTTP 500")
    }

    func patrol(_ arguments: [String]) throws -> CommandRun {
        try CommandRun("patrol", arguments + ["--db", fixture.database], environment: ["TZ": "Asia/Shanghai"])
    }

    @Test("each system: state and since when, heartbeat, upload, records; the platform's reads and clock below")
    func listing() throws {
        let run = try patrol(["registration"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("SYSTEM     VENUE        TIER      STATE    SINCE"))
        let row = { (system: String) in lines.first { $0.hasPrefix(system + " ") } ?? "" }
        #expect(row("HTL-0001").contains("V1 平安宾馆") && row("HTL-0001").contains(" online "))
        #expect(row("NET-0002").contains(" offline ") && row("NET-0002").contains("(3h 00m)"))
        #expect(row("NET-0002B").contains(" stuck ") && row("NET-0002B").contains("5h 00m ago"))
        #expect(lines.contains("NET-0002B: the platform says 上传被拒绝：数据校验失败"))
        #expect(row("HTL-0004").contains(" unseen "))
        #expect(!run.stdout.contains("HTL-9999"))
        #expect(run.stdout.contains("4 registration systems: 1 online, 1 offline, 1 uploads stuck, 1 never seen; 1 venues declare none"))
        #expect(run.stdout.contains("unreadable since"))
        #expect(run.stdout.contains("the platform answered HTTP 500"))
        #expect(run.stdout.contains("1 of 49 reads failed in 24 h; its clock is 400 s off"))
    }

    @Test("--down, --venue and --json; an unknown venue exits 66")
    func filters() throws {
        let down = try patrol(["registration", "--down"])
        let listed: [String] = down.stdout.split(separator: "\n").compactMap { line -> String? in
            let first = String(line.split(separator: " ").first ?? "")
            return first.contains("-") && !first.hasSuffix(":") ? first : nil
        }
        #expect(listed == ["NET-0002", "NET-0002B", "HTL-0004"])
        #expect(!down.stdout.contains("HTL-0001 "))
        let venue = try patrol(["registration", "--venue", "V2"])
        #expect(venue.stdout.hasPrefix("SYSTEM     STATE"))
        #expect(venue.stdout.contains("2 registration systems: 0 online, 1 offline, 1 uploads stuck, 0 never seen"))
        let json = try patrol(["registration", "--json", "--venue", "V2"])
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let systems = decoded?["systems"] as? [[String: Any]]
        #expect(systems?.map { $0["system_id"] as? String } == ["NET-0002", "NET-0002B"])
        #expect(systems?.last?["waiting"] as? Int == 12)
        #expect(systems?.last?["stuck"] as? Bool == true)
        #expect(systems?.first?["online"] as? Bool == false)
        #expect((decoded?["platform"] as? [String: Any])?["failed_last_day"] as? Int == 1)
        let unknown = try patrol(["registration", "--venue", "V9"])
        #expect(unknown.status == 66)
        #expect(unknown.stderr.contains("no venue V9"))
    }

    @Test("status, venues and venue show registration beside video")
    func besideVideo() throws {
        let status = try patrol(["status"])
        #expect(status.stdout.contains("registration  4 systems: 1 online, 1 offline, 1 uploads stuck, 1 never seen"))
        #expect(status.stdout.contains("1 venues declare none, 0 not declared"))
        let venues = try patrol(["venues"])
        let row = { (id: String) in venues.stdout.split(separator: "\n").first { $0.hasPrefix(id + " ") }.map(String.init) ?? "" }
        #expect(row("V1").contains(" online "))
        #expect(row("V2").contains(" offline "))
        #expect(row("V3").contains(" none "))
        #expect(row("V4").contains(" unseen "))
        #expect(venues.stdout.contains("1 with registration offline or stuck"))
        let venue = try patrol(["venue", "V2"])
        #expect(venue.stdout.contains("registration  NET-0002, NET-0002B: 2 offline, stuck or unseen"))
        #expect(venue.stdout.contains("NET-0002B  stuck"))
        let none = try patrol(["venue", "V3"])
        #expect(none.stdout.contains("registration  none (the inventory declares no registration system)"))
    }
}
