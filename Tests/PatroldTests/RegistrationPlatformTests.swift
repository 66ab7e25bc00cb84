import Foundation
import GRDB
import PatrolConfig
import PatrolDaemon
import PatrolInventory
import PatrolRegistration
@testable import PatrolStore
import PatrolTestSupport
import Testing

/// The registration service reading the sample registration platform (Samples/registry) over
/// real HTTP into a real store, for every fault the platform can show: what is kept, what is
/// retried, and that no broken or partial answer ever marks a venue's system offline.
@Suite("Reading the registration platform")
struct RegistrationPlatformTests {
    static let systems = ["HTL-0001", "NET-0002", "YDT-0003"]
    let daemon: DaemonFolder
    let platform: RegistryPlatform

    init() throws {
        daemon = try DaemonFolder()
        platform = try RegistryPlatform(systems: Self.systems + ["HTL-9999"])
        let venues = [TestDistrict.pingan("V1"), TestDistrict.xingkong("V2"), TestDistrict.wenxin("V3")].enumerated().map { index, venue in
            var venue = venue
            venue.registration = .systems([Self.systems[index]])
            return venue
        }
        try daemon.temporary.seed(Inventory(venues: venues, cameras: []))
    }

    /// The service over a configuration reading the platform: a short deadline, no pause between attempts.
    func service(deadline: Int = 5, retries: Int = 2, token: String? = nil) throws -> RegistrationService {
        var extra = """
            registration:
              platform: \(platform.url.absoluteString)
              deadline: \(deadline)
              retries: \(retries)
              retry_first: 0
            """
        if let token {
            let file = daemon.folder.appendingPathComponent("registration.token")
            try (token + "\n").write(to: file, atomically: true, encoding: .utf8)
            extra += "\n  token_file: \(file.path)"
        }
        let configuration = try daemon.writeConfiguration(extra: extra)
        return RegistrationService(store: daemon.store, configuration: { configuration })
    }

    func states() throws -> [String] {
        try daemon.store.registration().systems.map { "\($0.systemID) \($0.state)" }
    }

    func failure(_ round: RegistrationService.Round) -> String? {
        if case .failure(let failure)? = round.platform { return failure.reason }
        return nil
    }

    func recorded(_ round: RegistrationService.Round) -> RegistrationRecorded? {
        if case .success(let recorded)? = round.platform { return recorded }
        return nil
    }

    @Test("a healthy platform: one request, every system of the inventory kept (others counted), all online")
    func healthy() async throws {
        let service = try service()
        let before = Date()
        let round = await service.readNow()
        let took = Date().timeIntervalSince(before)
        let kept = try #require(recorded(round))
        #expect(kept.kept == 3 && kept.unknown == 1 && kept.offline == 0 && kept.missing.isEmpty)
        #expect(try platform.requests() == 1)
        #expect(try states() == ["HTL-0001 online", "NET-0002 online", "YDT-0003 online"])
        #expect(round.summary == "registration platform read: 3 systems, 0 offline, 0 uploads stuck")
        let offset = try await daemon.store.pool.read { try Double.fetchOne($0, sql: "SELECT platform_offset FROM registration_read") }
        #expect(abs(try #require(offset)) < took / 2 + 1, "offset \(offset!) s, the read took \(took) s")
    }

    @Test("a terminal offline, one stuck, one refused by the platform: read as the platform says")
    func systemFaults() async throws {
        let service = try service()
        _ = await service.readNow()
        let faultsSet = Date()
        try platform.set("HTL-0001", "offline", seconds: 1800)
        try platform.set("NET-0002", "stuck", seconds: 3 * 3600)
        try platform.set("YDT-0003", "upload-errors", seconds: 600)
        let kept = try #require(recorded(await service.readNow()))
        let sinceSet = Date().timeIntervalSince(faultsSet)
        #expect(kept.offline == 1 && kept.stuck == 1)
        #expect(kept.changed.map(\.systemID) == ["HTL-0001"])
        // Offline since the read before, which still saw it online (its heartbeat stopped earlier, unseen).
        let offline = try #require(try daemon.store.registration(venue: "V1").systems.first)
        #expect(try #require(offline.since) < (try #require(offline.sampleAt)))
        #expect(try states() == ["HTL-0001 offline", "NET-0002 stuck", "YDT-0003 online"])
        let refused = try #require(try daemon.store.registration(venue: "V3").systems.first)
        #expect(refused.lastError == "上传被拒绝：数据校验失败" && (refused.uploadErrors ?? 0) >= 1 && (refused.waiting ?? 0) >= 1)
        let stuck = try #require(try daemon.store.registration(venue: "V2").systems.first)
        let waited = try #require(stuck.sampleAt).timeIntervalSince(try #require(stuck.oldestWaiting))
        // Three hours before the fault was set, read some time later; times travel in whole seconds.
        #expect(waited > 3 * 3600 - 2 && waited < 3 * 3600 + sinceSet + 2, "waited \(waited) s, \(sinceSet) s after the fault was set")
    }

