import Foundation
import PatrolInventory
import PatrolLedger
@testable import PatrolReport
@testable import PatrolStore

typealias VenueName = DailyReport.VenueName

let shanghai = TimeZone(identifier: "Asia/Shanghai")!
let reportDay = PatrolDay(year: 2026, month: 11, day: 21)

func figures(interior: [Verdict: Int], perimeter: [Verdict: Int], failedBy: [String: Int] = [:]) -> DailyReport.Figures {
    var figures = DailyReport.Figures()
    figures.interior = interior
    figures.perimeter = perimeter
    figures.failedBy = failedBy
    return figures
}

func camera(_ id: String, _ venue: VenueName, _ placement: Placement = .interior, _ verdict: Verdict = .compliant,
            reason: String = "online 100.0% of 24.0 h watched", failure: String? = nil) -> DailyReport.CameraRow {
    DailyReport.CameraRow(cameraID: id, venue: venue, placement: placement, verdict: verdict, reason: reason,
                          onlinePercent: verdict == .failed ? 12.5 : 100, frozenOrBlackMinutes: 0, watchedHours: 24, probes: 96,
                          mainFailure: failure)
}

func venueRow(_ venue: VenueName, _ standing: Standing = .clean, verdict: Verdict? = .compliant,
              reason: String = "all interior cameras compliant", deadline: PatrolDay? = nil) -> DailyReport.VenueRow {
    DailyReport.VenueRow(venue: venue, kind: "hotel", verdict: verdict, reason: reason, standing: standing, deadline: deadline)
}

/// A day with every section filled, named after the worked example in docs/LEDGER.md.
enum Crafted {
    static let zhang = "张伟 (一组)"
    static let li = "李娜 (二组)"

    static let pingan = VenueName(id: "V0001", name: "平安宾馆", tier: .general, supervisor: nil)
    /// A name with a comma and quotes, for the CSV.
    static let sunrise = VenueName(id: "V0002", name: "Sunrise Hostel, Block \"A\"", tier: .general, supervisor: nil)
    /// A name that is markup, for the HTML.
    static let script = VenueName(id: "V0003", name: "<script>alert(1)</script>网吧", tier: .general, supervisor: nil)
    static let wenxin = VenueName(id: "V0004", name: "温馨公寓", tier: .watch, supervisor: zhang)
    static let xingkong = VenueName(id: "V0005", name: "星空网吧", tier: .priority, supervisor: li)
    static let laojie = VenueName(id: "V0006", name: "老街旅社", tier: .priority, supervisor: li)
    static let heping = VenueName(id: "V0007", name: "和平出租屋", tier: .watch, supervisor: li)
    static let ruyi = VenueName(id: "V0008", name: "如意宾馆", tier: .general, supervisor: nil)
    static let dongfang = VenueName(id: "V0009", name: "东方公寓", tier: .watch, supervisor: zhang)
    static let jinxiu = VenueName(id: "V0010", name: "锦绣网吧", tier: .priority, supervisor: zhang)
    static let jixiang = VenueName(id: "V0011", name: "吉祥宾馆", tier: .general, supervisor: zhang)
    /// A name a spreadsheet would take for a formula.
    static let formula = VenueName(id: "V0012", name: "=HYPERLINK(\"http://x\")", tier: .general, supervisor: nil)

    static let orderReason = "1 of 2 interior cameras failed: C00002 online 0.0% of 24.0 h watched (needs 95%), mostly black"
    static let quotedReason = "online 91.6% of 24.0 h watched (needs 95%), mostly \"timeout\"\nthen refused"

