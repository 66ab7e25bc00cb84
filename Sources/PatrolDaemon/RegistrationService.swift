import Foundation
import PatrolConfig
import PatrolRegistration
import PatrolSettings
import PatrolStore
import ServiceLifecycle
import Synchronization

/// The registration platform read on a cadence (`registration.every`, 5 minutes by default):
/// its status endpoint, then the CSV files waiting in the drop folder. Every read is kept, a
/// failed one too (it is time the platform could not be read, which never counts against a
/// venue). A broken or partial answer is logged with what was wrong; the systems it could not
/// read are not marked offline.
public final class RegistrationService: Service, Sendable {
    /// What one round did.
    public struct Round: Sendable {
        /// The endpoint's read: what it added, or why it gave nothing; nil when no endpoint is configured.
        public var platform: Result<RegistrationRecorded, RegistrationReadFailure>?
        /// Each file of the drop folder dealt with, by name: applied, a copy of one applied, or rejected.
        public var files: [(name: String, outcome: FileOutcome)] = []

        /// One line for `patrold --once`.
        public var summary: String {
            var parts: [String] = []
            switch platform {
            case .success(let recorded)?:
                parts.append("registration platform read: \(recorded.kept) systems, \(recorded.offline) offline, \(recorded.stuck) uploads stuck"
                             + (recorded.missing.isEmpty ? "" : ", \(recorded.missing.count) missing from the answer"))
            case .failure(let failure)?: parts.append("registration platform unreadable: \(failure)")
            case nil: break
            }
            let applied = files.filter { if case .applied = $0.outcome { true } else { false } }.count
            let rejected = files.filter { if case .rejected = $0.outcome { true } else { false } }.count
            if !files.isEmpty { parts.append("drop folder: \(applied) files applied, \(rejected) rejected") }
            return parts.joined(separator: "; ")
        }
    }

    public enum FileOutcome: Sendable, Equatable {
        case applied(systems: Int, encoding: String)
        case duplicate(of: String)
        case rejected(problems: [String])
    }

    private let store: Store
    private let configuration: @Sendable () -> Configuration
    private let now: @Sendable () -> Date
    private let work = WorkQueue("patrol.registration")

    public init(store: Store, configuration: @escaping @Sendable () -> Configuration, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.configuration = configuration
        self.now = now
    }

    /// A round at once, then every `registration.every` of the configuration in force: a reload
    /// that configures the platform, or changes the cadence, takes effect within ten seconds.
    public func run() async {
        let clock = ContinuousClock()
        let last = Mutex<ContinuousClock.Instant?>(nil)
        await cancelWhenGracefulShutdown { [self] in
            await every(10) { [self] in
                let settings = configuration().registration
                guard settings.isConfigured else { return }
                let due = last.withLock { last in last.map { clock.now - $0 >= .seconds(settings.every) } ?? true }
                guard due else { return }
                last.withLock { $0 = clock.now }
                _ = await readNow()
            }
        }
    }

    /// One round: the endpoint (with its retries), then the drop folder.
    public func readNow() async -> Round {
        let configuration = configuration()
        let settings = configuration.registration, zone = configuration.patrol.timeZone
        var round = Round()
        if let client = PlatformClient(settings) {
            let result = await client.read(zone: zone, now: now) { attempt, failure in
                Journal.warning("registration platform: attempt \(attempt) failed: \(failure); trying again")
            }
            round.platform = await work.run { [self] in record(result, judging: settings.judging) }
        }
        if let folder = settings.dropFolder {
            round.files = await work.run { [self] in pickUp(DropFolder(path: folder), zone: zone, judging: settings.judging) }
        }
        return round
    }

