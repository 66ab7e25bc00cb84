import Foundation
import PatrolFixtures
import PatrolLedger
import PatrolStore
import Testing
@testable import PatrolReport

/// The lines of the list under `heading:`, up to the blank line that ends it.
func listing(_ text: String, _ heading: String) -> [String] {
    let lines = text.components(separatedBy: "\n")
    guard let start = lines.firstIndex(of: heading + ":") else { return [] }
    return Array(lines[(start + 1)...].prefix { !$0.isEmpty })
}

/// The lines of the section under `heading`, up to the next section.
func section(_ text: String, _ heading: String) -> String {
    guard let start = text.range(of: "\n\(heading)\n" + String(repeating: "-", count: heading.displayWidth) + "\n") else { return "" }
    let rest = text[start.upperBound...]
    let end = rest.range(of: "\n\n[^\n]+\n-+\n", options: .regularExpression)?.lowerBound ?? rest.endIndex
    return String(rest[..<end])
}

/// The display column at which `marker` starts in `line`.
func column(of marker: String, in line: String) -> Int? {
    line.range(of: marker).map { line[..<$0.lowerBound].displayWidth }
}

func words(_ line: String) -> [String] { line.split(separator: " ").map(String.init) }

@Suite struct ReportTextTests {
    let text = ReportText.render(CraftedReport.report, timeZone: CraftedReport.zone, language: .en)

    @Test func headlineAndFigures() {
        let lines = text.components(separatedBy: "\n")
        #expect(lines[0] == "Patrol daily report 2026-11-21")
        #expect(lines.contains("1,502 of 1,580 cameras compliant (interior 95.1%, +0.4 from yesterday)"))
        #expect(lines.contains { words($0) == ["Interior", "1,197", "61", "2", "0", "1,260"] })
        #expect(lines.contains { words($0) == ["Perimeter", "305", "15", "0", "0", "320"] })
        #expect(lines.contains { words($0) == ["All", "1,502", "76", "2", "0", "1,580"] })
        #expect(lines.contains("Failed cameras by cause: timeout 40, black 20, frozen 10, refused 6"))
        #expect(lines.contains { words($0) == ["Venues", "clean", "ordered", "warned", "suspended", "closed"] })
        #expect(lines.contains { words($0) == ["on", "the", "ladder", "290", "18", "6", "3", "3"] })
        #expect(!lines.contains { $0.hasSuffix(" ") }, "no line ends in spaces")
    }

    @Test func theLedgerCheckFailureComesFirstAndHasItsSection() throws {
        let alert = try #require(text.components(separatedBy: "\n").first { $0.hasPrefix("!! ") })
        #expect(alert.contains("LEDGER CHECK FAILED: ledger entry #57 was altered"))
        #expect(alert.contains("Entry #57 is the first that does not match"))
        #expect(text.range(of: alert)!.lowerBound < text.range(of: "1,502 of 1,580")!.lowerBound)
        #expect(section(text, "Ledger integrity").contains("LEDGER CHECK FAILED"))
    }

    @Test func whatHappened() {
        let orders = listing(text, "New rectification orders")
        #expect(orders.count == 4)
        #expect(words(orders[0]) == ["#", "Venue", "Name", "Deadline", "Evidence"])
        #expect(orders[1].hasPrefix("  101  V0001  平安宾馆 "))
        #expect(orders[1].contains("2026-11-24  rectify by 2026-11-24: " + CraftedReport.orderReason))
        #expect(orders[2].contains("朝阳旅舍, \"A\"座"))
        #expect(words(listing(text, "Warnings")[1]).prefix(4) == ["105", "V0004", "温馨公寓", "2026-11-22"])
        #expect(words(listing(text, "Suspensions")[1]).prefix(4) == ["107", "V0005", "星空网吧", "2026-11-23"])
        #expect(words(listing(text, "Closures")[1]).prefix(6) == ["108", "V0006", "老街旅社", "closure", "2026-11-21", "patrol"])
        #expect(words(listing(text, "Rectified")[1]).prefix(3) == ["110", "V0008", "如意宾馆"])
        #expect(words(listing(text, "Reinstated")[1]).prefix(5) == ["109", "V0007", "和平出租屋", "2026-11-21", "李娜"])
        let waiver = listing(text, "Waivers")
        #expect(waiver.count == 2)
        #expect(waiver[1].contains("*      whole district  2026-11-21  王芳  全区停电"))
        let other = listing(text, "Other ledger entries")
        #expect(other.count == 5)
        #expect(other[1].contains("deadline missed"))
        #expect(other[4].contains("tier changed"))
    }

