import Foundation
import PatrolLedger
import PatrolStore
import PatrolTestSupport
import Testing

/// `patrol-bench simulate`, the real binary, on small scenarios: the ledger steps the real daily
/// patrol leaves after the days described, as the ladder's own scenarios (Tests/PatrolLedgerTests,
/// LadderScenarioTests) say they must be.
@Suite("patrol-bench simulate: scenarios through the real daily patrol")
struct SimulateCommandTests {
    /// One venue V1 of `tier` with an interior camera C1 and a perimeter camera C2, and a
    /// registration system HTL-1, from 2026-11-02.
    static func scenario(days: Int, tier: String = "general", events: String) -> String {
        """
        district:
          venues:
            - {id: V1, name: 平安旅馆, tier: \(tier), supervisor: "张伟 (一组)", registration: HTL-1}
          cameras:
            - {id: C1, venue: V1, placement: interior}
            - {id: C2, venue: V1, placement: perimeter}
        start: 2026-11-02
        days: \(days)
        events:
        \(events)
        """
    }

    struct Simulated {
        var run: CommandRun
        var database: String
        /// `d1 order d4`: the ledger in LadderScenarioTests' words, days counted from the start.
        var ledger: [String]
        var json: [String: Any]
    }

    static func simulate(_ text: String) throws -> Simulated {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-simulate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("scenario.yaml")
        try Data(text.utf8).write(to: file)
        let database = folder.appendingPathComponent("week/patrol.sqlite").path
        let run = try CommandRun("patrol-bench", ["simulate", file.path, "--db", database, "--json"])
        let json = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [String: Any] ?? [:]
        let start = PatrolDay("2026-11-02")!
        func day(_ text: String?) -> String { text.flatMap(PatrolDay.init).map { "d\($0 - start + 1)" } ?? "" }
        let entries = ((json["ledger"] as? [String: Any])?["entries"] as? [[String: Any]]) ?? []
        let ledger = entries.map { entry -> String in
            var words = [day(entry["day"] as? String), entry["kind"] as? String ?? "?"]
            if let deadline = entry["deadline"] as? String { words.append(day(deadline)) }
            if let until = entry["until"] as? String { words.append("until " + day(until)) }
            if let actor = entry["actor"] as? String, actor != LedgerEntry.patrolActor { words.append("by " + actor) }
            return words.joined(separator: " ")
        }
        return Simulated(run: run, database: database, ledger: ledger, json: json)
    }

    @Test("a camera failing on day 1 gets an order; fixed the next day, it is rectified")
    func orderOnDayOne() throws {
        let simulated = try Self.simulate(Self.scenario(days: 2, events: """
              - day: 1
                cameras:
                  - {camera: C1, outcome: black, from: "09:00", for: 5h}
            """))
        #expect(simulated.run.status == 0, "\(simulated.run.all)")
        #expect(simulated.ledger == ["d1 order d4", "d2 rectified"])
        // The days were judged by the daily patrol and are there for patrol and the report.
        let store = try Store.reading(simulated.database)
        #expect(try store.lastPatrolDay() == PatrolDay("2026-11-03"))
        #expect(try store.ledger(venue: "V1").first?.reason.contains("frozen or black") == true)
        #expect(FileManager.default.fileExists(atPath: URL(fileURLWithPath: simulated.database).deletingLastPathComponent()
            .appendingPathComponent("patrol.yaml").path))
        let verified = try CommandRun("patrol", ["ledger", "verify", "--config",
                                                 URL(fileURLWithPath: simulated.database).deletingLastPathComponent()
                                                     .appendingPathComponent("patrol.yaml").path])
        #expect(verified.status == 0, "\(verified.all)")
    }

    @Test("left broken past the deadline: a warning; fixed the day after, rectified")
    func warningAfterTheDeadline() throws {
        let simulated = try Self.simulate(Self.scenario(days: 5, events: """
              - day: 1
                cameras:
                  - {camera: C1, outcome: refused, from: "00:00", for: until fixed}
              - day: 5
                cameras:
                  - {camera: C1, outcome: online, from: "00:00"}
            """))
        #expect(simulated.run.status == 0, "\(simulated.run.all)")
        #expect(simulated.ledger == ["d1 order d4", "d4 deadline_missed d4", "d4 warning d7", "d5 rectified"])
    }

    @Test("a priority venue walks to suspension; reinstated after inspection, the walk stops")
    func reinstateStopsTheWalk() throws {
        let simulated = try Self.simulate(Self.scenario(days: 6, tier: "priority", events: """
              - day: 1
                cameras:
                  - {camera: C1, outcome: frozen, from: "00:00", for: until fixed}
              - day: 4
                cameras:
                  - {camera: C1, outcome: online, from: "00:00"}
              - day: 5
                acts:
                  - {act: reinstate, venue: V1, at: "10:00", by: 李娜, reason: 现场检查合格}
            """))
        #expect(simulated.run.status == 0, "\(simulated.run.all)")
        #expect(simulated.ledger == ["d1 order d2", "d2 deadline_missed d2", "d2 warning d3", "d3 deadline_missed d3", "d3 suspension d4",
                                     "d4 rectified", "d5 reinstated by 李娜"])
    }

    @Test("a district day waived before its patrol applies nothing")
    func waivedDistrictDay() throws {
        let simulated = try Self.simulate(Self.scenario(days: 2, events: """
              - day: 1
                cameras:
                  - {camera: C1, outcome: timeout, from: "08:00", for: all day}
                acts:
                  - {act: waive, district: true, at: "12:00", by: 王芳, reason: 全区停电}
            """))
        #expect(simulated.run.status == 0, "\(simulated.run.all)")
        #expect(simulated.ledger == ["d1 waiver until d1 by 王芳"])
    }

    @Test("a registration system offline for six hours gets the venue an order; the perimeter camera's fault never does")
    func registrationDown() throws {
        let simulated = try Self.simulate(Self.scenario(days: 1, events: """
              - day: 1
                cameras:
                  - {camera: C2, outcome: timeout, from: "00:00", for: all day}
                registration:
                  - {system: HTL-1, state: offline, from: "08:00", for: 6h}
            """))
        #expect(simulated.run.status == 0, "\(simulated.run.all)")
        #expect(simulated.ledger == ["d1 order d4"])
        let store = try Store.reading(simulated.database)
        #expect(try store.ledger(venue: "V1").first?.reason.contains("HTL-1") == true)
        #expect(try store.maintenanceList(day: PatrolDay("2026-11-02")!).map(\.cameraID) == ["C2"])
    }

    @Test("a bad scenario is refused with its file, line and field, and nothing is written")
    func badScenario() throws {
        let text = Self.scenario(days: 2, events: """
              - day: 1
                cameras:
                  - camera: C1
                    outcome: blak
            """)
        let simulated = try Self.simulate(text)
        #expect(simulated.run.status == 65, "\(simulated.run.all)")
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("outcome: blak") }! + 1
        #expect(simulated.run.stderr.contains("scenario.yaml:\(line): events[1].cameras[1].outcome: 'blak' is not one of: online,"),
                "\(simulated.run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: simulated.database))
        #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: simulated.database).deletingLastPathComponent().path))
    }
}
