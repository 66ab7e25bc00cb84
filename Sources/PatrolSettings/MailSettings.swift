import Foundation

/// Who gets the daily report, and how it leaves (docs/MAIL.md).
public struct MailSettings: Sendable, Equatable {
    public var sendmail = "/usr/sbin/sendmail"
    public var sendmailArguments: [String] = []
    public var from = MailAddress("patrol@localhost", name: "Patrol")
    /// The whole report.
    public var office: [MailAddress] = []
    /// The maintenance list (perimeter cameras down).
    public var maintenance: [MailAddress] = []
    /// Each supervisor (as named on the venues) and where their part of the report goes.
    public var supervisors: [String: [MailAddress]] = [:]
    public var messageIDDomain: String?
    public var retry = RetryPolicy()

    public init() {}

    /// Whether anyone is to receive the report at all.
    public var hasRecipients: Bool { !office.isEmpty || !maintenance.isEmpty || supervisors.values.contains { !$0.isEmpty } }
}

/// A mailbox: an ASCII address and an optional display name in any script ("张伟 (一组)").
public struct MailAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String?
    public var address: String

    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }

    /// Throws unless the address can be written in a header as it is: a plain `local@domain`
    /// in printable ASCII, and a display name without control characters (CR or LF would let it
    /// write headers of its own). The configuration checks every address with it when loaded.
    public func validate() throws(Problem) {
        guard Self.isPlain(address) else { throw .invalidAddress(address) }
        if let name, Self.carriesControlCharacter(name) { throw .controlCharacterInName(name) }
    }

    /// Why an address cannot be written in a header as it is.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case invalidAddress(String)
        case controlCharacterInName(String)

        public var description: String {
            switch self {
            case .invalidAddress(let address): "not a usable e-mail address: \(address.debugDescription)"
            case .controlCharacterInName(let name): "display name carries a control character (CR, LF…): \(name.debugDescription)"
            }
        }
    }

    /// A plain `local@domain` in printable ASCII, without spaces, brackets, quotes or commas.
    public static func isPlain(_ address: String) -> Bool {
        let forbidden: Set<Character> = ["<", ">", "(", ")", ",", ";", ":", "\\", "\"", "[", "]", " "]
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return address.utf8.count <= 254 && parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && address.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
            && !address.contains(where: forbidden.contains) && !parts[0].hasPrefix("-")
    }

    /// Whether `text` carries CR, LF or another control character: written in a header as it
    /// is, it would end the header and start another.
    public static func carriesControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value)
            || $0 == "\u{2028}" || $0 == "\u{2029}" })
    }

    /// `name <address>`, or the bare address: for people reading a listing, not for a header.
    public var description: String {
        guard let name, !name.isEmpty else { return address }
        return "\(name) <\(address)>"
    }
}

/// How long a failed message waits before its next attempt: `firstDelay` after the first failure,
/// multiplied by `multiplier` after each further one, never more than `longestDelay`. There is no
/// last attempt: a message waits for as long as sendmail keeps failing.
public struct RetryPolicy: Sendable, Equatable {
    public var firstDelay: TimeInterval
    public var multiplier: Double
    public var longestDelay: TimeInterval

    public init(firstDelay: TimeInterval = 60, multiplier: Double = 2, longestDelay: TimeInterval = 3600) {
        self.firstDelay = firstDelay
        self.multiplier = multiplier
        self.longestDelay = longestDelay
    }
}
