import Foundation
import PatrolInventory
import PatrolLedger
import PatrolReport
import PatrolStore

/// A patrol day whose daily report has every section filled, named after the worked example in
/// docs/LEDGER.md: orders, a warning, a suspension and a closure, a waiver, a commendation, names
/// that are Chinese, that hold commas and quotes, markup or a spreadsheet formula, registration
/// systems of every kind, 30 days of trend, and a ledger check that failed. Its reasons are in
/// the judging's own words (PatrolLedger's), its operators' in Chinese. Plain values: the renderers' tests read it, and `patrol-bench
/// report-preview` writes its text, HTML and CSV for a person to look at.
public enum CraftedReport {
    public typealias VenueName = DailyReport.VenueName

    /// The district's time zone, and the day.
    public static let zone = TimeZone(identifier: "Asia/Shanghai")!
    public static let day = PatrolDay(year: 2026, month: 11, day: 21)

    public static let zhang = "张伟 (一组)"
    public static let li = "李娜 (二组)"

    public static let pingan = VenueName(id: "V0001", name: "平安宾馆", tier: .general, supervisor: nil)
    /// A name with a comma and quotes, for the CSV.
    public static let chaoyang = VenueName(id: "V0002", name: "朝阳旅舍, \"A\"座", tier: .general, supervisor: nil)
    /// A name that is markup, for the HTML.
    public static let script = VenueName(id: "V0003", name: "<script>alert(1)</script>网吧", tier: .general, supervisor: nil)
    public static let wenxin = VenueName(id: "V0004", name: "温馨公寓", tier: .watch, supervisor: zhang)
    public static let xingkong = VenueName(id: "V0005", name: "星空网吧", tier: .priority, supervisor: li)
    public static let laojie = VenueName(id: "V0006", name: "老街旅社", tier: .priority, supervisor: li)
    public static let heping = VenueName(id: "V0007", name: "和平出租屋", tier: .watch, supervisor: li)
    public static let ruyi = VenueName(id: "V0008", name: "如意宾馆", tier: .general, supervisor: nil)
    public static let dongfang = VenueName(id: "V0009", name: "东方公寓", tier: .watch, supervisor: zhang)
    public static let jinxiu = VenueName(id: "V0010", name: "锦绣网吧", tier: .priority, supervisor: zhang)
    public static let jixiang = VenueName(id: "V0011", name: "吉祥宾馆", tier: .general, supervisor: zhang)
    /// A name a spreadsheet would take for a formula.
    public static let formula = VenueName(id: "V0012", name: "=HYPERLINK(\"http://x\")", tier: .general, supervisor: nil)

    public static let blackReason = "online 0% of 24.0 h watched (needs 95%), mostly black"
    public static let orderReason = "1 of 2 interior cameras failed: C00002 \(blackReason)"
    /// A reason with quotes and a line break, as a future judging might write one, for the CSV.
    public static let quotedReason = "online 91.6% of 24.0 h watched (needs 95%), mostly \"timeout\"\nthen refused"

    /// The registration systems' reasons, in the judging's words (PatrolLedger's RegistrationDay).
    public static let offlineReason = "offline for 370 min (online 74.3% of 24.0 h seen, needs 95%)"
    public static let uploadError = "证件号码校验失败 (ID number rejected)"
    public static let stuckReason = "terminal online but the platform reports upload errors: \(uploadError); uploads stuck since 09:14 "
        + "(12 records waiting, the oldest for 14.8 h; at most 120 min)"
    public static let offlineAndStuckReason = "offline for 1440 min (online 0% of 24.0 h seen, needs 95%); uploads stuck since "
        + "2026-11-20 18:02 (7 records waiting, the oldest for 29.9 h; at most 120 min)"
    public static let silentStuckReason = "uploads stuck since 2026-11-20 22:40 (3 records waiting, the oldest for 27.3 h; at most 120 min)"
    public static let missingReason = "in the platform's answers for 3.0 h of 24.0 h read; not enough to judge"
    public static let quietReason = "online 100% of 24.0 h seen; no record uploaded all day"

