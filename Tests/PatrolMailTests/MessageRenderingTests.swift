import Foundation
import PatrolSettings
import Testing
@testable import PatrolMail

@Suite("MIME messages: parsed back by Python's email package")
struct MessageRenderingTests {
    let messageID = "<0123456789abcdef@patrol.district.example>"

    func render(_ message: MailMessage, lineEnding: LineEnding = .lf) throws -> Data {
        try message.render(date: reportMorning, timeZone: beijing, messageID: messageID, lineEnding: lineEnding)
    }

    @Test("the daily report: Chinese subject, names, bodies and file names arrive intact")
    func report() throws {
        let message = sampleReport()
        let parsed = try ParsedMessage(try render(message))
        #expect(parsed.defects == [])
        #expect(parsed.subject == message.subject)
        #expect(parsed.from == [.init(name: "城东区视频巡查", address: "patrol@district.example")])
        #expect(parsed.to == [.init(name: "综治办", address: "office@district.example"),
                              .init(name: "", address: "duty@district.example")])
        #expect(parsed.cc == [.init(name: "张伟 (一组)", address: "team1@district.example"),
                              .init(name: "City Maintenance, Team 3", address: "maintenance@city.example")])
        #expect(parsed.message_id == messageID)
        #expect(parsed.mime_version == "1.0")
        #expect(parsed.date == "2025-03-14T07:00:00+08:00")
        #expect(parsed.structure.shape == "multipart/mixed(multipart/alternative(text/plain,text/html),text/csv,text/csv)")
        #expect(lines(parsed.text) == message.text)
        #expect(lines(parsed.html) == message.html)
        #expect(parsed.attachments.map(\.filename) == ["场所-2025-03-14.csv", "cameras-2025-03-14.csv"])
        #expect(parsed.attachments.map(\.type) == ["text/csv", "text/csv"])
        #expect(parsed.attachments.map(\.charset) == ["utf-8", "utf-8"])
        #expect(parsed.attachments.map(\.bytes) == message.attachments.map(\.data))
        #expect(String(decoding: parsed.attachments[0].bytes, as: UTF8.self).contains("平安宾馆1号"))
        #expect(parsed.longest_line <= 76)
    }

    @Test("the raw message: headers in ASCII, lines of at most 76 characters, the Date in RFC 5322 form")
    func rawShape() throws {
        let raw = try render(sampleReport())
        let text = String(decoding: raw, as: UTF8.self)
        #expect(raw.allSatisfy { $0 < 0x80 })
        #expect(!raw.contains(UInt8(ascii: "\r")))
        #expect(text.split(separator: "\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(text.contains("\nDate: Fri, 14 Mar 2025 07:00:00 +0800\n"))
        #expect(text.contains("\nMIME-Version: 1.0\n"))
        #expect(text.contains("\nMessage-ID: \(messageID)\n"))
        #expect(text.contains("filename*=utf-8''%E5%9C%BA%E6%89%80-2025-03-14.csv"))
        #expect(text.contains("\nContent-Disposition: attachment; filename=\"cameras-2025-03-14.csv\"\n"))
        // Two distinct boundaries, each absent from everything but its delimiter lines.
        let boundaries = text.split(separator: "\n").compactMap { line -> Substring? in
            guard let range = line.range(of: "boundary=\"") else { return nil }
            return line[range.upperBound...].dropLast()
        }
        #expect(boundaries.count == 2 && Set(boundaries).count == 2)
        for boundary in boundaries {
            let uses = text.components(separatedBy: boundary).count - 1
            let delimiters = text.split(separator: "\n").filter { $0 == "--\(boundary)" || $0 == "--\(boundary)--" }.count
            #expect(uses == delimiters + 1)
        }
    }

    @Test("CRLF on request: every line ends in CRLF and parses the same")
    func crlf() throws {
        let raw = try render(sampleReport(), lineEnding: .crlf)
        let bytes = [UInt8](raw)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            #expect(index > 0 && bytes[index - 1] == UInt8(ascii: "\r"))
        }
        let parsed = try ParsedMessage(raw)
        #expect(parsed.defects == [])
        #expect(parsed.subject == sampleReport().subject)
        #expect(lines(parsed.text) == sampleReport().text)
    }

    @Test("long ASCII lines go quoted-printable with soft breaks; trailing spaces and From lines survive")
    func longLines() throws {
        let long = (1...40).map { "camera-\($0)=online" }.joined(separator: " ")
        let text = "\(long)\nFrom the patrol desk\ntrailing spaces   \n\ttab\n.\n"
        let message = MailMessage(from: MailAddress("patrol@district.example"), to: [MailAddress("office@district.example")],
                                  subject: "Daily compliance report", text: text, html: "<p>\(long)</p>")
        let raw = try render(message)
        let parsed = try ParsedMessage(raw)
        #expect(parsed.defects == [])
        #expect(parsed.structure.shape == "multipart/alternative(text/plain,text/html)")
        #expect(parsed.structure.parts?.map(\.encoding) == ["quoted-printable", "quoted-printable"])
        #expect(lines(parsed.text) == text)
        #expect(lines(parsed.html) == "<p>\(long)</p>")
        #expect(parsed.longest_line <= 76)
        #expect(String(decoding: raw, as: UTF8.self).contains("\n=46rom the patrol desk\n"))
    }

    @Test("an empty attachment, and a text-only message, are well-formed")
    func emptyAttachment() throws {
        var message = sampleReport()
        message.html = nil
        message.attachments = [MailAttachment(filename: "空表.csv", data: Data())]
        let parsed = try ParsedMessage(try render(message))
        #expect(parsed.defects == [])
        #expect(parsed.structure.shape == "multipart/mixed(text/plain,text/csv)")
        #expect(parsed.attachments.map(\.filename) == ["空表.csv"])
        #expect(parsed.attachments[0].bytes.isEmpty)

        message.attachments = []
        let plain = try ParsedMessage(try render(message))
        #expect(plain.defects == [])
        #expect(plain.structure.shape == "text/plain")
        #expect(lines(plain.text) == message.text)
    }

    @Test("a long non-ASCII file name becomes RFC 2231 continuations")
    func longFileName() throws {
        var message = sampleReport()
        let name = "城东区视频巡查每日合规报告-平安宾馆与星光网吧及其他场所的全部摄像头-2025-03-14.csv"
        message.attachments = [MailAttachment(filename: name, data: Data("a,b\n".utf8))]
        let raw = try render(message)
        #expect(String(decoding: raw, as: UTF8.self).contains("filename*1*="))
        let parsed = try ParsedMessage(raw)
        #expect(parsed.defects == [])
        #expect(parsed.attachments.map(\.filename) == [name])
        #expect(parsed.longest_line <= 76)
    }

    @Test("Message-IDs are unique and name the domain")
    func messageIDs() {
        let ids = (0..<100).map { _ in MailMessage.newMessageID(domain: "patrol.district.example") }
        #expect(Set(ids).count == 100)
        #expect(ids.allSatisfy { $0.hasPrefix("<") && $0.hasSuffix("@patrol.district.example>") && $0.count > 30 })
        let host = MailMessage.newMessageID()
        #expect(host.contains("@") && !host.contains(" ") && !host.hasSuffix("@>"))
    }
}

