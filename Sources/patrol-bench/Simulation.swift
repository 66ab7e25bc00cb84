import Foundation
import PatrolConfig
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolRegistration
import PatrolSettings
import PatrolStore

/// A scenario run on a virtual clock against a fresh database, through the daemon's own paths:
/// each probe result judged and written by `Store.write` with patrold's `ProbeJudge` (frozen
/// across probes, debouncing, roll-ups, metadata), each read of the registration platform kept by
/// `Store.recordRegistration`, each operator act recorded by `Store.record` as `patrol`'s acts
/// record it, and each morning at the configured time the daily patrol (`DailyPatrol`: the days due
/// judged, the ladder applied, the day sealed) as patrold's DailyPatrolService runs it.
struct Simulation {
    /// What a run did.
    struct Run {
        var days: [PatrolDayReport] = []
        var probes = 0
        var registrationReads = 0
        var acts: [(act: Scenario.Act, entries: [LedgerEntry])] = []
        var seconds = 0.0
    }

    /// An act the ledger refuses (a reinstatement of a venue not suspended…), placed at its line.
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    let scenario: Scenario
    let store: Store
    let vault: CredentialVault

    private var configuration: Configuration { scenario.configuration }
    private var zone: TimeZone { scenario.zone }

    /// The whole run, oldest event first; the patrol of the last day runs on the morning after it.
    func run() throws -> Run {
        let started = ContinuousClock.now
        var run = Run()
        let patrol = DailyPatrol(store: store, settings: configuration.patrol)
        let setUp = scenario.start.start(in: zone).addingTimeInterval(-3600)
        _ = try store.prepareSealing(at: setUp)
        try store.apply(scenario.inventory, vault: vault, zone: zone, now: setUp)
        let probes = CameraTimeline(scenario)
        let registration = RegistrationTimeline(scenario)
        let judge = ProbeJudge(debounce: configuration.debounce, thresholds: configuration.probe.thresholds, scene: configuration.probe.scene)
        let snapshots = SnapshotPolicy(settings: configuration.snapshots)
        let batchSize = max(configuration.writer.batchSize, 500)
        var pending: [(cameraID: String, result: ProbeResult)] = []
        func flush() throws {
            guard !pending.isEmpty else { return }
            try store.write(pending, judge: judge, snapshots: snapshots)
            run.probes += pending.count
            pending.removeAll(keepingCapacity: true)
        }
        for offset in 0...scenario.days {
            let day = scenario.start.adding(offset)
            let interval = day.interval(in: zone)
            var events: [(at: Date, event: Event)] = []
            events.append((day.start(in: zone, hour: configuration.patrol.hour, minute: configuration.patrol.minute), .patrol))
            for (index, act) in scenario.acts.enumerated() where interval.contains(act.at) && act.at < interval.end {
                events.append((act.at, .act(index)))
            }
            if offset < scenario.days {
                events += probes.times(in: interval).map { ($0.at, .probe($0.camera)) }
                if registration.isRead { events += registration.times(in: interval).map { ($0, .read) } }
            }
            events.sort { ($0.at, $0.event.order) < ($1.at, $1.event.order) }
            for (at, event) in events {
                switch event {
                case .probe(let camera):
                    pending.append((probes.cameras[camera].id, probes.result(camera, at: at)))
                    if pending.count >= batchSize { try flush() }
                case .read:
                    try flush()
                    try registration.read(at: at, into: store)
                    run.registrationReads += 1
                case .act(let index):
                    try flush()
                    run.acts.append((scenario.acts[index], try record(scenario.acts[index])))
                case .patrol:
                    try flush()
                    for due in try patrol.dueDays(now: at) {
                        if let report = try patrol.patrol(due, now: at) { run.days.append(report) }
                    }
                }
            }
        }
        try flush()
        run.seconds = (ContinuousClock.now - started).seconds
        return run
    }

    private enum Event {
        case probe(Int)
        case read
        case act(Int)
        case patrol

