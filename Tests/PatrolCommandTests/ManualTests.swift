import Foundation
import PatrolTestSupport
import Testing

/// The man pages patrol-manual writes from a tool's own description of its command tree.
@Suite("man pages from the command tree")
struct ManualTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("patrol-manual-\(UUID().uuidString)")

    func pages(_ tool: String, language: String = "en") throws -> [String: String] {
        let out = folder.appendingPathComponent(language)
        let run = try CommandRun("patrol-manual", ["--tool", tool, "--out", out.path, "--language", language, "--date", "2026-11-20"])
        #expect(run.status == 0, "\(run.all)")
        var pages: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: out.path) {
            pages[name] = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
        }
        return pages
    }

    @Test("a page for patrol and for each of its commands, in English and in Chinese")
    func patrol() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let english = try pages(CommandRun.binary("patrol").path)
        for name in ["patrol.1", "patrol-status.1", "patrol-cameras.1", "patrol-ledger.1", "patrol-ledger-verify.1",
                     "patrol-inventory-import.1", "patrol-report-daily.1"] {
            #expect(english[name] != nil, "\(name) missing from \(english.keys.sorted())")
        }
        #expect(!english.keys.contains { $0.contains("help") })
        let top = try #require(english["patrol.1"])
        #expect(top.contains(".TH \"PATROL\" 1 \"2026\\-11\\-20\""))
        #expect(top.contains("\\fBcameras\\fR") && top.contains("patrol\\-cameras(1)"))
        let cameras = try #require(english["patrol-cameras.1"])
        #expect(cameras.contains("\\fB\\-\\-db\\fR \\fI<db>\\fR"))
        #expect(cameras.contains("\\fB\\-\\-venue\\fR \\fI<venue\\-id>\\fR"))

        let chinese = try pages(CommandRun.binary("patrol").path, language: "zh-CN")
        #expect(Set(chinese.keys) == Set(english.keys))
        let zh = try #require(chinese["patrol-cameras.1"])
        #expect(zh.contains(".SH \"名称\"") && zh.contains(".SH \"选项\""))
        #expect(zh.contains("摄像机"))
    }

    @Test("patrold's page leaves out its hidden option")
    func patrold() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let pages = try pages(CommandRun.binary("patrold").path)
        #expect(pages.keys.sorted() == ["patrold.1"])
        let page = try #require(pages["patrold.1"])
        #expect(page.contains("\\fB\\-\\-once\\fR") && page.contains("\\fB\\-\\-patrol\\fR"))
        #expect(!page.contains("as\\-of"))
    }

    @Test("hidden commands and options get no page and no line")
    func hidden() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // A tool describing itself as ArgumentParser does, with a hidden command and option.
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let tool = folder.appendingPathComponent("tool")
        let option = #"{"kind":"option","shouldDisplay":%@,"isOptional":true,"isRepeating":false,"parsingStrategy":"default","names":[{"kind":"long","name":"%@"}],"preferredName":{"kind":"long","name":"%@"},"valueName":"x","abstract":"An option."}"#
        let shown = String(format: option, "true", "shown", "shown"), secret = String(format: option, "false", "secret", "secret")
        let dump = """
            {"serializationVersion":0,"command":{"commandName":"tool","abstract":"A tool.","arguments":[\(shown),\(secret)],
            "subcommands":[{"commandName":"open","abstract":"Shown.","shouldDisplay":true},
            {"commandName":"bench","abstract":"Hidden.","shouldDisplay":false,"subcommands":[{"commandName":"deep","abstract":"Below."}]},
            {"commandName":"help","abstract":"Show subcommand help information.","shouldDisplay":true}]}}
            """
        try Data("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 1.0; else cat <<'JSON'\n\(dump)\nJSON\nfi\n".utf8).write(to: tool)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
        let pages = try pages(tool.path)
        #expect(pages.keys.sorted() == ["tool-open.1", "tool.1"])
        let top = try #require(pages["tool.1"])
        #expect(top.contains("\\-\\-shown") && !top.contains("secret") && !top.contains("bench") && !top.contains("help"))
    }
}
