import Foundation

/// The English words left in text meant to be Chinese: runs of two or more ASCII letters that
/// are not a command in backquotes, an option (`--tier`), a value name (`<venue-id>`), something
/// quoted ('vip'), an identifier or a path (with a digit, `_`, `.`, `/` or `:` in it), an acronym
/// (ID, RTSP, JSON), or one of `allowed`.
public enum EnglishWords {
    /// Names that stay as they are in any language: the programs, units, codec profiles.
    public static let always: Set<String> = [
        "patrol", "patrold", "sqlite", "systemctl", "sendmail", "sha", "fps", "kbit", "mb", "ms", "tcp", "udp", "hevc",
        "main", "high", "baseline", "root", "utf", "zh", "yuv", "jpeg", "help", "version",
    ]

    public static func find(in text: String, allowing allowed: Set<String> = []) -> [String] {
        var text = text
        // Commands in backquotes and quoted values are what the operator types.
        for pattern in ["`[^`]*`", "'[^'\\n]*'", "\"[^\"\\n]*\"", "<[^>\\n]*>"] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        let allowed = Set((always.union(allowed)).map { $0.lowercased() })
        let token = try! NSRegularExpression(pattern: "[A-Za-z0-9_./:@=+#\\-]+")
        var found: [String] = []
        for match in token.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let word = String(text[Range(match.range, in: text)!])
            if word.hasPrefix("-") { continue }                                   // an option
            if word.rangeOfCharacter(from: CharacterSet(charactersIn: "0123456789_./:@=+#")) != nil { continue }
            if word.count < 2 { continue }                                         // units: s, h, d
            if word == word.uppercased() && word.count <= 6 { continue }           // ID, RTSP, JSON
            if allowed.contains(word.lowercased()) { continue }
            found.append(word)
        }
        return found
    }
}