        /// At the same second: the patrol first (as it runs at the minute), then acts, reads, probes.
        var order: Int {
            switch self {
            case .patrol: 0
            case .act: 1
            case .read: 2
            case .probe: 3
            }
        }
    }

    // MARK: Operator acts

    /// Records `act` as `patrol`'s command of the same name does: the same checks, the same
    /// step, `Store.record` at the act's time.
    private func record(_ act: Scenario.Act) throws -> [LedgerEntry] {
        let policy = configuration.patrol.ladder
        let today = PatrolDay.containing(act.at, in: zone)
        let states = try store.ladder(policy: policy)
        let place = "\(scenario.file):\(act.line.map(String.init) ?? "?")"
        func refuse(_ reason: String) -> Refused { Refused(description: "\(place): act \(act.kind.rawValue) refused: \(reason)") }
        func state(_ venue: String) -> VenueState { states[venue] ?? VenueState(tier: .general, supervisor: nil) }
        /// The ledger's checks (those `patrol`'s act commands make), their refusal placed at the act's line.
        func checked(_ check: () throws -> Void) throws {
            do { try check() } catch let refusal as ActRefusal { throw refuse(Self.words(refusal)) }
        }
        var step: Step
        switch act.kind {
        case .reinstate:
            let venue = act.venue!
            try checked { try state(venue).checkReinstatement(of: venue) }
            step = Step(venueID: venue, kind: .reinstated, day: today, reason: act.reason, actor: act.by)
        case .waive:
            step = Step(venueID: act.venue ?? "*", kind: .waiver, day: act.from!, until: act.to, reason: act.reason, actor: act.by)
        case .violation:
            let venue = act.venue!
            try checked { try state(venue).checkViolation(of: venue) }
            step = Step(venueID: venue, kind: .seriousViolation, day: today, reason: act.reason, actor: act.by)
        case .note:
            step = Step(venueID: act.venue!, kind: .note, day: today, reason: act.reason, actor: act.by)
        case .revoke:
            let view = LedgerView(try store.ledger())
            var target: LedgerEntry?
            if let seq = act.seq {
                try checked { target = try view.revocable(seq) }
            } else {
                target = view.effective.last { $0.venueID == act.venue && $0.kind == act.entryKind }
                guard target != nil else { throw refuse("venue \(act.venue!) has no standing \(act.entryKind!.rawValue) to revoke") }
            }
            step = Step(venueID: target!.venueID, kind: .revoked, day: target!.day, refersTo: target!.seq, reason: act.reason, actor: act.by)
        case .tier:
            let venue = act.venue!, tier = act.tier!
            try checked { try state(venue).checkTierChange(to: tier, supervisor: act.supervisor, of: venue) }
            step = Step(venueID: venue, kind: .tierChanged, day: today, tier: tier, supervisor: act.supervisor, reason: act.reason, actor: act.by)
        case .supervisor:
            step = Step(venueID: act.venue!, kind: .supervisorChanged, day: today, supervisor: act.supervisor, reason: act.reason, actor: act.by)
        }
        return try store.record(step, policy: policy, at: act.at)
    }

    /// A refusal in the scenario's language, English.
    static func words(_ refusal: ActRefusal) -> String {
        switch refusal {
        case .notSuspended(let venue, let standing): "venue \(venue) is not suspended (it is \(standing.rawValue))"
        case .alreadyClosed(let venue): "venue \(venue) is already closed"
        case .noEntry(let seq): "there is no ledger entry #\(seq)"
        case .revokesARevocation(let seq): "entry #\(seq) is itself a revocation"
        case .alreadyRevoked(let seq): "entry #\(seq) is already revoked"
        case .priorityNeedsSupervisor: "a priority venue needs a supervisor"
        case .tierUnchanged(let venue, let tier): "venue \(venue) is already \(tier.rawValue)"
        }
    }
}

// MARK: The cameras on the virtual clock

