import Foundation
import GRDB
import PatrolConfig
import PatrolConsole
import PatrolDaemon
import PatrolProbe
import PatrolStore
import PatrolTestSupport
import Testing

/// `/metrics` read by Prometheus' own parser (prometheus_client's text parser, Debian's
/// python3-prometheus-client), its values against what the database holds: probe results written
/// through patrold's real writer, the cameras by status, placement and tier, the outbox.
@Suite("/metrics, parsed by Prometheus' parser", .serialized)
struct MetricsTests {
    static let tool = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Tools/parse_metrics.py")

    /// The samples the parser found: name → [(labels, value)].
    static func parse(_ text: String, in folder: URL) throws -> [String: [(labels: [String: String], value: Double)]] {
        let file = folder.appendingPathComponent("metrics.txt")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let run = try CommandRun(program: URL(fileURLWithPath: "/usr/bin/python3"), [tool.path, file.path])
        guard run.status == 0 else { throw ConsoleTestFailure(message: "parse_metrics.py: \(run.all)") }
        let samples = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        var out: [String: [(labels: [String: String], value: Double)]] = [:]
        for sample in samples {
            out[sample["name"] as! String, default: []].append((sample["labels"] as? [String: String] ?? [:], sample["value"] as! Double))
        }
        return out
    }

