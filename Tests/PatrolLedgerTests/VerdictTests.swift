import Foundation
import PatrolInventory
import PatrolProbe
import PatrolSettings
import Testing
@testable import PatrolLedger

@Suite("Camera-day and venue-day verdicts")
struct VerdictTests {
    let zone = TimeZone(identifier: "Asia/Shanghai")!
    var day: DateInterval { PatrolDay(year: 2026, month: 11, day: 21).interval(in: zone) }

    /// A probe every `every` seconds all day, each with the outcome `outcome(at: seconds into the day)`.
    func samples(every: Double = 900, _ outcome: (Double) -> Outcome) -> [ProbeSample] {
        stride(from: 0.0, to: 86_400, by: every).map { ProbeSample(at: day.start.addingTimeInterval($0), outcome: outcome($0)) }
    }

    func judge(_ samples: [ProbeSample], unwatched: [DateInterval] = [], coverage: Double = 1800) -> CameraDay {
        CameraDay.judge(cameraID: "C1", venueID: "V1", placement: .interior, samples: samples, day: day,
                        unwatched: unwatched, coverage: coverage, policy: JudgingPolicy())
    }

    @Test("a day of `online` probes is compliant, every second watched")
    func compliant() {
        let verdict = judge(samples { _ in .online })
        #expect(verdict.verdict == .compliant)
        #expect(verdict.facts.watchedSeconds == 86_400)
        #expect(verdict.facts.probes == 96)
        #expect(verdict.reason == "online 100% of 24.0 h watched")
    }

    @Test("down 2 hours of 24 (91.6% online) fails, naming the main failure")
    func downTwoHours() {
        let verdict = judge(samples { $0 < 7200 ? .timeout : .online })
        #expect(verdict.verdict == .failed)
        #expect(verdict.facts.mainFailure == .timeout)
        #expect(verdict.reason == "online 91.6% of 24.0 h watched (needs 95%), mostly timeout")
    }

    @Test("down one hour (95.8% online) is still compliant")
    func downOneHour() {
        #expect(judge(samples { $0 < 3600 ? .refused : .online }).verdict == .compliant)
    }

    @Test("frozen or black over 60 minutes fails even when online 95% of the time")
    func frozenAndBlack() {
        // 45 min frozen and 30 min black: 75 min, 94.8% online: both rules are broken.
        let verdict = judge(samples(every: 900) { $0 < 2700 ? .frozen : $0 < 4500 ? .black : .online })
        #expect(verdict.verdict == .failed)
        #expect(verdict.facts.frozenOrBlackSeconds == 4500)
        #expect(verdict.reason.contains("frozen or black for 75 min (at most 60 min)"))
        // 45 minutes is within the allowance.
        #expect(judge(samples(every: 900) { $0 < 2700 ? .frozen : .online }).verdict == .compliant)
    }

    @Test("a camera turned away counts like a frozen one, and the reason says what it showed")
    func sceneFaults() {
        let verdict = judge(samples(every: 900) { $0 < 2700 ? .moved : $0 < 4500 ? .obstructed : .online })
        #expect(verdict.verdict == .failed)
        #expect(verdict.facts.frozenOrBlackSeconds == 4500)
        #expect(verdict.reason.contains("picture faulty (mostly moved) for 75 min (at most 60 min)"), "\(verdict.reason)")
    }

    @Test("Patrol watching under half the day gives `unknown`, however bad what it saw")
    func unwatched() {
        // Probes only during the first ten hours: the rest of the day nobody watched.
        let verdict = judge(samples { _ in .timeout }.filter { $0.at < day.start.addingTimeInterval(36_000) })
        #expect(verdict.verdict == .unknown)
        #expect(verdict.facts.watchedSeconds == 36_000 - 900 + 1800)  // the last probe stands for its coverage
    }

    @Test("a probe stands for at most `coverage` seconds: a daemon stopped at noon watched half a day or less")
    func coverage() {
        let morning = samples { _ in .online }.filter { $0.at < day.start.addingTimeInterval(43_200) }
        let verdict = judge(morning)
        #expect(verdict.facts.watchedSeconds == 43_200 - 900 + 1800)
        #expect(verdict.verdict == .compliant)
        #expect(judge(Array(morning.prefix(40))).verdict == .unknown)
    }

    @Test("the last probe of the day before covers the day's first minutes")
    func carriedOver() {
        var probes = samples { _ in .online }.dropFirst().map { $0 }
        probes.insert(ProbeSample(at: day.start.addingTimeInterval(-600), outcome: .timeout), at: 0)
        let verdict = judge(probes)
        #expect(verdict.facts.watchedSeconds == 86_400)
        #expect(verdict.facts.onlineSeconds == 86_400 - 900)
        #expect(verdict.facts.probes == 95)
    }

    @Test("hours of Patrol's own outage are not watched")
    func outageHours() {
        // The whole district times out from 02:00 to 05:00: 40 cameras, all failing at once.
        let district = (0..<40).flatMap { _ in samples(every: 300) { (7200..<18_000).contains($0) ? .timeout : .online } }
        let hours = Outage.hours(of: day, samples: district, policy: JudgingPolicy())
        #expect(hours == (2..<5).map { DateInterval(start: day.start.addingTimeInterval(Double($0) * 3600), duration: 3600) })
        let camera = judge(samples(every: 300) { (7200..<18_000).contains($0) ? .timeout : .online }, unwatched: hours)
        #expect(camera.verdict == .compliant)
        #expect(camera.facts.watchedSeconds == 86_400 - 10_800)
        // One venue's cameras failing is not an outage: most of the district is fine.
        let oneVenue = district.prefix(288 * 3) + (0..<37).flatMap { _ in samples(every: 300) { _ in .online } }
        #expect(Outage.hours(of: day, samples: oneVenue.map { $0 }, policy: JudgingPolicy()).count <= 3)
        #expect(Outage.hours(of: day, samples: Array(district.prefix(10)), policy: JudgingPolicy()).isEmpty)
    }

