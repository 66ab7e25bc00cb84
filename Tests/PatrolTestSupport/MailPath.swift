import Foundation
import PatrolMail

/// Debian's Python, where python3-aiosmtpd is installed (scripts/setup).
public let python = "/usr/bin/python3"

/// A new folder under the temporary directory, named after `name`.
public func temporaryFolder(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-mail-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// A real SMTP server on 127.0.0.1 (Tools/smtp_receiver.py, aiosmtpd), keeping what it receives
/// in a folder, with a port that refuses connections and one that never answers. It exits when
/// this object goes away (its stdin closes). Tests synchronise on its READY line, and on sendmail
/// having exited: the receiver writes each message before it answers 250.
public final class Receiver: @unchecked Sendable {
    public let folder: URL
    public let port: Int
    public let refusedPort: Int
    public let silentPort: Int
    private let process: ReadyProcess

    public struct Received {
        public var message: Data
        public var mailFrom: String
        public var recipients: [String]
    }

    static let tool = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Tools/smtp_receiver.py")

    public init() throws {
        folder = try temporaryFolder("received")
        process = try ReadyProcess(python, [Self.tool.path, folder.path],
                                   unready: "the SMTP receiver exited before it was ready (is python3-aiosmtpd installed?)")
        port = try process.number("port")
        refusedPort = try process.number("refused")
        silentPort = try process.number("silent")
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Every message received so far, in order.
    public func received() throws -> [Received] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let message = try Data(contentsOf: folder.appendingPathComponent(name))
            let envelopeURL = folder.appendingPathComponent(name.replacingOccurrences(of: ".eml", with: ".json"))
            let envelope = try JSONSerialization.jsonObject(with: Data(contentsOf: envelopeURL)) as! [String: Any]
            return Received(message: message, mailFrom: envelope["mail_from"] as! String,
                            recipients: envelope["rcpt_tos"] as! [String])
        }
    }
}

/// A home folder whose .msmtprc points msmtp (Debian's msmtp-mta is /usr/sbin/sendmail) at a
/// port on 127.0.0.1: the sendmail a test runs is the real one, configured through HOME.
public struct MailHome: Sendable {
    public let folder: URL

    public init() throws {
        folder = try temporaryFolder("home")
    }

    /// Points msmtp at `port`, from now on.
    public func use(port: Int) throws {
        let configuration = """
            defaults
            auth off
            tls off
            account default
            host 127.0.0.1
            port \(port)
            from patrol@district.example

            """
        let path = folder.appendingPathComponent(".msmtprc").path
        try Data(configuration.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)  // msmtp insists
    }

    public func sendmail(path: String = "/usr/sbin/sendmail", timeout: TimeInterval = 30) -> Sendmail {
        Sendmail(path: path, environment: ["HOME": folder.path, "PATH": "/usr/bin:/bin"], timeout: timeout)
    }
}
