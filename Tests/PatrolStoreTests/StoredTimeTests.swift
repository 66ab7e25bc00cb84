import Foundation
import GRDB
@testable import PatrolStore
import Testing

/// The writer's own text for a time is GRDB's, to the millisecond, and reads back as GRDB reads its own.
@Suite("Times as the store writes them")
struct StoredTimeTests {
    @Test("the same text as GRDB's DateFormatter for every instant tried: sub-millisecond fractions, leap days, 1969 to 2100")
    func sameAsGRDB() {
        var instants: [Double] = [0, -0.0005, -1, 951_782_400, 1_709_164_799.9995, 1_764_547_199.999_999, 4_102_444_800, 1_732_000_000.123_456]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 { instants.append(Double.random(in: -86_400 * 365...4_102_444_800, using: &generator)) }
        for _ in 0..<5_000 {
            // A millisecond boundary and a hair either side of it.
            let ms = Double(Int64.random(in: 0...4_102_444_800_000, using: &generator)) / 1000
            instants += [ms, ms.nextUp, ms.nextDown]
        }
        var differences: [String] = []
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            let ours = StoredTime.text(date), grdb = String.fromDatabaseValue(date.databaseValue)
            if ours != grdb { differences.append("\(seconds): \(ours) ≠ \(grdb ?? "nil")") }
        }
        #expect(differences.isEmpty, "\(differences.prefix(10))")
    }

    @Test("read back by GRDB as the Date GRDB would have read")
    func readBack() throws {
        let queue = try DatabaseQueue()
        let date = Date(timeIntervalSince1970: 1_764_547_199.4567)
        let (ours, theirs) = try queue.read { db in
            (try Date.fetchOne(db, sql: "SELECT ?", arguments: [date.stored]), try Date.fetchOne(db, sql: "SELECT ?", arguments: [date]))
        }
        #expect(ours == theirs && ours != nil)
    }
}