    func cameraDay(_ id: String, venue: String = "V1", placement: Placement = .interior, _ verdict: Verdict) -> CameraDay {
        CameraDay(cameraID: id, venueID: venue, placement: placement, verdict: verdict, reason: verdict.rawValue,
                  facts: CameraDayFacts(watchedSeconds: 86_400, onlineSeconds: 0, frozenOrBlackSeconds: 0, probes: 96, mainFailure: nil))
    }

    @Test("a venue fails with any interior camera; perimeter cameras never count")
    func venueDay() {
        let day = PatrolDay(year: 2026, month: 11, day: 21)
        func verdict(_ cameras: [CameraDay]) -> Verdict { VenueDay.aggregate(venueID: "V1", day: day, cameras: cameras).verdict }
        #expect(verdict([cameraDay("C1", .compliant), cameraDay("C2", .failed)]) == .failed)
        #expect(verdict([cameraDay("C1", .compliant), cameraDay("C2", .unknown)]) == .unknown)
        #expect(verdict([cameraDay("C1", .compliant), cameraDay("C2", .failed), cameraDay("C3", .unknown)]) == .failed)
        #expect(verdict([cameraDay("C1", .compliant), cameraDay("P1", placement: .perimeter, .failed)]) == .compliant)
        #expect(verdict([cameraDay("P1", placement: .perimeter, .failed)]) == .unknown)
        #expect(verdict([]) == .unknown)
        let failed = VenueDay.aggregate(venueID: "V1", day: day, cameras: [cameraDay("C2", .failed), cameraDay("C1", .compliant)])
        #expect(failed.reason == "1 of 2 interior cameras failed: C2 failed")
        #expect(failed.evidence.contains(#""camera":"C2""#))
        #expect(!failed.evidence.contains(#""camera":"C1""#))
    }

    @Test("a camera moved to another venue counts for the venue it belonged to that day")
    func movedCamera() {
        let day = PatrolDay(year: 2026, month: 11, day: 21)
        // C9 failed while at V2: V1 does not answer for it.
        let cameras = [cameraDay("C1", venue: "V1", .compliant), cameraDay("C9", venue: "V2", .failed)]
        #expect(VenueDay.aggregate(venueID: "V1", day: day, cameras: cameras).verdict == .compliant)
        #expect(VenueDay.aggregate(venueID: "V2", day: day, cameras: cameras).verdict == .failed)
    }
}

@Suite("Patrol days and the hash chain")
struct ChainTests {
    @Test("days parse, print and count across months, leap years and time zones")
    func days() throws {
        let day = try #require(PatrolDay("2028-02-28"))
        #expect(day.adding(1).description == "2028-02-29")
        #expect(day.adding(2).description == "2028-03-01")
        #expect(PatrolDay("2027-02-29") == nil)
        #expect(PatrolDay("2026-13-01") == nil)
        #expect(PatrolDay("26-1-1") == nil)
        #expect(PatrolDay(year: 1970, month: 1, day: 1).ordinal == 0)
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        // 2026-11-21 23:30 UTC is already the 22nd in Shanghai.
        let late = Date(timeIntervalSince1970: 1_795_303_800)
        #expect(PatrolDay.containing(late, in: shanghai).description == "2026-11-22")
        #expect(PatrolDay.containing(late, in: TimeZone(identifier: "UTC")!).description == "2026-11-21")
        #expect(PatrolDay("2026-11-22")!.start(in: shanghai, hour: 6) == Date(timeIntervalSince1970: 1_795_298_400))  // 22:00 UTC the day before
    }

    func chain(_ count: Int) -> [LedgerEntry] {
        var entries: [LedgerEntry] = []
        for index in 1...count {
            let step = Step(venueID: "V\(index)", kind: .order, day: PatrolDay(year: 2026, month: 11, day: index),
                            deadline: PatrolDay(year: 2026, month: 11, day: index + 3), reason: "平安宾馆 \(index)")
            entries.append(Chain.seal(step, seq: index, at: Date(timeIntervalSince1970: Double(index)),
                                      after: entries.last?.hash ?? LedgerEntry.genesis))
        }
        return entries
    }

    @Test("an intact chain verifies; any edit, removal or reorder names the first entry that breaks")
    func verify() {
        let entries = chain(5)
        #expect(Chain.verify(entries) == nil)
        var edited = entries
        edited[2].reason = "平安宾馆 3 (fixed)"
        #expect(Chain.verify(edited)?.seq == 3)
        var resealed = edited
        resealed[2].hash = resealed[2].computedHash
        #expect(Chain.verify(resealed)?.seq == 4)
        var removed = entries
        removed.remove(at: 1)
        #expect(Chain.verify(removed)?.seq == 2)
        var deadline = entries
        deadline[4].deadline = deadline[4].deadline?.adding(30)
        #expect(Chain.verify(deadline) == ChainBreak(seq: 5, problem: "was altered: its content no longer matches its hash"))
    }

    @Test("the canonical encoding cannot be confused by a field that contains the separators")
    func canonical() {
        var one = chain(1)[0], two = one
        one.reason = "a\nactor=b"
        two.reason = "a"
        two.actor = "b\nactor=patrol"
        #expect(one.canonicalEncoding != two.canonicalEncoding)
    }
}
