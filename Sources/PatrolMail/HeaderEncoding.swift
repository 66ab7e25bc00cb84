import PatrolSettings

/// Header fields as RFC 5322 and RFC 2047/2231 want them: folded lines of at most 76 characters,
/// non-ASCII text as UTF-8 encoded-words (each at most 75 characters, never splitting a
/// character), non-ASCII parameters (file names) as RFC 2231 percent-encoded continuations.
/// Values carrying CR, LF or other control characters are rejected, never written.
struct HeaderField {
    static let lineLimit = 76
    private static let encodedWordOverhead = "=?UTF-8?B?".utf8.count + "?=".utf8.count

    /// The lines of the field; every line after the first starts with the space that folds it.
    private(set) var lines: [String]
    /// Nothing is written on the last line yet (after the name, or after a fold).
    private var fresh = true

    init(_ name: String) {
        lines = [name + ":"]
    }

    /// The field as it goes in the message, its lines joined by `eol`.
    func rendered(_ eol: String) -> String { lines.joined(separator: eol) }

    /// The space written before the next token on the current line.
    private var separator: Int { fresh && lines.count > 1 ? 0 : 1 }

    private mutating func place(_ token: String) {
        lines[lines.count - 1] += (separator == 1 ? " " : "") + token
        fresh = false
    }

    private mutating func fold() {
        lines.append(" ")
        fresh = true
    }

    /// Appends `token` after a space, folding first when it would not fit on the current line.
    /// A token longer than a line stands alone on its line (up to RFC 5322's 998 characters).
    mutating func append(_ token: String) {
        if !fresh, !token.isEmpty, lines[lines.count - 1].utf8.count + 1 + token.utf8.count > Self.lineLimit { fold() }
        place(token)
    }

    /// Appends `text` as one or more UTF-8 encoded-words, each filling what is left of its line.
    mutating func appendEncoded(_ text: String) {
        var scalars = Substring(text).unicodeScalars[...]
        while !scalars.isEmpty {
            var room = Self.lineLimit - lines[lines.count - 1].utf8.count - separator
            if room < Self.encodedWordOverhead + 4 {
                fold()
                room = Self.lineLimit - 1
            }
            // Base64 turns each 3 bytes into 4 characters: as many whole characters as fit.
            let byteBudget = (min(room, 75) - Self.encodedWordOverhead) / 4 * 3
            var bytes: [UInt8] = []
            while let scalar = scalars.first {
                let encoded = Array(String(scalar).utf8)
                if bytes.count + encoded.count > byteBudget && !bytes.isEmpty { break }
                bytes += encoded
                scalars.removeFirst()
            }
            place("=?UTF-8?B?" + Base64.encode(bytes) + "?=")
        }
    }

    /// Appends free text (Subject): as is when it is plain ASCII, as encoded-words otherwise.
    mutating func appendText(_ text: String, field: String) throws(MailError) {
        try Self.requireNoControls(text, field: field)
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        let plain = text.allSatisfy(\.isASCII) && !text.contains("=?") && words.allSatisfy { $0.utf8.count <= 900 }
        guard plain else { return appendEncoded(text) }
        for word in words { append(String(word)) }
    }

    /// Appends a list of mailboxes, comma separated, display names encoded as needed.
    mutating func appendAddresses(_ addresses: [MailAddress], field: String) throws(MailError) {
        for (index, mailbox) in addresses.enumerated() {
            let address = try Self.checkedAddress(mailbox.address)
            if let name = mailbox.name, !name.isEmpty {
                try Self.requireNoControls(name, field: "\(field) display name")
                if !name.allSatisfy(\.isASCII) {
                    appendEncoded(name)
                } else if Self.isPhrase(name) {
                    for word in name.split(separator: " ") { append(String(word)) }
                } else {
                    append(Self.quoted(name))
                }
                append("<\(address)>" + (index < addresses.count - 1 ? "," : ""))
            } else {
                append(address + (index < addresses.count - 1 ? "," : ""))
            }
        }
    }

    /// Appends `; name=value` parameters: quoted ASCII, or RFC 2231 `name*0*=utf-8''…` continuations.
    mutating func appendParameter(_ name: String, _ value: String, field: String) throws(MailError) {
        try Self.requireNoControls(value, field: "\(field) \(name)")
        lines[lines.count - 1] += ";"
        if value.allSatisfy(\.isASCII), value.utf8.count <= 60 {
            return append("\(name)=\(Self.quoted(value))")
        }
        var pieces: [String] = []
        var piece = "utf-8''"
        for scalar in value.unicodeScalars {
            let encoded = String(scalar).utf8.map { Self.attributeChars.contains($0) ? String(UnicodeScalar($0)) : Self.percent($0) }.joined()
            if piece.utf8.count + encoded.utf8.count > 54 && !piece.isEmpty && piece != "utf-8''" {
                pieces.append(piece)
                piece = ""
            }
            piece += encoded
        }
        pieces.append(piece)
        if pieces.count == 1 { return append("\(name)*=\(pieces[0])") }
        for (index, piece) in pieces.enumerated() {
            append("\(name)*\(index)*=\(piece)" + (index < pieces.count - 1 ? ";" : ""))
        }
    }

    // MARK: Checks and quoting

    static func requireNoControls(_ value: String, field: String) throws(MailError) {
        if MailAddress.carriesControlCharacter(value) { throw .invalidHeaderValue(field: field, value: value) }
    }

    /// A plain `local@domain` in printable ASCII, without spaces, brackets, quotes or commas.
    static func checkedAddress(_ address: String) throws(MailError) -> String {
        guard MailAddress.isPlain(address) else { throw .invalidAddress(address) }
        return address
    }

    private static let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".utf8)
    private static let attributeChars = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~".utf8)

    /// Words of atext separated by single spaces: a display name that needs no quotes.
    private static func isPhrase(_ name: String) -> Bool {
        let words = name.split(separator: " ", omittingEmptySubsequences: false)
        return !name.contains("=?") && words.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(atext.contains) }
    }

    private static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private static func percent(_ byte: UInt8) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        return String(decoding: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
    }
}
