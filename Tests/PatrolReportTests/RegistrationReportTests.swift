import Foundation
import PatrolFixtures
import PatrolLedger
import PatrolSettings
import Testing
@testable import PatrolReport
@testable import PatrolStore

/// The registration systems in the report: the crafted day has one of every kind (compliant,
/// quiet, offline, offline with uploads stuck, stuck with and without the platform's words,
/// missing from the platform's answers).
@Suite struct RegistrationReportTests {
    let report = CraftedReport.report
    let text = ReportText.render(CraftedReport.report, timeZone: CraftedReport.zone, language: .en)

    /// The crafted day as it would be had no registration system been patrolled.
    static var withoutRegistration: DailyReport {
        var report = CraftedReport.report
        report.registration = []
        return report
    }

    /// Every system of the crafted day not judged because the platform was read for 5 hours.
    static var platformUnread: DailyReport {
        var report = CraftedReport.report
        for index in report.registration.indices {
            report.registration[index].verdict = .unknown
            report.registration[index].reason = "registration platform read for 5.0 h of 24.0 h; not enough to judge"
            report.registration[index].quiet = false
        }
        return report
    }

    @Test func theHeadlineCountsTheSystems() throws {
        let lines = text.components(separatedBy: "\n")
        let cameras = try #require(lines.firstIndex(of: "1,502 of 1,580 cameras compliant (interior 95.1%, +0.4 from yesterday)"))
        // 5 compliant of the 9 judged; R-0002, offline with its uploads stuck too, counts as offline.
        #expect(lines[cameras + 1] == "Registration systems: 5 of 9 judged compliant (55.5%); 2 offline, 2 uploads stuck; 1 not judged")
        let figures = report.registrationFigures
        let counts: [Int] = [figures.compliant, figures.failed, figures.unknown, figures.offline, figures.uploadsStuck, figures.quiet,
                             figures.platformUnread, figures.venues]
        #expect(counts == [5, 4, 1, 2, 2, 1, 0, 9])
        #expect(!text.contains("could not be read"), "one system missing from the answers is no alert")
    }

