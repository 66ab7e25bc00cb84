import Foundation

/// A page as headless Chromium drew it (Debian's chromium and chromium-driver, driven through
/// Selenium by Tools/page_fonts.py): its language, the fonts each kind of element's text was
/// really drawn with, its width against the window's. A screenshot of the whole page is kept.
public struct RenderedPage: Decodable, Sendable {
    public var lang: String
    public var viewport: Double
    public var pageWidth: Double
    public var widestTable: Double
    public var tooWide: [String]
    public var svgCharts: Int
    /// For each selector (`h1`, `table td`, `svg text`…): font family → glyphs drawn with it.
    public var fonts: [String: [String: Int]]

    /// The fonts Chinese text needs (a Linux reader's; Windows has Microsoft YaHei, a Mac PingFang SC).
    public static let cjkFamilies: Set<String> = ["Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC"]

    public enum Fonts: String, Sendable {
        /// The machine's fonts (the tests install fonts-noto-cjk).
        case system
        /// DejaVu alone: a reader with no CJK font.
        case latin
    }

    static let tool = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Tools/page_fonts.py")

    /// Opens `page` at `width` pixels, saving the whole page to `screenshot`.
    public static func render(_ page: URL, screenshot: URL, width: Int = 800, fonts: Fonts) throws -> RenderedPage {
        let run = try CommandRun(program: URL(fileURLWithPath: "/usr/bin/python3"),
                                 [tool.path, page.path, screenshot.path, "--width", String(width), "--fonts", fonts.rawValue])
        guard run.status == 0 else { throw BrowserFailure(message: "page_fonts.py exited \(run.status): \(run.stderr)") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(RenderedPage.self, from: Data(run.stdout.utf8))
    }
}

public struct BrowserFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
