import Foundation
import PatrolInventory
import PatrolLedger
import PatrolStore

/// What one audience's report says, in order, before it is formatted: the text and HTML
/// renderers lay out the same headline, figures, sections and rows, and say the same thing
/// when a list is empty.
struct ReportLayout {
    struct Column {
        var title: String
        /// Numbers align right.
        var numeric = false
        /// Cut longer cells to this many columns in the text table (the last column never is).
        var maxWidth: Int?
    }

    /// One table of rows, or, when it has none, one line saying so.
    struct Listing {
        var heading: String?
        var columns: [Column]
        var rows: [[String]]
        var empty: String
        /// Rows the HTML shows, where fewer than `ReportHTML.rowLimit`; the text shows every row.
        var htmlRows: Int?
    }

    struct Section {
        var heading: String
        var lines: [String] = []
        var listings: [Listing] = []
        /// The pictures of the new orders belong under it (HTML).
        var showsPictures = false
        /// Shown as a warning (a failed ledger check).
        var alarming = false
    }

    /// One row of the figures: cameras by verdict.
    struct FigureRow {
        var label: String
        var counts: [Verdict: Int]
        var total: Int { counts.values.reduce(0, +) }
    }

    var title: String
    var audienceLine: String
    /// Above everything: what must not be missed.
    var alerts: [String] = []
    var headline: [String] = []
    var figures: [FigureRow] = []
    /// Failed cameras by main failure outcome, most first.
    var failedBy: [(outcome: String, count: Int)] = []
    /// Venues by ladder standing; empty where the audience has no venues to count.
    var standings: [(standing: Standing, count: Int)] = []
    var sections: [Section] = []
    /// One picture for each new order that cites one: what the camera showed.
    var pictures: [(event: DailyReport.Event, sha256: String)] = []

    static let verdicts: [Verdict] = [.compliant, .failed, .unknown, .waived]

    init(_ full: DailyReport, for audience: ReportAudience, timeZone: TimeZone) {
        let report = audience.scope(full)
        title = audience == .maintenance ? "Patrol maintenance list \(report.day)" : "Patrol daily report \(report.day)"
        let sent = "The patrol of \(report.day), sent the morning of \(report.today)."
        switch audience {
        case .office: audienceLine = "For the office. \(sent)"
        case .supervisor(let name): audienceLine = "For \(name): the venues you supervise. \(sent)"
        case .maintenance: audienceLine = "For the city maintenance team: perimeter cameras only. \(sent)"
        }

        if audience == .maintenance {
            let perimeter = report.cameras.filter { $0.placement == .perimeter }
            headline = [Self.perimeterHeadline(report.figures, previous: report.previous)]
            figures = [FigureRow(label: "Perimeter", counts: report.figures.perimeter)]
            failedBy = Self.ranked(perimeter.isEmpty ? [:] : DailyReport.Figures(perimeter).failedBy)
            sections = [Self.maintenance(report, timeZone: timeZone)]
            return
        }

        if !report.integrity.ok { alerts.append(Self.integrityLine(report.integrity)) }
        if case .supervisor = audience {
            let own = DailyReport.Figures(report.cameras)
            headline = [
                "Your venues: " + Self.headline(own, previous: nil, changeKnown: false),
                "District: " + Self.headline(report.figures, previous: report.previous),
            ]
            figures = Self.figureRows(own)
            failedBy = Self.ranked(own.failedBy)
            let counted = Dictionary(grouping: report.venues, by: \.standing).mapValues(\.count)
            standings = Standing.allCases.map { ($0, counted[$0] ?? 0) }
        } else {
            headline = [Self.headline(report.figures, previous: report.previous)]
            figures = Self.figureRows(report.figures)
            failedBy = Self.ranked(report.figures.failedBy)
            standings = Standing.allCases.map { ($0, report.standings[$0] ?? 0) }
        }

        // Registration, where the day patrolled it: a line under the cameras', the platform's
        // failure as an alert (it concerns every reader), a section of its own.
        let registers = !full.registration.isEmpty
        if registers {
            let district = full.registrationFigures
            if district.platformMostlyUnread { alerts.append(Self.platformUnreadLine(full)) }
            let supervises = if case .supervisor = audience { true } else { false }
            headline.append(Self.registrationHeadline(report.registrationFigures,
                                                      label: supervises ? "Registration systems at your venues" : "Registration systems"))
        }

        sections.append(Self.happened(report))
        pictures = report.events.filter { $0.kind == .order }.compactMap { event in event.pictures.first.map { (event, $0) } }
        sections.append(Self.due(report))
        sections.append(Self.priority(report))
        if registers { sections.append(Self.registration(report, timeZone: timeZone)) }
        if audience == .office { sections.append(Self.maintenance(report, timeZone: timeZone)) }
        sections.append(Self.offenders(report))
        sections.append(Self.commendations(report))
        sections.append(Self.integrity(report.integrity))
    }

