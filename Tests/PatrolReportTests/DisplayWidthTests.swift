import Testing
import PatrolReport

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("V0001", 5),
        ("平安宾馆", 8),                  // CJK Unified Ideographs
        ("平安宾馆 (V0001)", 16),
        ("、。「」", 8),                  // CJK symbols and punctuation
        ("（Ａ１）", 8),                  // fullwidth forms
        ("￥", 2),
        ("한국", 4),                      // Hangul syllables
        ("ひらがなカタカナ", 16),           // Hiragana, Katakana
        ("e\u{301}", 1),                  // a combining acute accent takes no column
        ("Cafe\u{301} 网吧", 9),
        ("\u{200B}", 0),                  // zero-width space
        ("𠀀", 2),                        // CJK Extension B, outside the Basic Multilingual Plane
        ("·°", 2),                        // ambiguous width counts narrow
        ("", 0),
    ])
    func width(_ text: String, _ columns: Int) {
        #expect(text.displayWidth == columns)
    }

    @Test func padsByColumnsNotCharacters() {
        #expect(DisplayWidth.pad("平安", to: 6) == "平安  ")
        #expect(DisplayWidth.pad("42", to: 5, leading: true) == "   42")
        #expect(DisplayWidth.pad("平安宾馆", to: 4) == "平安宾馆")
    }

    @Test func truncatesWithinTheWidth() {
        #expect(DisplayWidth.truncate("平安宾馆", to: 8) == "平安宾馆")
        #expect(DisplayWidth.truncate("平安宾馆", to: 7) == "平安宾…")
        #expect(DisplayWidth.truncate("平安宾馆", to: 6) == "平安…")
        #expect(DisplayWidth.truncate("平安宾馆", to: 6).displayWidth <= 6)
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
    }
}
