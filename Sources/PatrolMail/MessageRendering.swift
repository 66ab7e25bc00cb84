import Foundation

/// How lines end in the rendered message.
public enum LineEnding: String, Sendable {
    /// LF: what the sendmail command reads. Its input is a local text file; every sendmail
    /// (Postfix, Exim, msmtp, sendmail itself) turns LF into CRLF on the wire, while CRLF input
    /// is only tolerated by some of them (Postfix strips the CR, classic sendmail may keep it).
    case lf
    /// CRLF: RFC 5322's canonical form, for SMTP or a `.eml` file.
    case crlf

    var string: String { self == .lf ? "\n" : "\r\n" }
}

extension MailMessage {
    /// A new globally unique Message-ID, `<hex@domain>`; the domain defaults to this host's name.
    public static func newMessageID(domain: String? = nil) -> String {
        "<\(randomHex(16))@\(domain.map(sanitizedDomain) ?? hostDomain())>"
    }

    /// The message as RFC 5322 / MIME bytes:
    ///
    /// - multipart/mixed: multipart/alternative (text/plain, text/html) then the attachments
    ///   (multipart/alternative alone without attachments; text/plain alone without HTML); the
    ///   HTML inside multipart/related with the pictures it shows by `cid:`;
    /// - text parts in UTF-8, quoted-printable or base64, whichever is shorter;
    ///   attachments in base64, named with RFC 2231 `filename*` when not plain ASCII;
    /// - headers folded at 76 characters, non-ASCII text as RFC 2047 encoded-words;
    /// - boundaries random and absent from every part.
    ///
    /// Throws when an address is not usable, there are no recipients, or a header value carries
    /// a control character (CR or LF would let a value write headers of its own).
    public func render(date: Date, timeZone: TimeZone = .current, messageID: String,
                       lineEnding: LineEnding = .lf) throws(MailError) -> Data {
        let eol = lineEnding.string
        guard !recipients.isEmpty else { throw .noRecipients }
        try HeaderField.requireNoControls(messageID, field: "Message-ID")

        var headers: [String] = []
        var from = HeaderField("From")
        try from.appendAddresses([self.from], field: "From")
        headers.append(from.rendered(eol))
        var toField = HeaderField("To")
        try toField.appendAddresses(to, field: "To")
        if !to.isEmpty { headers.append(toField.rendered(eol)) }
        if !cc.isEmpty {
            var ccField = HeaderField("Cc")
            try ccField.appendAddresses(cc, field: "Cc")
            headers.append(ccField.rendered(eol))
        }
        var subjectField = HeaderField("Subject")
        try subjectField.appendText(subject, field: "Subject")
        headers.append(subjectField.rendered(eol))
        headers.append("Date: " + Self.rfc5322Date(date, timeZone: timeZone))
        headers.append("Message-ID: " + messageID)
        // RFC 3834: a machine wrote this; vacation responders should not answer it.
        headers.append("Auto-Submitted: auto-generated")
        headers.append("MIME-Version: 1.0")

        let body = try bodyPart(eol: eol)
        return Data((headers.joined(separator: eol) + eol + body.rendered(eol: eol)).utf8)
    }

    private func bodyPart(eol: String) throws(MailError) -> MIMEPart {
        var content = MIMEPart.text(text, subtype: "plain")
        if let html {
            var htmlPart = MIMEPart.text(html, subtype: "html")
            if !inlineImages.isEmpty {
                var related = [htmlPart]
                for image in inlineImages { related.append(try .inline(image)) }
                htmlPart = .multipart("related", related)
            }
            content = .multipart("alternative", [content, htmlPart])
        }
        guard !attachments.isEmpty else { return content }
        var parts = [content]
        for attachment in attachments {
            parts.append(try .attachment(attachment))
        }
        return .multipart("mixed", parts)
    }

    static func rfc5322Date(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let offset = timeZone.secondsFromGMT(for: date) / 60
        return String(format: "%@, %02d %@ %04d %02d:%02d:%02d %@%02d%02d",
                      days[c.weekday! - 1], c.day!, months[c.month! - 1], c.year!, c.hour!, c.minute!, c.second!,
                      offset < 0 ? "-" : "+", abs(offset) / 60, abs(offset) % 60)
    }

