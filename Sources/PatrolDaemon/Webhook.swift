import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PatrolAlerts
import PatrolSettings

/// The office's messaging gateway: an alert's JSON body POSTed to `alerts.webhook.url`, signed
/// with the shared secret (`X-Patrol-Signature: sha256=…`), its event id in `X-Patrol-Event`.
/// The secret is read at every post, from its file or the environment, and never logged.
struct Webhook: Sendable {
    var settings: WebhookSettings
    var environment: [String: String]

    /// The shared secret, or why it cannot be had (the message names where it was looked for, never what it holds).
    func secret() -> Result<Data, WebhookFailure> {
        if let file = settings.secretFile {
            guard let data = FileManager.default.contents(atPath: file),
                  let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
            else { return .failure(WebhookFailure("cannot read the webhook secret from \(file)")) }
            return .success(Data(text.utf8))
        }
        if let name = settings.secretEnvironment {
            guard let text = environment[name], !text.isEmpty else {
                return .failure(WebhookFailure("the environment variable \(name) holding the webhook secret is not set"))
            }
            return .success(Data(text.utf8))
        }
        return .failure(WebhookFailure("no webhook secret configured"))
    }

    /// Posts `body`; nil once the gateway answered 2xx, else why not.
    func post(_ body: Data, eventID: String) async -> WebhookFailure? {
        guard let url = URL(string: settings.url) else { return WebhookFailure("not a URL: \(settings.url)") }
        let secret: Data
        switch self.secret() {
        case .success(let value): secret = value
        case .failure(let failure): return failure
        }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: settings.timeout)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue(eventID, forHTTPHeaderField: "X-Patrol-Event")
        request.setValue(AlertBody.signature(body, secret: secret), forHTTPHeaderField: "X-Patrol-Signature")
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = settings.timeout
        configuration.timeoutIntervalForResource = settings.timeout
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let (data, response, error): (Data?, URLResponse?, Error?) = await withCheckedContinuation { continuation in
            session.dataTask(with: request) { continuation.resume(returning: ($0, $1, $2)) }.resume()
        }
        if let error {
            let code = (error as NSError).code
            let words: String = switch code {
            case NSURLErrorTimedOut: "no answer from the webhook within \(Int(settings.timeout)) s"
            case NSURLErrorCannotConnectToHost: "the webhook refused the connection"
            case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: "the webhook's host name does not resolve"
            default: "the webhook could not be reached: \((error as NSError).localizedDescription)"
            }
            return WebhookFailure(words)
        }
        guard let http = response as? HTTPURLResponse else { return WebhookFailure("no HTTP answer from the webhook") }
        guard (200..<300).contains(http.statusCode) else {
            let words = String(decoding: (data ?? Data()).prefix(120), as: UTF8.self)
                .unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(String.init).joined()
            return WebhookFailure("the webhook answered HTTP \(http.statusCode)\(words.isEmpty ? "" : ": \(words)")")
        }
        return nil
    }
}

struct WebhookFailure: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
