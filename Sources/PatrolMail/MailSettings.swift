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