/// Each camera's outcomes through the scenario, and when it is probed.
struct CameraTimeline {
    struct Camera {
        var id: String
        var address: String
        var interval: TimeInterval
        var phase: TimeInterval
        /// What the scenario says, oldest first; a later spell wins where they overlap.
        var spells: [(start: Date, end: Date, outcome: Outcome, line: Int?)] = []
    }

    private(set) var cameras: [Camera] = []
    /// Each camera's picture: a new one at every online probe, the same one while frozen.
    private let pictures: PictureClock

    init(_ scenario: Scenario) {
        pictures = PictureClock(count: scenario.inventory.cameras.count)
        let configuration = scenario.configuration
        let tiers = Dictionary(uniqueKeysWithValues: scenario.inventory.venues.map { ($0.id, $0.tier) })
        var byVenue: [String: [Int]] = [:]
        for (position, camera) in scenario.inventory.cameras.enumerated() {
            let tier = tiers[camera.venueID] ?? .general
            let cadence = configuration.cadence[tier]
            let interval: TimeInterval = switch scenario.sampling {
            case .cadence: cadence
            // As long as a probe covers (never a gap in the day watched), and never more often than the cadence.
            case .coverage: max(cadence, (configuration.patrol.coverage[tier] / 60).rounded(.down) * 60)
            }
            // Spread over the interval, as the schedule spreads a tier's cameras.
            let phase = Double((position * 7919) % max(1, Int(interval)))
            cameras.append(Camera(id: camera.id, address: camera.stream.redacted, interval: interval, phase: phase))
            byVenue[camera.venueID, default: []].append(position)
        }
        let index = Dictionary(uniqueKeysWithValues: cameras.enumerated().map { ($1.id, $0) })
        let placement = Dictionary(uniqueKeysWithValues: scenario.inventory.cameras.map { ($0.id, $0.placement) })
        // "Until fixed" lasts until a later `online` entry for the camera; in time order.
        var open: [Int: [Int]] = [:]
        for spell in scenario.cameras.enumerated().sorted(by: { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }).map(\.element) {
            let targets: [Int] = switch spell.target {
            case .camera(let id): [index[id]!]
            case .venue(let venue, let only): (byVenue[venue] ?? []).filter { only == nil || placement[cameras[$0].id] == only }
            }
            for camera in targets {
                if spell.outcome == .online && spell.end == nil {
                    for open in open[camera] ?? [] where cameras[camera].spells[open].start <= spell.start {
                        cameras[camera].spells[open].end = spell.start
                    }
                    open[camera] = []
                    continue
                }
                if spell.end == nil { open[camera, default: []].append(cameras[camera].spells.count) }
                cameras[camera].spells.append((spell.start, spell.end ?? .distantFuture, spell.outcome, spell.line))
            }
        }
    }

    /// What the scenario says of `camera` at `at`.
    func spell(_ camera: Int, at: Date) -> (outcome: Outcome, line: Int?) {
        guard let spell = cameras[camera].spells.last(where: { $0.start <= at && at < $0.end }) else { return (.online, nil) }
        return (spell.outcome, spell.line)
    }

    /// Every probe of the day: each camera at its interval, and at each moment its outcome changes.
    func times(in day: DateInterval) -> [(at: Date, camera: Int)] {
        var times: [(at: Date, camera: Int)] = []
        let start = day.start.timeIntervalSince1970, end = day.end.timeIntervalSince1970
        for (index, camera) in cameras.enumerated() {
            var at = (((start - camera.phase) / camera.interval).rounded(.up)) * camera.interval + camera.phase
            var own: [Double] = []
            while at < end {
                own.append(at)
                at += camera.interval
            }
            for spell in camera.spells {
                for edge in [spell.start, spell.end] where edge >= day.start && edge < day.end { own.append(edge.timeIntervalSince1970) }
            }
            for at in Set(own) { times.append((Date(timeIntervalSince1970: at), index)) }
        }
        return times
    }

