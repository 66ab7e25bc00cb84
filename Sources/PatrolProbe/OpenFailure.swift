import Foundation
import PatrolAV

/// Why a stream could not be opened, decided from what happened rather than from FFmpeg's
/// error text alone: the deadline, the status code the far end answered and to which
/// request, a redirect, and the errno.
struct OpenFailure: Equatable {
    var outcome: Outcome
    var statusCode: Int?
    var detail: String

    /// - Parameters:
    ///   - averror: FFmpeg's return code.
    ///   - statusCode: the RTSP/HTTP status (>= 300) the far end answered, 0 if none.
    ///   - deadlineReached: the probe's deadline ended the call.
    ///   - message: FFmpeg's text for `averror`.
    ///   - method: the RTSP request the status answered, empty when unknown.
    ///   - request: the RTSP request sent last, empty when unknown.
    ///   - setupRefused: the server refused the transport asked for at SETUP.
    ///   - redirectTarget: where the far end redirected the request (never followed).
    ///   - notRTSP: the start of an answer that was not RTSP at all.
    static func classify(averror: Int32, osErrno: Int32, statusCode: Int32, deadlineReached: Bool,
                         message: String, budget: Duration, method: String = "", request: String = "", setupRefused: Bool = false,
                         redirectTarget: String? = nil, notRTSP: String? = nil) -> OpenFailure {
        let code = statusCode >= 300 ? Int(statusCode) : nil
        if let redirectTarget {
            let target = printable(Redaction.scrubURLs(in: redirectTarget), limit: 200)
            return OpenFailure(outcome: .rtspError, statusCode: code,
                               detail: "the camera redirects (\(code.map(String.init) ?? "3xx")) to \(target); "
                                   + "redirects are not followed: register the address it names")
        }
        if code == 401 || averror == pav_error_http_unauthorized() {
            return OpenFailure(outcome: .unauthorized, statusCode: 401, detail: "the camera demands credentials or rejected them (401)")
        }
        if code == 404 || averror == pav_error_http_not_found() {
            return OpenFailure(outcome: .notFound, statusCode: 404, detail: "the camera has no such stream (404)")
        }
        if let code {
            let request = method.isEmpty ? "" : " to \(method)"
            let hint = setupRefused ? ": it does not offer the transport asked for" : ""
            return OpenFailure(outcome: .rtspError, statusCode: code,
                               detail: "the camera refused the session with status \(code)\(request)\(hint)")
        }
        if setupRefused {
            return OpenFailure(outcome: .rtspError, statusCode: nil,
                               detail: "the camera answered SETUP with another transport than asked for")
        }
        if let notRTSP {
            return OpenFailure(outcome: .rtspError, statusCode: nil,
                               detail: "the far end answered, but not in RTSP: \"\(printable(notRTSP, limit: 48))\"")
        }
        if deadlineReached {
            let stage = request.isEmpty ? "" : " (\(request) unanswered)"
            return OpenFailure(outcome: .timeout, statusCode: nil,
                               detail: String(format: "no usable answer within the %.1f s deadline", budget.seconds) + stage)
        }
        switch osErrno {
        case ECONNREFUSED:
            return OpenFailure(outcome: .refused, statusCode: nil, detail: "connection refused")
        case EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, EADDRNOTAVAIL:
            return OpenFailure(outcome: .refused, statusCode: nil, detail: "camera unreachable: \(message)")
        case ETIMEDOUT:
            return OpenFailure(outcome: .timeout, statusCode: nil, detail: "the network timed out: \(message)")
        default:
            break
        }
        let status: Int? = switch averror {
        case pav_error_http_bad_request(): 400
        case pav_error_http_forbidden(): 403
        case pav_error_http_server_error(): 500
        default: nil
        }
        // The far end answered but not with a usable session: a non-200 PLAY (FFmpeg: EPERM),
        // a closed connection.
        return OpenFailure(outcome: .rtspError, statusCode: status, detail: "protocol failure: \(message)")
    }

    /// Text from the far end, fit for a terminal and a log: printable ASCII only, bounded.
    static func printable(_ text: String, limit: Int) -> String {
        let kept = text.unicodeScalars.prefix(limit).map { (0x20...0x7e).contains($0.value) ? Character($0) : "?" }
        return String(kept) + (text.unicodeScalars.count > limit ? "…" : "")
    }
}