    static var report: DailyReport {
        let day = reportDay
        func event(_ seq: Int, _ kind: EntryKind, _ venue: VenueName?, deadline: PatrolDay? = nil, actor: String = "patrol",
                   _ line: String) -> DailyReport.Event {
            DailyReport.Event(seq: seq, kind: kind, venue: venue, day: day, deadline: deadline, actor: actor, line: line)
        }
        let events = [
            event(101, .order, pingan, deadline: day.adding(3), orderReason),
            event(102, .order, sunrise, deadline: day.adding(3), "1 of 1 interior cameras failed: C00010 online 40.0% of 24.0 h watched (needs 95%), mostly refused"),
            event(103, .order, script, deadline: day.adding(3), "1 of 3 interior cameras failed: C00020 frozen or black for 75 min (at most 60 min)"),
            event(104, .deadlineMissed, wenxin, deadline: day, "deadline 2026-11-21 passed failing"),
            event(105, .warning, wenxin, deadline: day.adding(1), "first failure in 365 days: warning"),
            event(106, .deadlineMissed, xingkong, deadline: day, "deadline 2026-11-21 passed failing"),
            event(107, .suspension, xingkong, deadline: day.adding(2), "second failure in 365 days: suspension"),
            event(108, .closure, laojie, "third failure in 365 days: closure"),
            event(109, .reinstated, heping, actor: "李娜", "inspected on site, recorder replaced"),
            event(110, .rectified, ruyi, "all interior cameras compliant"),
            event(111, .waiver, nil, actor: "王芳", "district power cut 2026-11-21 14:00-18:30"),
            event(112, .commended, jixiang, "90 compliant days in a row"),
            event(113, .tierChanged, jixiang, "commended: one tier down"),
        ]
        let cameras = [
            camera("C00002", pingan, .interior, .failed, reason: orderReason, failure: "black"),
            camera("C00003", pingan),
            camera("C00010", sunrise, .interior, .failed, reason: quotedReason, failure: "timeout"),
            camera("C00020", script, .interior, .failed, reason: "frozen or black for 75 min (at most 60 min)", failure: "frozen"),
            camera("C00030", wenxin),
            camera("C00031", wenxin, .perimeter, .failed, reason: "online 0.0% of 24.0 h watched (needs 95%), mostly refused", failure: "refused"),
            camera("C00040", xingkong),
            camera("C00090", dongfang),
            camera("C00100", jinxiu),
            camera("C00110", jixiang),
            camera("C00120", formula),
        ]
        let venues = [
            venueRow(pingan, .ordered, verdict: .failed, reason: orderReason, deadline: day.adding(3)),
            venueRow(sunrise, .ordered, verdict: .failed, reason: quotedReason, deadline: day.adding(3)),
            venueRow(script, .ordered, verdict: .failed, deadline: day.adding(3)),
            venueRow(wenxin, .warned, verdict: .failed, deadline: day.adding(1)),
            venueRow(xingkong, .suspended, verdict: .failed, deadline: day.adding(2)),
            venueRow(laojie, .closed, verdict: .failed),
            venueRow(heping, .suspended),
            venueRow(ruyi),
            venueRow(dongfang, .ordered, verdict: .compliant, deadline: day.adding(2)),
            venueRow(jinxiu),
            venueRow(jixiang),
            venueRow(formula, verdict: nil, reason: "not judged"),
        ]
        let since = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: shanghai,
                                   year: 2026, month: 11, day: 19, hour: 14, minute: 5).date!
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
                DailyReport.MaintenanceItem(cameraID: "C00031", venue: wenxin, address: "长安街1号, 东门", reason: "online 0.0% of 24.0 h watched (needs 95%), mostly refused", since: since),
                DailyReport.MaintenanceItem(cameraID: "C00051", venue: xingkong, address: "解放路88号", reason: "online 60.2% of 24.0 h watched (needs 95%), mostly timeout", since: nil),
            ],
            repeatOffenders: [
                DailyReport.Offender(venue: laojie, failures: 3, standing: .closed),
                DailyReport.Offender(venue: xingkong, failures: 2, standing: .suspended),
            ],
            commendations: [jixiang],
            integrity: LedgerCheck(entries: 113, days: 30, problem: "ledger entry #57 was altered: its content no longer matches its hash", seq: 57),
            cameras: cameras,
            venues: venues)
    }
}

/// A day on which nothing happened: every camera compliant, no step, nothing due.
func emptyDay() -> DailyReport {
    let venue = VenueName(id: "V0001", name: "平安宾馆", tier: .general, supervisor: nil)
    return DailyReport(
        day: reportDay,
        figures: figures(interior: [.compliant: 1260], perimeter: [.compliant: 320]),
        previous: figures(interior: [.compliant: 1260], perimeter: [.compliant: 320]),
        standings: [.clean: 320], events: [], due: [], priority: [], maintenance: [], repeatOffenders: [], commendations: [],
        integrity: LedgerCheck(entries: 0, days: 30), cameras: [camera("C00001", venue)], venues: [venueRow(venue)])
}

