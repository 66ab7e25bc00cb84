import Foundation
import PatrolInventory
import PatrolLedger
import PatrolMail
import PatrolProbe
import PatrolReport
import PatrolSettings
@testable import PatrolStore
import PatrolTestSupport
import Testing

/// A black camera's order carries its picture into the report's mail: attached to the message
/// and shown by `cid:`, never fetched from anywhere.
@Suite("The report's pictures of new orders, and its list of wrong camera clocks")
struct PictureMailTests {
    static let zone = DailyReportMailTests.zone
    static let day = DailyReportMailTests.day

    @Test("the office's HTML shows the order's picture from an inline part whose bytes have the cited hash")
    func inlinePicture() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let camera = try Camera(id: "C1", venueID: "V1", placement: .interior, url: "rtsp://10.0.0.1/C1")
        try temporary.seed(Inventory(venues: [TestDistrict.pingan()], cameras: [camera]),
                           since: Self.day.start(in: Self.zone).addingTimeInterval(-86_400))
        // Black all day, a picture with every probe (the store keeps the first and one an hour).
        var batch: [(cameraID: String, result: ProbeResult)] = []
        for minute in stride(from: 0, to: 1440, by: 15) {
            var result = probeResult(.black, at: Self.day.start(in: Self.zone).addingTimeInterval(Double(minute) * 60))
            result.snapshot = Snapshot(jpeg: Data("\u{FF}\u{D8} black at \(minute)".utf8), width: 640, height: 360)
            batch.append(("C1", result))
        }
        try store.write(batch)
        try DailyPatrol(store: store, settings: DailyPatrolSettings())
            .runDue(now: Self.day.adding(1).start(in: Self.zone, hour: 6, minute: 5))
        var settings = MailSettings()
        settings.from = MailAddress("patrol@district.example")
        settings.office = [MailAddress("office@district.example")]
        _ = try DailyMail.enqueue(store, day: Self.day, settings: settings, patrol: DailyPatrolSettings())

        let order = try #require(try store.ledger(venue: "V1").first { $0.kind == .order })
        let cited = try #require(Evidence.pictures(in: order.step.evidence).first)
        let queued = try #require(try store.pendingMail().first)
        let message = try ParsedMessage(try #require(try store.mailBytes(id: queued.id)))
        #expect(message.defects.isEmpty)
        #expect(message.structure.shape
            == "multipart/mixed(multipart/alternative(text/plain,multipart/related(text/html,image/jpeg)),text/csv,text/csv,text/csv,text/csv)")
        let picture = try #require(message.inline.first)
        #expect(picture.content_id == "<\(cited)@patrol>")
        #expect(picture.disposition == "inline")
        #expect(SnapshotDirectory.sha256(picture.bytes) == cited)
        #expect(message.html?.contains("src=\"cid:\(cited)@patrol\"") == true)
        #expect(message.html?.contains("http") == false, "nothing to fetch")
    }

    @Test("a camera whose clock is off by more than the tolerance is on the maintenance list, worst first; one within it is not")
    func clocks() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let cameras = try TestDistrict.cameras(["C1", "C2", "C3", "C4"].map { ($0, "V1", .interior) }) { "rtsp://10.0.0.1/\($0)" }
        try temporary.seed(Inventory(venues: [TestDistrict.pingan()], cameras: cameras),
                           since: Self.day.start(in: Self.zone).addingTimeInterval(-86_400))
        // C1 runs 5 s fast (within 60 s), C2 300 s fast, C3 3,600 s slow, C4 sends no sender reports.
        let offsets: [String: Double?] = ["C1": 5, "C2": 300, "C3": -3600, "C4": nil]
        var batch: [(cameraID: String, result: ProbeResult)] = []
        for minute in stride(from: 0, to: 1440, by: 15) {
            let at = Self.day.start(in: Self.zone).addingTimeInterval(Double(minute) * 60)
            for (camera, offset) in offsets {
                var result = probeResult(.online, at: at)
                result.clockOffset = offset
                batch.append((camera, result))
            }
        }
        try store.write(batch)
        try DailyPatrol(store: store, settings: DailyPatrolSettings())
            .runDue(now: Self.day.adding(1).start(in: Self.zone, hour: 6, minute: 5))
        let report = try DailyReport.build(from: store, day: Self.day, policy: LadderPolicy(), clockTolerance: 60)
        #expect(report.clocks.map(\.cameraID) == ["C3", "C2"])
        #expect(report.clocks.map(\.offset) == [-3600, 300])
        let text = ReportText.render(report, for: .maintenance, timeZone: Self.zone, language: .en)
        #expect(text.contains("Camera clocks off by more than 60 s"))
        #expect(text.contains("-3600 s") && text.contains("+300 s") && !text.contains("+5 s"))
        let strict = try DailyReport.build(from: store, day: Self.day, policy: LadderPolicy(), clockTolerance: 1)
        #expect(strict.clocks.map(\.cameraID) == ["C3", "C2", "C1"])
    }
}
