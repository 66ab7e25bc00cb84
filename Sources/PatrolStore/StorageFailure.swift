import Foundation
import GRDB

/// A failure to write (or open) a database as one line an operator can act on: what happened
/// and what to do, never SQLite's statement. The command line exits 74 with it; the daemon logs it.
public enum StorageFailure {
    /// The line for `error`, or nil when it is not a storage failure.
    public static func explain(_ error: any Error) -> String? {
        switch error {
        case let error as DatabaseError: explain(error, path: nil)
        case Store.OpenError.unavailable(let path, let reason): "cannot open the database \(path): \(reason): \(advice(reason))"
        case let error as CocoaError where error.isFileError:
            "cannot write \(error.filePath ?? "the file"): \(error.localizedDescription); check the disk's free space and that you may write there"
        default: nil
        }
    }

    static func explain(_ error: DatabaseError, path: String?) -> String {
        let place = path.map { "the database \($0)" } ?? "the database"
        let code = error.resultCode
        return switch code {
        case .SQLITE_FULL: "\(place) cannot be written: the disk is full; free space on it, then try again"
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            "\(place) cannot be written: \(error.message ?? "\(code)"); check that this user may write the file and its folder, "
                + "and that the file system is not mounted read-only"
        case .SQLITE_BUSY, .SQLITE_LOCKED: "\(place) is busy: try again in a moment"
        case .SQLITE_IOERR: "\(place) cannot be written: the disk reported an I/O error; check the disk, then try again"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: "\(place) is damaged: restore it from a backup"
        default: "\(place) failed: \(error.message ?? "\(code)") (SQLite error \(code.rawValue))"
        }
    }

    private static func advice(_ reason: String) -> String {
        if reason.contains("disk is full") { return "free space on its disk, then try again" }
        if reason.contains("disk I/O error") { return "its disk may be full or failing: free space on it, check it, then try again" }
        if reason.contains("readonly") || reason.contains("read-only") || reason.contains("unable to open") {
            return "check that this user may write the file and its folder, and that the file system is not mounted read-only"
        }
        return "check the file, its folder and the disk"
    }
}

private extension CocoaError {
    var isFileError: Bool { (CocoaError.Code.fileWriteUnknown.rawValue...CocoaError.Code.fileWriteVolumeReadOnly.rawValue).contains(code.rawValue) }
}
