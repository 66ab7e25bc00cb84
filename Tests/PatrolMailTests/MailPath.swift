import Foundation
import PatrolMail
import PatrolTestSupport

/// A real SMTP server on 127.0.0.1 (Tools/smtp_receiver.py, aiosmtpd), keeping what it receives
/// in a folder, with a port that refuses connections and one that never answers. It exits when
/// this object goes away (its stdin closes). Tests synchronise on its READY line, and on sendmail
/// having exited: the receiver writes each message before it answers 250.
final class Receiver: @unchecked Sendable {
    let folder: URL
    let port: Int
    let refusedPort: Int
    let silentPort: Int
    private let process: ReadyProcess

    struct Received {
        var message: Data
        var mailFrom: String
        var recipients: [String]
    }

    init() throws {
        folder = try temporaryFolder("received")
        process = try ReadyProcess(python, [tools.appendingPathComponent("smtp_receiver.py").path, folder.path],
                                   unready: "the SMTP receiver exited before it was ready (is python3-aiosmtpd installed?)")
        port = try process.number("port")
        refusedPort = try process.number("refused")
        silentPort = try process.number("silent")
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Every message received so far, in order.
    func received() throws -> [Received] {
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
struct MailHome {
    let folder: URL

    init() throws {
        folder = try temporaryFolder("home")
    }

    /// Points msmtp at `port`, from now on.
    func use(port: Int) throws {
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

    func sendmail(path: String = "/usr/sbin/sendmail", timeout: TimeInterval = 30) -> Sendmail {
        Sendmail(path: path, environment: ["HOME": folder.path, "PATH": "/usr/bin:/bin"], timeout: timeout)
    }
}