    @Test func chineseNamesStayWholeAndAligned() {
        let orders = listing(text, "New rectification orders")
        let deadline = column(of: "Deadline", in: orders[0])
        #expect(deadline != nil)
        for row in orders.dropFirst() {
            #expect(column(of: "2026-11-24", in: row) == deadline, "\(row)")
        }
        let due = listing(text, "Due tomorrow, 2026-11-23")
        #expect(column(of: "suspension", in: due[1]) == column(of: "Step", in: due[0]))
        #expect(column(of: "rectification order", in: due[2]) == column(of: "Step", in: due[0]))
        // The perimeter cameras' table (before the list of clocks).
        let maintenance = section(text, "Maintenance list").components(separatedBy: "\n").prefix { !$0.hasPrefix("Camera clocks") }
            .filter { $0.hasPrefix("  ") }
        #expect(maintenance.count == 3)
        #expect(section(text, "Maintenance list").contains("No camera clock off by more than 60 s."))
        #expect(Set(maintenance.map { column(of: $0 == maintenance[0] ? "Reason" : "online", in: $0) }).count == 1)
        for name in ["平安宾馆", "温馨公寓", "星空网吧", "老街旅社", "和平出租屋", "如意宾馆", "吉祥宾馆"] {
            #expect(text.contains(name))
        }
    }

    @Test func dueMaintenanceOffendersCommendations() {
        let today = listing(text, "Due today, 2026-11-22")
        #expect(today.count == 2)
        #expect(words(today[1]) == ["V0004", "温馨公寓", "warning", "2026-11-21", "2026-11-22", "张伟", "(一组)"])
        let tomorrow = listing(text, "Due tomorrow, 2026-11-23")
        #expect(tomorrow.map { words($0).first } == ["Venue", "V0005", "V0009"])
        let priority = section(text, "Priority venues")
        #expect(priority.contains("V0005  星空网吧  李娜 (二组)  suspended  2026-11-23"))
        #expect(priority.contains("V0010  锦绣网吧  张伟 (一组)  clean"))
        let maintenance = section(text, "Maintenance list")
        #expect(maintenance.contains("C00031  V0004  温馨公寓  长安街1号, 东门  2026-11-19 14:05  2 d 9 h  online 0% of 24.0 h"))
        // Up again by the day's end: since its failing began that day, never "unknown".
        #expect(maintenance.contains("C00051  V0005  星空网吧  解放路88号       2026-11-21 03:40     20 h  online 60.2%"))
        #expect(!maintenance.contains("unknown"))
        let offenders = section(text, "Repeat offenders").components(separatedBy: "\n").filter { $0.hasPrefix("  V0") }
        #expect(offenders.map { Array(words($0).prefix(4)) } == [["V0006", "老街旅社", "3", "closed"], ["V0005", "星空网吧", "2", "suspended"]])
        #expect(section(text, "Commendations").contains("V0011  吉祥宾馆  general   张伟 (一组)"))
    }

