import Foundation
import PatrolOutput

/// Fault-injection points, for testing what a crash leaves behind; never set in service.
///
/// `PATROL_FAULT=after-vault-write`: `patrol inventory import` kills itself (SIGKILL, as
/// `kill -9` would) after the credential vault's new generation is committed and before the
/// main database's transaction: the window where the two files could disagree.
enum FaultInjection {
    static let variable = "PATROL_FAULT"

    static let fault: String? = ProcessInfo.processInfo.environment[variable]

    /// What to run between the vault's commit and the main transaction, when a fault asks.
    static var afterVaultWrite: (() -> Void)? {
        guard fault == "after-vault-write" else { return nil }
        return {
            Output.log("patrol: fault injection \(variable)=after-vault-write: killed after the vault's commit\n")
            kill(getpid(), SIGKILL)
        }
    }
}
