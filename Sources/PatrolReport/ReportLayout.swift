import Foundation
import PatrolInventory
import PatrolLedger
import PatrolSettings
import PatrolStore

/// What one audience's report says, in order, before it is formatted: the text and HTML
/// renderers lay out the same headline, figures, sections and rows, and say the same thing
/// when a list is empty. Every word comes from the language's catalogue (`ReportWords`).
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
        /// The attachment that holds every row, named where the HTML cuts the table short.
        var attachment: String?
    }

    struct Section {
        var heading: String
        var lines: [String] = []
        var listings: [Listing] = []
        /// The pictures of the new orders belong under it (HTML).
        var showsPictures = false
        /// Shown as a warning (a failed ledger check).
        var alarming = false
        /// The trend: the HTML draws it instead of listing its days.
        var chart: [DailyReport.TrendDay]?
    }

    /// One row of the figures: cameras by verdict.
    struct FigureRow {
        var label: String
        var counts: [Verdict: Int]
        var total: Int { counts.values.reduce(0, +) }
    }

    let words: any ReportWords
    var title: String
    var audienceLine: String
    /// Above everything: what must not be missed.
    var alerts: [String] = []
    var headline: [String] = []
    var figures: [FigureRow] = []
    /// Failed cameras by main failure outcome (identifiers), most first.
    var failedBy: [(outcome: String, count: Int)] = []
    /// Venues by ladder standing; empty where the audience has no venues to count.
    var standings: [(standing: Standing, count: Int)] = []
    var sections: [Section] = []
    /// One picture for each new order that cites one: what the camera showed.
    var pictures: [(event: DailyReport.Event, sha256: String)] = []

    static let verdicts: [Verdict] = [.compliant, .failed, .unknown, .waived]

    init(_ full: DailyReport, for audience: ReportAudience, timeZone: TimeZone, language: ReportLanguage) {
        let words = language.words
        self.words = words
        let report = audience.scope(full)
        title = words.title(audience, day: report.day)
        audienceLine = words.audienceLine(audience, day: report.day, sent: report.today)
        let tables = Set(ReportCSV.tables(full, for: audience))
        let attachment = { (table: ReportCSV.Table) in tables.contains(table) ? table.filename(report.day) : nil }
        let context = Context(report: report, words: words, zone: timeZone, attachment: attachment)

        if audience == .maintenance {
            let perimeter = report.cameras.filter { $0.placement == .perimeter }
            headline = [words.perimeterHeadline(down: report.figures.perimeter[.failed] ?? 0,
                                                total: report.figures.perimeter.values.reduce(0, +),
                                                yesterday: report.previous.map { $0.perimeter[.failed] ?? 0 })]
            figures = [FigureRow(label: words.phrase(.perimeter), counts: report.figures.perimeter)]
            failedBy = Self.ranked(perimeter.isEmpty ? [:] : DailyReport.Figures(perimeter).failedBy)
            sections = [context.maintenance()]
            return
        }

        if !report.integrity.ok { alerts.append(words.integrityFailed(report.integrity)) }
        if case .supervisor = audience {
            let own = DailyReport.Figures(report.cameras)
            headline = [
                words.phrase(.yourVenues) + context.headline(own, previous: nil, changeKnown: false),
                words.phrase(.district) + context.headline(report.figures, previous: report.previous),
            ]
            figures = context.figureRows(own)
            failedBy = Self.ranked(own.failedBy)
            let counted = Dictionary(grouping: report.venues, by: \.standing).mapValues(\.count)
            standings = Standing.allCases.map { ($0, counted[$0] ?? 0) }
        } else {
            headline = [context.headline(report.figures, previous: report.previous)]
            figures = context.figureRows(report.figures)
            failedBy = Self.ranked(report.figures.failedBy)
            standings = Standing.allCases.map { ($0, report.standings[$0] ?? 0) }
        }

        // Registration, where the day patrolled it: a line under the cameras', the platform's
        // failure as an alert (it concerns every reader), a section of its own.
        let registers = !full.registration.isEmpty
        if registers {
            let district = full.registrationFigures
            if district.platformMostlyUnread {
                // The judging's own words: `registration platform read for 5.0 h of 24.0 h; not enough to judge`.
                let read = full.registration.first { $0.notJudged == .platformUnread }
                    .flatMap { $0.reason.split(separator: ";").first.map(String.init) }
                alerts.append(words.platformUnread(read: read, unread: district.platformUnread, total: district.total))
            }
            let supervises = if case .supervisor = audience { true } else { false }
            headline.append(words.registrationHeadline(report.registrationFigures, yours: supervises))
        }

        let supervises = if case .supervisor = audience { true } else { false }
        sections.append(context.trend(full.trend, district: supervises))
        sections.append(context.happened())
        pictures = report.events.filter { $0.kind == .order }.compactMap { event in event.pictures.first.map { (event, $0) } }
        sections.append(context.due())
        sections.append(context.priority())
        if registers { sections.append(context.registration()) }
        if audience == .office { sections.append(context.maintenance()) }
        sections.append(context.offenders())
        sections.append(context.commendations())
        sections.append(context.integrity())
    }

    static func ranked(_ counts: [String: Int]) -> [(outcome: String, count: Int)] {
        counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
    }

    /// Rows of each registration list the HTML shows: fewer than the other lists', so that a bad
    /// day for the whole district, cameras and registration both, stays under the size at which
    /// Gmail clips a message (LargeDayTests). The worst come first; the text and the CSV have all.
    static let registrationHTMLRows = 10

    /// The report being laid out and how to say it: the sections are made from it.
    struct Context {
        let report: DailyReport
        let words: any ReportWords
        let zone: TimeZone
        /// The attachment that holds a table's rows, if the audience gets it.
        let attachment: (ReportCSV.Table) -> String?

        func phrase(_ phrase: ReportPhrase) -> String { words.phrase(phrase) }
        func column(_ phrase: ReportPhrase, numeric: Bool = false, maxWidth: Int? = nil) -> Column {
            Column(title: words.phrase(phrase), numeric: numeric, maxWidth: maxWidth)
        }

        // MARK: Headline and figures

        func headline(_ figures: DailyReport.Figures, previous: DailyReport.Figures?, changeKnown: Bool = true) -> String {
            let rate = figures.interiorCompliance
            var change = ReportChange.unsaid
            if changeKnown, let rate {
                if let before = previous?.interiorCompliance {
                    change = .points(((rate - before) * 1000).rounded() / 10)
                } else if previous == nil {
                    change = .notPatrolled
                }
            }
            return words.camerasHeadline(compliant: figures.count(.compliant), total: figures.total, interior: rate, change: change)
        }

        func figureRows(_ figures: DailyReport.Figures) -> [FigureRow] {
            var all: [Verdict: Int] = [:]
            for verdict in ReportLayout.verdicts { all[verdict] = figures.count(verdict) }
            return [FigureRow(label: phrase(.interior), counts: figures.interior),
                    FigureRow(label: phrase(.perimeter), counts: figures.perimeter), FigureRow(label: phrase(.all), counts: all)]
        }

        // MARK: Sections

        /// A venue's identifier and name; a district-wide act has none.
        func venueCells(_ venue: DailyReport.VenueName?) -> [String] {
            guard let venue else { return ["*", phrase(.wholeDistrict)] }
            return [venue.id, venue.name]
        }

        var venueColumns: [Column] { [column(.venueColumn), column(.nameColumn, maxWidth: 30)] }

        /// The district over the last patrolled days: the figures in a line or two, then each day.
        func trend(_ trend: [DailyReport.TrendDay], district: Bool) -> Section {
            let steps = Standing.allCases
            let rows = trend.map { day in
                [words.day(day.day), day.interiorCompliance.map(percent) ?? "–"] + steps.map { grouped(day.standings[$0] ?? 0) }
            }
            let heading = words.trendHeading(days: Store.trendDays, district: district)
            return Section(heading: heading, lines: words.trendSummary(trend), listings: trend.count > 1 ? [
                Listing(columns: [column(.dayColumn), column(.interiorComplianceColumn, numeric: true)]
                            + steps.map { Column(title: words.standing($0), numeric: true) },
                        rows: rows, empty: phrase(.trendNotEnough)),
            ] : [], chart: trend.count > 1 ? trend : nil)
        }

        /// What happened: the ledger entries since the previous patrol, by kind.
        func happened() -> Section {
            struct Group {
                var heading: ReportPhrase, kinds: Set<EntryKind>, empty: ReportPhrase, deadline = false, step = false, actor = false
            }
            let groups = [
                Group(heading: .newOrders, kinds: [.order], empty: .noNewOrders, deadline: true),
                Group(heading: .warnings, kinds: [.warning], empty: .noWarnings, deadline: true),
                Group(heading: .suspensions, kinds: [.suspension], empty: .noSuspensions, deadline: true),
                Group(heading: .closures, kinds: [.closure, .seriousViolation], empty: .noClosures, step: true, actor: true),
                Group(heading: .rectifiedHeading, kinds: [.rectified], empty: .noRectified),
                Group(heading: .reinstatedHeading, kinds: [.reinstated], empty: .noReinstated, actor: true),
                Group(heading: .waivers, kinds: [.waiver], empty: .noWaivers, actor: true),
                Group(heading: .otherEntries,
                      kinds: [.deadlineMissed, .deadlineExtended, .relapse, .commended, .tierChanged, .supervisorChanged, .revoked, .note,
                              .keyRotated],
                      empty: .noOtherEntries, deadline: true, step: true, actor: true),
            ]
            let listings = groups.map { group in
                let events = report.events.filter { group.kinds.contains($0.kind) }
                // Patrol's steps are on the day reported unless the history was worked out again;
                // an operator's act may reach back.
                let days = group.actor || events.contains { $0.day != report.day }
                var columns = [column(.seqColumn, numeric: true)] + venueColumns
                if group.step { columns.append(column(.stepColumn)) }
                if days { columns.append(column(.dayColumn)) }
                if group.deadline { columns.append(column(.deadlineColumn)) }
                if group.actor { columns.append(column(.byColumn, maxWidth: 16)) }
                columns.append(column(.evidenceColumn))
                let rows = events.map { event in
                    var cells = ["\(event.seq)"] + venueCells(event.venue)
                    if group.step { cells.append(words.step(event.kind)) }
                    if days { cells.append(words.day(event.day)) }
                    if group.deadline { cells.append(event.deadline.map(words.day) ?? "") }
                    if group.actor { cells.append(words.actor(event.actor)) }
                    cells.append(words.reason(event.line))
                    return cells
                }
                return Listing(heading: phrase(group.heading), columns: columns, rows: rows, empty: phrase(group.empty),
                               attachment: attachment(.ledger))
            }
            return Section(heading: phrase(.happened), lines: [words.entriesSince(report.events.count)], listings: listings,
                           showsPictures: true)
        }

        /// Orders, warnings and suspensions whose deadline is today or tomorrow.
        func due() -> Section {
            let columns = venueColumns + [column(.stepColumn), column(.openedColumn), column(.rectifyByColumn), column(.supervisorColumn)]
            let listings = [(report.today, false), (report.today.adding(1), true)].map { deadline, tomorrow in
                let rows = report.due.filter { $0.deadline == deadline }.map { due in
                    venueCells(due.venue) + [words.step(due.kind), words.day(due.opened), words.day(due.deadline), due.venue.supervisor ?? ""]
                }
                return Listing(heading: words.dueHeading(tomorrow: tomorrow, day: deadline), columns: columns, rows: rows,
                               empty: words.nothingDue(tomorrow: tomorrow), attachment: attachment(.venues))
            }
            return Section(heading: phrase(.due), listings: listings)
        }

        func priority() -> Section {
            let standing = Dictionary(report.venues.map { ($0.venue.id, $0) }, uniquingKeysWith: { first, _ in first })
            let rows = report.priority.map { venue in
                venueCells(venue) + [venue.supervisor ?? "", standing[venue.id].map { words.standing($0.standing) } ?? "",
                                     standing[venue.id]?.deadline.map(words.day) ?? ""]
            }
            return Section(heading: phrase(.priority), listings: [
                Listing(columns: venueColumns + [column(.supervisorColumn), column(.standingColumn), column(.deadlineColumn)],
                        rows: rows, empty: phrase(.noPriority), attachment: attachment(.venues)),
            ])
        }

        /// The city's list: perimeter cameras down, where, since when and why.
        func maintenance() -> Section {
            let end = report.today.start(in: zone)
            let rows = report.maintenance.map { item in
                [item.cameraID] + venueCells(item.venue)
                    + [item.address, words.time(item.since, in: zone), words.duration(end.timeIntervalSince(item.since)),
                       words.reason(item.reason)]
            }
            let clocks = report.clocks.map { item in
                [item.cameraID] + venueCells(item.venue) + [words.clockOffset(item.offset), words.time(item.at, in: zone)]
            }
            let tolerance = Int(report.clockTolerance)
            return Section(heading: phrase(.maintenance), lines: [phrase(.maintenanceIntro)], listings: [
                Listing(columns: [column(.cameraColumn)] + venueColumns
                            + [column(.addressColumn, maxWidth: 30), column(.downSinceColumn), column(.downForColumn, numeric: true),
                               column(.reasonColumn)],
                        rows: rows, empty: phrase(.noPerimeterDown), attachment: attachment(.maintenance)),
                Listing(heading: words.clocksHeading(tolerance: tolerance),
                        columns: [column(.cameraColumn)] + venueColumns + [column(.offByColumn, numeric: true), column(.asOfColumn)],
                        rows: clocks, empty: words.noClockOff(tolerance: tolerance), attachment: attachment(.cameras)),
            ])
        }

        /// The registration systems: offline, uploads stuck, and those worth a look.
        func registration() -> Section {
            let figures = report.registrationFigures
            let system = [column(.systemColumn)] + venueColumns + [column(.supervisorColumn)]
            func cells(_ row: DailyReport.RegistrationRow) -> [String] {
                [row.systemID] + venueCells(row.venue) + [row.venue.supervisor ?? ""]
            }

            let offline = report.registration.filter { $0.failure == .offline }
                .sorted { ($1.offlineMinutes, $0.systemID) < ($0.offlineMinutes, $1.systemID) }
                .map { cells($0) + [words.duration(Double($0.offlineMinutes) * 60), words.reason($0.reason)] }
            let stuck = report.registration.filter { $0.failure == .uploadsStuck }
                .sorted { ($0.stuckSince ?? .distantPast, $0.systemID) < ($1.stuckSince ?? .distantPast, $1.systemID) }
                .map { row in
                    cells(row) + [row.stuckSince.map { words.time($0, in: zone) } ?? "", grouped(row.waiting),
                                  words.duration(Double(row.longestWaitMinutes) * 60),
                                  row.lastError ?? (row.uploadErrors ? phrase(.uploadErrorsNoWords) : "")]
                }
            let quiet = report.registration.filter(\.quiet).map { cells($0) + [phrase(.quietAllDay), words.reason($0.reason)] }
            let missing = report.registration.filter { $0.notJudged == .missing }
                .map { cells($0) + [phrase(.missingFromAnswers), words.reason($0.reason)] }

            let counts = figures.total == 0 ? phrase(.noRegistrationOfYours) : words.registrationCounts(figures)
            let rows = ReportLayout.registrationHTMLRows, csv = attachment(.registration)
            return Section(heading: phrase(.registration), lines: [counts, phrase(.registrationReminder)], listings: [
                Listing(heading: phrase(.systemsOffline), columns: system + [column(.offlineColumn, numeric: true), column(.reasonColumn)],
                        rows: offline, empty: phrase(.noSystemOffline), htmlRows: rows, attachment: csv),
                Listing(heading: phrase(.uploadsStuck),
                        columns: system + [column(.stuckSinceColumn), column(.waitingColumn, numeric: true),
                                           column(.oldestColumn, numeric: true), column(.platformErrorColumn)],
                        rows: stuck, empty: phrase(.noUploadsStuck), htmlRows: rows, attachment: csv),
                Listing(heading: phrase(.worthALook), columns: system + [column(.whyColumn), column(.reasonColumn)],
                        rows: quiet + missing, empty: phrase(.nothingWorthALook), htmlRows: rows, attachment: csv),
            ])
        }

        func offenders() -> Section {
            let rows = report.repeatOffenders.map { offender in
                venueCells(offender.venue) + ["\(offender.failures)", words.standing(offender.standing), words.tier(offender.venue.tier),
                                              offender.venue.supervisor ?? ""]
            }
            return Section(heading: phrase(.offenders), lines: [words.offendersIntro(windowDays: 365)], listings: [
                Listing(columns: venueColumns + [column(.failuresColumn, numeric: true), column(.standingColumn), column(.tierColumn),
                                                 column(.supervisorColumn)],
                        rows: rows, empty: phrase(.noOffenders), attachment: attachment(.venues)),
            ])
        }

        func commendations() -> Section {
            let rows = report.commendations.map { venueCells($0) + [words.tier($0.tier), $0.supervisor ?? ""] }
            return Section(heading: phrase(.commendations), lines: [words.commendationsIntro(days: 90)], listings: [
                Listing(columns: venueColumns + [column(.tierNowColumn), column(.supervisorColumn)],
                        rows: rows, empty: phrase(.noCommendations), attachment: attachment(.venues)),
            ])
        }

        func integrity() -> Section {
            let check = report.integrity
            guard check.ok else {
                return Section(heading: phrase(.integrity), lines: [words.integrityFailed(check), words.ledgerHead(check)], alarming: true)
            }
            return Section(heading: phrase(.integrity), lines: [words.ledgerHolds(check), words.seals(check), words.ledgerHead(check)])
        }
    }
}
