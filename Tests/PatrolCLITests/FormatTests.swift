import Foundation
import PatrolLedger
import PatrolViews
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
        Language.$current.withValue(.english) { #expect(Format.time(day) == "2026-09-21 00:00") }
        Language.$current.withValue(.chinese) {
            #expect(Format.time(day) == "2026年9月21日 00:00")
            #expect(Format.day("2026-11-21") == "2026年11月21日")
        }
        #expect(TimeArgument.parse("2026-09-21T06:30:00Z", now: now) == Date(timeIntervalSince1970: 1_789_972_200))
        #expect(TimeArgument.parse("2026-09-21T14:30:00+08:00", now: now) == TimeArgument.parse("2026-09-21T06:30:00Z", now: now))
    }

    @Test("anything else is refused", arguments: ["yesterday", "2026-13-01", "21/09/2026", "7w", "-3d", ""])
    func refused(text: String) {
        #expect(TimeArgument.parse(text, now: now) == nil)
    }

    @Test("durations read as an operator says them, in English and as the office writes them")
    func durations() {
        Language.$current.withValue(.english) {
            #expect(Format.duration(40) == "40s")
            #expect(Format.duration(12 * 60 + 5) == "12m")
            #expect(Format.duration(3 * 3600 + 5 * 60) == "3h 05m")
            #expect(Format.duration(4 * 86_400 + 6 * 3600 + 59) == "4d 6h")
        }
        Language.$current.withValue(.chinese) {
            #expect(Format.duration(40) == "40秒")
            #expect(Format.duration(12 * 60 + 5) == "12分")
            #expect(Format.duration(3 * 3600 + 5 * 60) == "3小时05分")
            #expect(Format.duration(2 * 86_400 + 9 * 3600 + 59) == "2天9小时")
        }
    }

    @Test("JSON is snake_case, versioned, with every time in one form: ISO 8601 UTC to the millisecond")
    func json() throws {
        struct Sample: Encodable {
            var venueID = "V0001"
            var lastProbeAt = Date(timeIntervalSince1970: 1_790_000_000.25)
        }
        let text = try Format.json(Sample())
        #expect(text.contains("\"venue_id\" : \"V0001\""))
        #expect(text.contains("\"last_probe_at\" : \"2026-09-21T14:13:20.250Z\""), "\(text)")
        #expect(text.contains("\"schema_version\" : 1"), "\(text)")
        // The ledger's `at`, hashed into each entry, is written the same way.
        #expect(LedgerEntry.timestamp(Date(timeIntervalSince1970: 1_790_000_000.25)) == "2026-09-21T14:13:20.250Z")
        // A list goes in an object under its name, with how many there were before --limit.
        let list = try JSONSerialization.jsonObject(with: Data(try Format.json(Listing("cameras", ["C1", "C2", "C3"], limit: 2)).utf8))
        let object = try #require(list as? [String: Any])
        #expect(object["cameras"] as? [String] == ["C1", "C2"] && object["total"] as? Int == 3 && object["schema_version"] as? Int == 1)
        let newest = try #require(try JSONSerialization.jsonObject(with: Data(try Format.json(
            Listing("entries", [1, 2, 3], limit: 2, keepsLast: true)).utf8)) as? [String: Any])
        #expect(newest["entries"] as? [Int] == [2, 3])
    }
}
