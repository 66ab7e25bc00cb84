import Foundation
import PatrolInventory
import PatrolLedger
import PatrolSettings
import PatrolStore

/// The report in English (`report.language: en`): ISO days, the judging's reasons as written.
struct EnglishWords: ReportWords {
    var language: ReportLanguage { .en }
    var fontFamily: String {
        "'Helvetica Neue',Arial,'Microsoft YaHei','PingFang SC','Noto Sans CJK SC','WenQuanYi Micro Hei',SimSun,sans-serif"
    }

    var colon: String { ":" }

    func phrase(_ phrase: ReportPhrase) -> String {
        switch phrase {
        case .interior: "Interior"
        case .perimeter: "Perimeter"
        case .all: "All"
        case .camerasColumn: "Cameras"
        case .totalColumn: "total"
        case .venuesColumn: "Venues"
        case .onTheLadder: "on the ladder"
        case .venuesOnTheLadder: "Venues on the ladder"
        case .yourVenues: "Your venues: "
        case .district: "District: "
        case .failedCamerasByCause: "Failed cameras by cause"
        case .camerasUnit: "cameras"
        case .venuesUnit: "venues"
        case .happened: "What happened"
        case .newOrders: "New rectification orders"
        case .noNewOrders: "No new rectification orders."
        case .warnings: "Warnings"
        case .noWarnings: "No new warnings."
        case .suspensions: "Suspensions"
        case .noSuspensions: "No new suspensions."
        case .closures: "Closures"
        case .noClosures: "No closures."
        case .rectifiedHeading: "Rectified"
        case .noRectified: "No venue rectified."
        case .reinstatedHeading: "Reinstated"
        case .noReinstated: "No venue reinstated."
        case .waivers: "Waivers"
        case .noWaivers: "No days waived."
        case .otherEntries: "Other ledger entries"
        case .noOtherEntries: "No other ledger entries."
        case .picturesOfNewOrders: "Pictures of the new orders"
        case .seqColumn: "#"
        case .venueColumn: "Venue"
        case .nameColumn: "Name"
        case .stepColumn: "Step"
        case .dayColumn: "Day"
        case .deadlineColumn: "Deadline"
        case .byColumn: "By"
        case .evidenceColumn: "Evidence"
        case .openedColumn: "Opened"
        case .rectifyByColumn: "Rectify by"
        case .supervisorColumn: "Supervisor"
        case .standingColumn: "Standing"
        case .cameraColumn: "Camera"
        case .addressColumn: "Address"
        case .downSinceColumn: "Down since"
        case .downForColumn: "For"
        case .reasonColumn: "Reason"
        case .offByColumn: "Off by"
        case .asOfColumn: "As of"
        case .systemColumn: "System"
        case .offlineColumn: "Offline"
        case .stuckSinceColumn: "Stuck since"
        case .waitingColumn: "Waiting"
        case .oldestColumn: "Oldest"
        case .platformErrorColumn: "Platform's error"
        case .whyColumn: "Why"
        case .failuresColumn: "Failures"
        case .tierColumn: "Tier"
        case .tierNowColumn: "Tier now"
        case .interiorComplianceColumn: "Interior compliant"
        case .wholeDistrict: "whole district"
        case .due: "What is due"
        case .priority: "Priority venues"
        case .noPriority: "No priority venues."
        case .maintenance: "Maintenance list"
        case .maintenanceIntro: "Perimeter cameras are the city's: a failure is a maintenance ticket, never the venue's fault."
        case .noPerimeterDown: "No perimeter camera down."
        case .offenders: "Repeat offenders"
        case .noOffenders: "No repeat offenders."
        case .commendations: "Commendations"
        case .noCommendations: "No commendations."
        case .integrity: "Ledger integrity"
        case .registration: "Registration systems"
        case .noRegistrationOfYours: "No registration system of your venues was patrolled."
        case .registrationReminder:
            "A failed system fails its venue's day, as a failed interior camera does; a system not judged never counts against its venue."
        case .systemsOffline: "Systems offline"
        case .noSystemOffline: "No system offline."
        case .uploadsStuck: "Uploads stuck"
        case .noUploadsStuck: "No uploads stuck."
        case .worthALook: "Worth a look"
        case .nothingWorthALook: "No system quiet all day or missing from the platform's answers."
        case .quietAllDay: "no record uploaded all day"
        case .missingFromAnswers: "missing from the platform's answers"
        case .uploadErrorsNoWords: "upload errors, no words given"
        case .trendCompliance: "Interior cameras compliant"
        case .trendVenues: "Venues ordered, warned, suspended, closed"
        case .trendNotEnough: "Not enough patrolled days for a trend yet."
        }
    }

    func csvHeader(_ column: ReportCSV.Column) -> String { column.rawValue }

    func verdict(_ verdict: Verdict) -> String { verdict.rawValue }
    func standing(_ standing: Standing) -> String { standing.rawValue }
    func tier(_ tier: Tier) -> String { tier.rawValue }
    func placement(_ placement: Placement) -> String { placement.rawValue }

