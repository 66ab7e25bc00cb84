import Foundation
import PatrolConfig
import PatrolSettings
import Testing

@Suite("The configuration file")
struct ConfigurationTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples/patrol.yaml")

    @Test("the sample lists every default: loading it equals no file at all")
    func sample() throws {
        var loaded = try Configuration.load(Self.sample.path)
        #expect(loaded.database == "/var/lib/patrol/patrol.sqlite")
        loaded.database = Configuration().database
        // The ledger key's default is relative: beside the configuration file.
        #expect(loaded.ledgerKey == Self.sample.deletingLastPathComponent().appendingPathComponent("ledger.key").path)
        loaded.ledgerKey = Configuration().ledgerKey
        #expect(loaded == Configuration())
    }

    @Test("values are read, and relative paths follow the file")
    func values() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("patrol.yaml")
        try """
        database: data/patrol.sqlite
        probe:
          deadline: 5
          transport: udp
          hosts:
            "ZLM.city.example": {transport: "tcp,udp", deadline: 20}
            10.20.0.9: {transport: udp}
        schedule:
          cadence: {priority: 30}
          picture_every: {priority: 120}
          concurrency: 16
        """.write(to: file, atomically: true, encoding: .utf8)
        let configuration = try Configuration.load(file.path)
        #expect(configuration.database == folder.appendingPathComponent("data/patrol.sqlite").path)
        #expect(configuration.ledgerKey == folder.appendingPathComponent("ledger.key").path)
        #expect(configuration.probe.deadline == .seconds(5))
        #expect(configuration.probe.transport == .udp)
        #expect(configuration.probe.hosts == [
            "zlm.city.example": .init(transport: .tcpThenUDP, deadline: .seconds(20)),
            "10.20.0.9": .init(transport: .udp, deadline: nil),
        ])
        let platform = configuration.probe.applying(host: "zlm.City.example")
        #expect(platform.transport == .tcpThenUDP && platform.deadline == .seconds(20))
        #expect(configuration.probe.applying(host: "10.20.0.8") == configuration.probe)
        #expect(configuration.cadence.priority == 30 && configuration.cadence.general == 900)
        #expect(configuration.schedule.concurrency == 16)
        #expect(configuration.pictureEvery == PerTier(general: 900, watch: 900, priority: 120))
    }

    @Test("the registration platform is read: endpoint, token and drop folder beside the file, coverage from the cadence")
    func registration() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("patrol.yaml")
        try """
        registration:
          platform: https://reg.example.gov.cn/api/v1/registration/status?district=3201
          token_file: registration.token
          drop_folder: drop
          every: 60
          deadline: 10
          max_waiting_minutes: 90
          min_online_percent: 90
        """.write(to: file, atomically: true, encoding: .utf8)
        let configuration = try Configuration.load(file.path)
        let registration = configuration.registration
        #expect(registration.platform?.absoluteString == "https://reg.example.gov.cn/api/v1/registration/status?district=3201")
        #expect(registration.tokenFile == folder.appendingPathComponent("registration.token").path)
        #expect(registration.dropFolder == folder.appendingPathComponent("drop").path)
        #expect(registration.judging.coverage == 130)
        #expect(registration.judging.maxWaitingSeconds == 5400 && registration.judging.minOnlineShare == 0.9)
        // The daily patrol judges registration only when a platform or a folder is configured.
        #expect(configuration.patrol.registration == registration.judging)
        #expect(Configuration().patrol.registration == nil)
    }

    @Test("the report's recipients are read by audience, Chinese supervisor names included")
    func mail() throws {
        let mail = try Configuration.parse("""
            mail:
              sendmail: /usr/bin/msmtp
              sendmail_arguments: ["-C", "/etc/patrol/msmtprc"]
              from: 巡查系统 <patrol@district.example>
              office: ["治安办 <office@district.example>", duty@district.example]
              maintenance: city@maintenance.example
              supervisors:
                "张伟 (一组)": [zhang.wei@district.example]
            """, file: "patrol.yaml").mail
        #expect(mail.sendmail == "/usr/bin/msmtp" && mail.sendmailArguments == ["-C", "/etc/patrol/msmtprc"])
        #expect(mail.from == MailAddress("patrol@district.example", name: "巡查系统"))
        #expect(mail.office == [MailAddress("office@district.example", name: "治安办"), MailAddress("duty@district.example")])
        #expect(mail.maintenance == [MailAddress("city@maintenance.example")])
        #expect(mail.supervisors == ["张伟 (一组)": [MailAddress("zhang.wei@district.example")]])
        #expect(mail.hasRecipients)
        #expect(!Configuration().mail.hasRecipients)
    }

    @Test("the report's language: Simplified Chinese unless the file says en")
    func reportLanguage() throws {
        #expect(Configuration().patrol.reportLanguage == .zhCN)
        #expect(try Configuration.parse("report:\n  language: en\n", file: "patrol.yaml").patrol.reportLanguage == .en)
        #expect(try Configuration.parse("report:\n  language: zh-CN\n", file: "patrol.yaml").patrol.reportLanguage == .zhCN)
    }

    @Test("the daily patrol's time, rules and ladder are read; coverage follows the cadence")
    func patrol() throws {
        let configuration = try Configuration.parse("""
            schedule:
              cadence: {general: 1200}
            patrol:
              time_zone: Asia/Urumqi
              run_at: "07:30"
              min_online_percent: 90
              max_frozen_or_black_minutes: 30
            ladder:
              deadline_days: {general: 5}
              recheck_days: 14
              default_supervisor: 重点场所监管组
            """, file: "patrol.yaml")
        let patrol = configuration.patrol
        #expect(patrol.timeZone.identifier == "Asia/Urumqi")
        #expect(patrol.hour == 7 && patrol.minute == 30)
        #expect(patrol.judging.minOnlineShare == 0.9 && patrol.judging.maxFrozenOrBlackSeconds == 1800)
        #expect(patrol.ladder.deadlineDays == PerTier(general: 5, watch: 2, priority: 1))
        #expect(patrol.ladder.recheckDays == 14 && patrol.ladder.defaultSupervisor == "重点场所监管组")
        // A probe stands for twice the cadence (or the longest backoff) plus the deadline.
        #expect(patrol.coverage.general == 2408 && patrol.coverage.priority == 608)
    }

    @Test("a bad configuration names the file, the line and the key", arguments: [
        ("probe:\n  deadline: soon\n", 2, "probe.deadline", "expected a number"),
        ("schedule:\n  cadence:\n    prority: 60\n", 3, "schedule.cadence.prority", "unknown key"),
        ("probe:\n  transport: quic\n", 2, "probe.transport", "not one of: tcp, udp, tcp,udp, udp,tcp"),
        ("probe:\n  hosts:\n    10.0.0.1: {deadline: 900}\n", 3, "probe.hosts.10.0.0.1.deadline", "out of range"),
        ("schedule:\n  concurrency: 0\n", 2, "schedule.concurrency", "out of range"),
        ("retention: 7\n", 1, "retention", "expected a section"),
        ("probe:\n  deadline: 8\n   window: 2\n", 3, nil, "not valid YAML"),
        ("schedule:\n  concurrency: 300\n", 2, "schedule.workers", "at least"),
        ("patrol:\n  run_at: \"6 am\"\n", 2, "patrol.run_at", "not a time of day"),
        ("patrol:\n  time_zone: Mars/Olympus\n", 2, "patrol.time_zone", "not a time zone"),
        ("ladder:\n  deadline_days:\n    vip: 1\n", 3, "ladder.deadline_days.vip", "unknown key"),
        ("patrol:\n  min_online_percent: 120\n", 2, "patrol.min_online_percent", "out of range"),
        ("mail:\n  office: [\"not an address\"]\n", 2, "mail.office", "not a mail address"),
        ("mail:\n  supervisors:\n    张伟: {a: 1}\n", 3, "mail.supervisors.张伟", "expected a list of texts"),
        // A control character passes a syntax check but fails every message at render: refused at load.
        ("mail:\n  from: \"patrol\\x1b@localhost\"\n", 2, "mail.from", "not a usable mail address"),
        ("mail:\n  from: \"Patrol\\r\\nBcc: all@evil.example <patrol@localhost>\"\n", 2, "mail.from", "control character"),
        ("mail:\n  office: [\"office@district.example\\x07\"]\n", 2, "mail.office", "not a usable mail address"),
        ("mail:\n  maintenance: [\"城管 \\u0085<city@maintenance.example>\"]\n", 2, "mail.maintenance", "control character"),
        ("mail:\n  supervisors:\n    \"张伟\\n\": [a@b.example]\n", 3, "mail.supervisors.张伟\n", "control character"),
        ("registration:\n  platform: ftp://reg.example/status\n", 2, "registration.platform", "not an http:// or https:// URL"),
        ("registration:\n  platform: https://patrol:s3cret@reg.example/status\n", 2, "registration.platform", "registration.token_file"),
        ("registration:\n  every: 1\n", 2, "registration.every", "out of range"),
        ("registration:\n  platfrom: https://reg.example/status\n", 2, "registration.platfrom", "unknown key"),
        ("report:\n  language: zh\n", 2, "report.language", "not one of: zh-CN, en"),
        ("report:\n  langauge: en\n", 2, "report.langauge", "unknown key"),
    ] as [(String, Int, String?, String)])
    func rejected(text: String, line: Int, key: String?, reason: String) {
        do {
            _ = try Configuration.parse(text, file: "patrol.yaml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.key == key, "\(error)")
            #expect(error.description.contains(reason), "\(error)")
            #expect(error.description.hasPrefix("patrol.yaml:"))
        }
    }

    @Test("a billion-laughs configuration is refused, its aliases never expanded")
    func billionLaughs() {
        var text = "lol0: &lol0 [lol]\n"
        for level in 1...9 {
            text += "lol\(level): &lol\(level) [" + Array(repeating: "*lol\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        text += "mail:\n  office: *lol9\n"
        #expect(throws: ConfigError.self) { try Configuration.parse(text, file: "patrol.yaml") }
        do {
            _ = try Configuration.parse(text, file: "patrol.yaml")
        } catch {
            #expect(error.key == "mail.office" && error.reason == "expected a list of texts", "\(error)")
        }
        let nested = "mail:\n  office: &a [x@y.example]\n" + "  maintenance: [" + Array(repeating: "*a", count: 1000).joined(separator: ", ") + "]\n"
        do {
            _ = try Configuration.parse(nested, file: "patrol.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.key == "mail.maintenance", "\(error)")
        }
    }

    @Test("console: off without the section, on with it, its keys read and checked")
    func console() throws {
        #expect(!Configuration().console.enabled)
        let on = try Configuration.parse("console: {}\n", file: "patrol.yaml").console
        #expect(on.enabled && on.host == "127.0.0.1" && on.port == 8780 && !on.secureCookie)
        let set = try Configuration.parse("""
            console:
              listen: "[::1]:9000"
              session_hours: 8
              secure_cookie: true
              max_failures: 3
              lockout_minutes: 30
            """, file: "patrol.yaml").console
        #expect(set.host == "::1" && set.port == 9000 && set.sessionSeconds == 8 * 3600 && set.secureCookie)
        #expect(set.maxFailures == 3 && set.lockoutSeconds == 1800)
        #expect(try !Configuration.parse("console:\n  enabled: false\n", file: "patrol.yaml").console.enabled)
        for bad in ["console:\n  listen: 8780\n", "console:\n  listen: host:99999\n", "console:\n  secure_cookie: maybe\n",
                    "console:\n  colour: blue\n"] {
            #expect(throws: ConfigError.self) { try Configuration.parse(bad, file: "patrol.yaml") }
        }
    }
}