    @Test("HTTP 500, malformed JSON, a truncated body: retried, then kept as a failed read; nothing marked offline",
          arguments: [("http500", "the platform answered HTTP 500"), ("malformed", "the answer is not valid JSON"),
                      ("truncated", "cut short")])
    func brokenAnswers(fault: String, words: String) async throws {
        let service = try service()
        _ = await service.readNow()
        try platform.reset()
        try platform.set("*", fault)
        let round = await service.readNow()
        let reason = try #require(failure(round))
        #expect(reason.contains(words), "\(reason)")
        #expect(try platform.requests() == 3)
        #expect(try states() == ["HTL-0001 online", "NET-0002 online", "YDT-0003 online"])
        #expect(try daemon.count("SELECT count(*) FROM registration_read WHERE NOT ok") == 1)
        #expect(try daemon.count("SELECT count(*) FROM registration_sample") == 3)
        #expect(try daemon.store.registration().platform.failingSince != nil)
        #expect(round.summary.hasPrefix("registration platform unreadable: "))
    }

    @Test("a platform that never answers: given up at the deadline, no retry beyond the configured ones")
    func timeout() async throws {
        try platform.set("*", "timeout")
        let round = await try service(deadline: 1, retries: 0).readNow()
        #expect(failure(round)?.hasPrefix("no answer within 1 s") == true)
        #expect(try platform.requests() == 1)
        try platform.set("*", "healthy")
        #expect(try daemon.count("SELECT count(*) FROM registration_sample") == 0)
    }

    @Test("a platform clock an hour fast: the offset kept, the times taken back to Patrol's clock")
    func clockSkew() async throws {
        try platform.set("*", "clock-skew", seconds: 3600)
        let service = try service()
        let before = Date()
        let round = await service.readNow()
        let took = Date().timeIntervalSince(before)
        #expect(recorded(round)?.offline == 0)
        // The platform's time is written to the second, somewhere within the `took` the read took.
        let offset = try #require(try await daemon.store.pool.read { try Double.fetchOne($0, sql: "SELECT platform_offset FROM registration_read") })
        #expect(abs(offset - 3600) < took / 2 + 1, "offset \(offset) s, the read took \(took) s")
        let system = try #require(try daemon.store.registration(venue: "V1").systems.first)
        let heartbeatAge = try #require(system.sampleAt).timeIntervalSince(try #require(system.lastHeartbeat))
        // The sample's heartbeats are 5 to 50 s old; taken back to Patrol's clock they are that, give or take half the read.
        #expect(heartbeatAge > 5 - took / 2 - 1 && heartbeatAge < 50 + took / 2 + 1, "heartbeat \(heartbeatAge) s before the read, which took \(took) s")
        #expect(try daemon.store.registration().platform.clockOffset == offset)
    }

    @Test("a system missing from the answer, another with a bad field: both named, neither marked offline")
    func partialAnswer() async throws {
        let service = try service()
        _ = await service.readNow()
        try platform.set("HTL-0001", "missing")
        try platform.set("NET-0002", "bad-field")
        let kept = try #require(recorded(await service.readNow()))
        #expect(kept.kept == 1 && kept.offline == 0)
        #expect(kept.missing == ["HTL-0001", "NET-0002"])
        #expect(try states() == ["HTL-0001 online", "NET-0002 online", "YDT-0003 online"])
        let error = try await daemon.store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT error FROM registration_read ORDER BY id DESC LIMIT 1")
        }
        #expect(error?.contains("(NET-0002) waiting: expected a whole number of records, got \"many\"") == true)
        #expect(error?.contains("2 registration systems of the inventory missing from the answer: HTL-0001, NET-0002") == true)
    }

    @Test("a bearer token from the token file; a wrong one is a 401 not retried, and never shown")
    func token() async throws {
        let guarded = try RegistryPlatform(systems: Self.systems, token: "s3cret-token")
        let configured = { (token: String) throws -> RegistrationService in
            let file = daemon.folder.appendingPathComponent("registration.token")
            try (token + "\n").write(to: file, atomically: true, encoding: .utf8)
            let configuration = try daemon.writeConfiguration(extra: """
                registration:
                  platform: \(guarded.url.absoluteString)
                  token_file: \(file.path)
                  retry_first: 0
                """)
            return RegistrationService(store: daemon.store, configuration: { configuration })
        }
        #expect(recorded(await try configured("s3cret-token").readNow())?.kept == 3)
        let refused = await try configured("wrong-token").readNow()
        let reason = try #require(failure(refused))
        #expect(reason.hasPrefix("the platform answered HTTP 401 (check registration.token_file)"))
        #expect(!reason.contains("wrong-token") && !reason.contains("s3cret"))
        #expect(try guarded.requests() == 2)
    }
}