    // MARK: Headline and figures

    /// `1,502 of 1,580 cameras compliant (interior 95.1%, +0.4 from yesterday)`.
    static func headline(_ figures: DailyReport.Figures, previous: DailyReport.Figures?, changeKnown: Bool = true) -> String {
        let cameras = "\(grouped(figures.count(.compliant))) of \(counted(figures.total, "camera")) compliant"
        guard let rate = figures.interiorCompliance else { return cameras + " (no interior camera judged)" }
        var note = "interior \(percent(rate))"
        if changeKnown {
            if let before = previous?.interiorCompliance {
                let change = ((rate - before) * 1000).rounded() / 10
                note += change == 0 ? ", the same as yesterday" : String(format: ", %+.1f from yesterday", change)
            } else if previous == nil {
                note += "; the day before was not patrolled"
            }
        }
        return cameras + " (\(note))"
    }

    /// `8 of 320 perimeter cameras down (yesterday 10)`.
    static func perimeterHeadline(_ figures: DailyReport.Figures, previous: DailyReport.Figures?) -> String {
        let total = figures.perimeter.values.reduce(0, +)
        let down = figures.perimeter[.failed] ?? 0
        let before = previous.map { "yesterday \(grouped($0.perimeter[.failed] ?? 0))" } ?? "the day before was not patrolled"
        return "\(grouped(down)) of \(counted(total, "perimeter camera")) down (\(before))"
    }

    static func figureRows(_ figures: DailyReport.Figures) -> [FigureRow] {
        var all: [Verdict: Int] = [:]
        for verdict in verdicts { all[verdict] = figures.count(verdict) }
        return [FigureRow(label: "Interior", counts: figures.interior), FigureRow(label: "Perimeter", counts: figures.perimeter),
                FigureRow(label: "All", counts: all)]
    }

    static func ranked(_ counts: [String: Int]) -> [(outcome: String, count: Int)] {
        counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
    }

    static func percent(_ rate: Double) -> String { String(format: "%.1f%%", (rate * 1000).rounded(.down) / 10) }

    // MARK: Sections

    /// A venue's identifier and name; a district-wide act has none.
    static func venueCells(_ venue: DailyReport.VenueName?) -> [String] {
        guard let venue else { return ["*", "whole district"] }
        return [venue.id, venue.name]
    }

    static let venueColumns = [Column(title: "Venue"), Column(title: "Name", maxWidth: 30)]

