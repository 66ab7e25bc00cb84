import Foundation
import PatrolConfig
import PatrolDaemon
import PatrolStore
import PatrolSweep
import PatrolTestSupport
import Testing

/// The sweeper, the store writer and the status line in process, against the real RTSP fleet,
/// writing into a real SQLite file; systemd's notifications read from a socket the test binds.
@Suite("patrold's sweeper: probing into the store, stopping with every result written, reloading")
struct SweeperServiceTests {
    let daemon: DaemonFolder
    let fleet: Fleet
    let notify: NotifySocket
    let status: StatusService

    init() throws {
        daemon = try DaemonFolder()
        fleet = try Fleet.get()
        notify = try NotifySocket(abstract: true)
        status = StatusService(store: daemon.store, notifier: SystemdNotifier(environment: systemdEnvironment(notify)))
    }

    func sweeper(_ configuration: Configuration, writer: WriterService) throws -> SweeperService {
        let inventory = try daemon.store.inventory(vault: daemon.vault)
        return SweeperService(configPath: daemon.configPath, configuration: configuration,
                              district: District(inventory: inventory, cadence: configuration.cadence),
                              store: daemon.store, vault: daemon.vault, writer: writer, status: status)
    }

    @Test("cancelled while probing: no new probes, those in flight end, and every result handed over is written")
    func cancelled() async throws {
        let configuration = try daemon.writeConfiguration()
        try daemon.importCameras(Array(1...6), port: fleet.port)
        let writer = WriterService(store: daemon.store, configuration: configuration, status: status)
        let sweeper = try sweeper(configuration, writer: writer)
        status.ready(cameras: 6)
        let running = start(sweeper)
        // The status line follows the batches that brought the cameras up.
        let up = await notify.arrival(within: 180) { $0 == "STATUS=6 cameras: 6 up, 0 down, 0 unknown; daily patrol: not run yet" }
        try #require(up != nil, "\(notify.received())")
        running.cancel()
        await running.value

        #expect(sweeper.results >= 6)
        #expect(writer.unwritten == 0)
        #expect(try daemon.count("SELECT count(*) FROM probe_result") == sweeper.results)
        #expect(sweeper.engine.pool.inFlight == 0)
    }

    @Test("reload: a broken configuration is refused and the engine stays; a good one puts a new engine on the same store")
    func reload() async throws {
        let configuration = try daemon.writeConfiguration()
        try daemon.importCameras([7, 8], port: fleet.port)
        let writer = WriterService(store: daemon.store, configuration: configuration, status: status)
        let sweeper = try sweeper(configuration, writer: writer)
        status.ready(cameras: 2)
        let running = start(sweeper)
        try #require(await notify.arrival(within: 180) { $0.hasPrefix("READY=1") } != nil)
        try #require(await notify.arrival(within: 180) { $0.hasPrefix("STATUS=2 cameras: 2 up") } != nil, "\(notify.received())")

        let text = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
        try text.replacingOccurrences(of: "deadline: 4", with: "deadline: soon")
            .write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        let refused = await sweeper.reload()
        guard case .rejected(let reason) = refused else {
            Issue.record("a broken configuration was taken: \(refused)")
            return
        }
        #expect(reason.contains("probe.deadline"), "\(reason)")
        await status.settled()
        #expect(notify.received().map { $0.split(separator: "\n").first ?? "" } == ["RELOADING=1", "READY=1"])
        #expect(sweeper.generation == 1)
        #expect(sweeper.engine.configuration == configuration)

        let good = try daemon.writeConfiguration()
        #expect(await sweeper.reload() == .unchanged)
        try daemon.importCameras([7, 8, 9, 10], port: fleet.port)
        // The old cameras' history so far: rows are only ever appended, so these stay as they are.
        let last = try daemon.count("SELECT coalesce(max(rowid), 0) FROM probe_result")
        let history = "SELECT count(*) FROM probe_result WHERE camera_id IN ('C1', 'C2') AND rowid <= \(last)"
        let before = try daemon.count(history)
        #expect(await sweeper.reload() == .accepted(summary: "inventory: added 2 cameras"))
        // The new engine is in place once READY=1 comes with its four cameras.
        let ready = await notify.arrival(within: 180) { $0.hasPrefix("READY=1\nSTATUS=4 cameras:") }
        try #require(ready != nil, "\(notify.received())")
        #expect(sweeper.generation == 2)
        #expect(sweeper.engine.configuration == good)
        #expect(sweeper.engine.district.streams.map(\.target.id) == ["C1", "C2", "C3", "C4"])
        try #require(await notify.arrival(within: 180) { $0.hasPrefix("STATUS=4 cameras: 4 up") } != nil, "\(notify.received())")

        running.cancel()
        await running.value
        #expect(writer.unwritten == 0)
        #expect(try daemon.count("SELECT count(*) FROM probe_result") == sweeper.results)
        #expect(try daemon.count(history) == before && before > 0)
        #expect(try daemon.count("SELECT count(*) FROM camera_state WHERE status = 'up'") == 4)
    }
}