    func step(_ kind: EntryKind) -> String {
        switch kind {
        case .order: "rectification order"
        case .seriousViolation: "serious violation"
        default: kind.rawValue.replacingOccurrences(of: "_", with: " ")
        }
    }

    func outcome(_ identifier: String) -> String { identifier }
    func venueKind(_ identifier: String) -> String { identifier }
    func actor(_ actor: String) -> String { actor }
    func yesNo(_ value: Bool) -> String { value ? "true" : "false" }
    func reason(_ text: String) -> String { text }

    func day(_ day: PatrolDay) -> String { day.description }

    /// `2026-11-19 14:05`.
    func time(_ date: Date, in zone: TimeZone) -> String {
        let parts = clock(date, in: zone)
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
    }

    /// `3 d 4 h`, `5 h`, `40 min`.
    func duration(_ seconds: TimeInterval) -> String {
        let minutes = max(0, Int(seconds / 60))
        if minutes < 60 { return "\(minutes) min" }
        let hours = minutes / 60
        if hours < 24 { return "\(hours) h" }
        return hours % 24 == 0 ? "\(hours / 24) d" : "\(hours / 24) d \(hours % 24) h"
    }

    func count(_ count: Int, _ noun: ReportNoun) -> String {
        let (one, many) = switch noun {
        case .camera: ("camera", "cameras")
        case .perimeterCamera: ("perimeter camera", "perimeter cameras")
        case .venue: ("venue", "venues")
        case .registrationSystem: ("registration system", "registration systems")
        case .ledgerEntry: ("ledger entry", "ledger entries")
        case .patrolDay: ("patrol day", "patrol days")
        }
        return "\(grouped(count)) \(count == 1 ? one : many)"
    }

    func clockOffset(_ seconds: Double) -> String { String(format: "%+.0f s", seconds) }

    func title(_ audience: ReportAudience, day: PatrolDay) -> String {
        audience == .maintenance ? "Patrol maintenance list \(day)" : "Patrol daily report \(day)"
    }

    func audienceLine(_ audience: ReportAudience, day: PatrolDay, sent: PatrolDay) -> String {
        let line = "The patrol of \(day), sent the morning of \(sent)."
        return switch audience {
        case .office: "For the office. \(line)"
        case .supervisor(let name): "For \(name): the venues you supervise. \(line)"
        case .maintenance: "For the city maintenance team: perimeter cameras only. \(line)"
        }
    }

    func camerasHeadline(compliant: Int, total: Int, interior: Double?, change: ReportChange) -> String {
        let cameras = "\(grouped(compliant)) of \(count(total, .camera)) compliant"
        guard let interior else { return cameras + " (no interior camera judged)" }
        var note = "interior \(percent(interior))"
        switch change {
        case .unsaid: break
        case .notPatrolled: note += "; the day before was not patrolled"
        case .points(let points): note += points == 0 ? ", the same as yesterday" : String(format: ", %+.1f from yesterday", points)
        }
        return cameras + " (\(note))"
    }

    func perimeterHeadline(down: Int, total: Int, yesterday: Int?) -> String {
        let before = yesterday.map { "yesterday \(grouped($0))" } ?? "the day before was not patrolled"
        return "\(grouped(down)) of \(count(total, .perimeterCamera)) down (\(before))"
    }

    func failedByCause(_ causes: [(outcome: String, count: Int)]) -> String {
        "Failed cameras by cause: " + (causes.isEmpty ? "none." : causes.map { "\($0.outcome) \(grouped($0.count))" }.joined(separator: ", "))
    }

    func registrationHeadline(_ figures: DailyReport.RegistrationFigures, yours: Bool) -> String {
        let label = yours ? "Registration systems at your venues" : "Registration systems"
        guard figures.total > 0 else { return "\(label): none patrolled." }
        let judged = figures.compliant + figures.failed
        var line = "\(label): " + (figures.compliance.map {
            "\(grouped(figures.compliant)) of \(grouped(judged)) judged compliant (\(percent($0)))"
        } ?? "none judged")
        let failed = [(figures.offline, "offline"), (figures.uploadsStuck, "uploads stuck")].filter { $0.0 > 0 }
        if !failed.isEmpty { line += "; " + failed.map { "\(grouped($0.0)) \($0.1)" }.joined(separator: ", ") }
        if figures.unknown > 0 { line += "; \(grouped(figures.unknown)) not judged" }
        return line
    }

    func platformUnread(read: String?, unread: Int, total: Int) -> String {
        let read = read ?? "registration platform read too little"
        return read.prefix(1).uppercased() + read.dropFirst() + ": the platform could not be read for most of the day, so "
            + "\(grouped(unread)) of \(count(total, .registrationSystem)) were not judged. This never counts against a venue."
    }

    func registrationCounts(_ figures: DailyReport.RegistrationFigures) -> String {
        "\(count(figures.total, .registrationSystem)) at \(count(figures.venues, .venue)): "
            + "\(grouped(figures.compliant)) compliant, \(grouped(figures.failed)) failed (\(grouped(figures.offline)) offline, "
            + "\(grouped(figures.uploadsStuck)) uploads stuck), \(grouped(figures.unknown)) not judged; "
            + "\(grouped(figures.quiet)) of the compliant uploaded no record all day."
    }