    private func record(_ result: Result<RegistrationReading, RegistrationReadFailure>,
                        judging: RegistrationJudging) -> Result<RegistrationRecorded, RegistrationReadFailure> {
        do {
            switch result {
            case .success(let reading):
                let recorded = try store.recordRegistration(reading, heartbeatTimeout: judging.heartbeatTimeout,
                                                            maxWaiting: judging.maxWaitingSeconds)
                report(reading, recorded)
                return .success(recorded)
            case .failure(let failure):
                Journal.error("registration platform unreadable: \(failure)")
                try store.recordRegistrationFailure(at: now(), source: RegistrationReading.Source.platform.label, reason: failure.reason)
                return .failure(failure)
            }
        } catch {
            let failure = RegistrationReadFailure("the read could not be kept: \(StorageFailure.explain(error) ?? "\(error)")")
            Journal.error("registration platform: \(failure)")
            return .failure(failure)
        }
    }

    private func report(_ reading: RegistrationReading, _ recorded: RegistrationRecorded) {
        if let offset = reading.platformOffset, abs(offset) > 60 {
            Journal.warning("registration platform: its clock is \(Int(offset.rounded())) s off Patrol's; its times are corrected by that")
        }
        if !reading.problems.isEmpty {
            Journal.warning("registration platform: partial answer, \(reading.problems.count) entries left out: "
                            + reading.problems.prefix(5).joined(separator: "; ") + (reading.problems.count > 5 ? "; …" : ""))
        }
        if !recorded.missing.isEmpty {
            Journal.warning("registration platform: \(recorded.missing.count) systems of the inventory missing from the answer: "
                            + recorded.missing.prefix(10).joined(separator: ", "))
        }
        let down = recorded.changed.filter { !$0.online }.map(\.systemID), up = recorded.changed.filter(\.online).map(\.systemID)
        if !down.isEmpty { Journal.notice("registration systems offline: \(down.prefix(20).joined(separator: ", "))\(down.count > 20 ? " (\(down.count))" : "")") }
        if !up.isEmpty { Journal.info("registration systems online: \(up.prefix(20).joined(separator: ", "))\(up.count > 20 ? " (\(up.count))" : "")") }
    }

    /// Every file waiting in the drop folder, in name order: applied once and moved to
    /// `applied/`, or moved to `rejected/` with what was wrong.
    private func pickUp(_ folder: DropFolder, zone: TimeZone, judging: RegistrationJudging) -> [(name: String, outcome: FileOutcome)] {
        let files: [URL]
        do {
            files = try folder.waiting()
        } catch {
            Journal.error("registration drop folder \(folder.path) cannot be read: \(StorageFailure.explain(error) ?? "\(error)")")
            return []
        }
        var done: [(String, FileOutcome)] = []
        for file in files {
            let name = file.lastPathComponent
            do {
                switch try folder.read(file, zone: zone) {
                case .reading(let reading):
                    let outcome: FileOutcome
                    do {
                        let recorded = try store.recordRegistration(reading, heartbeatTimeout: judging.heartbeatTimeout,
                                                                    maxWaiting: judging.maxWaitingSeconds)
                        guard case .file(_, let encoding, _) = reading.source else { continue }
                        outcome = .applied(systems: recorded.kept, encoding: encoding)
                        Journal.info("registration file \(name) applied (read as \(encoding)): \(recorded.kept) systems"
                                     + (recorded.unknown > 0 ? ", \(recorded.unknown) not in the inventory" : ""))
                    } catch let again as Store.AlreadyApplied {
                        outcome = .duplicate(of: again.firstName)
                        Journal.warning("registration file \(again)")
                    }
                    try folder.moveAside(file, applied: true)
                    done.append((name, outcome))
                case .bad(_, let sha, let problems):
                    Journal.error("registration file \(name) rejected, moved to rejected/: " + problems.prefix(5).joined(separator: "; ")
                                  + (problems.count > 5 ? "; … (\(problems.count) problems)" : ""))
                    try store.recordRegistrationFailure(at: now(), source: "file:\(name)", reason: problems.joined(separator: "\n"), sha256: sha)
                    try folder.moveAside(file, applied: false, problems: problems)
                    done.append((name, .rejected(problems: problems)))
                }
            } catch {
                // Left where it is: the next round tries it again.
                Journal.error("registration file \(name) could not be dealt with: \(StorageFailure.explain(error) ?? "\(error)")")
            }
        }
        return done
    }
}
