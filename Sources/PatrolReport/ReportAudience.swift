import PatrolLedger

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
    /// The e-mail subject for `audience`: English, ASCII, the day and the counts that matter to it,
    /// such as `Patrol daily report 2026-11-21: 3 new orders, 1 suspension`. A failed ledger check
    /// comes first. Venue and supervisor names stay in the body.
    public func subject(for audience: ReportAudience) -> String {
        let scoped = audience.scope(self)
        let alert = integrity.ok ? [] : ["LEDGER CHECK FAILED"]
        switch audience {
        case .maintenance:
            let down = maintenance.count
            return "Patrol maintenance list \(day): "
                + (down == 0 ? "no perimeter camera down" : "\(counted(down, "perimeter camera")) down")
        case .office, .supervisor:
            var counts = [(EntryKind.order, "new order"), (.warning, "warning"), (.suspension, "suspension"), (.closure, "closure")]
                .compactMap { kind, noun in
                    let count = scoped.events.filter { $0.kind == kind }.count
                    return count == 0 ? nil : counted(count, noun)
                }
            if counts.isEmpty { counts = ["no new orders"] }
            let dueToday = scoped.due.filter { $0.deadline == today }.count
            if dueToday > 0 { counts.append("\(dueToday) due today") }
            if case .office = audience, !maintenance.isEmpty {
                counts.append("\(counted(maintenance.count, "camera")) for maintenance")
            }
            let title = audience == .office ? "Patrol daily report \(day)" : "Patrol daily report \(day), your venues"
            return title + ": " + (alert + counts).joined(separator: ", ")
        }
    }
}

/// `1 order`, `3 orders`, `2 entries`.
func counted(_ count: Int, _ noun: String, _ plural: String? = nil) -> String {
    "\(grouped(count)) \(count == 1 ? noun : plural ?? noun + "s")"
}

/// `1,580`: thousands grouped with commas, whatever the machine's locale.
func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var text = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
        text.append(digit)
    }
    return number < 0 ? "-" + text : text
}