    private static func hostDomain() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return sanitizedDomain(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    private static func sanitizedDomain(_ domain: String) -> String {
        let kept = domain.unicodeScalars.filter { $0.properties.isASCIIHexDigit || ("a"..."z").contains($0)
            || ("A"..."Z").contains($0) || $0 == "." || $0 == "-" }
        let result = String(String.UnicodeScalarView(kept)).trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
        return result.isEmpty ? "localhost" : result
    }
}

func randomHex(_ bytes: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
}

/// One MIME entity: its header fields and its encoded body lines, or its sub-parts.
private struct MIMEPart {
    var headers: [HeaderField]
    var lines: [String]
    var subparts: [MIMEPart] = []

    static func text(_ text: String, subtype: String) -> MIMEPart {
        var type = HeaderField("Content-Type")
        type.append("text/\(subtype);")
        type.append("charset=utf-8")
        // Base64 of the canonical form (CRLF line breaks) or quoted-printable, whichever is shorter:
        // Chinese text is a third larger in base64, three times larger in quoted-printable.
        let quoted = QuotedPrintable.lines(text)
        let canonical = QuotedPrintable.textLines(text).joined(separator: "\r\n")
        let base64 = Base64.lines(Data(canonical.utf8))
        let useBase64 = base64.reduce(0) { $0 + $1.utf8.count + 1 } < quoted.reduce(0) { $0 + $1.utf8.count + 1 }
        var encoding = HeaderField("Content-Transfer-Encoding")
        encoding.append(useBase64 ? "base64" : "quoted-printable")
        return MIMEPart(headers: [type, encoding], lines: useBase64 ? base64 : quoted)
    }

    static func attachment(_ attachment: MailAttachment) throws(MailError) -> MIMEPart {
        try file(attachment.data, contentType: attachment.contentType, filename: attachment.filename, disposition: "attachment")
    }

    /// A picture the HTML shows: inline, under its Content-ID.
    static func inline(_ image: MailInlineImage) throws(MailError) -> MIMEPart {
        let id = image.contentID
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) && $0 != "<" && $0 != ">" })
        else { throw .invalidHeaderValue(field: "Content-ID", value: id) }
        var part = try file(image.data, contentType: image.contentType, filename: image.filename, disposition: "inline")
        var contentID = HeaderField("Content-ID")
        contentID.append("<\(id)>")
        part.headers.insert(contentID, at: 1)
        return part
    }

    private static func file(_ data: Data, contentType type: String, filename: String, disposition kind: String) throws(MailError) -> MIMEPart {
        let mediaType = type.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let tokenChars = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&-^_.+".utf8)
        let halves = mediaType.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2, halves.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(tokenChars.contains) }),
              type.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) })
        else { throw .invalidContentType(type) }
        var contentType = HeaderField("Content-Type")
        let pieces = type.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        for (index, piece) in pieces.enumerated() {
            contentType.append(piece + (index < pieces.count - 1 ? ";" : ""))
        }
        try contentType.appendParameter("name", filename, field: "attachment file name")
        var disposition = HeaderField("Content-Disposition")
        disposition.append(kind)
        try disposition.appendParameter("filename", filename, field: "attachment file name")
        var encoding = HeaderField("Content-Transfer-Encoding")
        encoding.append("base64")
        return MIMEPart(headers: [contentType, disposition, encoding], lines: Base64.lines(data))
    }

    static func multipart(_ subtype: String, _ parts: [MIMEPart]) -> MIMEPart {
        var type = HeaderField("Content-Type")
        type.append("multipart/\(subtype);")
        return MIMEPart(headers: [type], lines: [], subparts: parts)
    }

    /// Headers, a blank line, then the body; a multipart body is its parts between boundaries.
    func rendered(eol: String) -> String {
        guard !subparts.isEmpty else {
            return headers.map { $0.rendered(eol) + eol }.joined() + eol + lines.joined(separator: eol)
        }
        let inner = subparts.map { $0.rendered(eol: eol) }
        var boundary: String
        repeat {
            // "=_" never occurs in base64 or quoted-printable output; checked all the same.
            boundary = "=_Patrol_" + randomHex(12)
        } while inner.contains { $0.contains(boundary) }
        var type = headers[0]  // "multipart/…;"
        type.append("boundary=\"\(boundary)\"")
        var text = type.rendered(eol) + eol + eol
        text += "This is a multi-part message in MIME format." + eol
        for part in inner {
            text += "--" + boundary + eol + part + eol
        }
        return text + "--" + boundary + "--" + eol
    }
}