    func entriesSince(_ entries: Int) -> String {
        entries == 0 ? "No ledger entries since the previous patrol." : "\(count(entries, .ledgerEntry)) since the previous patrol."
    }

    func dueHeading(tomorrow: Bool, day: PatrolDay) -> String { "Due \(tomorrow ? "tomorrow" : "today"), \(day)" }
    func nothingDue(tomorrow: Bool) -> String { "Nothing due \(tomorrow ? "tomorrow" : "today")." }
    func clocksHeading(tolerance: Int) -> String { "Camera clocks off by more than \(tolerance) s (from their RTCP sender reports)" }
    func noClockOff(tolerance: Int) -> String { "No camera clock off by more than \(tolerance) s." }
    func offendersIntro(windowDays: Int) -> String { "Two failures or more in the last \(windowDays) days." }
    func commendationsIntro(days: Int) -> String { "Venues commended for \(days) clean days in a row, in the last 90 days." }

    func integrityFailed(_ check: LedgerCheck) -> String {
        var line = "LEDGER CHECK FAILED: \(check.problem ?? "")."
        if let seq = check.seq { line += " Entry #\(seq) is the first that does not match." }
        return line + " Run `patrol ledger verify` and do not rely on this report's steps until it passes."
    }

    func ledgerHolds(_ check: LedgerCheck) -> String {
        "The ledger holds: \(grouped(check.entries)) \(check.entries == 1 ? "entry" : "entries") over "
            + "\(count(check.days, .patrolDay)), the hash chain and its seals intact, and every step follows "
            + "from the stored verdicts, reasons and evidence included."
    }

    func seals(_ check: LedgerCheck) -> String { "Seals: \(check.sealing)." }

    func ledgerHead(_ check: LedgerCheck) -> String {
        guard let head = check.head else { return "Ledger head: none yet (the ledger is empty)." }
        return "Ledger head: \(head). Keep this mail: `patrol ledger verify --head \(head)` shows later whether anything up to "
            + "entry #\(head.seq) was changed or removed."
    }

    func more(_ count: Int, attachment: String?) -> String {
        "… and \(grouped(count)) more: " + (attachment.map { "the attached \($0) lists them all." }
            ?? "the plain-text version of this report lists them all.")
    }

    func pictureCaption(seq: Int, venue: String, sha256: String) -> String { "#\(seq) \(venue) · SHA-256 \(sha256.prefix(16))…" }

    func subject(_ audience: ReportAudience, day: PatrolDay, counts: ReportSubjectCounts) -> String {
        if audience == .maintenance {
            return "Patrol maintenance list \(day): "
                + (counts.perimeterDown == 0 ? "no perimeter camera down" : "\(count(counts.perimeterDown, .perimeterCamera)) down")
        }
        func counted(_ number: Int, _ noun: String) -> String? { number == 0 ? nil : "\(grouped(number)) \(number == 1 ? noun : noun + "s")" }
        var parts = [counted(counts.orders, "new order"), counted(counts.warnings, "warning"), counted(counts.suspensions, "suspension"),
                     counted(counts.closures, "closure")].compactMap { $0 }
        if parts.isEmpty { parts = ["no new orders"] }
        if counts.dueToday > 0 { parts.append("\(counts.dueToday) due today") }
        if counts.forMaintenance > 0 { parts.append("\(count(counts.forMaintenance, .camera)) for maintenance") }
        if counts.ledgerFailed { parts.insert("LEDGER CHECK FAILED", at: 0) }
        let title = audience == .office ? "Patrol daily report \(day)" : "Patrol daily report \(day), your venues"
        return title + ": " + parts.joined(separator: ", ")
    }

    func trendHeading(days: Int, district: Bool) -> String { "Trend: the last \(days) patrol days" + (district ? ", district" : "") }

    func trendSummary(_ trend: [DailyReport.TrendDay]) -> [String] {
        guard let first = trend.first, let last = trend.last, trend.count > 1 else { return [phrase(.trendNotEnough)] }
        let rates = trend.compactMap(\.interiorCompliance)
        var lines: [String] = []
        if let from = first.interiorCompliance, let to = last.interiorCompliance, let low = rates.min(), let high = rates.max() {
            lines.append("Interior cameras compliant: \(percent(from)) on \(first.day), \(percent(to)) on \(last.day) "
                + "(lowest \(percent(low)), highest \(percent(high)) over \(count(trend.count, .patrolDay))).")
        }
        func onSteps(_ day: DailyReport.TrendDay) -> String {
            [Standing.ordered, .warned, .suspended, .closed].map { "\(grouped(day.standings[$0] ?? 0)) \($0.rawValue)" }
                .joined(separator: ", ")
        }
        lines.append("Venues on the ladder: \(onSteps(first)) on \(first.day); \(onSteps(last)) on \(last.day).")
        return lines
    }
}
