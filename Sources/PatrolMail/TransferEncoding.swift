import Foundation

/// Base64 (RFC 2045 §6.8) in lines of at most 76 characters.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    static func lines(_ data: Data) -> [String] {
        let encoded = Array(data.base64EncodedString().utf8)
        return stride(from: 0, to: encoded.count, by: 76).map {
            String(decoding: encoded[$0..<min($0 + 76, encoded.count)], as: UTF8.self)
        }
    }
}

/// Quoted-printable (RFC 2045 §6.7) for text: lines of at most 76 characters with soft breaks,
/// trailing spaces and tabs encoded, and a line starting "From " protected from mbox quoting.
enum QuotedPrintable {
    /// The encoded lines of `text`, one or more per text line.
    static func lines(_ text: String) -> [String] {
        textLines(text).flatMap(encodeLine)
    }

    /// The text's lines, whatever its line endings (CRLF, CR or LF).
    static func textLines(_ text: String) -> [Substring] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
    }

    private static func encodeLine(_ line: Substring) -> [String] {
        let bytes = Array(line.utf8)
        var output: [String] = []
        var current = ""
        for (index, byte) in bytes.enumerated() {
            let last = index == bytes.count - 1
            let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                || ((byte == 32 || byte == 9) && !last)
            let fromLine = index == 0 && byte == UInt8(ascii: "F") && line.hasPrefix("From ")
            let token = literal && !fromLine ? String(UnicodeScalar(byte)) : escape(byte)
            // A soft break ("=") must fit within 76: at most 75 characters before it.
            let limit = last ? 76 : 75
            if current.utf8.count + token.utf8.count > limit {
                output.append(current + "=")
                current = ""
            }
            current += token
        }
        output.append(current)
        return output
    }

    private static func escape(_ byte: UInt8) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        return String(decoding: [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
    }
}
