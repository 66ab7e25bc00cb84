import PatrolLedger
import PatrolSettings

/// Who a rendering of the daily report is for. Each renderer takes one.
public enum ReportAudience: Sendable, Hashable, CustomStringConvertible {
    /// The office: everything.
    case office
    /// One venue-supervision team: only the venues it supervises (`DailyReport.forSupervisor`),
    /// with the district's headline for comparison.
    case supervisor(String)
    /// The city maintenance team: the perimeter cameras' figures and the maintenance list only.
    case maintenance

    public var description: String {
        switch self {
        case .office: "office"
        case .supervisor(let name): "supervisor \(name)"
        case .maintenance: "maintenance"
        }
    }

    /// The report as this audience sees it: a supervisor's venues only; the rest unchanged.
    func scope(_ report: DailyReport) -> DailyReport {
        if case .supervisor(let name) = self { return report.forSupervisor(name) }
        return report
    }
}

extension DailyReport {
    /// The e-mail subject for `audience`: the day and the counts that matter to that reader, such
    /// as `每日巡查通报 2026年11月21日：新下达整改通知3家，责令停业1家` or, in English,
    /// `Patrol daily report 2026-11-21: 3 new orders, 1 suspension`. A failed ledger check comes
    /// first. Venue and supervisor names stay in the body.
    public func subject(for audience: ReportAudience, language: ReportLanguage = .zhCN) -> String {
        let scoped = audience.scope(self)
        func steps(_ kind: EntryKind) -> Int { scoped.events.filter { $0.kind == kind }.count }
        var counts = ReportSubjectCounts()
        counts.ledgerFailed = audience != .maintenance && !integrity.ok
        (counts.orders, counts.warnings, counts.suspensions, counts.closures) =
            (steps(.order), steps(.warning), steps(.suspension), steps(.closure))
        counts.dueToday = scoped.due.filter { $0.deadline == today }.count
        if audience == .office { counts.forMaintenance = maintenance.count }
        counts.perimeterDown = maintenance.count
        return language.words.subject(audience, day: day, counts: counts)
    }
}
