import Foundation
import PatrolInventory
import PatrolLedger
import PatrolSettings

/// The report's words in one language, for the other places an operator reads them (the web
/// console): the same names of steps, standings, tiers, outcomes and the same column headings,
/// days and times as the daily report says them.
public struct ReportVocabulary: Sendable {
    private let words: any ReportWords

    public init(_ language: ReportLanguage) { words = language.words }

    public var language: ReportLanguage { words.language }
    /// The fonts the report's HTML asks for, first choice first.
    public var fontFamily: String { words.fontFamily }
    public func phrase(_ phrase: ReportPhrase) -> String { words.phrase(phrase) }
    public func verdict(_ verdict: Verdict) -> String { words.verdict(verdict) }
    public func standing(_ standing: Standing) -> String { words.standing(standing) }
    public func tier(_ tier: Tier) -> String { words.tier(tier) }
    public func placement(_ placement: Placement) -> String { words.placement(placement) }
    public func step(_ kind: EntryKind) -> String { words.step(kind) }
    /// A probe outcome by its identifier (`timeout`, `black`…).
    public func outcome(_ identifier: String) -> String { words.outcome(identifier) }
    public func venueKind(_ identifier: String) -> String { words.venueKind(identifier) }
    public func actor(_ actor: String) -> String { words.actor(actor) }
    public func reason(_ text: String) -> String { words.reason(text) }
    public func yesNo(_ value: Bool) -> String { words.yesNo(value) }
    public func day(_ day: PatrolDay) -> String { words.day(day) }
    public func time(_ date: Date, in zone: TimeZone) -> String { words.time(date, in: zone) }
    public func duration(_ seconds: TimeInterval) -> String { words.duration(seconds) }
}
