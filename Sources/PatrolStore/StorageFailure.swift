import Foundation
import GRDB

/// A failure to write (or open) a database as one line an operator can act on: what happened
/// and what to do, never SQLite's statement. The command line exits 74 with it; the daemon logs it.
public enum StorageFailure {
    /// What went wrong, as a value: `explain` says it in English; the command line says it in
    /// the operator's language from the same value.
    public enum Problem: Sendable, Equatable {
        case full
        case notWritable(detail: String)
        case busy
        case ioError
        case damaged
        case failed(detail: String, code: Int32)
        /// The database could not be opened; `advice` is what to do about `reason`.
        case cannotOpen(path: String, reason: String, advice: Advice)
        /// A file (not the database) could not be written.
        case file(path: String?, detail: String)
    }

    /// What to do about a database that cannot be opened.
    public enum Advice: Sendable, Equatable {
        case freeSpace, checkDisk, checkPermissions, checkFile
    }

    /// The line for `error`, or nil when it is not a storage failure.
    public static func explain(_ error: any Error) -> String? {
        problem(error).map(english)
    }

    /// What `error` is, or nil when it is not a storage failure.
    public static func problem(_ error: any Error) -> Problem? {
        switch error {
        case let error as DatabaseError: problem(error)
        case Store.OpenError.unavailable(let path, let reason): .cannotOpen(path: path, reason: reason, advice: advice(reason))
        case let error as CocoaError where error.isFileError: .file(path: error.filePath, detail: error.localizedDescription)
        default: nil
        }
    }

    static func problem(_ error: DatabaseError) -> Problem {
        let code = error.resultCode
        return switch code {
        case .SQLITE_FULL: .full
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH: .notWritable(detail: error.message ?? "\(code)")
        case .SQLITE_BUSY, .SQLITE_LOCKED: .busy
        case .SQLITE_IOERR: .ioError
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: .damaged
        default: .failed(detail: error.message ?? "\(code)", code: code.rawValue)
        }
    }

    /// The problem in English, as patrold logs it.
    public static func english(_ problem: Problem) -> String {
        switch problem {
        case .full: "the database cannot be written: the disk is full; free space on it, then try again"
        case .notWritable(let detail):
            "the database cannot be written: \(detail); check that this user may write the file and its folder, "
                + "and that the file system is not mounted read-only"
        case .busy: "the database is busy: try again in a moment"
        case .ioError: "the database cannot be written: the disk reported an I/O error; check the disk, then try again"
        case .damaged: "the database is damaged: restore it from a backup"
        case .failed(let detail, let code): "the database failed: \(detail) (SQLite error \(code))"
        case .cannotOpen(let path, let reason, let advice): "cannot open the database \(path): \(reason): \(english(advice))"
        case .file(let path, let detail):
            "cannot write \(path ?? "the file"): \(detail); check the disk's free space and that you may write there"
        }
    }

    static func english(_ advice: Advice) -> String {
        switch advice {
        case .freeSpace: "free space on its disk, then try again"
        case .checkDisk: "its disk may be full or failing: free space on it, check it, then try again"
        case .checkPermissions: "check that this user may write the file and its folder, and that the file system is not mounted read-only"
        case .checkFile: "check the file, its folder and the disk"
        }
    }

    private static func advice(_ reason: String) -> Advice {
        if reason.contains("disk is full") { return .freeSpace }
        if reason.contains("disk I/O error") { return .checkDisk }
        if reason.contains("readonly") || reason.contains("read-only") || reason.contains("unable to open") { return .checkPermissions }
        return .checkFile
    }
}

private extension CocoaError {
    var isFileError: Bool { (CocoaError.Code.fileWriteUnknown.rawValue...CocoaError.Code.fileWriteVolumeReadOnly.rawValue).contains(code.rawValue) }
}