    @Test func theSectionListsOfflineStuckAndWorthALook() throws {
        let registration = section(text, "Registration systems")
        #expect(registration.hasPrefix("10 registration systems at 9 venues: 5 compliant, 4 failed (2 offline, 2 uploads stuck), "
            + "1 not judged; 1 of the compliant uploaded no record all day.\n"))
        // Between the priority venues and the maintenance list.
        let order = ["\nPriority venues\n", "\nRegistration systems\n", "\nMaintenance list\n"].map { text.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order == order.sorted { $0! < $1! })

        // Offline, longest first; the reason whole.
        let offline = listing(text, "Systems offline")
        #expect(offline.count == 3)
        #expect(words(offline[0]) == ["System", "Venue", "Name", "Supervisor", "Offline", "Reason"])
        #expect(offline[1].hasPrefix("  R-0002  V0002  朝阳旅舍, \"A\"座 "))
        #expect(offline[1].contains("  1 d  " + CraftedReport.offlineAndStuckReason))
        #expect(offline[2].hasPrefix("  R-0004  V0004  温馨公寓 "))
        #expect(offline[2].contains("张伟 (一组)") && offline[2].contains("6 h  " + CraftedReport.offlineReason))

        // Stuck, stuck longest first: since when, how many, how long, the platform's words.
        let stuck = listing(text, "Uploads stuck")
        #expect(stuck.count == 3)
        #expect(words(stuck[0]) == ["System", "Venue", "Name", "Supervisor", "Stuck", "since", "Waiting", "Oldest", "Platform's", "error"])
        #expect(words(stuck[1]) == ["R-0009", "V0009", "东方公寓", "张伟", "(一组)", "2026-11-20", "22:40", "3", "1", "d", "3", "h"])
        #expect(words(stuck[2]).prefix(10) == ["R-0005", "V0005", "星空网吧", "李娜", "(二组)", "2026-11-21", "09:14", "12", "14", "h"])
        #expect(stuck[2].hasSuffix("  " + CraftedReport.uploadError))
        // The columns line up under their titles, Chinese names and all.
        for title in ["Stuck since", "Platform's error"] {
            let at = column(of: title, in: stuck[0])
            #expect(at != nil)
            #expect(column(of: title == "Stuck since" ? "2026-11-2" : "证件", in: stuck[2]) == at, "\(title)")
        }
        #expect(column(of: "2026-11-20", in: stuck[1]) == column(of: "Stuck since", in: stuck[0]))

        // Worth a look: quiet all day, and missing from the platform's answers.
        let look = listing(text, "Worth a look")
        #expect(look.count == 3)
        #expect(look[1].hasPrefix("  R-0010  V0010  锦绣网吧 ") && look[1].contains("  no record uploaded all day  ")
            && look[1].hasSuffix("  " + CraftedReport.quietReason))
        #expect(look[2].hasPrefix("  R-0011  V0011  吉祥宾馆 ")
            && look[2].hasSuffix("  missing from the platform's answers  " + CraftedReport.missingReason))
        #expect(column(of: "no record", in: look[1]) == column(of: "Why", in: look[0]))
        // Compliant systems that uploaded are in no list.
        for id in ["R-0001", "R-0003", "R-0008A", "R-0008B"] { #expect(!registration.contains(id), "\(id)") }
        #expect(!text.contains { $0 == "\t" } && !text.components(separatedBy: "\n").contains { $0.hasSuffix(" ") })
    }

    @Test func theHTMLHasTheSameSection() {
        let html = ReportHTML.render(report, timeZone: CraftedReport.zone, language: .en)
        #expect(html.contains(">Registration systems: 5 of 9 judged compliant (55.5%); 2 offline, 2 uploads stuck; 1 not judged</p>"))
        #expect(html.contains(">Registration systems</h2>"))
        for heading in ["Systems offline", "Uploads stuck", "Worth a look"] { #expect(html.contains(">\(heading)</h3>"), "\(heading)") }
        #expect(html.contains("<td>R-0005</td><td>V0005</td><td nowrap>星空网吧</td><td nowrap>李娜 (二组)</td>"
            + "<td nowrap>2026-11-21 09:14</td><td align=\"right\">12</td><td align=\"right\" nowrap>14 h</td>"
            + "<td>\(CraftedReport.uploadError)</td>"))
        #expect(html.contains("<td>R-0002</td><td>V0002</td><td nowrap>朝阳旅舍, &quot;A&quot;座</td>"))
        #expect(html.contains("<td nowrap>missing from the platform&#39;s answers</td>"))
        let empty = ReportHTML.render(Self.platformUnread, timeZone: CraftedReport.zone, language: .en)
        for line in ["No system offline.", "No uploads stuck.", "No system quiet all day or missing from the platform&#39;s answers."] {
            #expect(empty.contains(">\(line)</p>"), "\(line)")
        }
    }

    @Test func theCSVHasOneRowPerSystem() throws {
        let records = try parseCSV(ReportCSV.registration(report, timeZone: CraftedReport.zone, language: .en))
        #expect(records[0] == ["day", "system_id", "venue_id", "venue_name", "tier", "supervisor", "verdict", "reason", "online_percent",
                               "offline_minutes", "longest_wait_minutes", "waiting", "stuck_since", "uploaded", "quiet", "last_error"])
        #expect(records.dropFirst().map { $0[1] } == report.registration.map(\.systemID))
        #expect(records.allSatisfy { $0.count == 16 })
        #expect(records.first { $0[1] == "R-0005" } == ["2026-11-21", "R-0005", "V0005", "星空网吧", "priority", "李娜 (二组)", "failed",
                                                       CraftedReport.stuckReason, "100.0", "0", "888", "12", "2026-11-21T09:14:00+08:00",
                                                       "51", "false", CraftedReport.uploadError])
        #expect(records.first { $0[1] == "R-0004" }?[8...11] == ["74.3", "370", "0", "0"])
        #expect(records.first { $0[1] == "R-0009" }?[12] == "2026-11-20T22:40:00+08:00")
        #expect(records.first { $0[1] == "R-0010" }?[13...14] == ["0", "true"])
        #expect(records.first { $0[1] == "R-0011" }?[6...7] == ["unknown", CraftedReport.missingReason])
        #expect(records.first { $0[1] == "R-0002" }?[3] == "朝阳旅舍, \"A\"座")

        // The platform's words are data: a formula among them is not run.
        var formula = report
        formula.registration[4].lastError = "=cmd|' /C calc'!A0"
        #expect(try parseCSV(ReportCSV.registration(formula, language: .en)).first { $0[1] == "R-0005" }?[15] == "'=cmd|' /C calc'!A0")

        #expect(ReportCSV.attachments(report, language: .en).map(\.filename)
            == ["patrol-cameras-2026-11-21.csv", "patrol-venues-2026-11-21.csv", "patrol-ledger-2026-11-21.csv",
                "patrol-registration-2026-11-21.csv", "patrol-maintenance-2026-11-21.csv"])
        let attached = try #require(ReportCSV.attachments(report, timeZone: CraftedReport.zone, language: .en)
            .first { $0.filename == "patrol-registration-2026-11-21.csv" })
        #expect(Array(attached.data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(attached.data == Data(ReportCSV.registration(report, timeZone: CraftedReport.zone, language: .en).utf8))
        // The venues file keeps the venue-day's reason, which names the registration side.
        #expect(try parseCSV(ReportCSV.venues(report, language: .en)).first { $0[1] == "V0004" }?[9] == "registration: R-0004 " + CraftedReport.offlineReason)
    }

    @Test func aSupervisorSeesOnlyTheirVenuesSystems() throws {
        let audience = ReportAudience.supervisor(CraftedReport.zhang)
        let text = ReportText.render(report, for: audience, timeZone: CraftedReport.zone, language: .en)
        let html = ReportHTML.render(report, for: audience, timeZone: CraftedReport.zone, language: .en)
        #expect(text.contains("\nRegistration systems at your venues: 1 of 3 judged compliant (33.3%); 1 offline, 1 uploads stuck; 1 not judged\n"))
        for body in [text, html] {
            for id in ["R-0004", "R-0009", "R-0010", "R-0011"] { #expect(body.contains(id), "\(id)") }
            for id in ["R-0001", "R-0002", "R-0005", "R-0008"] { #expect(!body.contains(id), "\(id)") }
        }
        #expect(section(text, "Registration systems").hasPrefix("4 registration systems at 4 venues: 1 compliant, 2 failed "))
        let files = ReportCSV.attachments(report, for: audience, timeZone: CraftedReport.zone, language: .en)
        #expect(files.map(\.filename).last == "patrol-registration-2026-11-21.csv")
        let rows = try parseCSV(String(decoding: try #require(files.last).data, as: UTF8.self))
        #expect(rows.dropFirst().map { $0[1] } == ["R-0004", "R-0009", "R-0010", "R-0011"])
        #expect(rows.dropFirst().allSatisfy { $0[5] == CraftedReport.zhang })

        // A supervisor whose venues declare no system, on a day that patrolled some.
        let none = ReportText.render(report, for: .supervisor("王强 (三组)"), timeZone: CraftedReport.zone, language: .en)
        #expect(none.contains("\nRegistration systems at your venues: none patrolled.\n"))
        #expect(section(none, "Registration systems").hasPrefix("No registration system of your venues was patrolled.\n"))
        #expect(listing(none, "Systems offline") == ["  No system offline."])
    }

    @Test func theMaintenanceTeamHearsNothingOfRegistration() throws {
        for body in [ReportText.render(report, for: .maintenance, timeZone: CraftedReport.zone, language: .en),
                     ReportHTML.render(report, for: .maintenance, timeZone: CraftedReport.zone, language: .en),
                     ReportText.render(Self.platformUnread, for: .maintenance, timeZone: CraftedReport.zone, language: .en)] {
            #expect(!body.lowercased().contains("registration") && !body.contains("R-00"))
        }
        #expect(ReportCSV.attachments(report, for: .maintenance, language: .en).map(\.filename) == ["patrol-maintenance-2026-11-21.csv"])
        #expect(try parseCSV(ReportCSV.registration(report, for: .maintenance, language: .en)).count == 1)
    }

    @Test("a day without registration systems says nothing of them, and the rest of the report is the same")
    func aDayWithoutRegistration() {
        let without = Self.withoutRegistration
        for audience in [ReportAudience.office, .supervisor(CraftedReport.zhang), .maintenance] {
            let text = ReportText.render(without, for: audience, timeZone: CraftedReport.zone, language: .en)
            let html = ReportHTML.render(without, for: audience, timeZone: CraftedReport.zone, language: .en)
            for body in [text, html] { #expect(!body.lowercased().contains("registration systems"), "\(audience)") }
            #expect(ReportCSV.attachments(without, for: audience, language: .en).allSatisfy { !$0.filename.contains("registration") })
        }
        #expect(ReportCSV.attachments(without, language: .en).map(\.filename)
            == ["patrol-cameras-2026-11-21.csv", "patrol-venues-2026-11-21.csv", "patrol-ledger-2026-11-21.csv",
                "patrol-maintenance-2026-11-21.csv"])
        #expect(!ReportText.render(emptyDay(), language: .en).lowercased().contains("registration"))

        // The registration line and section are all the difference, for the office and a supervisor.
        for audience in [ReportAudience.office, .supervisor(CraftedReport.zhang)] {
            var lines = ReportText.render(report, for: audience, timeZone: CraftedReport.zone, language: .en).components(separatedBy: "\n")
            lines.removeAll { $0.hasPrefix("Registration systems") && $0.contains(" judged") }
            let start = lines.firstIndex(of: "Registration systems")!
            let end = lines[(start + 2)...].firstIndex { $0.hasPrefix("---") }! - 2
            lines.removeSubrange(start - 1..<end)
            #expect(lines.joined(separator: "\n") == ReportText.render(without, for: audience, timeZone: CraftedReport.zone, language: .en), "\(audience)")
        }
    }

    @Test("the platform read too little: an alert for the office and supervisors, never against a venue")
    func thePlatformUnread() throws {
        let unread = Self.platformUnread
        let alert = "Registration platform read for 5.0 h of 24.0 h: the platform could not be read for most of the day, "
            + "so 10 of 10 registration systems were not judged. This never counts against a venue."
        for audience in [ReportAudience.office, .supervisor(CraftedReport.li)] {
            let text = ReportText.render(unread, for: audience, timeZone: CraftedReport.zone, language: .en)
            // Above the headline, after the failed ledger check.
            let top = text.components(separatedBy: "\n").prefix { !$0.contains("1,502 of 1,580") }.filter { $0.hasPrefix("!! ") }
            #expect(top.count == 2 && top[1] == "!! " + alert, "\(top)")
            #expect(ReportHTML.render(unread, for: audience, timeZone: CraftedReport.zone, language: .en).contains(ReportHTML.escape(alert)))
        }
        let text = ReportText.render(unread, timeZone: CraftedReport.zone, language: .en)
        #expect(text.contains("\nRegistration systems: none judged; 10 not judged\n"))
        // Nobody is listed for it.
        #expect(listing(text, "Worth a look") == ["  No system quiet all day or missing from the platform's answers."])
        #expect(listing(text, "Systems offline") == ["  No system offline."])
        #expect(listing(text, "Uploads stuck") == ["  No uploads stuck."])
        // A supervisor's own systems: the district's platform is the reason, their headline their own.
        let li = ReportText.render(unread, for: .supervisor(CraftedReport.li), timeZone: CraftedReport.zone, language: .en)
        #expect(li.contains("\nRegistration systems at your venues: none judged; 1 not judged\n"))
    }

    /// The report tells offline from stuck, and the platform unread from a system missing, by the
    /// words the judging (PatrolLedger's RegistrationDay) writes: judged here for real.
    @Test func theJudgingsOwnWordsAreReadRight() throws {
        let zone = CraftedReport.zone
        let start = CraftedReport.day.start(in: zone)
        let interval = DateInterval(start: start, duration: 86_400)
        let policy = RegistrationJudging()
        let times = stride(from: -300.0, to: 86_400, by: 300).map { start.addingTimeInterval($0) }
        func at(_ hour: Double) -> Date { start.addingTimeInterval(hour * 3600) }
        func judged(_ id: String, reads: [Date] = times, seen: (Date) -> Bool = { _ in true },
                    _ sample: (Date) -> RegistrationSample) -> RegistrationDay {
            RegistrationDay.judge(systemID: id, venueID: "V0001", samples: reads.filter(seen).map(sample),
                                  reads: times.map { ($0, reads.contains($0)) }, day: interval, policy: policy, zone: zone)
        }
        let days = [
            judged("ok") { RegistrationSample(systemID: "ok", at: $0, online: true, uploadedToday: 4) },
            judged("quiet") { RegistrationSample(systemID: "quiet", at: $0, online: true) },
            judged("offline") { RegistrationSample(systemID: "offline", at: $0, online: $0 >= at(8), uploadedToday: 9) },
            judged("stuck") { time in
                RegistrationSample(systemID: "stuck", at: time, online: true, uploadedToday: 3, waiting: time >= at(9) ? 5 : 0,
                                   oldestWaiting: time >= at(9) ? at(9) : nil, uploadErrors: time >= at(9) ? 2 : nil,
                                   lastError: time >= at(9) ? "证件号码校验失败" : nil)
            },
            judged("both") { RegistrationSample(systemID: "both", at: $0, online: false, waiting: 7, oldestWaiting: at(-3)) },
            judged("missing", seen: { $0 < at(3) }) { RegistrationSample(systemID: "missing", at: $0, online: true, uploadedToday: 1) },
            judged("unread", reads: times.filter { $0 < at(5) }) { RegistrationSample(systemID: "unread", at: $0, online: true) },
        ]
        let record = PatrolDayRecord(
            day: CraftedReport.day, headSeq: 0,
            venues: [.init(id: "V0001", name: "平安宾馆", kind: "hotel", tier: .watch, supervisor: CraftedReport.zhang, address: "城东路1号")],
            cameras: [], camerasBefore: [], entries: [], states: [:], commended: [], failedPerimeter: [], venueVerdicts: [:],
            registration: days.map { .init(day: $0, venueName: "平安宾馆") }, integrity: LedgerCheck(entries: 0, days: 1))
        let rows = DailyReport.build(record, policy: LadderPolicy()).registration
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.systemID, $0) })
        #expect(byID.mapValues(\.verdict) == ["ok": .compliant, "quiet": .compliant, "offline": .failed, "stuck": .failed,
                                              "both": .failed, "missing": .unknown, "unread": .unknown])
        #expect(byID.compactMapValues(\.failure) == ["offline": .offline, "stuck": .uploadsStuck, "both": .offline])
        #expect(byID.compactMapValues(\.notJudged) == ["missing": .missing, "unread": .platformUnread])
        #expect(rows.filter(\.quiet).map(\.systemID) == ["quiet"])
        let offline = try #require(byID["offline"]), stuck = try #require(byID["stuck"])
        #expect((offline.onlinePercent, offline.offlineMinutes, offline.venue.supervisor) == (66.6, 480, CraftedReport.zhang))
        #expect(stuck.stuckSince == at(9) && stuck.waiting == 5 && stuck.uploadErrors && stuck.lastError == "证件号码校验失败")
        #expect(stuck.longestWaitMinutes == 895, "the last read, 23:55, saw records waiting since 09:00")
        // One system of seven unread is no alert (it is in no list either); all of them would be.
        var report = DailyReport.build(record, policy: LadderPolicy())
        let text = ReportText.render(report, timeZone: zone, language: .en)
        #expect(!text.contains("could not be read"))
        #expect(text.contains("\nRegistration systems: 2 of 5 judged compliant (40.0%); 2 offline, 1 uploads stuck; 2 not judged\n"))
        #expect(!section(text, "Registration systems").contains("  unread "))
        report.registration = rows.filter { $0.systemID == "unread" }
        #expect(ReportText.render(report, timeZone: zone, language: .en).contains(
            "!! Registration platform read for 5.0 h of 24.0 h: the platform could not be read for most of the day, so 1 of 1 "))
    }
}