    /// The probe's result at `at`, as `Probe.run` would have returned it.
    func result(_ camera: Int, at: Date) -> ProbeResult {
        let (outcome, line) = spell(camera, at: at)
        let address = cameras[camera].address
        let source = line.map { " (scenario line \($0))" } ?? ""
        switch outcome {
        case .online, .frozen:
            // Frozen: the encoder sends the last picture again and again; the probe alone sees a
            // live stream, and ProbeJudge finds the picture the previous probe saw.
            let fingerprint = outcome == .frozen ? pictures.same(camera) : pictures.next(camera)
            return Self.decoded(.online, detail: "frames arriving" + source, address: address, at: at, luma: 0.45, fingerprint: fingerprint)
        case .black:
            let dark = Fingerprint(samples: [UInt8](repeating: 2, count: Fingerprint.columns * Fingerprint.rows))!
            return Self.decoded(.black, detail: "the picture is black or covered" + source, address: address, at: at, luma: 0.01,
                                fingerprint: dark)
        default:
            return ProbeResult(outcome: outcome, detail: "simulated \(outcome.rawValue)" + source, statusCode: Self.status(outcome), url: address,
                               startedAt: at, timings: .init(openMs: nil, firstFrameMs: nil, firstKeyframeMs: nil, totalMs: outcome == .timeout ? 10_000 : 40),
                               measurements: .init(frames: 0, keyframes: 0, videoBytes: 0, fps: nil, bitrateKbps: nil, keyframeInterval: nil),
                               stream: .init(format: "rtsp", transport: "tcp", codec: nil, profile: nil, level: nil, width: nil, height: nil,
                                             pixelFormat: nil, declaredFps: nil, hasAudio: false, audioCodec: nil),
                               picture: nil)
        }
    }

    private static func status(_ outcome: Outcome) -> Int? {
        switch outcome {
        case .unauthorized: 401
        case .notFound: 404
        case .rtspError: 500
        default: nil
        }
    }

    private static func decoded(_ outcome: Outcome, detail: String, address: String, at: Date, luma: Double, fingerprint: Fingerprint) -> ProbeResult {
        ProbeResult(outcome: outcome, detail: detail, statusCode: nil, url: address, startedAt: at,
                    timings: .init(openMs: 35, firstFrameMs: 60, firstKeyframeMs: 90, totalMs: 2_100),
                    measurements: .init(frames: 50, keyframes: 1, videoBytes: 500_000, fps: 25, bitrateKbps: 2_000, keyframeInterval: 2),
                    stream: .init(format: "rtsp", transport: "tcp", codec: "h264", profile: "Main", level: 31, width: 1280, height: 720,
                                  pixelFormat: "yuv420p", declaredFps: 25, hasAudio: false, audioCodec: nil),
                    picture: .init(lumaMean: luma, lumaSpread: luma > 0.1 ? 0.2 : 0.005, blackFraction: luma > 0.1 ? 0.02 : 0.99,
                                   fingerprint: fingerprint, decodeErrors: 0, laterDifference: nil))
    }
}

/// The pictures the cameras show: each online probe a different one, a frozen camera its last.
private final class PictureClock: @unchecked Sendable {
    private var counters: [Int]

    init(count: Int) { counters = Array(repeating: 0, count: count) }

    func next(_ camera: Int) -> Fingerprint {
        counters[camera] += 1
        return same(camera)
    }

    func same(_ camera: Int) -> Fingerprint {
        let seed = counters[camera] &* 37 &+ camera
        return Fingerprint(samples: (0..<(Fingerprint.columns * Fingerprint.rows)).map { UInt8(truncatingIfNeeded: seed &* 31 &+ $0 &* 13) })!
    }
}

// MARK: The registration platform on the virtual clock

