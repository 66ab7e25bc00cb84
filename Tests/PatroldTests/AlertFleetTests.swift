import Foundation
import PatrolAlerts
import PatrolConfig
import PatrolDaemon
import PatrolStore
import PatrolSweep
import PatrolTestSupport
import Testing

/// patrold's sweeper, writer and alert service in process against the real fleet: a camera the
/// fleet turns black alerts the duty desk once its debounce has passed, through the webhook
/// (signed, checked by the receiver), and the alert is resolved when the camera comes back.
@Suite("patrold's alerts on the fleet: a camera turned black and back", .serialized)
struct AlertFleetTests {
    @Test("a camera turned black alerts the duty desk after its debounce; back to healthy, the alert is resolved")
    func blackAndBack() async throws {
        let fleet = try Fleet.get()
        let daemon = try DaemonFolder()
        let receiver = try WebhookReceiver()
        let mounts = Array(Fleet.Mounts.alerts)
        for mount in mounts { try fleet.set(Fleet.Mounts.path(mount), "healthy") }
        defer { for mount in mounts { try? fleet.set(Fleet.Mounts.path(mount), "healthy") } }
        let debounce = 8.0
        let configuration = try daemon.writeConfiguration(extra: """
            status: {down_after_failures: 2, up_after_successes: 1}
            alerts:
              every: 1
              storm_window: 0
              groups: {duty_desk: [duty@district.example]}
              webhook: {url: "\(receiver.url)", secret_env: PATROL_WEBHOOK_SECRET}
              rules:
                - {name: interior-down, on: camera, placements: [interior], after: \(debounce), to: [duty_desk], via: [webhook]}
            """)
        // C1 on the perimeter, C2 inside: the rule covers C2 only.
        try daemon.importCameras(mounts, port: fleet.port)
        let status = StatusService(store: daemon.store, notifier: nil)
        let writer = WriterService(store: daemon.store, configuration: configuration, status: status)
        let inventory = try daemon.store.inventory(vault: daemon.vault)
        let sweeper = SweeperService(configPath: daemon.configPath, configuration: configuration,
                                     district: District(inventory: inventory, cadence: configuration.cadence),
                                     store: daemon.store, vault: daemon.vault, writer: writer, status: status)
        let passes = Events<AlertService.Pass>()
        let alerts = AlertService(store: daemon.store, configuration: { configuration },
                                  environment: ["PATROL_WEBHOOK_SECRET": receiver.secret], onPass: { passes.record($0) })
        let running = [start(writer, name: "test.writer"), start(sweeper, name: "test.sweeper"), start(alerts, name: "test.alerts")]
        defer { for task in running { task.cancel() } }

        /// The passes until one satisfies `done`, at most `limit` of them (a pass a second).
        func until(_ limit: Int, _ done: (AlertService.Pass) throws -> Bool) async throws -> AlertService.Pass? {
            var count = 0
            for await pass in passes.stream {
                if try done(pass) { return pass }
                count += 1
                if count >= limit { return nil }
            }
            return nil
        }

        // Both cameras up first.
        let up = try await until(600) { _ in try daemon.count("SELECT count(*) FROM camera_state WHERE status = 'up'") == 2 }
        try #require(up != nil, "the cameras never came up")
        try fleet.set(Fleet.Mounts.path(mounts[1]), "black")
        let opened = try await until(600) { pass in pass.notices.contains { $0.kind == .open } }
        let open = try #require(opened?.notices.first { $0.kind == .open }, "no alert")
        #expect(open.members.map(\.subject) == ["C2"] && open.members.first?.detail == "black")
        // Not before the fault had lasted its debounce.
        #expect(open.at.timeIntervalSince(open.since) >= debounce)
        #expect(opened?.sent.count == 1, "\(String(describing: opened?.failed))")

        try fleet.set(Fleet.Mounts.path(mounts[1]), "healthy")
        let resolved = try await until(600) { pass in pass.notices.contains { $0.kind == .resolve } }
        #expect(resolved?.notices.first { $0.kind == .resolve }?.alert == open.alert)
        #expect(resolved?.sent.count == 1)
        for task in running { task.cancel() }

        let bodies = try receiver.received()
        #expect(bodies.map { $0["event_id"] as? String } == ["patrol-A1-open", "patrol-A1-resolve"])
        #expect(try receiver.rejected() == 0)
        #expect(try daemon.store.alertOverview().open.isEmpty)
    }
}
