import Foundation
import PatrolMail

/// A real SMTP server on 127.0.0.1 (Tools/smtp_receiver.py, aiosmtpd), keeping what it receives
/// in a folder, with a port that refuses connections and one that never answers. It exits when
/// this object goes away (its stdin closes). Tests synchronise on its READY line, and on sendmail
/// having exited: the receiver writes each message before it answers 250.
final class Receiver: @unchecked Sendable {
    let folder: URL
    let port: Int
    let refusedPort: Int
    let silentPort: Int
    private let process: Process
    private let input: Pipe

    struct Received {
        var message: Data
        var mailFrom: String
        var recipients: [String]
    }

    init() throws {
        folder = try temporaryFolder("received")
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [tools.appendingPathComponent("smtp_receiver.py").path, folder.path]
        let output = Pipe()
        input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.standardError
        try process.run()
        var buffered = Data()
        var ready: String?
        while ready == nil {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            buffered.append(chunk)
            ready = String(decoding: buffered, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("READY ") }.map(String.init)
        }
        guard let ready else { throw ToolError(description: "the SMTP receiver exited before it was ready (is python3-aiosmtpd installed?)") }
        var fields: [String: Int] = [:]
        for pair in ready.split(separator: " ").dropFirst() {
            let parts = pair.split(separator: "=").map(String.init)
            if parts.count == 2 { fields[parts[0]] = Int(parts[1]) }
        }
        guard let port = fields["port"], let refused = fields["refused"], let silent = fields["silent"]
        else { throw ToolError(description: "unexpected READY line: \(ready)") }
        self.port = port
        refusedPort = refused
        silentPort = silent
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
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