/// The registration systems' states through the scenario, and the platform's reads.
struct RegistrationTimeline {
    let isRead: Bool
    private let systems: [String]
    private let interval: TimeInterval
    private let judging: RegistrationJudging
    private var spells: [String: [(start: Date, end: Date, state: Scenario.RegistrationSpell.State)]] = [:]
    private var platform: [(start: Date, end: Date, down: Bool)] = []
    private let zone: TimeZone

    private static let platformKey = "*platform*"

    init(_ scenario: Scenario) {
        let settings = scenario.configuration.registration
        isRead = scenario.configuration.patrol.registration != nil
        systems = Array(Set(scenario.inventory.venues.flatMap(\.registration.ids))).sorted()
        judging = settings.judging
        zone = scenario.zone
        interval = switch scenario.sampling {
        case .cadence: settings.every
        case .coverage: max(settings.every, (settings.judging.coverage / 60).rounded(.down) * 60)
        }
        var open: [String: [Int]] = [:]
        for spell in scenario.registration.enumerated().sorted(by: { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }).map(\.element) {
            for system in spell.platformDown ? [Self.platformKey] : spell.systems {
                if spell.state == .online && spell.end == nil {
                    for index in open[system] ?? [] where spells[system]![index].start <= spell.start { spells[system]![index].end = spell.start }
                    open[system] = []
                    continue
                }
                if spell.end == nil { open[system, default: []].append(spells[system, default: []].count) }
                spells[system, default: []].append((spell.start, spell.end ?? .distantFuture, spell.state))
            }
        }
    }

    func times(in day: DateInterval) -> [Date] {
        stride(from: day.start.addingTimeInterval(30).timeIntervalSince1970, to: day.end.timeIntervalSince1970, by: interval)
            .map { Date(timeIntervalSince1970: $0) }
    }

    private func state(_ system: String, at: Date) -> (state: Scenario.RegistrationSpell.State, since: Date)? {
        guard let spell = spells[system]?.last(where: { $0.start <= at && at < $0.end }) else { return nil }
        return (spell.state, spell.start)
    }

    /// One read of the platform at `at`, kept as RegistrationService keeps it.
    func read(at: Date, into store: Store) throws {
        if state(Self.platformKey, at: at)?.state == .offline {
            try store.recordRegistrationFailure(at: at, source: "http", reason: "simulated: the registration platform did not answer")
            return
        }
        let midnight = PatrolDay.containing(at, in: zone).start(in: zone)
        func uploaded(until: Date) -> Int { max(0, Int(until.timeIntervalSince(max(midnight, until.addingTimeInterval(-86_400))) / 600)) }
        let samples = systems.map { system -> RegistrationSample in
            guard let (state, since) = state(system, at: at), state != .online else {
                return RegistrationSample(systemID: system, at: at, online: true, lastHeartbeat: at.addingTimeInterval(-30),
                                          lastUpload: at.addingTimeInterval(-120), uploadedToday: uploaded(until: at))
            }
            let stopped = max(since, midnight)
            switch state {
            case .offline:
                return RegistrationSample(systemID: system, at: at, online: false, lastHeartbeat: since, lastUpload: since,
                                          uploadedToday: since < midnight ? 0 : uploaded(until: stopped))
            case .stuck, .uploadErrors:
                let waiting = 1 + Int(at.timeIntervalSince(since) / 600)
                return RegistrationSample(systemID: system, at: at, online: true, lastHeartbeat: at.addingTimeInterval(-30), lastUpload: since,
                                          uploadedToday: since < midnight ? 0 : uploaded(until: stopped), waiting: waiting, oldestWaiting: since,
                                          uploadErrors: state == .uploadErrors ? waiting : nil,
                                          lastError: state == .uploadErrors ? "数据校验不通过（身份证号码格式错误）" : nil)
            case .online:
                fatalError("handled above")
            }
        }
        try store.recordRegistration(RegistrationReading(at: at, source: .platform, samples: samples),
                                     heartbeatTimeout: judging.heartbeatTimeout, maxWaiting: judging.maxWaitingSeconds)
    }
}
