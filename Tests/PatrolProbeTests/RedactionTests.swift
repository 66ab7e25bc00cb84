import Foundation
import Testing
@testable import PatrolProbe

@Suite("Credentials never leave the probe")
struct RedactionTests {
    @Test("a URL prints without its credentials, however it is printed")
    func printed() throws {
        let url = try StreamURL("rtsp://admin:S3cret!@10.1.2.3:554/Streaming/Channels/101")
        #expect(url.redacted == "rtsp://***@10.1.2.3:554/Streaming/Channels/101")
        #expect("\(url)" == url.redacted)
        #expect(String(describing: url) == url.redacted)
        #expect(!String(reflecting: url).contains("S3cret"))
        #expect(!String(reflecting: url).contains("admin"))
    }

    @Test("credential-like query values are masked", arguments: [
        ("http://cam.local/video.cgi?user=admin&pwd=hunter2&res=720", "http://cam.local/video.cgi?user=***&pwd=***&res=720"),
        ("rtsp://10.0.0.9/cam/realmonitor?channel=1&subtype=0", "rtsp://10.0.0.9/cam/realmonitor?channel=1&subtype=0"),
        ("rtsp://10.0.0.9/live?token=abc123", "rtsp://10.0.0.9/live?token=***"),
    ])
    func query(input: String, shown: String) throws {
        #expect(try StreamURL(input).redacted == shown)
    }

    @Test("credentials given apart replace the URL's and reach FFmpeg percent-encoded")
    func separate() throws {
        let url = try StreamURL("rtsp://old:old@cam:8554/a", credentials: .init(username: "op@1", password: "p:w/d@x"))
        #expect(url.redacted == "rtsp://***@cam:8554/a")
        #expect(url.ffmpegURL() == "rtsp://op%401:p%3Aw%2Fd%40x@cam:8554/a")
        #expect(url.ffmpegURL(hostOverride: "10.0.0.5") == "rtsp://op%401:p%3Aw%2Fd%40x@10.0.0.5:8554/a")
    }

    @Test("free text is scrubbed of URLs with userinfo and of known secrets")
    func scrub() {
        let text = "open rtsp://admin:pw123@1.2.3.4/x failed; retry rtsp://u@h/y; pw123 again; pw%40"
        let clean = Redaction.scrub(text, secrets: ["pw123"])
        #expect(clean == "open rtsp://***@1.2.3.4/x failed; retry rtsp://***@h/y; *** again; pw%40")
    }

    @Test("bad URLs are rejected with the credentials masked", arguments: [
        "ftp://a:b@host/x", "rtsp:///nohost", "not a url at all",
    ])
    func rejected(text: String) {
        do {
            _ = try StreamURL(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(!error.description.contains("a:b"))
        }
    }
}

@Suite("Redaction of malformed addresses")
struct StrayUserinfoTests {
    @Test(arguments: [
        ("rtsp:/admin:pw123@host/x", "rtsp:/***@host/x"),
        ("rtsp//admin:pw123@host/x", "***@host/x"),
        ("open admin:pw123@10.0.0.1/live now", "open ***@10.0.0.1/live now"),
        ("rtsp://***@host/x", "rtsp://***@host/x"),
    ])
    func masked(input: String, shown: String) {
        #expect(Redaction.scrubURLs(in: input) == shown)
    }
}
