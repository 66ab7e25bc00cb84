/// How many terminal columns text takes, for tables that stay aligned when venue names are Chinese.
///
/// East Asian wide and fullwidth characters take two columns (平安宾馆 is eight columns wide),
/// combining marks and format characters none, everything else one. This is the subset of
/// Unicode's East Asian Width (UAX #11) and `wcwidth` that venue names, addresses and
/// supervisors' names use; ambiguous characters (·, °, Greek) count as narrow, as terminals
/// outside East Asian locales show them.
public enum DisplayWidth {
    /// Ranges of code points that take two columns.
    private static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F,   // Hangul Jamo, leading consonants
        0x2E80...0x303E,   // CJK radicals, Kangxi radicals, CJK symbols and punctuation (、。「」)
        0x3041...0x33FF,   // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, enclosed CJK, CJK compatibility
        0x3400...0x4DBF,   // CJK Unified Ideographs Extension A
        0x4E00...0x9FFF,   // CJK Unified Ideographs
        0xA000...0xA4CF,   // Yi
        0xA960...0xA97F,   // Hangul Jamo Extended-A
        0xAC00...0xD7A3,   // Hangul syllables
        0xF900...0xFAFF,   // CJK compatibility ideographs
        0xFE10...0xFE19,   // vertical forms
        0xFE30...0xFE6F,   // CJK compatibility forms, small form variants
        0xFF00...0xFF60,   // fullwidth forms (（）！０-９Ａ-Ｚ)
        0xFFE0...0xFFE6,   // fullwidth signs (￥)
        0x1F300...0x1F64F, // pictographs and emoticons, shown as wide by terminals
        0x1F900...0x1F9FF, // supplemental symbols and pictographs
        0x20000...0x2FFFD, // CJK Unified Ideographs Extensions B to F, compatibility supplement
        0x30000...0x3FFFD, // CJK Unified Ideographs Extensions G and H
    ]

    /// Columns one code point takes: 0, 1 or 2.
    public static func of(scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value < 0x20 ? 0 : 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if value == 0x200B { return 0 }
        // Hangul Jamo medial vowels and final consonants join the syllable before them.
        if (0x1160...0x11FF).contains(value) { return 0 }
        var low = 0, high = wide.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if value < wide[middle].lowerBound {
                high = middle - 1
            } else if value > wide[middle].upperBound {
                low = middle + 1
            } else {
                return 2
            }
        }
        return 1
    }

    /// Columns a string takes on a terminal.
    public static func of(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.reduce(0) { $0 + of(scalar: $1) }
    }

    /// `text` cut to at most `width` columns, ending in `…` when something was cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        guard width > 0 else { return "" }
        var kept = "", used = 0
        for character in text {
            let columns = of(String(character))
            if used + columns > width - 1 { break }
            kept.append(character)
            used += columns
        }
        return kept + "…"
    }

    /// `text` padded with spaces to `width` columns, on the right (`leading: false`) or the left.
    /// Text already as wide or wider is returned as it is.
    public static func pad(_ text: String, to width: Int, leading: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - of(text)))
        return leading ? padding + text : text + padding
    }
}

extension StringProtocol {
    /// Columns the string takes on a terminal: East Asian wide characters count two.
    public var displayWidth: Int { DisplayWidth.of(self) }
}
