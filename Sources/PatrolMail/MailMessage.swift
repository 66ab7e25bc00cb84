import Foundation
import PatrolSettings

/// One e-mail as Patrol writes it: a sender, recipients, a subject, the same content as plain text
/// and as HTML, and attachments (the report's CSV files). Text is UTF-8 throughout; venue names
/// and display names may be Chinese. `render` turns it into the bytes handed to sendmail.
public struct MailMessage: Sendable, Hashable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var subject: String
    public var text: String
    /// The HTML alternative; `nil` sends the text alone.
    public var html: String?
    public var attachments: [MailAttachment]
    /// Pictures the HTML shows by `cid:` (a multipart/related part beside it).
    public var inlineImages: [MailInlineImage]

    public init(from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], subject: String, text: String,
                html: String? = nil, attachments: [MailAttachment] = [], inlineImages: [MailInlineImage] = []) {
        self.from = from
        self.to = to
        self.cc = cc
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.inlineImages = inlineImages
    }

    /// Every recipient, To then Cc: the envelope `sendmail -t` takes from the headers.
    public var recipients: [MailAddress] { to + cc }
}

/// A file attached to the message: the report's CSV tables by default.
public struct MailAttachment: Sendable, Hashable {
    public var filename: String
    /// The media type with its parameters, for example `text/csv; charset=utf-8`.
    public var contentType: String
    public var data: Data

    public init(filename: String, contentType: String = "text/csv; charset=utf-8", data: Data) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// A picture inside the HTML, attached under its Content-ID.
public struct MailInlineImage: Sendable, Hashable {
    /// Without angle brackets: the HTML refers to it as `cid:` + this.
    public var contentID: String
    public var filename: String
    public var contentType: String
    public var data: Data

    public init(contentID: String, filename: String, contentType: String = "image/jpeg", data: Data) {
        self.contentID = contentID
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// Why a message cannot be rendered. Nothing is sent and nothing is queued when rendering fails.
public enum MailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An address that is not a plain ASCII `local@domain` (or carries spaces, brackets, CR or LF).
    case invalidAddress(String)
    /// A header value (subject, display name, file name) carrying CR, LF or another control character:
    /// written as is it would end the header and start another.
    case invalidHeaderValue(field: String, value: String)
    case invalidContentType(String)
    case noRecipients

    public var description: String {
        switch self {
        case .invalidAddress(let address): "not a usable e-mail address: \(address.debugDescription)"
        case .invalidHeaderValue(let field, let value): "\(field) carries a control character (CR, LF…): \(value.debugDescription)"
        case .invalidContentType(let type): "not a usable content type: \(type.debugDescription)"
        case .noRecipients: "the message has no recipients"
        }
    }
}
