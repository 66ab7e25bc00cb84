import Foundation
import PatrolDaemon
import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolStore
import PatrolTestSupport
import Testing

/// The status service alone, in process, counting in a real SQLite store and speaking to a
/// socket the test binds as systemd's: what `systemctl status patrold` would show.
@Suite("patrold's status line")
struct StatusServiceTests {
    static let day = PatrolDay(year: 2026, month: 11, day: 10)

    let temporary: TemporaryStore
    let notify: NotifySocket
    let status: StatusService

    init() throws {
        temporary = try TemporaryStore()
        // V0001: perimeter camera C00001, interior C00002 and C00003, on record since the day before.
        try temporary.seed(venues: 1, since: Self.day.start(in: patrolZone).addingTimeInterval(-86_400))
        notify = try NotifySocket(abstract: true)
        status = StatusService(store: temporary.store, notifier: SystemdNotifier(environment: systemdEnvironment(notify)))
    }

    /// The datagrams sent once everything asked so far is done.
    func sent() async -> [String] {
        await status.settled()
        return notify.received()
    }

    @Test("READY=1, then the cameras up and down and the last patrol as the store has them; STATUS= only when the line changes")
    func counts() async throws {
        status.ready(cameras: 3)
        #expect(await sent() == ["READY=1\nSTATUS=3 cameras: 0 up, 0 down, 3 unknown; daily patrol: not run yet"])

        // A day of probes: C00002 refuses all day, the others stream.
        try temporary.probe(Self.day, in: patrolZone, cameras: 3) { $0 == "C00002" ? .refused : .online }
        let running = start(status)
        // The service recounts at once when it starts.
        let counted = await notify.arrival(within: 60) { $0.hasPrefix("STATUS=") }
        #expect(counted?.last == "STATUS=3 cameras: 2 up, 1 down, 0 unknown; daily patrol: not run yet", "\(counted ?? [])")

        // Nothing changed: nothing is sent.
        status.refresh()
        #expect(await sent() == [])

        // The day patrolled: its day, its venues and the ledger's head.
        let reports = try DailyPatrol(store: temporary.store, settings: DailyPatrolSettings())
            .runDue(now: Self.day.adding(1).start(in: patrolZone, hour: 7))
        try #require(reports.map(\.day) == [Self.day])
        let head = try #require(try temporary.store.lastPatrol()?.headSeq)
        #expect(head > 0)
        status.refresh()
        #expect(await sent() == ["STATUS=3 cameras: 2 up, 1 down, 0 unknown; daily patrol: 2026-11-10 judged (1 venues; ledger at #\(head))"])

        // A batch that changed a camera's status: the line follows within a second.
        let later = Self.day.adding(1).start(in: patrolZone, hour: 8)
        try temporary.store.write((0..<3).map {
            (cameraID: "C00002", result: probeResult(.online, at: later.addingTimeInterval(Double($0) * 60)))
        })
        status.changed()
        let back = await notify.arrival(within: 60) { $0.hasPrefix("STATUS=") }
        #expect(back?.last?.hasPrefix("STATUS=3 cameras: 3 up, 0 down, 0 unknown; daily patrol: 2026-11-10 judged") == true, "\(back ?? [])")

        running.cancel()
        await running.value
        #expect(status.line.hasPrefix("3 cameras: 3 up, 0 down, 0 unknown"))
    }

    @Test("what is wrong, a refused reload and its reason, and a stop: each in the line, and gone when it is over")
    func troubles() async throws {
        status.ready(cameras: 3)
        _ = await sent()
        let counts = "3 cameras: 0 up, 0 down, 3 unknown; daily patrol: not run yet"

        status.problem("probe pool wedged: all 8 workers held past the deadline")
        status.problem(nil)
        #expect(await sent() == ["STATUS=\(counts); probe pool wedged: all 8 workers held past the deadline", "STATUS=\(counts)"])

        // A refused reload names its reason until a reload finds nothing changed (or is accepted);
        // a reason of several lines stays one line: it cannot add a field to the datagram.
        status.readyAgain(rejected: "patrol.yaml:4: probe.deadline: expected a number\nREADY=1")
        status.refresh()
        status.readyAgain()
        let reload = await sent()
        #expect(reload == [
            "READY=1\nSTATUS=\(counts); reload rejected, the running configuration stays in force: "
                + "patrol.yaml:4: probe.deadline: expected a number READY=1",
            "READY=1\nSTATUS=\(counts)",
        ], "\(reload)")
        status.readyAgain(rejected: "patrol.yaml: database: changed")
        status.ready(cameras: 3)
        #expect(await sent().last == "READY=1\nSTATUS=\(counts)")

        status.stopping(inFlight: 5)
        status.stopped(results: 40, unwritten: 0)
        #expect(await sent() == ["STOPPING=1\nSTATUS=\(counts); stopping: no new probes, 5 in flight",
                                 "STATUS=\(counts); stopped: all 40 probe results of this run written"])
        status.stopped(results: 40, unwritten: 3)
        #expect(await sent() == ["STATUS=\(counts); stopped: 3 of 40 probe results unwritten"])
    }
}
