import Foundation
import PatrolFixtures
import PatrolInventory
@testable import PatrolLedger
import PatrolProbe
import PatrolSettings
import PatrolStore
import Testing
@testable import PatrolReport

/// The English words left in `text` once the data is taken out (names, addresses, an operator's
/// or a platform's own words): every Latin word that is not an identifier. Identifiers are
/// camera, venue and system IDs (`C00002`, `V0001`, `R-0008A`), hashes and key fingerprints (hex),
/// commands in backquotes, the attachments' file names, e-mail addresses, and the glossary's RTSP.
func englishWords(in text: String, data: [String] = []) -> [String] {
    var rest = text
    // Only data with Latin letters could leave an English word behind.
    for value in data.filter({ $0.contains { $0.isASCII && $0.isLetter } }).sorted(by: { $0.count > $1.count }) {
        rest = rest.replacingOccurrences(of: value, with: " ")
    }
    for pattern in [#"`[^`]*`"#, #"patrol-[a-z]+-\d{4}-\d{2}-\d{2}\.csv"#, #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+"#,
                    #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}"#] {
        rest = rest.replacing(try! Regex(pattern), with: " ")
    }
    let identifier = try! Regex(#"[A-Z]{1,3}-?\d+[A-Z]?|[0-9a-f]{8,}|RTSP"#)
    return rest.matches(of: try! Regex(#"[A-Za-z0-9]+(?:['_-][A-Za-z0-9]+)*"#)).map { String(rest[$0.range]) }
        .filter { $0.contains(where: \.isLetter) && $0.wholeMatch(of: identifier) == nil }
}

/// What a mail reader shows of `html`: its text, and the words in its `alt` and `aria-label`.
func visibleText(_ html: String) -> String {
    let attributes = html.matches(of: try! Regex(#"(?:alt|aria-label)="([^"]*)""#)).compactMap { $0.output[1].substring.map(String.init) }
    let text = html.replacing(try! Regex(#"<[^>]*>"#), with: " ")
    return ([text] + attributes).joined(separator: " ")
        .replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&#9632;", with: "■")
        .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
        .replacingOccurrences(of: "&amp;", with: "&")
}

/// The data of a report: what its readers wrote or named, never Patrol's words.
func data(of report: DailyReport) -> [String] {
    let venues = report.venues.map(\.venue) + report.events.compactMap(\.venue) + report.registration.map(\.venue)
    let operators = report.events.filter { $0.actor != "patrol" }.flatMap { [$0.actor, $0.line] }
    // A reason the judging never writes, with quotes and a line break, for the CSV's quoting.
    let quoted = [CraftedReport.quotedReason, CraftedReport.quotedReason.replacingOccurrences(of: "\n", with: " ")]
    // A name a spreadsheet would take for a formula is written with an apostrophe before it.
    return venues.flatMap { [$0.name, "'" + $0.name, $0.supervisor ?? ""] } + report.maintenance.map(\.address) + operators
        + report.registration.compactMap(\.lastError) + quoted
}

@Suite("The report's words: one catalogue per language, Chinese by default and English left in none of it")
struct ReportWordsTests {
    let chinese = ChineseWords(), english = EnglishWords()
    static let outcomes = Outcome.allCases.map(\.rawValue) + ["other"]

    @Test("every key has words in both catalogues; the Chinese ones are Chinese")
    func everyKeyInBoth() {
        for phrase in ReportPhrase.allCases {
            #expect(!english.phrase(phrase).isEmpty, "\(phrase)")
            #expect(!chinese.phrase(phrase).isEmpty && englishWords(in: chinese.phrase(phrase)).isEmpty, "\(phrase): \(chinese.phrase(phrase))")
        }
        for column in ReportCSV.Column.allCases {
            #expect(english.csvHeader(column) == column.rawValue)
            #expect(englishWords(in: chinese.csvHeader(column)).isEmpty, "\(column)")
        }
        #expect(Set(ReportCSV.Column.allCases.map(chinese.csvHeader)).count == ReportCSV.Column.allCases.count, "one header a column")
        for noun in ReportNoun.allCases {
            #expect(chinese.count(2, noun).hasPrefix("2") && englishWords(in: chinese.count(2, noun)).isEmpty, "\(noun)")
            #expect(english.count(1, noun) != english.count(2, noun).replacingOccurrences(of: "2", with: "1"), "\(noun): a plural")
        }
        var names: [(String, String, String)] = Verdict.allCases.map { ($0.rawValue, chinese.verdict($0), english.verdict($0)) }
        names += Standing.allCases.map { ($0.rawValue, chinese.standing($0), english.standing($0)) }
        names += Tier.allCases.map { ($0.rawValue, chinese.tier($0), english.tier($0)) }
        names += Placement.allCases.map { ($0.rawValue, chinese.placement($0), english.placement($0)) }
        names += EntryKind.allCases.map { ($0.rawValue, chinese.step($0), english.step($0)) }
        names += Self.outcomes.map { ($0, chinese.outcome($0), english.outcome($0)) }
        names += ["hotel", "rental", "internet_cafe"].map { ($0, chinese.venueKind($0), english.venueKind($0)) }
        for (identifier, zh, en) in names {
            #expect(!en.isEmpty && !zh.isEmpty && zh != identifier, "\(identifier)")
            #expect(englishWords(in: zh).isEmpty, "\(identifier): \(zh)")
        }
        // The glossary's words.
        #expect([Standing.ordered, .warned, .suspended, .closed].map(chinese.standing) == ["整改中", "警告", "责令停业", "取缔"])
        #expect([EntryKind.order, .relapse, .deadlineMissed, .deadlineExtended, .waiver, .reinstated, .commended].map(chinese.step)
            == ["整改通知", "复发", "逾期未整改", "期限顺延", "豁免", "恢复营业", "表扬"])
        #expect(Tier.allCases.map(chinese.tier) == ["一般", "关注", "重点"])
        #expect(["frozen", "black", "stalled", "moved"].map(chinese.outcome) == ["画面冻结", "黑屏", "无画面流(停滞)", "角度偏移"])
    }

    @Test("days, times and durations as the office writes them")
    func datesAndDurations() {
        #expect(chinese.day(CraftedReport.day) == "2026年11月21日")
        let afternoon = CraftedReport.day.adding(-2).start(in: CraftedReport.zone, hour: 14, minute: 5)
        #expect(chinese.time(afternoon, in: CraftedReport.zone) == "2026年11月19日 14:05")
        // The same instant in another zone is another clock time.
        #expect(chinese.time(afternoon, in: TimeZone(identifier: "UTC")!) == "2026年11月19日 06:05")
        let seconds: [Double] = [40 * 60, 3 * 3600 + 5 * 60, 2 * 86_400 + 9 * 3600, 2 * 86_400]
        #expect(seconds.map(chinese.duration) == ["40分钟", "3小时05分", "2天9小时", "2天"])
        #expect(chinese.clockOffset(300) == "快300秒" && chinese.clockOffset(-3600) == "慢3600秒")
    }

    @Test("a Chinese report keeps no English but identifiers: text, HTML, every CSV and every subject, for each audience")
    func noEnglishInAChineseReport() throws {
        var unread = withRegistration(largeDay())
        unread.integrity.head = LedgerHead(seq: 5000, hash: String(repeating: "3f", count: 32))
        unread.integrity.sealedBy = String(repeating: "ab", count: 32)
        unread.trend = CraftedReport.trend
        for report in [CraftedReport.report, unread, emptyDay()] {
            let audiences = [ReportAudience.office, .maintenance] + report.supervisors.map { .supervisor($0) }
            for audience in audiences {
                let text = ReportText.render(report, for: audience, timeZone: CraftedReport.zone)
                let html = ReportHTML.render(report, for: audience, timeZone: CraftedReport.zone)
                // Each cell as a spreadsheet shows it.
                let csv = try ReportCSV.attachments(report, for: audience, timeZone: CraftedReport.zone)
                    .flatMap { try parseCSV(String(decoding: $0.data, as: UTF8.self)) }.map { $0.joined(separator: "\n") }
                    .joined(separator: "\n")
                for (part, body) in [("text", text), ("HTML", visibleText(html)), ("CSV", csv),
                                     ("subject", report.subject(for: audience))] {
                    let left = englishWords(in: body, data: data(of: report))
                    #expect(left.isEmpty, "\(audience) \(part): \(Set(left).sorted())")
                }
            }
        }
    }

    @Test("every reason the judging writes comes out in Chinese")
    func theJudgingsReasons() throws {
        let day = CraftedReport.day, zone = CraftedReport.zone, interval = day.interval(in: zone)
        // A camera's day: not watched enough, offline, frozen or black, a picture turned away, both, compliant.
        let judging = JudgingPolicy()
        let facts = [
            CameraDayFacts(watchedSeconds: 5 * 3600, onlineSeconds: 5 * 3600, frozenOrBlackSeconds: 0, probes: 20, mainFailure: nil),
            CameraDayFacts(watchedSeconds: 86_400, onlineSeconds: 0, frozenOrBlackSeconds: 0, probes: 96, mainFailure: .notFound),
            CameraDayFacts(watchedSeconds: 86_400, onlineSeconds: 80_000, frozenOrBlackSeconds: 0, probes: 96, mainFailure: nil),
            CameraDayFacts(watchedSeconds: 86_400, onlineSeconds: 86_400, frozenOrBlackSeconds: 4500, probes: 96, mainFailure: .black),
            CameraDayFacts(watchedSeconds: 86_400, onlineSeconds: 86_400, frozenOrBlackSeconds: 7200, probes: 96, mainFailure: .moved),
            CameraDayFacts(watchedSeconds: 86_400, onlineSeconds: 40_000, frozenOrBlackSeconds: 7200, probes: 96, mainFailure: .obstructed),
            CameraDayFacts(watchedSeconds: 86_400, onlineSeconds: 86_400, frozenOrBlackSeconds: 0, probes: 96, mainFailure: nil),
        ]
        let cameras = facts.enumerated().map { index, facts in
            let (verdict, reason) = CameraDay.decide(facts, daySeconds: 86_400, policy: judging)
            return CameraDay(cameraID: "C0000\(index)", venueID: "V1", placement: .interior, verdict: verdict, reason: reason, facts: facts)
        }
        var reasons = cameras.map(\.reason)
        // A registration system's day, each way it is judged.
        let registration = RegistrationJudging()
        let stuck = interval.start.addingTimeInterval(9 * 3600)
        let systems = [
            RegistrationDayFacts(readSeconds: 5 * 3600, seenSeconds: 5 * 3600),
            RegistrationDayFacts(readSeconds: 86_400, seenSeconds: 3 * 3600),
            RegistrationDayFacts(readSeconds: 86_400, seenSeconds: 86_400, onlineSeconds: 60_000),
            RegistrationDayFacts(readSeconds: 86_400, seenSeconds: 86_400, onlineSeconds: 86_400, longestWaitSeconds: 53_000,
                                 waitingAtLongest: 12, stuckSince: stuck, errorsWhileOnline: true, lastError: "证件号码校验失败"),
            RegistrationDayFacts(readSeconds: 86_400, seenSeconds: 86_400, onlineSeconds: 86_400, longestWaitSeconds: 53_000,
                                 waitingAtLongest: 12, stuckSince: stuck, errorsWhileOnline: true),
            RegistrationDayFacts(readSeconds: 86_400, seenSeconds: 86_400, onlineSeconds: 0, longestWaitSeconds: 100_000,
                                 waitingAtLongest: 3, stuckSince: interval.start.addingTimeInterval(-20_000)),
            RegistrationDayFacts(readSeconds: 86_400, seenSeconds: 86_400, onlineSeconds: 86_400),
            RegistrationDayFacts(readSeconds: 86_400, seenSeconds: 86_400, onlineSeconds: 86_400, uploaded: 36),
        ].enumerated().map { index, facts in
            let (verdict, reason, quiet) = RegistrationDay.decide(facts, day: interval, policy: registration, zone: zone)
            return RegistrationDay(systemID: "R-\(index)", venueID: "V1", verdict: verdict, reason: reason, facts: facts, quiet: quiet)
        }
        reasons += systems.map(\.reason)
        // A venue's day: video alone, and beside its registration.
        reasons += [[], [cameras[6]], [cameras[1], cameras[5], cameras[6]], [cameras[0], cameras[6]]].map {
            VenueDay.aggregate(venueID: "V1", day: day, cameras: $0).reason
        }
        reasons += [systems[2], systems[0], systems[7]].map {
            VenueDay.aggregate(venueID: "V1", day: day, cameras: [cameras[6]], registration: RegistrationVerdict(systems: [$0])).reason
        }
        reasons.append(RegistrationVerdict(systems: []).reason)
        // The ladder: each step it takes.
        reasons += ladderReasons(failing: VenueDay.aggregate(venueID: "V1", day: day, cameras: [cameras[1]]).reason)
        // Replay's words, the rules' note and an approved reference, as the store writes them.
        reasons += ["order #12 revoked by 王芳: 摄像机线路施工", "waived by 王芳: 全区停电", "warning #40 no longer follows from the record",
                    "ladder policy from 2026-12-01: \(LadderPolicy().summary) (until 2026-11-30: \(LadderPolicy().summary))",
                    "reference picture of camera C00412 approved: 按整改要求调整了角度",
                    "ledger key 0123456789abcdef → fedcba9876543210: 密钥定期更换", "not judged"]

        for reason in reasons {
            let written = chinese.reason(reason)
            #expect(englishWords(in: written, data: ["证件号码校验失败", "王芳", "张伟", "摄像机线路施工", "全区停电", "按整改要求调整了角度",
                                                     "密钥定期更换", "现场发现未登记住客", LadderPolicy().defaultSupervisor]).isEmpty,
                    "\(reason) → \(written)")
            #expect(english.reason(reason) == reason)
        }
        #expect(chinese.reason(cameras[1].reason) == "在线率0%（巡查24.0小时，要求不低于95%），主要为地址不存在")
        #expect(chinese.reason("rectify by 2026-11-24: 1 of 2 interior cameras failed: C1 \(cameras[1].reason); C2 \(cameras[5].reason)")
            == "限2026年11月24日前整改：内部摄像机2台中1台不合格：C1 在线率0%（巡查24.0小时，要求不低于95%），主要为地址不存在；"
            + "C2 在线率46.2%（巡查24.0小时，要求不低于95%），主要为遮挡；画面异常（主要为遮挡）共120分钟（上限60分钟）")
        // An operator's own words pass as they are, their semicolons too.
        #expect(chinese.reason("inspected on site; recorder replaced") == "inspected on site; recorder replaced")
    }

    /// The reasons `Ladder.derive` writes for one venue walked up every step, and for others that
    /// are waived, commended, or closed at one strike.
    func ladderReasons(failing: String) -> [String] {
        let start = PatrolDay(year: 2026, month: 1, day: 5), policies = PolicyHistory(changes: [], otherwise: LadderPolicy())
        func day(_ number: Int) -> PatrolDay { start.adding(number) }
        func judged(_ number: Int, _ verdict: Verdict, _ reason: String? = nil) -> LadderEvent {
            .day(day(number), verdict, reason: reason ?? (verdict == .compliant ? "all 2 interior cameras compliant" : failing),
                 evidence: Evidence.none)
        }
        // An order; a day not judged and a day waived extend it; missed: a warning; rectified; a
        // relapse (a tier up, a suspension); missed again: a closure.
        let walk: [LadderEvent] = [
            judged(0, .failed), judged(1, .unknown, "1 of 2 interior cameras not watched enough to judge"),
            judged(2, .waived, "waived by 王芳: 全区停电"), judged(5, .failed), judged(6, .compliant), judged(7, .failed),
            judged(8, .failed), judged(9, .failed), judged(10, .failed),
        ]
        // A day without a verdict inside an order's deadline.
        let gap: [LadderEvent] = [judged(0, .failed), judged(2, .failed)]
        // Ninety clean days: commended, a tier down.
        let clean = (0..<90).map { judged($0, .compliant) }
        let strike: [LadderEvent] = [.act(Act(seq: 1, day: day(0), actor: "张伟", reason: "现场发现未登记住客", kind: .seriousViolation))]
        let steps = [(walk, Tier.general), (gap, .general), (clean, .watch), (strike, .general)].flatMap { events, tier in
            Ladder.derive(venueID: "V1", tier: tier, supervisor: nil, events: events, policies: policies).steps
        }
        let kinds = Set(steps.map(\.kind))
        #expect(kinds == [.order, .deadlineExtended, .deadlineMissed, .warning, .rectified, .relapse, .tierChanged, .suspension, .closure,
                          .commended], "every step the ladder takes")
        return steps.map(\.reason)
    }

    @Test("the HTML says its language and names fonts a Windows or Linux mail reader has for Chinese")
    func htmlLanguageAndFonts() {
        let zh = ReportHTML.render(CraftedReport.report, timeZone: CraftedReport.zone)
        let en = ReportHTML.render(CraftedReport.report, timeZone: CraftedReport.zone, language: .en)
        #expect(zh.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">"))
        #expect(en.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n"))
        let stack = "'Microsoft YaHei','PingFang SC','Noto Sans CJK SC','WenQuanYi Micro Hei',SimSun,sans-serif"
        #expect(zh.contains("<body style=\"margin:0;padding:0;background:#eef0f3;font-family:\(stack)\">"))
        // Every table names them again (Outlook does not hand fonts down into tables).
        let tables = zh.components(separatedBy: "<table width=\"100%\" cellpadding=\"4\"").dropFirst()
        #expect(!tables.isEmpty && tables.allSatisfy { $0.hasPrefix(" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;") && $0.contains(stack) })
        #expect(en.contains("font-family:'Helvetica Neue',Arial,\(stack)"))
        #expect(zh.contains("<title>每日巡查通报 2026年11月21日：台账校验未通过，新下达整改通知3家，警告1家，责令停业1家，取缔1家，今日到期1家，外围摄像机待维修2台</title>"))
    }

    @Test("the subject says what matters to its reader, in Chinese")
    func chineseSubjects() {
        let report = CraftedReport.report
        #expect(report.subject(for: .supervisor(CraftedReport.zhang)) == "每日巡查通报 2026年11月21日（您督导的场所）：台账校验未通过，警告1家，今日到期1家")
        #expect(report.subject(for: .maintenance) == "维修清单 2026年11月21日：外围摄像机故障2台")
        #expect(emptyDay().subject(for: .office) == "每日巡查通报 2026年11月21日：无新整改通知")
        #expect(emptyDay().subject(for: .maintenance) == "维修清单 2026年11月21日：无外围摄像机故障")
    }
}