/// The whole district on a bad day: 1,580 cameras, 320 venues, hundreds of steps.
func largeDay() -> DailyReport {
    let day = reportDay
    let kinds = ["宾馆", "公寓", "网吧", "旅社", "出租屋"]
    let supervisors = ["张伟 (一组)", "李娜 (二组)", "王强 (三组)", "刘洋 (四组)"]
    let venues = (1...320).map { index in
        VenueName(id: String(format: "V%04d", index), name: "第\(index)号平安\(kinds[index % kinds.count])",
                  tier: index % 5 == 0 ? .priority : index % 3 == 0 ? .watch : .general,
                  supervisor: index % 5 == 0 || index % 7 == 0 ? supervisors[index % supervisors.count] : nil)
    }
    // 320 perimeter cameras (one per venue), then 1,260 interior ones spread over the venues.
    var cameras = venues.enumerated().map { index, venue in
        camera(String(format: "C%05d", index + 1), venue, .perimeter, index % 8 == 0 ? .failed : .compliant,
               reason: index % 8 == 0 ? "online 0.0% of 24.0 h watched (needs 95%), mostly refused" : "online 100.0% of 24.0 h watched",
               failure: index % 8 == 0 ? "refused" : nil)
    }
    cameras += (0..<1260).map { index in
        let failed = index % 4 == 0
        return camera(String(format: "C%05d", 321 + index), venues[index % 320], .interior, failed ? .failed : .compliant,
                      reason: failed ? "online 12.5% of 24.0 h watched (needs 95%), mostly timeout" : "online 100.0% of 24.0 h watched",
                      failure: failed ? "timeout" : nil)
    }
    let steps: [(EntryKind, Int)] = [(.order, 150), (.warning, 60), (.suspension, 30), (.closure, 10), (.rectified, 80),
                                     (.reinstated, 20), (.waiver, 1), (.deadlineMissed, 100), (.deadlineExtended, 40)]
    var events: [DailyReport.Event] = []
    for (kind, count) in steps {
        for index in 0..<count {
            let venue = venues[(events.count * 7 + index) % 320]
            events.append(DailyReport.Event(
                seq: 1000 + events.count, kind: kind, venue: kind == .waiver ? nil : venue, day: day,
                deadline: [.order, .warning, .suspension].contains(kind) ? day.adding(3) : nil,
                actor: [.reinstated, .waiver].contains(kind) ? "王芳" : "patrol",
                line: "2 of 4 interior cameras failed: C01234 online 12.5% of 24.0 h watched (needs 95%), mostly timeout"))
        }
    }
    let report = DailyReport(
        day: day, figures: DailyReport.Figures(cameras), previous: DailyReport.Figures(cameras),
        standings: [.clean: 100, .ordered: 120, .warned: 50, .suspended: 30, .closed: 20], events: events,
        due: venues.prefix(160).enumerated().map { index, venue in
            DailyReport.Due(venue: venue, kind: .order, opened: day.adding(-2), deadline: day.adding(1 + index % 2))
        },
        priority: venues.filter { $0.tier == .priority },
        maintenance: cameras.filter { $0.placement == .perimeter && $0.verdict == .failed }.map {
            DailyReport.MaintenanceItem(cameraID: $0.cameraID, venue: $0.venue, address: "解放路\($0.venue.id.dropFirst())号",
                                        reason: $0.reason, since: day.start(in: shanghai))
        },
        repeatOffenders: venues.prefix(90).map { DailyReport.Offender(venue: $0, failures: 2, standing: .suspended) },
        commendations: Array(venues.suffix(30)),
        integrity: LedgerCheck(entries: 5000, days: 365),
        cameras: cameras,
        venues: venues.map { venueRow($0, .ordered, verdict: .failed, deadline: day.adding(3)) })
    return report
}
