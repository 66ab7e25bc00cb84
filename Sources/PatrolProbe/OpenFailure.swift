import Foundation
import PatrolAV

/// Why a stream could not be opened, decided from what happened rather than from FFmpeg's
/// error text alone: the deadline, the status code the far end answered, and the errno.
struct OpenFailure: Equatable {
    var outcome: Outcome
    var statusCode: Int?
    var detail: String

    /// - Parameters:
    ///   - averror: FFmpeg's return code.
    ///   - statusCode: the RTSP/HTTP status (>= 300) the far end answered, 0 if none.
    ///   - deadlineReached: the probe's deadline ended the call.
    ///   - message: FFmpeg's text for `averror`.
    static func classify(averror: Int32, osErrno: Int32, statusCode: Int32, deadlineReached: Bool,
                         message: String, budget: Duration) -> OpenFailure {
        let code = statusCode >= 300 ? Int(statusCode) : nil
        if code == 401 || averror == pav_error_http_unauthorized() {
            return OpenFailure(outcome: .unauthorized, statusCode: 401, detail: "the camera demands credentials or rejected them (401)")
        }
        if code == 404 || averror == pav_error_http_not_found() {
            return OpenFailure(outcome: .notFound, statusCode: 404, detail: "the camera has no such stream (404)")
        }
        if let code {
            return OpenFailure(outcome: .rtspError, statusCode: code, detail: "the camera refused the session with status \(code)")
        }
        if deadlineReached {
            return OpenFailure(outcome: .timeout, statusCode: nil,
                               detail: String(format: "no usable answer within the %.1f s deadline", budget.seconds))
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
        case pav_error_http_forbidden(): 403
        case pav_error_http_server_error(): 500
        default: nil
        }
        // The far end answered but not with a usable session: a non-200 PLAY (FFmpeg: EPERM),
        // garbage instead of RTSP, a closed connection.
        return OpenFailure(outcome: .rtspError, statusCode: status, detail: "protocol failure: \(message)")
    }
}
