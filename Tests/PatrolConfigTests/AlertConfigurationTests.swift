import Foundation
import PatrolConfig
import PatrolSettings
import Testing

@Suite("The configuration's alerts")
struct AlertConfigurationTests {
    static let rules = """
        alerts:
          every: 2
          storm_window: 30
          storm_threshold: 20
          quiet_hours: {from: "22:00", to: "07:00"}
          groups:
            duty_desk: ["值班室 <duty@district.example>"]
            maintenance: [city@maintenance.example]
          webhook: {url: "https://gateway.district.example/patrol", secret_file: webhook.secret}
          rules:
            - name: priority-interior
              on: camera
              tiers: [priority]
              placements: [interior]
              after: 120
              to: [duty_desk, supervisor]
              via: [mail, webhook]
              remind_every: 3600
              quiet_hours: send
            - {name: perimeter, on: camera, placements: [perimeter], after: 600, to: [maintenance]}
            - {name: steps, on: ledger, steps: [warning, closure], to: [duty_desk, supervisor]}
            - {name: patrol-itself, on: health, to: [duty_desk], via: [mail, webhook]}
        """

    @Test("rules, groups, quiet hours and the webhook are read; the secret file follows the configuration's folder")
    func read() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("patrol.yaml").path
        try Self.rules.write(toFile: path, atomically: true, encoding: .utf8)
        let alerts = try Configuration.load(path).alerts
        #expect(alerts.every == 2 && alerts.stormWindow == 30 && alerts.stormThreshold == 20)
        #expect(alerts.quietHours == QuietHours(start: 22 * 60, end: 7 * 60))
        #expect(alerts.groups["duty_desk"] == [MailAddress("duty@district.example", name: "值班室")])
        #expect(alerts.webhook?.secretFile == folder.appendingPathComponent("webhook.secret").path)
        #expect(alerts.rules.map(\.name) == ["priority-interior", "perimeter", "steps", "patrol-itself"])
        let first = alerts.rules[0]
        #expect(first.signal == .camera && first.tiers == ["priority"] && first.placements == ["interior"] && first.after == 120)
        #expect(first.to == ["duty_desk", "supervisor"] && first.channels == [.mail, .webhook] && first.remindEvery == 3600)
        #expect(first.sendInQuietHours)
        #expect(!alerts.rules[1].sendInQuietHours && alerts.rules[1].channels == [.mail])
        #expect(alerts.rules[2].steps == ["warning", "closure"])
        // Patrol's own health goes in quiet hours unless told otherwise.
        #expect(alerts.rules[3].sendInQuietHours)
    }

    @Test("a bad rule names the file, the line and the key", arguments: [
        ("alerts:\n  rules:\n    - {name: a, on: cameras, to: [x]}\n", 3, "alerts.rules[1].on", "not one of: camera, registration, ledger, health"),
        ("alerts:\n  rules:\n    - {name: a, on: camera, to: [duty_desk]}\n", 3, "alerts.rules[1].to", "no group of alerts.groups"),
        ("alerts:\n  rules:\n    - {name: a, on: camera}\n", 3, "alerts.rules[1].to", "needs recipients"),
        ("alerts:\n  rules:\n    - {name: a, on: camera, to: [supervisor], via: [webhook]}\n", 3, "alerts.rules[1].via",
         "alerts.webhook is not configured"),
        ("alerts:\n  rules:\n    - {name: a, on: camera, to: [supervisor], tiers: [vip]}\n", 3, "alerts.rules[1].tiers", "'vip' is not one of"),
        ("alerts:\n  rules:\n    - {name: a, on: ledger, to: [supervisor], placements: [interior]}\n", 3, "alerts.rules[1].placements",
         "only a rule on camera"),
        ("alerts:\n  rules:\n    - {name: a, on: ledger, to: [supervisor], steps: [fine]}\n", 3, "alerts.rules[1].steps", "'fine' is not one of"),
        ("alerts:\n  rules:\n    - {name: a, on: camera, to: [supervisor], after: -1}\n", 3, "alerts.rules[1].after", "out of range"),
        ("alerts:\n  rules:\n    - {name: a, on: camera, to: [supervisor], afer: 60}\n", 3, "alerts.rules[1].afer", "unknown key"),
        ("alerts:\n  rules:\n    - {name: a, on: camera, to: [supervisor]}\n    - {name: a, on: ledger, to: [supervisor]}\n", 4,
         "alerts.rules[2].name", "names another rule"),
        ("alerts:\n  rules:\n    - {name: a, on: health, to: [supervisor]}\n", 3, "alerts.rules[1].to", "no supervisor"),
        ("alerts:\n  quiet_hours: {from: \"22:00\", to: \"7 am\"}\n", 2, "alerts.quiet_hours.to", "not a time of day"),
        ("alerts:\n  groups:\n    duty_desk: [\"not an address\"]\n", 3, "alerts.groups.duty_desk", "not a mail address"),
        ("alerts:\n  groups:\n    Duty: [duty@district.example]\n", 3, "alerts.groups.Duty", "lowercase"),
        ("alerts:\n  webhook: {url: \"https://gateway.example/patrol\"}\n", 2, "alerts.webhook.url", "secret_file or secret_env"),
        ("alerts:\n  webhook: {url: \"https://u:p@gateway.example/\", secret_env: S}\n", 2, "alerts.webhook.url", "user name or password"),
        ("alerts:\n  webhook: {url: \"ftp://gateway.example/\", secret_env: S}\n", 2, "alerts.webhook.url", "not an http:// or https://"),
    ] as [(String, Int, String, String)])
    func rejected(text: String, line: Int, key: String, reason: String) {
        do {
            _ = try Configuration.parse(text, file: "patrol.yaml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.key == key, "\(error)")
            #expect(error.description.contains(reason), "\(error)")
            #expect(error.description.hasPrefix("patrol.yaml:\(line): \(key): "), "\(error)")
        }
    }
}