    @Test("every family parses; probes by outcome, the duration histogram, cameras and the outbox equal what the database holds")
    func valuesFromTheDatabase() async throws {
        // patrold's writer, on its own store, counting what it is handed.
        let holder = WriterHolder(), metrics = ProbeMetrics()
        let console = try await ConsoleFixture(clock: ConsoleFixture.now, live: LiveFigures(writerBacklog: { holder.writer?.health.pending ?? 0 }, lastPatrolDuration: { nil },
                                                                 probes: metrics)) { temporary in
            let writer = WriterService(store: temporary.store, configuration: Configuration(), metrics: metrics)
            holder.set(writer)
            let start = ConsoleFixture.now.addingTimeInterval(-600)
            var batch: [(cameraID: String, result: ProbeResult)] = []
            for minute in 0..<6 {
                let at = start.addingTimeInterval(Double(minute) * 60)
                batch.append(("C1", probeResult(.timeout, at: at)))
                batch.append(("C2", probeResult(.online, at: at)))
                // The same picture each minute: the writer finds it frozen from the second probe on.
                batch.append(("C3", probeResult(.online, at: at, fingerprint: 7)))
                batch.append(("C4", probeResult(minute < 3 ? .black : .online, at: at)))
            }
            writer.submit(batch)
            writer.writer.drain()
        }
        defer { Task { await console.stop() } }
        // One alert, mailed to two desks (one sent, one retrying) and posted to the webhook (sent).
        try await DatabaseQueue(path: console.database).write { db in
            try db.execute(sql: """
                INSERT INTO alert_event (id, event_id, alert, kind, rule, signal, subject, detail, members, still_down, summary, title, at, body)
                VALUES (1, 'patrol-A1-open', 1, 'open', 'priority-interior', 'camera', 'C1', 'timeout', 1, 1, 0, '摄像机离线', ?, '{}')
                """, arguments: [ConsoleFixture.now.addingTimeInterval(-600)])
            for (channel, recipient, sent) in [("mail", "duty@district.example", true), ("mail", "repair@district.example", false),
                                               ("webhook", "http://127.0.0.1:9/hook", true)] {
                try db.execute(sql: """
                    INSERT INTO alert_delivery (event, channel, recipient, payload, next_attempt_at, sent_at, last_error)
                    VALUES (1, ?, ?, x'00', ?, ?, ?)
                    """, arguments: [channel, recipient, ConsoleFixture.now, sent ? ConsoleFixture.now : nil, sent ? nil : "sendmail: exit 75"])
            }
        }
        let response = try await HTTP.get(console.base + "/metrics")
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let samples = try Self.parse(response.body, in: console.folder)

        let queue = try DatabaseQueue(path: console.database)
        let byOutcome = try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT outcome, count(*) AS n FROM probe_result WHERE at > ? GROUP BY outcome",
                             arguments: [ConsoleFixture.now.addingTimeInterval(-3600)])
                .reduce(into: [String: Double]()) { $0[$1["outcome"]] = Double($1["n"] as Int) }
        }
        #expect(byOutcome["frozen"] ?? 0 > 0, "the writer judged C3 frozen across probes")
        let probes = try #require(samples["patrol_probes_total"])
        #expect(probes.count == Outcome.allCases.count)
        for sample in probes {
            #expect(sample.value == byOutcome[sample.labels["outcome"] ?? ""] ?? 0, "\(sample.labels)")
        }
        let written = byOutcome.values.reduce(0, +)
        #expect(samples["patrol_probe_duration_seconds_count"]?.first?.value == written)
        #expect(samples["patrol_probe_duration_seconds_bucket"]?.first { $0.labels["le"] == "+Inf" }?.value == written)
        // Every probe of probeResult takes 0.3 s: all in the 0.5 s bucket, none in the 0.25 s one.
        #expect(samples["patrol_probe_duration_seconds_bucket"]?.first { $0.labels["le"] == "0.5" }?.value == written)
        #expect(samples["patrol_probe_duration_seconds_bucket"]?.first { $0.labels["le"] == "0.25" }?.value == 0)
        #expect(samples["patrol_writer_backlog"]?.first?.value == 0)

        let cameras = try await queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.status, c.placement, v.tier, count(*) AS n FROM camera c JOIN camera_state s ON s.camera_id = c.id
                JOIN venue v ON v.id = c.venue_id WHERE c.retired_at IS NULL GROUP BY s.status, c.placement, v.tier
                """).reduce(into: [String: Double]()) { $0["\($1["status"] as String) \($1["placement"] as String) \($1["tier"] as String)"] = Double($1["n"] as Int) }
        }
        let gauges = try #require(samples["patrol_cameras"])
        #expect(gauges.count == 3 * 2 * 3)
        for sample in gauges {
            let key = "\(sample.labels["status"]!) \(sample.labels["placement"]!) \(sample.labels["tier"]!)"
            #expect(sample.value == cameras[key] ?? 0, "\(key)")
        }
        #expect(gauges.map(\.value).reduce(0, +) == 4)
        #expect(samples["patrol_cameras"]?.first { $0.labels == ["status": "down", "placement": "interior", "tier": "general"] }?.value == 2,
                "C1 timed out six times, C3 showed one picture six times: both down")

        let pending = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL") ?? 0 }
        #expect(samples["patrol_outbox_pending"]?.first?.value == Double(pending))
        let alertsWaiting = try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT channel, count(*) AS n FROM alert_delivery WHERE sent_at IS NULL GROUP BY channel")
                .reduce(into: [String: Double]()) { $0[$1["channel"]] = Double($1["n"] as Int) }
        }
        #expect(alertsWaiting == ["mail": 1])
        let alertGauges = try #require(samples["patrol_alert_deliveries_pending"])
        #expect(alertGauges.count == 2)
        for sample in alertGauges {
            #expect(sample.value == alertsWaiting[sample.labels["channel"] ?? ""] ?? 0, "\(sample.labels)")
        }
        #expect(samples["patrol_alerts_open"]?.first?.value == 0, "no alert service ran on this store: nothing open")
        let day = ConsoleFixture.day1.start(in: ConsoleFixture.zone).timeIntervalSince1970
        #expect(samples["patrol_last_patrol_day_timestamp_seconds"]?.first?.value == day)
        // The console's clock is the fixture's: the last probes were 300 s before it. The priority
        // venue's camera (C2, cadence 60 s) is 240 s late; the general ones (900 s) are not.
        #expect(samples["patrol_sweep_lag_seconds"]?.first?.value == 240)
    }

    @Test("with metrics_token_file, /metrics needs the bearer token and nothing else")
    func token() async throws {
        let console = try await ConsoleFixture()
        defer { Task { await console.stop() } }
        // A second console on the same store, with the token.
        let tokenFile = console.folder.appendingPathComponent("metrics.token")
        try "s3cret-token\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        try (try String(contentsOfFile: console.config, encoding: .utf8) + "\n  metrics_token_file: metrics.token\n")
            .write(toFile: console.config, atomically: true, encoding: .utf8)
        let configuration = try Configuration.load(console.config)
        #expect(configuration.console.metricsTokenFile == tokenFile.path)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let service = ConsoleService(setup: .init(console: configuration.console, patrol: configuration.patrol, cadence: configuration.cadence,
                                                  staleAfter: 3600, database: configuration.database, publicKey: nil),
                                     live: nil, onListening: { continuation.yield($0) })
        let task = Task { try await service.run() }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let url = "http://127.0.0.1:\(port)/metrics"
        #expect(try await HTTP.get(url).status == 401)
        #expect(try await HTTP.get(url, headers: ["Authorization: Bearer wrong"]).status == 401)
        let good = try await HTTP.get(url, headers: ["Authorization: Bearer s3cret-token"])
        #expect(good.status == 200)
        #expect(good.body.contains("patrol_cameras{"))
        #expect(!good.body.contains("patrol_probes_total"), "no live figures: the daemon's counters are left out, not zero")
    }
}

/// The writer the fixture's preparation makes, for the live figures read later.
final class WriterHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var held: WriterService?

    func set(_ writer: WriterService) { lock.withLock { held = writer } }
    var writer: WriterService? { lock.withLock { held } }
}
