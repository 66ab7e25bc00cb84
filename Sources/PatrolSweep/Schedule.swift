import DequeModule
import HeapModule
import PatrolSettings

/// One stream the scheduler keeps probing.
public struct ScheduleTarget: Sendable, Equatable {
    public var id: String
    /// Sessions to one host are capped together (cameras behind one NVR share its address).
    public var host: String
    /// Seconds between probes while the camera is up.
    public var cadence: Double
    /// Seconds between checks of a healthy camera's picture; the probes in between prove
    /// liveness only (the planner decides, from this and the camera's memory).
    public var pictureEvery: Double

    public init(id: String, host: String, cadence: Double, pictureEvery: Double? = nil) {
        self.id = id
        self.host = host
        self.cadence = cadence
        self.pictureEvery = pictureEvery ?? cadence
    }
}

/// The scheduler's decisions, without clock or threads: which targets to probe now, and when
/// each is due next. Times are seconds on a monotonic clock, given by the caller.
public struct Schedule: Sendable {
    struct Due: Comparable {
        var time: Double
        var slot: Int
        static func < (a: Due, b: Due) -> Bool { (a.time, a.slot) < (b.time, b.slot) }
    }

    public let settings: ScheduleSettings
    public private(set) var targets: [ScheduleTarget]
    /// One pass over every target, then done (`patrold --once`).
    public let once: Bool

    private var dueTimes: [Double]
    private var failures: [Int]
    private var queue = Heap<Due>()
    private var started: [Int: Double] = [:]
    private var hostSessions: [String: Int] = [:]
    private var heldForHost: [String: Deque<Int>] = [:]
    private(set) var finished = 0

    /// What a schedule knows of a target that a new schedule (after a reload) should keep: when
    /// its next probe is due and how many probes in a row have failed (its backoff).
    public struct Memory: Sendable, Equatable {
        public var due: Double
        public var failures: Int
    }

    /// - Parameters:
    ///   - spread: start each target at a stable offset within its cadence, so the load is even;
    ///     otherwise everything is due at `now`.
    ///   - memory: what a previous schedule knew, by target id: a target keeps its due time (no
    ///     later than one interval from now under its cadence here) and its failures.
    public init(targets: [ScheduleTarget], settings: ScheduleSettings, now: Double, spread: Bool, once: Bool = false,
                memory: [String: Memory] = [:]) {
        self.settings = settings
        self.targets = targets
        self.once = once
        dueTimes = targets.map { spread ? now + Self.phase(of: $0.id) * $0.cadence : now }
        failures = Array(repeating: 0, count: targets.count)
        for (slot, target) in targets.enumerated() {
            guard let known = memory[target.id] else { continue }
            failures[slot] = known.failures
            dueTimes[slot] = min(known.due, now + interval(of: slot))
        }
        for slot in targets.indices { queue.insert(Due(time: dueTimes[slot], slot: slot)) }
    }

    /// Each target's memory, by id, for the schedule that follows this one.
    public var memory: [String: Memory] {
        Dictionary(uniqueKeysWithValues: targets.indices.map { (targets[$0].id, Memory(due: dueTimes[$0], failures: failures[$0])) })
    }

    /// A stable number in [0, 1) from an id, so a restart keeps each camera's phase: FNV-1a,
    /// then the SplitMix64 finaliser, since ids differ only in their last characters.
    public static func phase(of id: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        return Double(hash >> 11) / Double(1 << 53)
    }

    public var inFlight: Int { started.count }
    public var isDone: Bool { once && finished == targets.count }

    /// Probes in flight that are actively exchanging data: their stream is open, or they
    /// started less than `slowAfter` ago.
    public func active(at now: Double, opened: (Int) -> Bool = { _ in false }) -> Int {
        started.reduce(0) { $0 + (now - $1.value < settings.slowAfter || opened($1.key) ? 1 : 0) }
    }

    /// The targets to probe now, in the order they fell due, within the concurrency, worker
    /// and per-host limits. Each returned target is in flight until `finish`.
    public mutating func take(now: Double, opened: (Int) -> Bool = { _ in false }) -> [Int] {
        var budget = min(settings.concurrency - active(at: now, opened: opened), settings.workers - started.count)
        var taken: [Int] = []
        while budget > 0, let next = queue.min, next.time <= now {
            queue.removeMin()
            let host = targets[next.slot].host
            if hostSessions[host, default: 0] >= settings.perHostSessions {
                heldForHost[host, default: []].append(next.slot)
                continue
            }
            hostSessions[host, default: 0] += 1
            started[next.slot] = now
            taken.append(next.slot)
            budget -= 1
        }
        return taken
    }

    /// Records the end of a probe and schedules the target's next one.
    public mutating func finish(_ slot: Int, now: Double, succeeded: Bool) {
        guard started.removeValue(forKey: slot) != nil else { return }
        let host = targets[slot].host
        hostSessions[host, default: 1] -= 1
        if let held = heldForHost[host]?.popFirst() {
            // Its turn came while the host was full: it goes first, at its original due time.
            queue.insert(Due(time: dueTimes[held], slot: held))
        }
        failures[slot] = succeeded ? 0 : failures[slot] + 1
        finished += 1
        guard !once else { return }
        let next = max(dueTimes[slot] + interval(of: slot), now)
        dueTimes[slot] = next
        queue.insert(Due(time: next, slot: slot))
    }

    /// Seconds until the target's next probe: its cadence, stretched while it stays down.
    public func interval(of slot: Int) -> Double {
        let cadence = targets[slot].cadence
        let over = failures[slot] - settings.backoffAfter + 1
        guard over > 0 else { return cadence }
        let stretched = cadence * Double(1 << min(over, 20))
        return min(stretched, max(cadence, settings.backoffLimit))
    }

    public func nextDue(of slot: Int) -> Double { dueTimes[slot] }

    /// When something may next become possible: a target falling due, or a probe in flight
    /// turning slow and so freeing room under the concurrency limit. Nil when only a
    /// completion can change anything.
    public func nextWake(now: Double, opened: (Int) -> Bool = { _ in false }) -> Double? {
        let full = settings.concurrency - active(at: now, opened: opened) <= 0 || settings.workers - started.count <= 0
        var wake: Double?
        if let next = queue.min, !full { wake = max(next.time, now) }
        if full, settings.workers > started.count {
            let turning = started.filter { !opened($0.key) }.map { $0.value + settings.slowAfter }.filter { $0 > now }.min()
            if let turning { wake = min(wake ?? turning, turning) }
        }
        return wake
    }
}
