import Foundation
import Testing
@testable import patrol

@Suite("Times on the command line")
struct FormatTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test("ages count back from now")
    func ages() {
        #expect(TimeArgument.parse("7d", now: now) == now.addingTimeInterval(-7 * 86_400))
        #expect(TimeArgument.parse("12h", now: now) == now.addingTimeInterval(-12 * 3600))
        #expect(TimeArgument.parse("90m", now: now) == now.addingTimeInterval(-90 * 60))
    }

    @Test("dates and times without a zone are local; with one, exact")
    func dates() throws {
        let day = try #require(TimeArgument.parse("2026-09-21", now: now))
        #expect(TimeArgument.parse("2026-09-21 14:30", now: now) == day.addingTimeInterval(14.5 * 3600))
        #expect(TimeArgument.parse("2026-09-21T14:30", now: now) == day.addingTimeInterval(14.5 * 3600))
        #expect(Format.time(day) == "2026-09-21 00:00")
        #expect(TimeArgument.parse("2026-09-21T06:30:00Z", now: now) == Date(timeIntervalSince1970: 1_789_972_200))
        #expect(TimeArgument.parse("2026-09-21T14:30:00+08:00", now: now) == TimeArgument.parse("2026-09-21T06:30:00Z", now: now))
    }

    @Test("anything else is refused", arguments: ["yesterday", "2026-13-01", "21/09/2026", "7w", "-3d", ""])
    func refused(text: String) {
        #expect(TimeArgument.parse(text, now: now) == nil)
    }

    @Test("durations read as an operator says them")
    func durations() {
        #expect(Format.duration(40) == "40s")
        #expect(Format.duration(12 * 60 + 5) == "12m")
        #expect(Format.duration(3 * 3600 + 5 * 60) == "3h 05m")
        #expect(Format.duration(4 * 86_400 + 6 * 3600 + 59) == "4d 6h")
    }

    @Test("JSON is snake_case with ISO 8601 UTC times")
    func json() throws {
        struct Sample: Encodable {
            var venueID = "V0001"
            var lastProbeAt = Date(timeIntervalSince1970: 1_790_000_000)
        }
        let text = try Format.json(Sample())
        #expect(text.contains("\"venue_id\" : \"V0001\""))
        #expect(text.contains("\"last_probe_at\" : \"2026-09-21T14:13:20Z\""), "\(text)")
    }
}
