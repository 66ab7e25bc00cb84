import Foundation
import PatrolInventory
import PatrolSettings
import Testing
@testable import PatrolLedger

/// A registration system's day judged from the platform's reads, as a table; and a venue's day
/// from its video and its registration together.
@Suite("Registration-day verdicts")
struct RegistrationDayTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let day = PatrolDay(year: 2026, month: 11, day: 20)
    static let interval = day.interval(in: zone)
    static let policy = RegistrationJudging()

    /// The time `hours` after the day's start.
    static func at(_ hours: Double) -> Date { interval.start.addingTimeInterval(hours * 3600) }

    /// One read every 5 minutes of `hours` (the default cadence); those in `failing` gave nothing.
    static func reads(_ hours: Range<Double> = 0..<24, failing: Range<Double>? = nil) -> [(at: Date, ok: Bool)] {
        stride(from: hours.lowerBound * 3600, to: hours.upperBound * 3600, by: 300).map { seconds in
            (interval.start.addingTimeInterval(seconds), !(failing?.contains(seconds / 3600) ?? false))
        }
    }

    /// A sample at each good read of `reads` (unless `listed` leaves it out), as `state` says at that hour.
    static func samples(_ reads: [(at: Date, ok: Bool)], listed: (Double) -> Bool = { _ in true },
                        _ state: (Double, Date) -> RegistrationSample) -> [RegistrationSample] {
        reads.filter(\.ok).compactMap { read in
            let hour = read.at.timeIntervalSince(interval.start) / 3600
            return listed(hour) ? state(hour, read.at) : nil
        }
    }

    static func healthy(_ hour: Double, _ at: Date) -> RegistrationSample {
        RegistrationSample(systemID: "HTL-0001", at: at, online: true, lastHeartbeat: at.addingTimeInterval(-20),
                           lastUpload: at.addingTimeInterval(-600), uploadedToday: Int(hour * 2) + 1)
    }

    static func judge(_ samples: [RegistrationSample], reads: [(at: Date, ok: Bool)], policy: RegistrationJudging = policy) -> RegistrationDay {
        RegistrationDay.judge(systemID: "HTL-0001", venueID: "V0001", samples: samples, reads: reads, day: interval, policy: policy, zone: zone)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var verdict: Verdict
        var reason: String
        var quiet = false
        var judged: @Sendable () -> RegistrationDay
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "online all day, uploading", verdict: .compliant, reason: "online 100% of 24.0 h seen; 48 records uploaded") {
            let reads = Self.reads()
            return judge(samples(reads, healthy), reads: reads)
        },
        Case(name: "offline 02:00 to 04:00: 2 h of 24, fails", verdict: .failed,
             reason: "offline for 120 min (online 91.6% of 24.0 h seen, needs 95%)") {
            let reads = Self.reads()
            return judge(samples(reads) { hour, at in
                var sample = healthy(hour, at)
                if (2..<4).contains(hour) { sample.online = false }
                return sample
            }, reads: reads)
        },
        Case(name: "offline 70 minutes: within 5%", verdict: .compliant, reason: "online 95.1% of 24.0 h seen; 48 records uploaded") {
            let reads = Self.reads()
            return judge(samples(reads) { hour, at in
                var sample = healthy(hour, at)
                if (10..<(10 + 70.0 / 60)).contains(hour) { sample.online = false }
                return sample
            }, reads: reads)
        },
        Case(name: "called online, but no heartbeat since 06:00: offline past the timeout", verdict: .failed,
             reason: "offline for 1060 min (online 26.3% of 24.0 h seen, needs 95%)") {
            let reads = Self.reads()
            return judge(samples(reads) { hour, at in
                var sample = healthy(hour, at)
                if hour >= 6 { sample.lastHeartbeat = at6 }
                return sample
            }, reads: reads)
        },
        Case(name: "heartbeat alive, a record waiting since 09:14 all day", verdict: .failed,
             reason: "uploads stuck since 09:14 (3 records waiting, the oldest for 14.7 h; at most 120 min)") {
            let reads = Self.reads()
            return judge(samples(reads) { hour, at in
                var sample = healthy(hour, at)
                if hour >= 9.25 { (sample.waiting, sample.oldestWaiting) = (3, at914) }
                return sample
            }, reads: reads)
        },
        Case(name: "online, the platform refusing its uploads with words", verdict: .failed,
             reason: "terminal online but the platform reports upload errors: 上传被拒绝：数据校验失败; uploads stuck since 09:14 "
                 + "(3 records waiting, the oldest for 14.7 h; at most 120 min)") {
            let reads = Self.reads()
            return judge(samples(reads) { hour, at in
                var sample = healthy(hour, at)
                if hour >= 9.25 { (sample.waiting, sample.oldestWaiting, sample.uploadErrors, sample.lastError) = (3, at914, 7, "上传被拒绝：数据校验失败") }
                return sample
            }, reads: reads)
        },
        Case(name: "records waiting 90 minutes at worst: within 2 hours", verdict: .compliant,
             reason: "online 100% of 24.0 h seen; 48 records uploaded") {
            let reads = Self.reads()
            return judge(samples(reads) { hour, at in
                var sample = healthy(hour, at)
                if (12..<13.5).contains(hour) { (sample.waiting, sample.oldestWaiting) = (2, at12) }
                return sample
            }, reads: reads)
        },
        Case(name: "a stuck record since yesterday is named with its date", verdict: .failed,
             reason: "uploads stuck since 2026-11-19 22:00 (1 records waiting, the oldest for 25.9 h; at most 120 min)") {
            let reads = Self.reads()
            return judge(samples(reads) { hour, at in
                var sample = healthy(hour, at)
                (sample.waiting, sample.oldestWaiting) = (1, Self.at(-2))
                return sample
            }, reads: reads)
        },
        Case(name: "no record all day: not a failure, worth a look", verdict: .compliant,
             reason: "online 100% of 24.0 h seen; no record uploaded all day", quiet: true) {
            let reads = Self.reads()
            return judge(samples(reads) { hour, at in
                var sample = healthy(hour, at)
                sample.uploadedToday = 0
                return sample
            }, reads: reads)
        },
        Case(name: "the platform unreadable 00:00 to 14:00: unknown, never against the venue", verdict: .unknown,
             reason: "registration platform read for 10.0 h of 24.0 h; not enough to judge") {
            let reads = Self.reads(failing: 0..<14)
            return judge(samples(reads) { hour, at in
                var sample = healthy(hour, at)
                sample.online = false
                return sample
            }, reads: reads)
        },
        Case(name: "Patrol read nothing after 08:00 (its own network down): unknown", verdict: .unknown,
             reason: "registration platform read for 8.1 h of 24.0 h; not enough to judge") {
            let reads = Self.reads(0..<8)
            return judge(samples(reads, healthy), reads: reads)
        },
        Case(name: "the platform read all day but the system missing from its answers after 06:00: unknown", verdict: .unknown,
             reason: "in the platform's answers for 6.0 h of 24.0 h read; not enough to judge") {
            let reads = Self.reads()
            return judge(samples(reads, listed: { $0 < 6 }) { hour, at in
                var sample = healthy(hour, at)
                sample.online = false
                return sample
            }, reads: reads)
        },
        Case(name: "the platform unreadable 00:00 to 08:00, offline the rest: judged on what was read", verdict: .failed,
             reason: "offline for 960 min (online 0% of 16.0 h seen, needs 95%)") {
            let reads = Self.reads(failing: 0..<8)
            return judge(samples(reads) { hour, at in
                var sample = healthy(hour, at)
                sample.online = false
                return sample
            }, reads: reads)
        },
    ]

    static let at6 = at(6), at914 = at(9 + 14.0 / 60), at12 = at(12)

    @Test("the day's verdict and its reason", arguments: cases)
    func verdict(_ example: Case) {
        let judged = example.judged()
        #expect(judged.verdict == example.verdict)
        #expect(judged.reason == example.reason)
        #expect(judged.quiet == example.quiet)
    }

    @Test("a read stands for five minutes, not for the hour after it: a platform read once an hour is not read enough")
    func coverage() {
        let hourly = Self.reads().enumerated().filter { $0.offset % 12 == 0 }.map(\.element)
        var policy = Self.policy
        policy.coverage = 620
        let judged = Self.judge(Self.samples(hourly, Self.healthy), reads: hourly, policy: policy)
        #expect(judged.verdict == .unknown)
        #expect(judged.facts.readSeconds == 24 * 620)
    }

    @Test("a venue's day: video and registration together, the reason naming each system that decided it")
    func venueDay() {
        let reads = Self.reads()
        let compliantSystem = Self.judge(Self.samples(reads, Self.healthy), reads: reads)
        let stuckSystem = Self.judge(Self.samples(reads) { hour, at in
            var sample = Self.healthy(hour, at)
            if hour >= 9.25 { (sample.waiting, sample.oldestWaiting) = (3, Self.at914) }
            return sample
        }, reads: reads)
        let unknownSystem = Self.judge(Self.samples(reads, Self.healthy), reads: Self.reads(0..<8))
        let facts = CameraDayFacts(watchedSeconds: 86_400, onlineSeconds: 86_400, frozenOrBlackSeconds: 0, probes: 96, mainFailure: nil)
        let good = CameraDay(cameraID: "C00002", venueID: "V0001", placement: .interior, verdict: .compliant, reason: "online 100% of 24.0 h watched",
                             facts: facts)
        var black = good
        (black.verdict, black.reason) = (.failed, "frozen or black for 300 min (at most 60 min)")

        func venue(_ camera: CameraDay, _ system: RegistrationDay?) -> VenueDay {
            VenueDay.aggregate(venueID: "V0001", day: Self.day, cameras: [camera], registration: system.map { RegistrationVerdict(systems: [$0]) })
        }
        // Registration stuck, video fine: the day fails on registration, and the evidence says so.
        let stuck = venue(good, stuckSystem)
        #expect(stuck.verdict == .failed)
        #expect(stuck.reason == "registration: HTL-0001 uploads stuck since 09:14 (3 records waiting, the oldest for 14.7 h; at most 120 min)")
        #expect(stuck.evidence.contains(#""failed":["registration"]"#))
        #expect(stuck.evidence.contains(#""stuck_since":"2026-11-20T01:14:00.000Z""#))
        #expect(stuck.evidence.contains(#""camera":"C00002""#))
        // Both failed: both named.
        let both = venue(black, stuckSystem)
        #expect(both.reason.hasPrefix("video: 1 of 1 interior cameras failed: C00002 frozen or black for 300 min"))
        #expect(both.reason.contains("; registration: HTL-0001 uploads stuck since 09:14"))
        #expect(both.evidence.contains(#""failed":["video","registration"]"#))
        // The platform unread: unknown, unless the video failed.
        #expect(venue(good, unknownSystem).verdict == .unknown)
        #expect(venue(good, unknownSystem).reason.hasPrefix("registration: HTL-0001 registration platform read for 8.1 h"))
        #expect(venue(black, unknownSystem).verdict == .failed)
        #expect(venue(black, unknownSystem).evidence.contains(#""failed":["video"]"#))
        // All well: compliant, both named.
        let fine = venue(good, compliantSystem)
        #expect(fine.verdict == .compliant)
        #expect(fine.reason == "video: all 1 interior cameras compliant; registration: HTL-0001 online 100% of 24.0 h seen; 48 records uploaded")
        // Registration not patrolled: the video's words and evidence as before registration existed.
        let videoOnly = venue(black, nil)
        #expect(videoOnly.reason == "1 of 1 interior cameras failed: C00002 frozen or black for 300 min (at most 60 min)")
        #expect(videoOnly.evidence == #"{"cameras":[{"camera":"C00002","frozen_or_black_minutes":0,"online_percent":100,"probes":96,"#
            + #""reason":"frozen or black for 300 min (at most 60 min)","verdict":"failed","watched_hours":24}]}"#)
    }

    @Test("a venue with two systems fails if either fails, and cites the failing one only")
    func twoSystems() {
        let reads = Self.reads()
        let fine = Self.judge(Self.samples(reads, Self.healthy), reads: reads)
        var down = Self.judge(Self.samples(reads) { hour, at in
            var sample = Self.healthy(hour, at)
            sample.online = hour < 12
            return sample
        }, reads: reads)
        down.systemID = "YDT-0001"
        let verdict = RegistrationVerdict(systems: [down, fine])
        #expect(verdict.verdict == .failed)
        #expect(verdict.systems.map(\.systemID) == ["HTL-0001", "YDT-0001"])
        #expect(verdict.reason == "YDT-0001 offline for 720 min (online 50% of 24.0 h seen, needs 95%)")
        #expect(verdict.cited.map(\.systemID) == ["YDT-0001"])
    }
}
