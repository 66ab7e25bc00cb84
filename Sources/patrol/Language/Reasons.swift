import PatrolReport

/// The reasons Patrol writes into the ledger and its verdicts (`rectify by 2026-11-24: 1 of 3
/// interior cameras failed: C00164 online 40% of 24.0 h watched (needs 95%), mostly timeout`),
/// said in the operator's language for the tables, in the report's words (ChineseVocabulary). The
/// ledger keeps, hashes and exports the English text as written; only the table shows it
/// translated. An operator's own words, and anything not in Patrol's forms, are shown as they are.
enum Reasons {
    static func say(_ reason: String) -> String {
        Language.current == .chinese ? ChineseVocabulary.reason(reason) : reason
    }
}