    public static var report: DailyReport {
        let day = Self.day
        func event(_ seq: Int, _ kind: EntryKind, _ venue: VenueName?, deadline: PatrolDay? = nil, actor: String = "patrol",
                   _ line: String) -> DailyReport.Event {
            DailyReport.Event(seq: seq, kind: kind, venue: venue, day: day, deadline: deadline, actor: actor, line: line)
        }
        let events = [
            event(101, .order, pingan, deadline: day.adding(3), "rectify by 2026-11-24: \(orderReason)"),
            event(102, .order, chaoyang, deadline: day.adding(3),
                  "rectify by 2026-11-24: 1 of 1 interior cameras failed: C00010 online 40% of 24.0 h watched (needs 95%), mostly refused"),
            event(103, .order, script, deadline: day.adding(3),
                  "rectify by 2026-11-24: 1 of 3 interior cameras failed: C00020 frozen or black for 75 min (at most 60 min)"),
            event(104, .deadlineMissed, wenxin, deadline: day,
                  "order of 2026-11-18 not rectified by 2026-11-21: registration: R-0004 \(offlineReason)"),
            event(105, .warning, wenxin, deadline: day.adding(1), "first failure in 365 days (missed deadline); rectify by 2026-11-22"),
            event(106, .deadlineMissed, xingkong, deadline: day,
                  "warning of 2026-11-19 not rectified by 2026-11-21: registration: R-0005 \(stuckReason)"),
            event(107, .suspension, xingkong, deadline: day.adding(2),
                  "second failure in 365 days (missed deadline); business suspended, rectify by 2026-11-23"),
            event(108, .closure, laojie, "failure number 3 in 365 days (relapse)"),
            event(109, .reinstated, heping, actor: "李娜", "现场检查，已更换录像机"),
            event(110, .rectified, ruyi, "order of 2026-11-18 rectified; re-check until 2026-11-28: all 2 interior cameras compliant"),
            event(111, .waiver, nil, actor: "王芳", "全区停电 14:00–18:30"),
            event(112, .commended, jixiang, "90 clean days in a row"),
            event(113, .tierChanged, jixiang, "90 clean days in a row"),
        ]
        let cameras = [
            camera("C00002", pingan, .interior, .failed, reason: blackReason, failure: "black"),
            camera("C00003", pingan),
            camera("C00010", chaoyang, .interior, .failed, reason: quotedReason, failure: "timeout"),
            camera("C00020", script, .interior, .failed, reason: "frozen or black for 75 min (at most 60 min)", failure: "frozen"),
            camera("C00030", wenxin),
            camera("C00031", wenxin, .perimeter, .failed, reason: "online 0% of 24.0 h watched (needs 95%), mostly refused", failure: "refused"),
            camera("C00040", xingkong),
            camera("C00090", dongfang),
            camera("C00100", jinxiu),
            camera("C00110", jixiang),
            camera("C00120", formula),
        ]
        let venues = [
            venueRow(pingan, .ordered, verdict: .failed, reason: orderReason, deadline: day.adding(3)),
            venueRow(chaoyang, .ordered, verdict: .failed, reason: quotedReason, deadline: day.adding(3)),
            venueRow(script, .ordered, verdict: .failed, deadline: day.adding(3)),
            venueRow(wenxin, .warned, verdict: .failed, reason: "registration: R-0004 \(offlineReason)", deadline: day.adding(1)),
            venueRow(xingkong, .suspended, verdict: .failed, reason: "registration: R-0005 \(stuckReason)", deadline: day.adding(2),
                     failures: 2),
            venueRow(laojie, .closed, verdict: .failed, failures: 3),
            venueRow(heping, .suspended),
            venueRow(ruyi),
            venueRow(dongfang, .ordered, verdict: .compliant, deadline: day.adding(2)),
            venueRow(jinxiu),
            venueRow(jixiang, commended: true),
            venueRow(formula, verdict: nil, reason: "not judged"),
        ]
        let since = time(day: 19, hour: 14, minute: 5)
        // The registration systems: compliant, quiet, offline (one of them with its uploads stuck
        // too), uploads stuck with and without the platform's words, missing from its answers.
        let registration = [
            registrationRow("R-0001", pingan, uploaded: 36),
            registrationRow("R-0002", chaoyang, .failed, reason: offlineAndStuckReason, online: 0, waiting: (7, 1794),
                            stuckSince: time(day: 20, hour: 18, minute: 2)),
            registrationRow("R-0003", script, uploaded: 8),
            registrationRow("R-0004", wenxin, .failed, reason: offlineReason, online: 74.3, uploaded: 20),
            registrationRow("R-0005", xingkong, .failed, reason: stuckReason, uploaded: 51, waiting: (12, 888),
                            stuckSince: time(day: 21, hour: 9, minute: 14), lastError: uploadError),
            registrationRow("R-0008A", ruyi, uploaded: 14),
            registrationRow("R-0008B", ruyi, uploaded: 3),
            registrationRow("R-0009", dongfang, .failed, reason: silentStuckReason, waiting: (3, 1638),
                            stuckSince: time(day: 20, hour: 22, minute: 40)),
            registrationRow("R-0010", jinxiu, reason: quietReason),
            registrationRow("R-0011", jixiang, .unknown, reason: missingReason, uploaded: 5),
        ]
        return DailyReport(
            day: day,
            figures: figures(interior: [.compliant: 1197, .failed: 61, .unknown: 2], perimeter: [.compliant: 305, .failed: 15],
                             failedBy: ["timeout": 40, "black": 20, "frozen": 10, "refused": 6]),
            previous: figures(interior: [.compliant: 1192, .failed: 66, .unknown: 2], perimeter: [.compliant: 308, .failed: 12]),
            standings: [.clean: 290, .ordered: 18, .warned: 6, .suspended: 3, .closed: 3],
            events: events,
            due: [
                DailyReport.Due(venue: wenxin, kind: .warning, opened: day, deadline: day.adding(1)),
                DailyReport.Due(venue: xingkong, kind: .suspension, opened: day, deadline: day.adding(2)),
                DailyReport.Due(venue: dongfang, kind: .order, opened: day.adding(-1), deadline: day.adding(2)),
            ],
            priority: [xingkong, jinxiu],
            maintenance: [
                DailyReport.MaintenanceItem(cameraID: "C00031", venue: wenxin, address: "长安街1号, 东门",
                                            reason: "online 0% of 24.0 h watched (needs 95%), mostly refused", since: since),
                // Up again by the day's end, failing on and off since the early morning.
                DailyReport.MaintenanceItem(cameraID: "C00051", venue: xingkong, address: "解放路88号",
                                            reason: "online 60.2% of 24.0 h watched (needs 95%), mostly timeout",
                                            since: time(day: 21, hour: 3, minute: 40)),
            ],
            repeatOffenders: [
                DailyReport.Offender(venue: laojie, failures: 3, standing: .closed),
                DailyReport.Offender(venue: xingkong, failures: 2, standing: .suspended),
            ],
            commendations: [jixiang],
            integrity: LedgerCheck(entries: 113, days: 30, problem: "ledger entry #57 was altered: its content no longer matches its hash", seq: 57),
            cameras: cameras,
            venues: venues,
            registration: registration,
            trend: trend)
    }

