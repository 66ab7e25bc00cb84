/// The language the daily report is written in (`report.language`): its headings, sentences,
/// dates, CSV headers and mail subject. Identifiers (camera and venue IDs, JSON keys, the
/// outcome names scripts read) are the same in every language.
public enum ReportLanguage: String, Sendable, CaseIterable, Codable {
    /// Simplified Chinese, as the office writes it: the default.
    case zhCN = "zh-CN"
    case en
}
