import Foundation
import PatrolFixtures
import PatrolInventory
import PatrolLedger
@testable import PatrolReport
@testable import PatrolStore

typealias VenueName = DailyReport.VenueName

/// A day on which nothing happened: every camera compliant, no step, nothing due.
func emptyDay() -> DailyReport {
    let venue = VenueName(id: "V0001", name: "平安宾馆", tier: .general, supervisor: nil)
    return DailyReport(
        day: CraftedReport.day,
        figures: CraftedReport.figures(interior: [.compliant: 1260], perimeter: [.compliant: 320]),
        previous: CraftedReport.figures(interior: [.compliant: 1260], perimeter: [.compliant: 320]),
        standings: [.clean: 320], events: [], due: [], priority: [], maintenance: [], repeatOffenders: [], commendations: [],
        integrity: LedgerCheck(entries: 0, days: 30), cameras: [CraftedReport.camera("C00001", venue)],
        venues: [CraftedReport.venueRow(venue)])
}

/// The whole district on a bad day: 1,580 cameras, 320 venues, hundreds of steps.
func largeDay() -> DailyReport {
    let day = CraftedReport.day
    let kinds = ["宾馆", "公寓", "网吧", "旅社", "出租屋"]
    let supervisors = ["张伟 (一组)", "李娜 (二组)", "王强 (三组)", "刘洋 (四组)"]
    let venues = (1...320).map { index in
        VenueName(id: String(format: "V%04d", index), name: "第\(index)号平安\(kinds[index % kinds.count])",
                  tier: index % 5 == 0 ? .priority : index % 3 == 0 ? .watch : .general,
                  supervisor: index % 5 == 0 || index % 7 == 0 ? supervisors[index % supervisors.count] : nil)
    }
    // 320 perimeter cameras (one per venue), then 1,260 interior ones spread over the venues.
    var cameras = venues.enumerated().map { index, venue in
        CraftedReport.camera(String(format: "C%05d", index + 1), venue, .perimeter, index % 8 == 0 ? .failed : .compliant,
                             reason: index % 8 == 0 ? "online 0.0% of 24.0 h watched (needs 95%), mostly refused"
                                 : "online 100.0% of 24.0 h watched",
                             failure: index % 8 == 0 ? "refused" : nil)
    }
    cameras += (0..<1260).map { index in
        let failed = index % 4 == 0
        return CraftedReport.camera(String(format: "C%05d", 321 + index), venues[index % 320], .interior,
                                    failed ? .failed : .compliant,
                                    reason: failed ? "online 12.5% of 24.0 h watched (needs 95%), mostly timeout"
                                        : "online 100.0% of 24.0 h watched",
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
                                        reason: $0.reason, since: day.start(in: CraftedReport.zone))
        },
        repeatOffenders: venues.prefix(90).map { DailyReport.Offender(venue: $0, failures: 2, standing: .suspended) },
        commendations: Array(venues.suffix(30)),
        integrity: LedgerCheck(entries: 5000, days: 365),
        cameras: cameras,
        venues: venues.enumerated().map { index, venue in
            CraftedReport.venueRow(venue, .ordered, verdict: .failed, deadline: day.adding(3), failures: index < 90 ? 2 : 0,
                                   commended: index >= 290)
        })
    return report
}

/// `report` with a registration system at every venue, on a bad day for them too: every third
/// offline, every fifth with its uploads stuck, every seventh quiet, every eleventh missing from
/// the platform's answers.
func withRegistration(_ report: DailyReport) -> DailyReport {
    var report = report
    let start = report.day.start(in: CraftedReport.zone)
    report.registration = report.venues.enumerated().map { index, row in
        let id = String(format: "R-%04d", index + 1)
        if index % 3 == 0 {
            return CraftedReport.registrationRow(id, row.venue, .failed, reason: CraftedReport.offlineReason, online: 74.3, uploaded: 20)
        } else if index % 5 == 0 {
            return CraftedReport.registrationRow(id, row.venue, .failed, reason: CraftedReport.stuckReason, uploaded: 51,
                                                 waiting: (12, 888), stuckSince: start.addingTimeInterval(33_240),
                                                 lastError: CraftedReport.uploadError)
        } else if index % 7 == 0 {
            return CraftedReport.registrationRow(id, row.venue, reason: CraftedReport.quietReason)
        } else if index % 11 == 0 {
            return CraftedReport.registrationRow(id, row.venue, .unknown, reason: CraftedReport.missingReason, uploaded: 2)
        }
        return CraftedReport.registrationRow(id, row.venue, uploaded: 30)
    }
    return report
}
