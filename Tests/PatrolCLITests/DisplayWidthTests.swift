import Foundation
import Testing
@testable import patrol
import PatrolReport

@Suite("Display width and tables")
struct DisplayWidthTests {
    @Test("wide and fullwidth characters take two columns, combining marks none", arguments: [
        ("C00017", 6),
        ("平安宾馆", 8),            // CJK ideographs
        ("正阳宾馆（二店）", 16),    // fullwidth parentheses
        ("ＡＢＣ旅店", 10),          // fullwidth Latin letters
        ("城南区 G02-10", 13),
        ("한국어", 6),               // Hangul syllables
        ("\u{1100}\u{1161}\u{11A8}", 2),  // one Hangul syllable from conjoining Jamo
        ("カメラ", 6),               // katakana
        ("ｶﾒﾗ", 3),                  // halfwidth katakana stay narrow
        ("e\u{301}", 1),             // a combining acute accent adds nothing
        ("a\u{200D}b", 2),           // a zero-width joiner adds nothing
        ("📷", 2),                   // emoji presentation
        ("café", 4),
        ("\t", 0),
    ])
    func width(text: String, columns: Int) {
        #expect(DisplayWidth.of(text) == columns, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test("Chinese names line up: every column starts at the same display column on every line")
    func alignment() {
        var table = Table([.left("ID"), .left("NAME"), .right("CAMERAS"), .left("DISTRICT")])
        table.add(["V0001", "明月旅馆", "5", "城南区"])
        table.add(["V0210", "正阳宾馆（二店）", "12", "城北"])
        table.add(["V9", "ABC Hostel", "100", "-"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        // The display column where each cell of the last column begins.
        let starts = lines.map { line -> Int in
            let lastGap = line.range(of: "  ", options: .backwards)!
            return DisplayWidth.of(line[..<lastGap.upperBound])
        }
        #expect(Set(starts).count == 1, "\(lines)")
        // Right-aligned numbers end in the same column.
        let ends = lines.map { line in DisplayWidth.of(line) - DisplayWidth.of(line.split(separator: " ").last!) - 2 }
        #expect(Set(ends).count == 1, "\(lines)")
        #expect(!lines.contains { $0.hasSuffix(" ") })
    }

    @Test("a field list aligns its values after the longest label")
    func fields() {
        let text = Table.fields([("kind", "hotel"), ("supervisor", "张伟 (一组)"), ("owner", "13800000001")])
        #expect(text == "kind        hotel\nsupervisor  张伟 (一组)\nowner       13800000001")
    }
}

@Suite("Control characters in table cells")
struct TableEscapeTests {
    @Test("escape sequences, line ends and NUL in a stored name are shown escaped, never sent raw")
    func escaped() {
        var table = Table([.left("ID"), .left("NAME")])
        table.add(["V1", "平安\u{1B}[2J\u{1B}[31m宾馆\r\nBcc: x\u{0}y\u{9B}"])
        let text = table.render()
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" } && !text.contains("\u{9B}"))
        #expect(text.hasSuffix("V1  平安\\x1B[2J\\x1B[31m宾馆\\x0D\\x0ABcc: x\\x00y\\x9B"))
        #expect(text.split(separator: "\n").count == 2)
    }
}
