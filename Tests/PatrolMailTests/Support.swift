import Foundation
import PatrolLedger
import PatrolMail
import PatrolSettings
import PatrolTestSupport

let tools = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Tools")

struct ToolError: Error, CustomStringConvertible {
    var description: String
}

/// What Python's `email` package reads in a message (Tools/mime_dump.py).
struct ParsedMessage: Decodable {
    struct Mailbox: Decodable, Equatable {
        var name: String
        var address: String
    }
    struct Attachment: Decodable {
        var filename: String?
        var type: String
        var charset: String?
        var disposition: String?
        var data: String
        var bytes: Data { Data(base64Encoded: data)! }
    }
    final class Structure: Decodable {
        var type: String
        var encoding: String?
        var parts: [Structure]?
        /// `multipart/mixed(multipart/alternative(text/plain,text/html),text/csv)`
        var shape: String { type + (parts.map { "(" + $0.map(\.shape).joined(separator: ",") + ")" } ?? "") }
    }

    var subject: String
    var date: String?
    var message_id: String
    var mime_version: String
    var from: [Mailbox]
    var to: [Mailbox]
    var cc: [Mailbox]
    var structure: Structure
    var text: String?
    var html: String?
    var attachments: [Attachment]
    struct Inline: Decodable {
        var content_id: String
        var type: String
        var disposition: String?
        var data: String
        var bytes: Data { Data(base64Encoded: data)! }
    }
    var inline: [Inline]
    var defects: [String]
    var longest_line: Int

    /// Parses `message` in a Python subprocess.
    init(_ message: Data) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [tools.appendingPathComponent("mime_dump.py").path]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        // The message is small; write it all, then read the answer to its end.
        try input.fileHandleForWriting.write(contentsOf: message)
        try input.fileHandleForWriting.close()
        let json = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ToolError(description: "mime_dump.py exited \(process.terminationStatus)") }
        self = try JSONDecoder().decode(ParsedMessage.self, from: json)
    }
}

/// Text as a mail reader shows it: CRLF line breaks (the canonical form of text parts) as LF.
func lines(_ text: String?) -> String? {
    text?.replacingOccurrences(of: "\r\n", with: "\n")
}

/// 2025-03-14 07:00 in Beijing: a morning's report.
let reportMorning = Date(timeIntervalSince1970: 1_741_906_800)
/// The patrol day the sample report's messages are queued for.
let reportDay = PatrolDay(year: 2025, month: 3, day: 14)
let beijing = TimeZone(identifier: "Asia/Shanghai")!

/// The daily report of the sample district as the report's author will hand it over: Chinese
/// subject, names and venues, HTML and text, two CSV tables.
func sampleReport(day: String = "2025-03-14") -> MailMessage {
    let venues = "venue,name,tier,status\nV0001,平安宾馆1号,priority,rectification ordered\nV0002,星光网吧,general,online\n"
    let cameras = "camera,venue,placement,outcome\nC00001,平安宾馆1号,perimeter,frozen\nC00002,星光网吧,interior,online\n"
    return MailMessage(
        from: MailAddress("patrol@district.example", name: "城东区视频巡查"),
        to: [MailAddress("office@district.example", name: "综治办"), MailAddress("duty@district.example")],
        cc: [MailAddress("team1@district.example", name: "张伟 (一组)"), MailAddress("maintenance@city.example", name: "City Maintenance, Team 3")],
        subject: "每日巡查合规报告 \(day): 平安宾馆1号 责令整改",
        text: "每日巡查 \(day)\n\n平安宾馆1号: 画面冻结, 责令整改\n星光网吧: 在线\n",
        html: "<html><body><h1>每日巡查 \(day)</h1><p>平安宾馆1号: 画面冻结, 责令整改</p><p>星光网吧: 在线</p></body></html>\n",
        attachments: [
            MailAttachment(filename: "场所-\(day).csv", data: Data(venues.utf8)),
            MailAttachment(filename: "cameras-\(day).csv", data: Data(cameras.utf8)),
        ])
}