@Suite("Header encoding: RFC 2047 encoded-words, folding, injection")
struct HeaderEncodingTests {
    /// The encoded-words of a rendered field, decoded one by one.
    func words(_ field: String) -> [String] {
        field.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter { $0.hasPrefix("=?UTF-8?B?") }.map { word in
            #expect(word.utf8.count <= 75)
            let payload = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            let bytes = Data(base64Encoded: String(payload))!
            // Each word decodes on its own: no character is split between two words.
            let decoded = String(data: bytes, encoding: .utf8)
            #expect(decoded != nil)
            return decoded ?? ""
        }
    }

    @Test("a long Chinese subject folds into words of at most 75 characters, lines of at most 76",
          arguments: [1, 7, 23, 24, 25, 60, 200])
    func folding(length: Int) throws {
        let characters = Array("平安宾馆星光网吧城东区巡查🚨é")
        let subject = String((0..<length).map { characters[$0 % characters.count] })
        var field = HeaderField("Subject")
        try field.appendText(subject, field: "Subject")
        let rendered = field.rendered("\n")
        #expect(rendered.split(separator: "\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(rendered.split(separator: "\n").dropFirst().allSatisfy { $0.hasPrefix(" ") && $0.count > 1 })
        #expect(words(rendered).joined() == subject)
        #expect(rendered.allSatisfy { $0.isASCII })
    }

    @Test("plain ASCII stays readable and folds at spaces; display names quote or encode as needed")
    func ascii() throws {
        var subject = HeaderField("Subject")
        try subject.appendText((1...30).map { "word\($0)" }.joined(separator: " "), field: "Subject")
        let rendered = subject.rendered("\n")
        #expect(rendered.split(separator: "\n").count > 1)
        #expect(rendered.replacingOccurrences(of: "\n", with: "") == "Subject: " + (1...30).map { "word\($0)" }.joined(separator: " "))

        var to = HeaderField("To")
        try to.appendAddresses([MailAddress("a@x.example", name: "Wei Zhang"), MailAddress("b@x.example", name: "Team \"3\", City"),
                                MailAddress("c@x.example", name: "张伟")], field: "To")
        let line = to.rendered("\n").replacingOccurrences(of: "\n", with: "")
        #expect(line.hasPrefix("To: Wei Zhang <a@x.example>, \"Team \\\"3\\\", City\" <b@x.example>, =?UTF-8?B?"))
        #expect(words(line) == ["张伟"])
    }

    @Test("CR, LF and other controls in any header value are rejected, never written",
          arguments: ["日报\r\nBcc: all@evil.example", "report\nBcc: all@evil.example", "report\rX: y", "tab\there", "nul\u{0}",
                      "line\u{2028}separator"])
    func injection(value: String) {
        let base = sampleReport()
        func rejects(_ change: (inout MailMessage) -> Void) {
            var message = base
            change(&message)
            #expect(throws: MailError.self) {
                try message.render(date: reportMorning, messageID: "<a@b>")
            }
        }
        rejects { $0.subject = value }
        rejects { $0.from.name = value }
        rejects { $0.cc[0].name = value }
        rejects { $0.attachments[0].filename = value }
    }

    @Test("addresses that could break out of their header are rejected",
          arguments: ["office@district.example\r\nBcc: all@evil.example", "a@b>, c@d", "no-at-sign", "two@@ats", "a b@c.d",
                      "张伟@district.example", "-oQ/tmp@x.example", "", "@district.example"])
    func addresses(address: String) {
        var message = sampleReport()
        message.to = [MailAddress(address)]
        #expect(throws: MailError.invalidAddress(address)) {
            try message.render(date: reportMorning, messageID: "<a@b>")
        }
    }

    @Test("a message without recipients, or with a broken content type, is refused")
    func refused() {
        var message = sampleReport()
        message.to = []
        message.cc = []
        #expect(throws: MailError.noRecipients) { try message.render(date: reportMorning, messageID: "<a@b>") }
        message = sampleReport()
        message.attachments[0].contentType = "text/csv\r\nX-Injected: 1"
        #expect(throws: MailError.invalidContentType(message.attachments[0].contentType)) {
            try message.render(date: reportMorning, messageID: "<a@b>")
        }
    }
}