    static func label(_ kind: EntryKind) -> String {
        switch kind {
        case .order: "rectification order"
        case .seriousViolation: "serious violation"
        default: kind.rawValue.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// What happened: the ledger entries since the previous patrol, by kind.
    static func happened(_ report: DailyReport) -> Section {
        struct Group {
            var heading: String, kinds: Set<EntryKind>, empty: String, deadline = false, step = false, actor = false
        }
        let groups = [
            Group(heading: "New rectification orders", kinds: [.order], empty: "No new rectification orders.", deadline: true),
            Group(heading: "Warnings", kinds: [.warning], empty: "No new warnings.", deadline: true),
            Group(heading: "Suspensions", kinds: [.suspension], empty: "No new suspensions.", deadline: true),
            Group(heading: "Closures", kinds: [.closure, .seriousViolation], empty: "No closures.", step: true, actor: true),
            Group(heading: "Rectified", kinds: [.rectified], empty: "No venue rectified."),
            Group(heading: "Reinstated", kinds: [.reinstated], empty: "No venue reinstated.", actor: true),
            Group(heading: "Waivers", kinds: [.waiver], empty: "No days waived.", actor: true),
            Group(heading: "Other ledger entries",
                  kinds: [.deadlineMissed, .deadlineExtended, .relapse, .commended, .tierChanged, .supervisorChanged, .revoked, .note,
                          .keyRotated],
                  empty: "No other ledger entries.", deadline: true, step: true, actor: true),
        ]
        let listings = groups.map { group in
            let events = report.events.filter { group.kinds.contains($0.kind) }
            // Patrol's steps are on the day reported unless the history was worked out again;
            // an operator's act may reach back.
            let days = group.actor || events.contains { $0.day != report.day }
            var columns = [Column(title: "#", numeric: true)] + venueColumns
            if group.step { columns.append(Column(title: "Step")) }
            if days { columns.append(Column(title: "Day")) }
            if group.deadline { columns.append(Column(title: "Deadline")) }
            if group.actor { columns.append(Column(title: "By", maxWidth: 16)) }
            columns.append(Column(title: "Evidence"))
            let rows = events.map { event in
                var cells = ["\(event.seq)"] + venueCells(event.venue)
                if group.step { cells.append(label(event.kind)) }
                if days { cells.append(event.day.description) }
                if group.deadline { cells.append(event.deadline?.description ?? "") }
                if group.actor { cells.append(event.actor) }
                cells.append(event.line)
                return cells
            }
            return Listing(heading: group.heading, columns: columns, rows: rows, empty: group.empty)
        }
        let count = report.events.count
        return Section(heading: "What happened",
                       lines: [count == 0 ? "No ledger entries since the previous patrol."
                                          : "\(counted(count, "ledger entry", "ledger entries")) since the previous patrol."],
                       listings: listings, showsPictures: true)
    }

    /// Orders, warnings and suspensions whose deadline is today or tomorrow.
    static func due(_ report: DailyReport) -> Section {
        let columns = venueColumns + [Column(title: "Step"), Column(title: "Opened"), Column(title: "Rectify by"),
                                      Column(title: "Supervisor")]
        let listings = [(report.today, "today"), (report.today.adding(1), "tomorrow")].map { deadline, when in
            let rows = report.due.filter { $0.deadline == deadline }.map { due in
                venueCells(due.venue) + [label(due.kind), due.opened.description, due.deadline.description, due.venue.supervisor ?? ""]
            }
            return Listing(heading: "Due \(when), \(deadline)", columns: columns, rows: rows, empty: "Nothing due \(when).")
        }
        return Section(heading: "What is due", listings: listings)
    }

    static func priority(_ report: DailyReport) -> Section {
        let standing = Dictionary(report.venues.map { ($0.venue.id, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = report.priority.map { venue in
            venueCells(venue) + [venue.supervisor ?? "", standing[venue.id]?.standing.rawValue ?? "",
                                 standing[venue.id]?.deadline?.description ?? ""]
        }
        return Section(heading: "Priority venues", listings: [
            Listing(columns: venueColumns + [Column(title: "Supervisor"), Column(title: "Standing"), Column(title: "Deadline")],
                    rows: rows, empty: "No priority venues."),
        ])
    }

    /// The city's list: perimeter cameras down, where, since when and why.
    static func maintenance(_ report: DailyReport, timeZone: TimeZone) -> Section {
        let end = report.today.start(in: timeZone)
        let rows = report.maintenance.map { item in
            [item.cameraID] + venueCells(item.venue)
                + [item.address, item.since.map { since(time: $0, in: timeZone) } ?? "unknown",
                   item.since.map { duration(end.timeIntervalSince($0)) } ?? "", item.reason]
        }
        let clocks = report.clocks.map { item in
            [item.cameraID] + venueCells(item.venue) + [String(format: "%+.0f s", item.offset), since(time: item.at, in: timeZone)]
        }
        return Section(heading: "Maintenance list", lines: ["Perimeter cameras are the city's: a failure is a maintenance ticket, never the venue's fault."], listings: [
            Listing(columns: [Column(title: "Camera")] + venueColumns + [Column(title: "Address", maxWidth: 30), Column(title: "Down since"),
                                                                         Column(title: "For", numeric: true), Column(title: "Reason")],
                    rows: rows, empty: "No perimeter camera down."),
            Listing(heading: "Camera clocks off by more than \(Int(report.clockTolerance)) s (from their RTCP sender reports)",
                    columns: [Column(title: "Camera")] + venueColumns + [Column(title: "Off by", numeric: true), Column(title: "As of")],
                    rows: clocks, empty: "No camera clock off by more than \(Int(report.clockTolerance)) s."),
        ])
    }

    // MARK: Registration

    /// `Registration systems: 290 of 299 judged compliant (96.9%); 6 offline, 3 uploads stuck; 1 not judged`:
    /// the rate counts the compliant among those judged, as the interior cameras' does.
    static func registrationHeadline(_ figures: DailyReport.RegistrationFigures, label: String) -> String {
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

    /// The platform could not be read for most of the day: what it means for the venues.
    static func platformUnreadLine(_ report: DailyReport) -> String {
        let figures = report.registrationFigures
        // The judging's own words: `registration platform read for 5.0 h of 24.0 h; not enough to judge`.
        let read = report.registration.first { $0.notJudged == .platformUnread }
            .flatMap { $0.reason.split(separator: ";").first.map(String.init) } ?? "registration platform read too little"
        return read.prefix(1).uppercased() + read.dropFirst() + ": the platform could not be read for most of the day, so "
            + "\(grouped(figures.platformUnread)) of \(counted(figures.total, "registration system")) were not judged. "
            + "This never counts against a venue."
    }

    /// Rows of each registration list the HTML shows: fewer than the other lists', so that a bad
    /// day for the whole district, cameras and registration both, stays under the size at which
    /// Gmail clips a message (LargeDayTests). The worst come first; the text and the CSV have all.
    static let registrationHTMLRows = 10

    /// The registration systems: offline, uploads stuck, and those worth a look.
    static func registration(_ report: DailyReport, timeZone: TimeZone) -> Section {
        let figures = report.registrationFigures
        let system = [Column(title: "System")] + venueColumns + [Column(title: "Supervisor")]
        func cells(_ row: DailyReport.RegistrationRow) -> [String] { [row.systemID] + venueCells(row.venue) + [row.venue.supervisor ?? ""] }

        let offline = report.registration.filter { $0.failure == .offline }
            .sorted { ($1.offlineMinutes, $0.systemID) < ($0.offlineMinutes, $1.systemID) }
            .map { cells($0) + [duration(Double($0.offlineMinutes) * 60), $0.reason] }
        let stuck = report.registration.filter { $0.failure == .uploadsStuck }
            .sorted { ($0.stuckSince ?? .distantPast, $0.systemID) < ($1.stuckSince ?? .distantPast, $1.systemID) }
            .map { row in
                cells(row) + [row.stuckSince.map { since(time: $0, in: timeZone) } ?? "", grouped(row.waiting),
                              duration(Double(row.longestWaitMinutes) * 60),
                              row.lastError ?? (row.uploadErrors ? "upload errors, no words given" : "")]
            }
        let quiet = report.registration.filter(\.quiet).map { cells($0) + ["no record uploaded all day", $0.reason] }
        let missing = report.registration.filter { $0.notJudged == .missing }
            .map { cells($0) + ["missing from the platform's answers", $0.reason] }

        let counts = figures.total == 0 ? "No registration system of your venues was patrolled."
            : "\(counted(figures.total, "registration system")) at \(counted(figures.venues, "venue")): "
                + "\(grouped(figures.compliant)) compliant, \(grouped(figures.failed)) failed (\(grouped(figures.offline)) offline, "
                + "\(grouped(figures.uploadsStuck)) uploads stuck), \(grouped(figures.unknown)) not judged; "
                + "\(grouped(figures.quiet)) of the compliant uploaded no record all day."
        return Section(heading: "Registration systems", lines: [
            counts,
            "A failed system fails its venue's day, as a failed interior camera does; a system not judged never counts against its venue.",
        ], listings: [
            Listing(heading: "Systems offline", columns: system + [Column(title: "Offline", numeric: true), Column(title: "Reason")],
                    rows: offline, empty: "No system offline.", htmlRows: registrationHTMLRows),
            Listing(heading: "Uploads stuck",
                    columns: system + [Column(title: "Stuck since"), Column(title: "Waiting", numeric: true),
                                       Column(title: "Oldest", numeric: true), Column(title: "Platform's error")],
                    rows: stuck, empty: "No uploads stuck.", htmlRows: registrationHTMLRows),
            Listing(heading: "Worth a look", columns: system + [Column(title: "Why"), Column(title: "Reason")],
                    rows: quiet + missing, empty: "No system quiet all day or missing from the platform's answers.",
                    htmlRows: registrationHTMLRows),
        ])
    }

    static func offenders(_ report: DailyReport) -> Section {
        let rows = report.repeatOffenders.map { offender in
            venueCells(offender.venue) + ["\(offender.failures)", offender.standing.rawValue, offender.venue.tier.rawValue,
                                          offender.venue.supervisor ?? ""]
        }
        return Section(heading: "Repeat offenders", lines: ["Two failures or more in the last 365 days."], listings: [
            Listing(columns: venueColumns + [Column(title: "Failures", numeric: true), Column(title: "Standing"), Column(title: "Tier"),
                                             Column(title: "Supervisor")],
                    rows: rows, empty: "No repeat offenders."),
        ])
    }

    static func commendations(_ report: DailyReport) -> Section {
        let rows = report.commendations.map { venueCells($0) + [$0.tier.rawValue, $0.supervisor ?? ""] }
        return Section(heading: "Commendations", lines: ["Venues commended for 90 clean days in a row, in the last 90 days."], listings: [
            Listing(columns: venueColumns + [Column(title: "Tier now"), Column(title: "Supervisor")],
                    rows: rows, empty: "No commendations."),
        ])
    }

    static func integrityLine(_ check: LedgerCheck) -> String {
        var line = "LEDGER CHECK FAILED: \(check.problem ?? "")."
        if let seq = check.seq { line += " Entry #\(seq) is the first that does not match." }
        return line + " Run `patrol ledger verify` and do not rely on this report's steps until it passes."
    }

    static func integrity(_ check: LedgerCheck) -> Section {
        guard check.ok else { return Section(heading: "Ledger integrity", lines: [integrityLine(check), headLine(check)], alarming: true) }
        return Section(heading: "Ledger integrity", lines: [
            "The ledger holds: \(counted(check.entries, "entry", "entries")) over "
                + "\(counted(check.days, "patrol day")), the hash chain and its seals intact, and every step follows "
                + "from the stored verdicts, reasons and evidence included.",
            "Seals: \(check.sealing).",
            headLine(check),
        ])
    }

    /// The head as it leaves the machine: this mail is the witness a later check compares with.
    static func headLine(_ check: LedgerCheck) -> String {
        guard let head = check.head else { return "Ledger head: none yet (the ledger is empty)." }
        return "Ledger head: \(head). Keep this mail: `patrol ledger verify --head \(head)` shows later whether anything up to "
            + "entry #\(head.seq) was changed or removed."
    }

    // MARK: Times

    /// `2026-11-19 14:05`, in the district's time zone.
    static func since(time: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: time)
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
    }

    /// `3 d 4 h`, `5 h`, `40 min`: how long, to the level that matters.
    static func duration(_ seconds: TimeInterval) -> String {
        let minutes = max(0, Int(seconds / 60))
        if minutes < 60 { return "\(minutes) min" }
        let hours = minutes / 60
        if hours < 24 { return "\(hours) h" }
        return hours % 24 == 0 ? "\(hours / 24) d" : "\(hours / 24) d \(hours % 24) h"
    }
}
