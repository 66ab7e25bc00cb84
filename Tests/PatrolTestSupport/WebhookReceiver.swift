import Foundation

/// The office's messaging gateway, played by a small HTTP server on 127.0.0.1
/// (Tools/webhook_receiver.py): it checks each POST's HMAC signature and event header, answers 500
/// to the first `failures` good ones, keeps each accepted body in a folder before it answers 200,
/// and drops a repeated event id. `deadPort` refuses connections. Tests synchronise on its READY
/// line and on the delivery's outcome having been recorded: a body is kept before the answer.
public final class WebhookReceiver: @unchecked Sendable {
    public let folder: URL
    public let port: Int
    public let deadPort: Int
    public let secret: String
    private let process: ReadyProcess

    static let tool = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Tools/webhook_receiver.py")

    public init(secret: String = "s3cret-\(UUID().uuidString)", failures: Int = 0) throws {
        self.secret = secret
        folder = try temporaryFolder("webhook")
        process = try ReadyProcess(python, [Self.tool.path, folder.path, secret, String(failures)],
                                   unready: "the webhook receiver exited before it was ready")
        port = try process.number("port")
        deadPort = try process.number("dead")
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    public var url: String { "http://127.0.0.1:\(port)/patrol" }

    /// The bodies accepted so far, in order, as JSON objects.
    public func received() throws -> [[String: Any]] { try kept(".json") }

    /// The bodies answered 500 (the receiver's failures), in order.
    public func failed() throws -> [[String: Any]] { try kept(".failed") }

    /// How many bodies were refused for a bad signature.
    public func rejected() throws -> Int { try names(".rejected").count }

    /// How many repeats of an event already accepted were dropped.
    public func repeats() -> Int {
        (try? String(contentsOf: folder.appendingPathComponent("repeats"), encoding: .utf8)).flatMap { Int($0) } ?? 0
    }

    private func names(_ suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(suffix) }.sorted()
    }

    private func kept(_ suffix: String) throws -> [[String: Any]] {
        try names(suffix).map { name in
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))) as! [String: Any]
        }
    }
}
