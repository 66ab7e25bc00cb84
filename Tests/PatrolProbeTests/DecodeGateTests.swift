import Dispatch
import Foundation
import PatrolAV
import Testing
@testable import PatrolProbe

/// The process's decode turns: decoders alive at once follow the cores, not the open sessions.
@Suite("Decode turns")
struct DecodeGateTests {
    @Test("never more decodes at once than turns; a probe whose deadline passes waiting gets none")
    func turns() {
        let turns = DecodeGate.turns
        #expect(turns >= 2)
        let count = Count()
        let entered = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let farAhead = pav_now_ns() + 600_000_000_000
        // Twice as many decoders as turns ask at once; each holds its turn until released.
        for _ in 0..<(2 * turns) {
            done.enter()
            Thread.detachNewThread {
                let ran: Bool? = DecodeGate.withTurn(until: farAhead) {
                    count.enter()
                    entered.signal()
                    release.wait()
                    count.leave()
                    return true
                }
                #expect(ran == true)
                done.leave()
            }
        }
        for _ in 0..<turns { entered.wait() }  // every turn is taken
        #expect(count.inside == turns)
        // A probe at its deadline does not wait for a turn: it decodes nothing.
        let late: Int? = DecodeGate.withTurn(until: pav_now_ns()) { 1 }
        #expect(late == nil)
        for _ in 0..<(2 * turns) { release.signal() }
        done.wait()
        #expect(count.peak == turns)
        #expect(DecodeGate.withTurn(until: farAhead) { 2 } == 2)
    }
}

/// Decoders inside at once, and the most seen.
private final class Count: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 0, most = 0
    func enter() { lock.withLock { now += 1; most = max(most, now) } }
    func leave() { lock.withLock { now -= 1 } }
    var inside: Int { lock.withLock { now } }
    var peak: Int { lock.withLock { most } }
}
