import Foundation
import PatrolInventory
import PatrolLedger
import PatrolOutput
import PatrolStore

#if canImport(Glibc)
import Glibc
#endif

/// The failures other modules report as values, said in the operator's language: the
/// database that cannot be read or written, output that cannot be written, the ledger key, a
/// reference picture, the seals, an import's changes. (patrold logs the same values in English.)
enum Explain {
    /// A database or file that cannot be written or opened, in one line; nil for another error.
    static func storage(_ error: any Error) -> String? {
        guard let problem = StorageFailure.problem(error) else { return nil }
        return switch problem {
        case .full: say(.storageFull)
        case .notWritable(let detail): say(.storageNotWritable, detail)
        case .busy: say(.storageBusy)
        case .ioError: say(.storageIOError)
        case .damaged: say(.storageDamaged)
        case .failed(let detail, let code): say(.storageFailed, detail, code)
        case .cannotOpen(let path, let reason, let advice): say(.storageCannotOpen, path, reason, Self.advice(advice))
        case .file(let path, let detail): say(.storageFile, path ?? say(.storageTheFile), detail)
        }
    }

    private static func advice(_ advice: StorageFailure.Advice) -> String {
        switch advice {
        case .freeSpace: say(.storageAdviceFreeSpace)
        case .checkDisk: say(.storageAdviceCheckDisk)
        case .checkPermissions: say(.storageAdviceCheckPermissions)
        case .checkFile: say(.storageAdviceCheckFile)
        }
    }

    /// Standard output that cannot be written.
    static func writeError(_ error: Output.WriteError) -> String {
        guard Language.current != .english else { return error.description }
        return switch error.code {
        case ENOSPC, EDQUOT: say(.outputFull)
        case EPIPE: say(.outputClosed)
        default: say(.outputFailed, String(cString: strerror(error.code)))
        }
    }

    /// The database that cannot be opened for reading, and what to do.
    static func read(_ error: Store.ReadError) -> String {
        switch error {
        case .missing(let path): say(.readMissing, path)
        case .locked(let path): say(.readLocked, path)
        case .notPatrol(let path): say(.readNotPatrol, path)
        case .outdated(let path): say(.readOutdated, path)
        case .newer(let path): say(.readNewer, path)
        case .unavailable(let path, let reason): say(.readUnavailable, path, reason)
        }
    }

    /// The ledger key that cannot be used.
    static func ledgerKey(_ error: LedgerKeyError) -> String {
        switch error {
        case .exposed(let path, let mode): say(.keyExposed, path, String(mode, radix: 8))
        case .unreadable(let path, let reason): say(.keyUnreadable, path, reason)
        case .unwritable(let path, let reason): say(.keyUnwritable, path, reason)
        case .malformed(let path): say(.keyMalformed, path)
        case .exists(let path): say(.keyExists, path)
        case .missing(let path, let key): say(.keyMissing, LedgerKey.fingerprint(key), path)
        case .notCreated(let path, let reason): say(.keyNotCreated, path, reason)
        case .superseded(let path, let holds, let key): say(.keySuperseded, path, LedgerKey.fingerprint(holds), LedgerKey.fingerprint(key))
        }
    }

    /// A reference picture that cannot be approved.
    static func reference(_ error: Store.ReferenceError) -> String {
        switch error {
        case .noCamera(let id): say(.noCamera, id)
        case .noPicture(let id): say(.referenceNoPicture, id)
        case .notAScene(let id, let outcome): say(.referenceNotAScene, id, word(outcome))
        }
    }

    /// What the seals prove, in one sentence.
    static func sealing(_ check: LedgerCheck) -> String {
        guard let sealedBy = check.sealedBy else {
            return check.entries == 0 ? say(.sealNothing) : say(.sealUnsealed, check.entries)
        }
        var text = say(.sealBy, LedgerKey.fingerprint(sealedBy)) + (check.trusted ? say(.sealTrusted) : say(.sealUntrusted))
        if check.predates > 0 { text += say(.sealPredates, check.predates) }
        if let from = check.verdictsFrom { text += say(.sealVerdictsFrom, Format.day(from.description)) }
        return text
    }

    /// An import's changes counted, in one line: `added 3 venues and 12 cameras; changed 1 camera`.
    static func summary(_ changes: InventoryChanges) -> String {
        func items(_ venues: Int, _ cameras: Int) -> String? {
            let parts = [venues > 0 ? say(.importVenues, venues) : nil, cameras > 0 ? say(.importCameras, cameras) : nil].compactMap { $0 }
            return parts.isEmpty ? nil : parts.joined(separator: say(.importAnd))
        }
        let parts = [
            items(changes.addedVenues.count, changes.addedCameras.count).map { say(.importAdded, $0) },
            items(changes.changedVenues.count, changes.changedCameras.count).map { say(.importChanged, $0) },
            items(changes.removedVenues.count, changes.removedCameras.count).map { say(.importRetired, $0) },
        ].compactMap { $0 }
        return parts.isEmpty ? say(.importNoChanges) : parts.joined(separator: say(.importPartSeparator))
    }

    /// One line per change, credentials named but never shown: `venue V0007 changed: tier, supervisor`.
    static func lines(_ changes: InventoryChanges) -> String {
        var lines: [String] = []
        lines += changes.addedVenues.map { say(.importVenueAdded, $0.id, $0.name) }
        lines += changes.changedVenues.map { say(.importVenueChanged, $0.new.id, $0.fields.map(\.rawValue).joined(separator: ", ")) }
        lines += changes.removedVenues.map { say(.importVenueRemoved, $0.id, $0.name) }
        lines += changes.addedCameras.map { say(.importCameraAdded, $0.id, word($0.placement), $0.venueID, $0.stream) }
        lines += changes.changedCameras.map { say(.importCameraChanged, $0.new.id, $0.fields.map(\.rawValue).joined(separator: ", ")) }
        lines += changes.removedCameras.map { say(.importCameraRemoved, $0.id, word($0.placement), $0.venueID) }
        return lines.isEmpty ? say(.importNoChanges) : lines.joined(separator: "\n")
    }
}
