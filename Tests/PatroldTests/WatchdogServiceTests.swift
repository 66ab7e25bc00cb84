import Dispatch
import Foundation
import PatrolConfig
import PatrolDaemon
import PatrolStore
import PatrolTestSupport
import Testing

/// The watchdog in process, over a real store writer wedged on purpose, pinging through the
/// status service to a socket the test binds as systemd's.
@Suite("patrold's watchdog")
struct WatchdogServiceTests {
    @Test("no WATCHDOG=1 while results wait on a stalled writer; the wedge in the status line; pings again once it writes")
    func stalledWriter() async throws {
        let daemon = try DaemonFolder()
        var configuration = try daemon.writeConfiguration()
        // A writer is stalled as soon as a result has waited at all without a write.
        configuration.writer.stallLimit = 0
        configuration.writer.batchInterval = 0
        try daemon.importCameras([1], port: 554)
        let notify = try NotifySocket(abstract: true)
        let notifier = try #require(SystemdNotifier(environment: systemdEnvironment(notify, watchdogMicroseconds: 200_000)))
        let status = StatusService(store: daemon.store, notifier: notifier)
        let writer = WriterService(store: daemon.store, configuration: configuration, status: status)
        let sweeper = SweeperService(configPath: daemon.configPath, configuration: configuration,
                                     district: District(inventory: try daemon.store.inventory(vault: daemon.vault),
                                                        cadence: configuration.cadence),
                                     store: daemon.store, vault: daemon.vault, writer: writer, status: status)
        defer { sweeper.engine.pool.stop(waitingUpTo: 1) }
        status.ready(cameras: 1)

        // The writer blocks before its next batch; one result waits behind it.
        let release = DispatchSemaphore(value: 0)
        writer.writer.perform { _ in release.wait() }
        writer.submit([(cameraID: "C1", result: probeResult(.online, at: Date()))])

        let checks = Events<WatchdogService.Check>()
        let watchdog = WatchdogService(interval: notifier.watchdogInterval, engine: { sweeper.engine }, writer: writer,
                                       status: status, onCheck: { checks.record($0) })
        let running = start(watchdog)
        let wedged = try #require(await checks.next())
        await status.settled()
        let during = notify.received()
        #expect(wedged.pinged == false)
        #expect(wedged.wedged?.hasPrefix("store writer wedged") == true, "\(wedged)")
        #expect(!during.contains("WATCHDOG=1"), "\(during)")
        #expect(during.contains { $0.hasPrefix("STATUS=") && $0.contains("store writer wedged") }, "\(during)")

        release.signal()
        await writer.drain()
        let well = try #require(await checks.next { $0.wedged == nil })
        running.cancel()
        await running.value
        await status.settled()
        let after = notify.received()
        #expect(well.pinged)
        #expect(after.contains("WATCHDOG=1"), "\(after)")
        #expect(after.contains { $0.hasPrefix("STATUS=") && !$0.contains("wedged") }, "\(after)")
        #expect(try daemon.count("SELECT count(*) FROM probe_result") == 1)
    }
}
