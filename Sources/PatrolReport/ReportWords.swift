import Foundation
import PatrolInventory
import PatrolLedger
import PatrolSettings
import PatrolStore

/// Every word the daily report says, in one language: its headings, sentences, names of
/// verdicts and steps, dates, durations, CSV headers and mail subject. One catalogue per
/// language (`ChineseWords`, `EnglishWords`), in Swift so that the compiler holds each to the
/// whole list; ReportWordsTests checks that each key has words in both and that a Chinese report
/// keeps no English but identifiers. The renderers never write a word of their own.
protocol ReportWords: Sendable {
    var language: ReportLanguage { get }
    /// The HTML's fonts, first choice first: ones a Windows or a Linux mail reader has.
    var fontFamily: String { get }
    /// After a list's heading in the text: `:` or `：`.
    var colon: String { get }

    // MARK: Fixed words
    func phrase(_ phrase: ReportPhrase) -> String
    func csvHeader(_ column: ReportCSV.Column) -> String

    // MARK: Names of values
    func verdict(_ verdict: Verdict) -> String
    func standing(_ standing: Standing) -> String
    func tier(_ tier: Tier) -> String
    func placement(_ placement: Placement) -> String
    /// A ledger entry's kind, as a step is named in a table.
    func step(_ kind: EntryKind) -> String
    /// A probe outcome by its identifier (`timeout`, `black`…), or `other`.
    func outcome(_ identifier: String) -> String
    /// A venue's kind by its identifier (`hotel`, `rental`, `internet_cafe`).
    func venueKind(_ identifier: String) -> String
    /// Who made a ledger entry: an operator's name as it is; the daily patrol and the configuration named.
    func actor(_ actor: String) -> String
    func yesNo(_ value: Bool) -> String
    /// A reason as the judging wrote it (PatrolLedger's words, stored with each verdict and entry).
    /// An operator's own words pass as they are.
    func reason(_ text: String) -> String

    // MARK: Days, times, counts
    func day(_ day: PatrolDay) -> String
    /// A day and time of the district: `2026年11月19日 14:05`, `2026-11-19 14:05`.
    func time(_ date: Date, in zone: TimeZone) -> String
    /// How long, to the level that matters: `2天9小时`, `2 d 9 h`.
    func duration(_ seconds: TimeInterval) -> String
    func count(_ count: Int, _ noun: ReportNoun) -> String
    /// A camera clock's error: `快300秒`, `+300 s`.
    func clockOffset(_ seconds: Double) -> String

    // MARK: Sentences
    func title(_ audience: ReportAudience, day: PatrolDay) -> String
    func audienceLine(_ audience: ReportAudience, day: PatrolDay, sent: PatrolDay) -> String
    /// `1,502 of 1,580 cameras compliant (interior 95.1%, +0.4 from yesterday)`.
    func camerasHeadline(compliant: Int, total: Int, interior: Double?, change: ReportChange) -> String
    /// `8 of 320 perimeter cameras down (yesterday 10)`; nil: the day before was not patrolled.
    func perimeterHeadline(down: Int, total: Int, yesterday: Int?) -> String
    func failedByCause(_ causes: [(outcome: String, count: Int)]) -> String
    func registrationHeadline(_ figures: DailyReport.RegistrationFigures, yours: Bool) -> String
    /// The platform could not be read for most of the day. `read`: the judging's words for how long it was.
    func platformUnread(read: String?, unread: Int, total: Int) -> String
    func registrationCounts(_ figures: DailyReport.RegistrationFigures) -> String
    func entriesSince(_ count: Int) -> String
    func dueHeading(tomorrow: Bool, day: PatrolDay) -> String
    func nothingDue(tomorrow: Bool) -> String
    func clocksHeading(tolerance: Int) -> String
    func noClockOff(tolerance: Int) -> String
    func offendersIntro(windowDays: Int) -> String
    func commendationsIntro(days: Int) -> String
    func integrityFailed(_ check: LedgerCheck) -> String
    func ledgerHolds(_ check: LedgerCheck) -> String
    func seals(_ check: LedgerCheck) -> String
    func ledgerHead(_ check: LedgerCheck) -> String
    /// Under a table the HTML cut short: how many rows more, and the attachment that has them all
    /// (nil: none does, the text part has them).
    func more(_ count: Int, attachment: String?) -> String
    func pictureCaption(seq: Int, venue: String, sha256: String) -> String
    func subject(_ audience: ReportAudience, day: PatrolDay, counts: ReportSubjectCounts) -> String

