import Foundation

/// A camera's stream address with its credentials kept apart from anything printable.
///
/// `description`, `debugDescription` and `redacted` never contain the user name, the
/// password or credential-like query values, so a `StreamURL` can be interpolated into a
/// log line or an error without leaking them. Only `ffmpegURL` carries the secrets, and it
/// is handed to FFmpeg and nowhere else.
public struct StreamURL: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Scheme: String, Sendable {
        case rtsp, rtsps, http, https, rtmp, rtmps
    }

    public struct Credentials: Sendable, Hashable {
        public var username: String
        public var password: String
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    public let scheme: Scheme
    public let host: String
    public let port: Int?
    /// Path and query, percent-encoded as given, credential-like query values included.
    public let pathAndQuery: String
    public let credentials: Credentials?

    public enum ParseError: Error, CustomStringConvertible, Equatable {
        case malformed(String)
        case unsupportedScheme(String)
        case missingHost(String)

        public var description: String {
            switch self {
            case .malformed(let shown): "not a valid stream URL: \(shown)"
            case .unsupportedScheme(let scheme):
                "unsupported scheme '\(scheme)' (use rtsp, rtsps, http, https, rtmp or rtmps)"
            case .missingHost(let shown): "stream URL has no host: \(shown)"
            }
        }
    }

    /// Parses `text`; credentials in the URL are used unless `credentials` is given.
    public init(_ text: String, credentials override: Credentials? = nil) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed) else {
            throw .malformed(Redaction.scrubURLs(in: trimmed))
        }
        guard let rawScheme = components.scheme?.lowercased() else {
            throw .malformed(Redaction.scrubURLs(in: trimmed))
        }
        guard let scheme = Scheme(rawValue: rawScheme) else { throw .unsupportedScheme(rawScheme) }
        guard let host = components.host, !host.isEmpty else {
            throw .missingHost(Redaction.scrubURLs(in: trimmed))
        }
        self.scheme = scheme
        self.host = host
        self.port = components.port
        var tail = components.percentEncodedPath
        if let query = components.percentEncodedQuery { tail += "?" + query }
        self.pathAndQuery = tail
        if let override {
            self.credentials = override
        } else if let user = components.user {
            self.credentials = Credentials(username: user, password: components.password ?? "")
        } else {
            self.credentials = nil
        }
    }

    var authority: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(shownHost):\($0)" } ?? shownHost
    }

    /// The address as it may be printed: `rtsp://***@host:port/path`.
    public var redacted: String {
        let userinfo = credentials == nil ? "" : "***@"
        return "\(scheme.rawValue)://\(userinfo)\(authority)\(Redaction.scrubQuery(pathAndQuery))"
    }

    /// The address without user name and password (query kept as given), as it may be stored.
    public var address: String { "\(scheme.rawValue)://\(authority)\(pathAndQuery)" }

    public var description: String { redacted }
    public var debugDescription: String { "StreamURL(\(redacted))" }

    /// The full address with credentials, for FFmpeg only. `hostOverride` replaces the host
    /// (a numeric address resolved in advance under the probe's deadline).
    func ffmpegURL(hostOverride: String? = nil) -> String {
        var userinfo = ""
        if let credentials {
            userinfo = Self.encodeUserinfo(credentials.username) + ":" + Self.encodeUserinfo(credentials.password) + "@"
        }
        var authority = self.authority
        if let hostOverride {
            let shown = hostOverride.contains(":") ? "[\(hostOverride)]" : hostOverride
            authority = port.map { "\(shown):\($0)" } ?? shown
        }
        return "\(scheme.rawValue)://\(userinfo)\(authority)\(pathAndQuery)"
    }

    public var isRTSP: Bool { scheme == .rtsp || scheme == .rtsps }

    /// The secrets, so that text from elsewhere (FFmpeg's messages) can be scrubbed of them.
    var secrets: [String] {
        guard let credentials else { return [] }
        return [credentials.password, credentials.username].filter { $0.count >= 3 }
    }

    private static let userinfoAllowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~!$&'()*+,;=")
        return set
    }()

    private static func encodeUserinfo(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: userinfoAllowed) ?? text
    }
}

/// Removes credentials from text that may contain URLs or known secrets.
public enum Redaction {
    private static let credentialKeys: Set<String> = [
        "user", "username", "usr", "login", "pass", "password", "passwd", "pwd", "token", "auth",
        "key", "secret", "sig", "signature",
    ]

    /// `scheme://user:pass@host` becomes `scheme://***@host` wherever it occurs in `text`,
    /// and credential-like query values become `***`.
    public static func scrubURLs(in text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "://") {
            result += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let authorityEnd = rest.firstIndex(where: { "/?# \t\n\"'<>".contains($0) }) ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                result += "***@"
                rest = rest[rest.index(after: at)...]
            }
        }
        result += rest
        return scrubQueryValues(in: scrubStrayUserinfo(in: result))
    }

    /// Text that is not a well-formed URL ("rtsp:/admin:pw@host", "admin:pw@host/x") can still
    /// carry userinfo: any word with an '@' keeps only what follows its last '@'.
    private static func scrubStrayUserinfo(in text: String) -> String {
        guard text.contains("@") else { return text }
        return text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            guard let at = word.lastIndex(of: "@"), !word.hasSuffix("***@") || word.dropLast(4).contains("@") else {
                return String(word)
            }
            let head = word[..<at]
            // Keep a scheme prefix ("rtsp:/", "rtsp://") if there is one.
            let schemeEnd = head.range(of: ":/")?.upperBound
            let prefix = schemeEnd.map { String(head[..<$0]) + (head[$0...].hasPrefix("/") ? "/" : "") } ?? ""
            return prefix + "***" + word[at...]
        }.joined(separator: " ")
    }

    static func scrubQuery(_ pathAndQuery: String) -> String {
        scrubQueryValues(in: pathAndQuery)
    }

    private static func scrubQueryValues(in text: String) -> String {
        guard text.contains("=") else { return text }
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let char = text[index]
            out.append(char)
            index = text.index(after: index)
            guard char == "?" || char == "&" || char == ";" else { continue }
            guard let eq = text[index...].firstIndex(of: "="),
                  !text[index..<eq].contains(where: { "&?; /".contains($0) })
            else { continue }
            let key = text[index..<eq].lowercased()
            out += text[index...eq]
            index = text.index(after: eq)
            let valueEnd = text[index...].firstIndex(where: { "&; \t\n\"'#".contains($0) }) ?? text.endIndex
            out += credentialKeys.contains(key) ? "***" : String(text[index..<valueEnd])
            index = valueEnd
        }
        return out
    }

    /// Scrubs URLs and every given secret (both raw and percent-encoded) from `text`.
    public static func scrub(_ text: String, secrets: [String]) -> String {
        var result = scrubURLs(in: text)
        for secret in secrets where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: "***")
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != secret {
                result = result.replacingOccurrences(of: encoded, with: "***")
            }
        }
        return result
    }
}