    @Test func everySectionOfAnEmptyDaySaysSo() {
        let text = ReportText.render(emptyDay(), timeZone: CraftedReport.zone, language: .en)
        #expect(text.contains("1,580 of 1,580 cameras compliant (interior 100.0%, the same as yesterday)"))
        #expect(text.contains("Failed cameras by cause: none."))
        #expect(text.contains("No ledger entries since the previous patrol."))
        for line in ["No new rectification orders.", "No new warnings.", "No new suspensions.", "No closures.", "No venue rectified.",
                     "No venue reinstated.", "No days waived.", "No other ledger entries.", "Nothing due today.", "Nothing due tomorrow.",
                     "No priority venues.", "No perimeter camera down.", "No repeat offenders.", "No commendations."] {
            #expect(text.contains("\n  \(line)\n"), "\(line)")
        }
        #expect(section(text, "Ledger integrity").contains("The ledger holds: 0 entries over 30 patrol days"))
        #expect(!text.contains("!!"))
        #expect(emptyDay().subject(for: .office, language: .en) == "Patrol daily report 2026-11-21: no new orders")
    }

    @Test("the ledger's head and its seals leave the machine in every report, held or failed")
    func theLedgerHeadIsInTheReport() {
        let head = LedgerHead(seq: 113, hash: String(repeating: "3f", count: 32))
        var report = emptyDay()
        report.integrity = LedgerCheck(entries: 113, days: 30)
        report.integrity.head = head
        report.integrity.sealedBy = String(repeating: "ab", count: 32)
        report.integrity.trusted = true
        report.integrity.predates = 40
        let integrity = section(ReportText.render(report, timeZone: CraftedReport.zone, language: .en), "Ledger integrity")
        #expect(integrity.contains("Ledger head: \(head.hash):113."))
        #expect(integrity.contains("`patrol ledger verify --head \(head.hash):113`"))
        #expect(integrity.contains("sealed by key abababababababab, the trusted key; entries #1–#40 predate the key: chained but not sealed"))
        report.integrity.problem = "ledger entry #57 was altered after it was sealed 2026-11-20T22:00:00.000Z: its hash is not the sealed one"
        report.integrity.seq = 57
        let failed = section(ReportText.render(report, timeZone: CraftedReport.zone, language: .en), "Ledger integrity")
        #expect(failed.contains("LEDGER CHECK FAILED: ledger entry #57 was altered after it was sealed"))
        #expect(failed.contains("Ledger head: \(head.hash):113."))
        let html = ReportHTML.render(report, timeZone: CraftedReport.zone, language: .en)
        #expect(html.contains("Ledger head: \(head.hash):113."))
    }

    @Test func aDayWithoutTheDayBefore() {
        var report = emptyDay()
        report.previous = nil
        #expect(ReportText.render(report, language: .en).contains("(interior 100.0%; the day before was not patrolled)"))
        report.figures = CraftedReport.figures(interior: [.unknown: 1260], perimeter: [.compliant: 320])
        #expect(ReportText.render(report, language: .en).contains("320 of 1,580 cameras compliant (no interior camera judged)"))
    }

    @Test func subjects() {
        let report = CraftedReport.report
        #expect(report.subject(for: .office, language: .en) == "Patrol daily report 2026-11-21: LEDGER CHECK FAILED, 3 new orders, 1 warning, "
            + "1 suspension, 1 closure, 1 due today, 2 cameras for maintenance")
        #expect(report.subject(for: .supervisor(CraftedReport.zhang), language: .en)
            == "Patrol daily report 2026-11-21, your venues: LEDGER CHECK FAILED, 1 warning, 1 due today")
        #expect(report.subject(for: .maintenance, language: .en) == "Patrol maintenance list 2026-11-21: 2 perimeter cameras down")
        #expect(emptyDay().subject(for: .maintenance, language: .en) == "Patrol maintenance list 2026-11-21: no perimeter camera down")
        for audience in [ReportAudience.office, .supervisor(CraftedReport.li), .maintenance] {
            #expect(report.subject(for: audience, language: .en).unicodeScalars.allSatisfy { $0.isASCII })
        }
    }
}