    // MARK: The trend
    /// `district`: said for a supervisor, whose other figures are their venues'.
    func trendHeading(days: Int, district: Bool) -> String
    /// The trend in a line or two of figures: the first day, the last, and the range between.
    func trendSummary(_ trend: [DailyReport.TrendDay]) -> [String]
}

/// The report's fixed words, by what they are for.
public enum ReportPhrase: CaseIterable, Sendable {
    // Figures
    case interior, perimeter, all, camerasColumn, totalColumn, venuesColumn, onTheLadder, venuesOnTheLadder, yourVenues, district
    case failedCamerasByCause, camerasUnit, venuesUnit
    // What happened
    case happened, newOrders, noNewOrders, warnings, noWarnings, suspensions, noSuspensions, closures, noClosures
    case rectifiedHeading, noRectified, reinstatedHeading, noReinstated, waivers, noWaivers, otherEntries, noOtherEntries
    case picturesOfNewOrders
    // Columns
    case seqColumn, venueColumn, nameColumn, stepColumn, dayColumn, deadlineColumn, byColumn, evidenceColumn, openedColumn
    case rectifyByColumn, supervisorColumn, standingColumn, cameraColumn, addressColumn, downSinceColumn, downForColumn
    case reasonColumn, offByColumn, asOfColumn, systemColumn, offlineColumn, stuckSinceColumn, waitingColumn, oldestColumn
    case platformErrorColumn, whyColumn, failuresColumn, tierColumn, tierNowColumn, interiorComplianceColumn
    case wholeDistrict
    // Sections
    case due, priority, noPriority, maintenance, maintenanceIntro, noPerimeterDown, offenders, noOffenders
    case commendations, noCommendations, integrity
    // Registration
    case registration, noRegistrationOfYours, registrationReminder, systemsOffline, noSystemOffline, uploadsStuck
    case noUploadsStuck, worthALook, nothingWorthALook, quietAllDay, missingFromAnswers, uploadErrorsNoWords
    // The trend
    case trendCompliance, trendVenues, trendNotEnough
}

/// What a count counts, for the measure word (Chinese) or the plural (English).
enum ReportNoun: CaseIterable {
    case camera, perimeterCamera, venue, registrationSystem, ledgerEntry, patrolDay
}

/// The change of the interior cameras' compliance from the day before, for the headline.
enum ReportChange: Equatable {
    /// Not said (a supervisor's own venues).
    case unsaid
    case notPatrolled
    /// In percentage points, one decimal; zero is the same.
    case points(Double)
}

/// What a subject line counts.
struct ReportSubjectCounts {
    var ledgerFailed = false
    var orders = 0, warnings = 0, suspensions = 0, closures = 0
    var dueToday = 0
    var forMaintenance = 0
    /// Perimeter cameras down (the maintenance team's subject).
    var perimeterDown = 0
}

extension ReportLanguage {
    var words: any ReportWords {
        switch self {
        case .zhCN: ChineseWords()
        case .en: EnglishWords()
        }
    }
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

/// `95.1%`: a share rounded down to a tenth of a percent (a camera at 94.96% is not 95.0%).
func percent(_ rate: Double) -> String { String(format: "%.1f%%", (rate * 1000).rounded(.down) / 10) }

/// The parts of a time in `zone`.
func clock(_ date: Date, in zone: TimeZone) -> DateComponents {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
}
