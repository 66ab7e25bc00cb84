import Foundation
import PatrolTestSupport
import Testing

/// docs/nginx/patrol-console.conf, as DEPLOY.md tells to install it, run by Debian's nginx in front
/// of a console: `nginx -t` accepts it, and the console answers through TLS (a self-signed
/// certificate made here), its login included.
@Suite("The console behind nginx with TLS")
struct NginxTests {
    static let snippet = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/nginx/patrol-console.conf")

    static func freePort() throws -> Int {
        let run = try CommandRun(program: URL(fileURLWithPath: "/usr/bin/python3"),
                                 ["-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"])
        return try #require(Int(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test("nginx -t accepts the documented server block; the console answers through it over TLS")
    func throughNginx() async throws {
        let console = try await ConsoleFixture()
        defer { Task { await console.stop() } }
        let root = console.folder.appendingPathComponent("nginx")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let (crt, key) = (root.appendingPathComponent("console.crt").path, root.appendingPathComponent("console.key").path)
        let openssl = try CommandRun(program: URL(fileURLWithPath: "/usr/bin/openssl"),
                                     ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "2", "-keyout", key, "-out", crt])
        try #require(openssl.status == 0, "\(openssl.all)")
        let (https, http) = (try Self.freePort(), try Self.freePort())
        // The documented file as it is, but for the certificate's place and the ports of this machine's test.
        let server = try String(contentsOf: Self.snippet, encoding: .utf8)
            .replacingOccurrences(of: "/etc/nginx/tls/patrol-console.crt", with: crt)
            .replacingOccurrences(of: "/etc/nginx/tls/patrol-console.key", with: key)
            .replacingOccurrences(of: "listen 443 ssl;", with: "listen 127.0.0.1:\(https) ssl;")
            .replacingOccurrences(of: "listen 80;", with: "listen 127.0.0.1:\(http);")
            .replacingOccurrences(of: "listen [::]:443 ssl;", with: "").replacingOccurrences(of: "listen [::]:80;", with: "")
            .replacingOccurrences(of: "127.0.0.1:8780", with: "127.0.0.1:\(console.port)")
        try server.write(to: root.appendingPathComponent("patrol-console.conf"), atomically: true, encoding: .utf8)
        let conf = root.appendingPathComponent("nginx.conf")
        try """
            daemon off;
            pid \(root.path)/nginx.pid;
            error_log stderr notice;
            events {}
            http {
                access_log off;
                client_body_temp_path \(root.path)/body;
                proxy_temp_path \(root.path)/proxy;
                fastcgi_temp_path \(root.path)/fastcgi;
                uwsgi_temp_path \(root.path)/uwsgi;
                scgi_temp_path \(root.path)/scgi;
                include \(root.path)/patrol-console.conf;
            }
            """.write(to: conf, atomically: true, encoding: .utf8)
        let check = try CommandRun(program: URL(fileURLWithPath: "/usr/sbin/nginx"), ["-t", "-p", root.path, "-c", conf.path])
        #expect(check.status == 0, "\(check.all)")
        #expect(check.stderr.contains("syntax is ok") && check.stderr.contains("test is successful"))

        let nginx = Process()
        nginx.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        nginx.arguments = ["-p", root.path, "-c", conf.path]
        let log = Pipe()
        nginx.standardError = log
        try nginx.run()
        defer {
            nginx.terminate()
            nginx.waitUntilExit()
        }
        // The master logs its workers' start once its sockets listen: ready from then on.
        var said = ""
        while !said.contains("start worker process") {
            let chunk = log.fileHandleForReading.availableData
            try #require(!chunk.isEmpty, "nginx ended before it listened: \(said)")
            said += String(decoding: chunk, as: UTF8.self)
        }
        let base = "https://127.0.0.1:\(https)"
        let page = try await HTTP.get(base + "/", headers: [], insecure: true)
        #expect(page.status == 303)
        #expect(page.headers["location"] == "/login?next=%2F")
        #expect(page.headers["strict-transport-security"] == "max-age=31536000")
        let jar = console.folder.appendingPathComponent("nginx-cookies")
        let login = try await HTTP.post(base + "/login", form: [("name", ConsoleFixture.user), ("password", ConsoleFixture.password)], jar: jar,
                                  insecure: true)
        #expect(login.status == 303)
        let status = try await HTTP.get(base + "/api/v1/status", jar: jar, insecure: true)
        #expect(status.status == 200)
        #expect((status.json as? [String: Any])?["schema_version"] as? Int == 1)
        let plain = try await HTTP.get("http://127.0.0.1:\(http)/venues")
        #expect(plain.status == 301)
        #expect(plain.headers["location"]?.hasPrefix("https://") == true)
    }
}
