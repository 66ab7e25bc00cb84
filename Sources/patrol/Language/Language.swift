import Foundation
import PatrolInventory
import PatrolLedger
import PatrolProbe

/// The language `patrol` speaks to its operator: the locale's. LC_ALL, then LC_MESSAGES, then
/// LANG (the first one set and not empty, as setlocale reads them) naming Chinese (`zh_CN.UTF-8`,
/// any `zh…`) gives Chinese; anything else, or nothing, English.
///
/// Only what a person reads changes: tables, summaries, errors, help. JSON keys and values,
/// exit statuses and the identifiers a script passes back (`--tier priority`, `--outcome
/// frozen`) are the same in every language.
enum Language: String, Sendable, CaseIterable {
    case english = "en"
    case chinese = "zh-CN"

    init(environment: [String: String]) {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        self = locale.lowercased().hasPrefix("zh") ? .chinese : .english
    }

    /// The language of this process, from its environment; a test speaks another through
    /// `Language.$current.withValue(.chinese) { … }`.
    @TaskLocal static var current = Language(environment: ProcessInfo.processInfo.environment)

    /// This language's message catalogue.
    var catalogue: [Message: String] {
        switch self {
        case .english: Catalogue.english
        case .chinese: Catalogue.chinese
        }
    }

    /// This language's words for the identifiers Patrol's values carry (outcomes, tiers, kinds
    /// of ledger entry…); English shows the identifiers themselves.
    var words: [Vocabulary: [String: String]] {
        switch self {
        case .english: [:]
        case .chinese: Catalogue.chineseWords
        }
    }
}

/// `message` in the current language, its placeholders filled: `{1}`, `{2}`… are the
/// arguments in order; `{1|camera|cameras}` is the first word when argument 1 is 1, else the
/// second (English counts; Chinese has no plural). A message missing from a catalogue falls back
/// to English (the catalogue test keeps none missing).
func say(_ message: Message, _ arguments: Any...) -> String {
    Catalogue.fill(Language.current.catalogue[message] ?? Catalogue.english[message] ?? message.rawValue, arguments.map { "\($0)" })
}

/// The operator's word for an identifier: `frozen` is 画面冻结 in Chinese, `frozen` in English.
func word(_ value: some Spoken) -> String {
    word(type(of: value).vocabulary, value.rawValue)
}

/// The word for `identifier` (`offline`, `not_probed`) in `vocabulary`; the identifier itself
/// when the language has none.
func word(_ vocabulary: Vocabulary, _ identifier: String) -> String {
    Language.current.words[vocabulary]?[identifier] ?? identifier
}

/// The families of identifiers that have a word of their own in each language.
enum Vocabulary: String, CaseIterable, Sendable {
    case outcome, tier, placement, venueKind, cameraStatus, standing, entryKind, registrationState, verdict
    case snapshotReason, actor

    /// Every identifier of the family, for the catalogue test: each needs a word in Chinese.
    var identifiers: [String] {
        switch self {
        case .outcome: Outcome.allCases.map(\.rawValue) + ["not_probed"]
        case .tier: Tier.allCases.map(\.rawValue)
        case .placement: Placement.allCases.map(\.rawValue)
        case .venueKind: VenueKind.allCases.map(\.rawValue)
        case .cameraStatus: CameraStatus.allCases.map(\.rawValue) + ["all"]
        case .standing: Standing.allCases.map(\.rawValue)
        case .entryKind: EntryKind.allCases.map(\.rawValue)
        case .registrationState: ["online", "offline", "stuck", "unseen", "none"]
        case .verdict: Verdict.allCases.map(\.rawValue)
        case .snapshotReason: SnapshotReason.allCases.map(\.rawValue)
        case .actor: [LedgerEntry.patrolActor, LedgerEntry.inventoryActor, "config"]
        }
    }
}

/// A value named by a stable English identifier that the operator reads as a word of their language.
protocol Spoken: RawRepresentable where RawValue == String {
    static var vocabulary: Vocabulary { get }
}

extension Outcome: Spoken { static var vocabulary: Vocabulary { .outcome } }
extension Tier: Spoken { static var vocabulary: Vocabulary { .tier } }
extension Placement: Spoken { static var vocabulary: Vocabulary { .placement } }
extension VenueKind: Spoken { static var vocabulary: Vocabulary { .venueKind } }
extension CameraStatus: Spoken { static var vocabulary: Vocabulary { .cameraStatus } }
extension Standing: Spoken { static var vocabulary: Vocabulary { .standing } }
extension EntryKind: Spoken { static var vocabulary: Vocabulary { .entryKind } }
extension Verdict: Spoken { static var vocabulary: Vocabulary { .verdict } }
extension SnapshotReason: Spoken { static var vocabulary: Vocabulary { .snapshotReason } }

/// The catalogues: one per language, each a Swift dictionary compiled into `patrol`
/// (English.swift, Chinese.swift).
enum Catalogue {
    /// `template` with its placeholders replaced by `arguments`.
    static func fill(_ template: String, _ arguments: [String]) -> String {
        var text = "", rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            text += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let inside = rest[rest.index(after: open)..<close].split(separator: "|", omittingEmptySubsequences: false)
            if let number = Int(inside[0]), (1...arguments.count).contains(number) {
                let argument = arguments[number - 1]
                text += inside.count == 3 ? String(argument == "1" ? inside[1] : inside[2]) : argument
            } else {
                text += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return text + rest
    }

    /// The placeholders a template uses (`{1}`, `{2|…}` give 1 and 2): a translation must use the same.
    static func placeholders(_ template: String) -> Set<Int> {
        var found: Set<Int> = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            if let number = Int(rest[rest.index(after: open)..<close].split(separator: "|", omittingEmptySubsequences: false)[0]) {
                found.insert(number)
            }
            rest = rest[rest.index(after: close)...]
        }
        return found
    }
}
