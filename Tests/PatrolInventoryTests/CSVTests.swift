import Foundation
import Testing
@testable import PatrolInventory

@Suite("CSV as spreadsheets write it")
struct CSVTests {
    typealias Record = CSV.Record

    @Test("records and the lines they start on", arguments: [
        ("a,b\n1,2\n", [Record(line: 1, fields: ["a", "b"]), Record(line: 2, fields: ["1", "2"])]),
        ("a,b\r\n1,2\r\n", [Record(line: 1, fields: ["a", "b"]), Record(line: 2, fields: ["1", "2"])]),
        ("a,b\n1,2", [Record(line: 1, fields: ["a", "b"]), Record(line: 2, fields: ["1", "2"])]),
        ("a\n\n  \n,,\nb\n", [Record(line: 1, fields: ["a"]), Record(line: 5, fields: ["b"])]),
        ("\"x,y\",\"say \"\"hi\"\"\"\n", [Record(line: 1, fields: ["x,y", "say \"hi\""])]),
        ("\"two\r\nlines\",z\nnext\n", [Record(line: 1, fields: ["two\nlines", "z"]), Record(line: 3, fields: ["next"])]),
        ("  平安宾馆 ,\t 2 \n", [Record(line: 1, fields: ["平安宾馆", "2"])]),
        (" \" kept \" ,x\n", [Record(line: 1, fields: [" kept ", "x"])]),
        ("a,,c,\n", [Record(line: 1, fields: ["a", "", "c", ""])]),
        ("ab\"c,d\n", [Record(line: 1, fields: ["ab\"c", "d"])]),
    ])
    func parse(text: String, records: [Record]) {
        let parsed = CSV.parse(text)
        #expect(parsed.records == records)
        #expect(parsed.problems.isEmpty)
    }

    @Test("an unterminated quote is reported at its record's line and ends reading")
    func unterminated() {
        let parsed = CSV.parse("a,b\n1,2\n3,\"open\n4,5\n6,7\n")
        #expect(parsed.records == [Record(line: 1, fields: ["a", "b"]), Record(line: 2, fields: ["1", "2"])])
        #expect(parsed.problems == [CSV.Problem(kind: .unterminatedQuote, line: 3, column: 1)])
    }

    @Test("text after a closing quote spoils only its record")
    func textAfterQuote() {
        let parsed = CSV.parse("a,b\n\"1\"x,2\n3,4\n")
        #expect(parsed.records == [Record(line: 1, fields: ["a", "b"]), Record(line: 3, fields: ["3", "4"])])
        #expect(parsed.problems == [CSV.Problem(kind: .textAfterQuote, line: 2, column: 0)])
    }

    @Test("a byte order mark is skipped")
    func byteOrderMark() throws {
        let text = try CSV.decode(Data([0xEF, 0xBB, 0xBF] + Array("id,name\n".utf8)))
        #expect(text == "id,name\n")
    }

    @Test("bytes that are not UTF-8 are found on their line")
    func notUTF8() {
        // 平安宾馆 in GBK.
        let gbk = Data(Array("id,name\nV0001,".utf8) + [0xC6, 0xBD, 0xB0, 0xB2, 0xB1, 0xF6, 0xB9, 0xDD, 0x0A])
        #expect(throws: CSV.Problem(kind: .notUTF8, line: 2)) { try CSV.decode(gbk) }
    }

    @Test("fields are quoted only when needed", arguments: [
        ("平安宾馆", "平安宾馆"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        (" padded", "\" padded\""),
        ("rtsp://127.0.0.1:8554/cam/0001", "rtsp://127.0.0.1:8554/cam/0001"),
    ])
    func escape(field: String, written: String) {
        #expect(CSV.escape(field) == written)
        #expect(CSV.parse(CSV.line([field, "end"])).records == [Record(line: 1, fields: [field, "end"])])
    }
}