    /// The last 30 patrolled days, ending with the day's own figures (and the day before's):
    /// compliance climbing back from a bad week, the ladder filling as its orders fall due.
    public static var trend: [DailyReport.TrendDay] {
        (0..<30).map { index in
            let judged = PatrolDay(year: 2026, month: 10, day: 23).adding(index)
            let failed = switch index {
            case 29: 61
            case 28: 66
            case 10...16: 84 + index % 5
            default: 62 + index * 7 % 9
            }
            let ordered = 9 + index / 3, warned = 2 + index / 7, suspended = index < 20 ? 1 : index < 29 ? 2 : 3, closed = index < 25 ? 2 : 3
            return DailyReport.TrendDay(day: judged, interior: [.compliant: 1258 - failed, .failed: failed, .unknown: 2],
                                        standings: [.clean: 320 - ordered - warned - suspended - closed, .ordered: ordered,
                                                    .warned: warned, .suspended: suspended, .closed: closed])
        }
    }

    /// A time of November 2026 in the district.
    static func time(day: Int, hour: Int, minute: Int) -> Date {
        DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: zone, year: 2026, month: 11, day: day, hour: hour,
                       minute: minute).date!
    }

    // MARK: The rows, with the values most of them share

    public static func figures(interior: [Verdict: Int], perimeter: [Verdict: Int], failedBy: [String: Int] = [:]) -> DailyReport.Figures {
        var figures = DailyReport.Figures()
        figures.interior = interior
        figures.perimeter = perimeter
        figures.failedBy = failedBy
        return figures
    }

    /// A camera watched all day, 96 probes: all online, or 12.5% when it failed.
    public static func camera(_ id: String, _ venue: VenueName, _ placement: Placement = .interior, _ verdict: Verdict = .compliant,
                              reason: String = "online 100.0% of 24.0 h watched", failure: String? = nil) -> DailyReport.CameraRow {
        DailyReport.CameraRow(cameraID: id, venue: venue, placement: placement, verdict: verdict, reason: reason,
                              onlinePercent: verdict == .failed ? 12.5 : 100, frozenOrBlackMinutes: 0, watchedHours: 24, probes: 96,
                              mainFailure: failure)
    }

    /// A registration system seen all day: compliant and online unless told, `waiting` records
    /// (how many, the oldest's wait in minutes) at the longest. Quiet when compliant with nothing uploaded.
    public static func registrationRow(_ id: String, _ venue: VenueName, _ verdict: Verdict = .compliant,
                              reason: String = "online 100% of 24.0 h seen; records uploaded", online: Double = 100, uploaded: Int = 0,
                              waiting: (count: Int, minutes: Int) = (0, 0), stuckSince: Date? = nil,
                              lastError: String? = nil) -> DailyReport.RegistrationRow {
        DailyReport.RegistrationRow(
            systemID: id, venue: venue, verdict: verdict,
            reason: verdict == .compliant && uploaded > 0 ? "online 100% of 24.0 h seen; \(uploaded) records uploaded" : reason,
            onlinePercent: online, offlineMinutes: Int(((100 - online) * 14.4).rounded()), longestWaitMinutes: waiting.minutes,
            waiting: waiting.count, stuckSince: stuckSince, uploaded: uploaded, quiet: verdict == .compliant && uploaded == 0,
            uploadErrors: lastError != nil, lastError: lastError)
    }

    /// A hotel's day and standing.
    public static func venueRow(_ venue: VenueName, _ standing: Standing = .clean, verdict: Verdict? = .compliant,
                                reason: String = "all interior cameras compliant", deadline: PatrolDay? = nil, failures: Int = 0,
                                commended: Bool = false) -> DailyReport.VenueRow {
        DailyReport.VenueRow(venue: venue, kind: "hotel", verdict: verdict, reason: reason, standing: standing, deadline: deadline,
                             failures: failures, commended: commended)
    }
}
