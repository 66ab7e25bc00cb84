import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PatrolProbe
import PatrolSettings

/// Reads the registration platform's status endpoint (docs/REGISTRATION.md): one GET under a
/// deadline, retried with a doubling pause when it fails in a way another attempt could mend.
public struct PlatformClient: Sendable {
    public let url: URL
    public let tokenFile: String?
    public let deadline: TimeInterval
    public let retries: Int
    public let retryFirst: TimeInterval
    /// The answer's size limit: a platform that streams without end is cut off.
    public static let maxBytes = 64 << 20

    public init(url: URL, tokenFile: String?, deadline: TimeInterval, retries: Int, retryFirst: TimeInterval) {
        self.url = url
        self.tokenFile = tokenFile
        self.deadline = deadline
        self.retries = retries
        self.retryFirst = retryFirst
    }

    public init?(_ settings: RegistrationSettings) {
        guard let url = settings.platform else { return nil }
        self.init(url: url, tokenFile: settings.tokenFile, deadline: settings.deadline, retries: settings.retries,
                  retryFirst: settings.retryFirst)
    }

    /// The endpoint as it may be logged: a query's secrets shown as `***`.
    public var shownURL: String { Redaction.scrubURLs(in: url.absoluteString) }

    /// Reads the platform, retrying; `attemptFailed` hears of each failed attempt (for the log).
    public func read(zone: TimeZone, now: @Sendable () -> Date = Date.init,
                     attemptFailed: (Int, RegistrationReadFailure) -> Void = { _, _ in }) async -> Result<RegistrationReading, RegistrationReadFailure> {
        var pause = retryFirst
        var attempt = 1
        while true {
            let result = await readOnce(zone: zone, now: now)
            guard case .failure(let failure) = result, failure.retryable, attempt <= retries, !Task.isCancelled else { return result }
            attemptFailed(attempt, failure)
            if pause > 0 { try? await Task.sleep(for: .milliseconds(Int64(pause * 1000))) }
            pause *= 2
            attempt += 1
        }
    }

    /// One attempt.
    public func readOnce(zone: TimeZone, now: @Sendable () -> Date = Date.init) async -> Result<RegistrationReading, RegistrationReadFailure> {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: deadline)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile),
                  let token = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty
            else { return .failure(RegistrationReadFailure("cannot read the platform's token from \(tokenFile)", retryable: false)) }
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = deadline
        configuration.timeoutIntervalForResource = deadline
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let sentAt = now()
        let (data, response, error): (Data?, URLResponse?, Error?) = await withCheckedContinuation { continuation in
            session.dataTask(with: request) { continuation.resume(returning: ($0, $1, $2)) }.resume()
        }
        let receivedAt = now()
        if let error {
            return .failure(RegistrationReadFailure(describe(error)))
        }
        guard let http = response as? HTTPURLResponse, let data else {
            return .failure(RegistrationReadFailure("no HTTP answer from the platform"))
        }
        guard http.statusCode == 200 else {
            let words = PlatformAnswer.clean(String(decoding: data.prefix(120), as: UTF8.self))
            let retryable = http.statusCode >= 500 || http.statusCode == 429 || http.statusCode == 408
            let hint = http.statusCode == 401 || http.statusCode == 403 ? " (check registration.token_file)" : ""
            return .failure(RegistrationReadFailure("the platform answered HTTP \(http.statusCode)\(hint)\(words.isEmpty ? "" : ": \(words)")",
                                                    retryable: retryable))
        }
        if http.expectedContentLength > 0, Int64(data.count) < http.expectedContentLength {
            return .failure(RegistrationReadFailure("the answer was cut short: \(data.count) of \(http.expectedContentLength) bytes"))
        }
        guard data.count <= Self.maxBytes else {
            return .failure(RegistrationReadFailure("the answer is larger than \(Self.maxBytes >> 20) MB"))
        }
        do {
            return .success(try PlatformAnswer.decode(data, sentAt: sentAt, receivedAt: receivedAt, zone: zone))
        } catch {
            return .failure(error)
        }
    }

    private func describe(_ error: Error) -> String {
        let code = (error as NSError).code
        let words: String = switch code {
        case NSURLErrorTimedOut: "no answer within \(Int(deadline)) s"
        case NSURLErrorCannotConnectToHost: "the platform refused the connection"
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: "the platform's host name does not resolve"
        case NSURLErrorNetworkConnectionLost: "the connection was lost during the answer (cut short)"
        // libcurl's "transfer closed with N bytes remaining to read", which Foundation hands over as unknown.
        case NSURLErrorUnknown where (error as NSError).localizedDescription.contains("transfer closed"):
            "the answer was cut short (the connection closed before the announced length)"
        case NSURLErrorSecureConnectionFailed, NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasBadDate,
             NSURLErrorServerCertificateNotYetValid, NSURLErrorServerCertificateHasUnknownRoot:
            "the TLS connection failed (certificate)"
        default: Redaction.scrubURLs(in: (error as NSError).localizedDescription)
        }
        return "\(words) (\(shownURL))"
    }
}
