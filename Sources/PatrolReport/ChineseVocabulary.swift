import PatrolInventory
import PatrolLedger

/// The report's Chinese words for Patrol's identifiers and the judging's reasons, for the other
/// places that show them (the operator's command line): one set of words, the office's, wherever
/// an operator reads them.
public enum ChineseVocabulary {
    /// `frozen` is 画面冻结; an identifier it does not know, as it is.
    public static func outcome(_ identifier: String) -> String { ChineseWords.outcome(identifier) }
    public static func tier(_ identifier: String) -> String { Tier(rawValue: identifier).map(ChineseWords().tier) ?? identifier }
    public static func venueKind(_ identifier: String) -> String { ChineseWords().venueKind(identifier) }
    /// A kind of ledger entry: `order` is 整改通知.
    public static func step(_ identifier: String) -> String { EntryKind(rawValue: identifier).map(ChineseWords.step) ?? identifier }
    public static func actor(_ identifier: String) -> String { ChineseWords.actor(identifier) }
    /// A reason the judging or the ladder wrote, in Chinese as far as it is in Patrol's forms.
    public static func reason(_ text: String) -> String { ChineseReasons.translate(text) }
}
