import Foundation
import PatrolOutput

/// Writes the man pages of a command-line tool built with swift-argument-parser, from the command
/// tree it describes itself (`TOOL --experimental-dump-help`): a page for the tool and one for each
/// subcommand (`patrol-ledger-verify.1`), in the tool's language (`--language zh-CN` runs it with
/// LANG=zh_CN.UTF-8 and titles the sections in Chinese). Hidden commands and options get no page and
/// no line, nor does ArgumentParser's own `help`. Built for scripts/man; never installed.
///
///     patrol-manual --tool .build/release/patrol --out .build/man/man1 [--language zh-CN] [--date 2026-11-20]
@main
struct Manual {
    static func main() {
        do {
            let options = try Options(CommandLine.arguments.dropFirst())
            let words = options.language == "zh-CN" ? Words.chinese : Words.english
            let environment = ["LANG": options.language == "zh-CN" ? "zh_CN.UTF-8" : "C"]
            let tree = try JSONDecoder().decode(ToolInfo.self, from: run(options.tool, ["--experimental-dump-help"], environment)).command
            let version = String(decoding: try run(options.tool, ["--version"], environment), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try FileManager.default.createDirectory(atPath: options.out, withIntermediateDirectories: true)
            let pages = Page.all(tree, path: [], words: words, date: options.date, version: version)
            for page in pages {
                let file = URL(fileURLWithPath: options.out).appendingPathComponent(page.name + ".1")
                try Data(page.text.utf8).write(to: file)
                print(file.path)
            }
        } catch {
            // An unwritable stderr (closed, a full disk) must not turn a failure into a trap.
            Output.log("patrol-manual: \(error)\n")
            exit(1)
        }
    }

    /// The standard output of `tool arguments`; a failure when it exits non-zero.
    static func run(_ tool: String, _ arguments: [String], _ environment: [String: String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        var base = ProcessInfo.processInfo.environment
        for variable in ["LC_ALL", "LC_MESSAGES", "LANGUAGE"] { base[variable] = nil }
        process.environment = base.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure("\(tool) \(arguments.joined(separator: " ")): exit \(process.terminationStatus)") }
        return data
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

struct Options {
    var tool = ""
    var out = ""
    var language = "en"
    var date: String

    init(_ arguments: ArraySlice<String>) throws {
        var arguments = arguments
        // A reproducible date: SOURCE_DATE_EPOCH when the build sets it, else today.
        let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        date = formatter.string(from: epoch.map { Date(timeIntervalSince1970: $0) } ?? Date())
        while let option = arguments.popFirst() {
            guard let value = arguments.popFirst() else { throw Failure("\(option) needs a value") }
            switch option {
            case "--tool": tool = value
            case "--out": out = value
            case "--language": language = value
            case "--date": date = value
            default: throw Failure("unknown option \(option)")
            }
        }
        guard !tool.isEmpty, !out.isEmpty else { throw Failure("usage: patrol-manual --tool PATH --out DIR [--language en|zh-CN] [--date YYYY-MM-DD]") }
        guard ["en", "zh-CN"].contains(language) else { throw Failure("--language: en or zh-CN") }
    }
}

/// The part of ArgumentParser's ToolInfoV0 (`--experimental-dump-help`) a page needs.
struct ToolInfo: Decodable {
    var command: Command

    struct Command: Decodable {
        var commandName: String
        var abstract: String?
        var discussion: String?
        var shouldDisplay: Bool?
        var subcommands: [Command]?
        var arguments: [Argument]?
    }

    struct Argument: Decodable {
        enum Kind: String, Decodable { case positional, option, flag }
        struct Name: Decodable {
            var kind: String
            var name: String
            var spelled: String { kind == "long" ? "--" + name : "-" + name }
        }

        var kind: Kind
        var shouldDisplay: Bool
        var isOptional: Bool
        var isRepeating: Bool
        var names: [Name]?
        var preferredName: Name?
        var valueName: String?
        var defaultValue: String?
        var allValues: [String]?
        var abstract: String?
        var discussion: String?
    }
}

/// The words around a page's content, in its language.
struct Words {
    var name, synopsis, description, arguments, options, commands, seeAlso, manual, defaultValue, values: String

    static let english = Words(
        name: "NAME", synopsis: "SYNOPSIS", description: "DESCRIPTION", arguments: "ARGUMENTS", options: "OPTIONS",
        commands: "COMMANDS", seeAlso: "SEE ALSO", manual: "Patrol Manual", defaultValue: "default: ", values: "values: ")
    static let chinese = Words(
        name: "名称", synopsis: "用法", description: "描述", arguments: "参数", options: "选项",
        commands: "子命令", seeAlso: "参见", manual: "Patrol 手册", defaultValue: "默认：", values: "可选值：")
}

/// One man page, in man(7) macros.
struct Page {
    var name: String
    var text: String

    /// The pages of `command` and of every displayed command below it.
    static func all(_ command: ToolInfo.Command, path: [String], words: Words, date: String, version: String) -> [Page] {
        let path = path + [command.commandName]
        let children = (command.subcommands ?? []).filter { $0.shouldDisplay != false && $0.commandName != "help" }
        let page = Page(command, path: path, children: children, words: words, date: date, version: version)
        return [page] + children.flatMap { all($0, path: path, words: words, date: date, version: version) }
    }

    init(_ command: ToolInfo.Command, path: [String], children: [ToolInfo.Command], words: Words, date: String, version: String) {
        name = path.joined(separator: "-")
        let arguments = (command.arguments ?? []).filter(\.shouldDisplay)
        var lines = [
            #".\" Generated from the command tree by patrol-manual (scripts/man); do not edit."#,
            ".TH \(Roff.quoted(name.uppercased())) 1 \(Roff.quoted(date)) \(Roff.quoted("Patrol " + version)) \(Roff.quoted(words.manual))",
            // Ragged right, no hyphenation: Chinese lines have no spaces to stretch, and a command's
            // name reads best whole.
            ".ad l",
            ".nh",
            ".SH \(Roff.quoted(words.name))",
            "\(Roff.escape(name)) \\- \(Roff.escape(Page.firstLine(command.abstract)))",
            ".SH \(Roff.quoted(words.synopsis))",
            ".B \(Roff.escape(path.joined(separator: " ")))",
        ]
        let synopsis = arguments.map(Page.synopsis) + (children.isEmpty ? [] : ["<" + words.commands.lowercased() + ">"])
        if !synopsis.isEmpty { lines.append(Roff.escape(synopsis.joined(separator: " "))) }
        lines.append(".SH \(Roff.quoted(words.description))")
        lines += Roff.paragraphs(command.abstract ?? "")
        if let discussion = command.discussion, !discussion.isEmpty {
            lines.append(".PP")
            lines += Roff.paragraphs(discussion)
        }
        let positionals = arguments.filter { $0.kind == .positional }
        let options = arguments.filter { $0.kind != .positional }
        for (title, group) in [(words.arguments, positionals), (words.options, options)] where !group.isEmpty {
            lines.append(".SH \(Roff.quoted(title))")
            for argument in group { lines += Page.item(argument, words: words) }
        }
        if !children.isEmpty {
            lines.append(".SH \(Roff.quoted(words.commands))")
            for child in children {
                lines += [".TP", "\\fB\(Roff.escape(child.commandName))\\fR", Roff.escape(Page.firstLine(child.abstract))]
                lines.append("(\(Roff.escape((path + [child.commandName]).joined(separator: "-")))(1))")
            }
        }
        var related = children.map { (path + [$0.commandName]).joined(separator: "-") + "(1)" }
        if path.count > 1 { related.insert(path.dropLast().joined(separator: "-") + "(1)", at: 0) }
        if path.first == "patrol" && path.count == 1 { related.append("patrold(1)") }
        if path.first == "patrold" { related.append("patrol(1)") }
        if !related.isEmpty {
            lines.append(".SH \(Roff.quoted(words.seeAlso))")
            lines.append(related.map { Roff.escape($0) }.joined(separator: ", "))
        }
        text = lines.joined(separator: "\n") + "\n"
    }

    static func firstLine(_ text: String?) -> String {
        (text ?? "").split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
    }

    /// `[--db <db>]`, `<venue-id>`, `--by <name>`, `[--json]`, `<id> ...`.
    static func synopsis(_ argument: ToolInfo.Argument) -> String {
        let value = "<" + (argument.valueName ?? "value") + ">"
        var text: String
        switch argument.kind {
        case .positional: text = value
        case .option: text = (argument.preferredName?.spelled ?? "") + " " + value
        case .flag: text = argument.preferredName?.spelled ?? ""
        }
        if argument.isRepeating { text += " ..." }
        return argument.isOptional ? "[" + text + "]" : text
    }

    /// The argument's entry: its names and value, then its help, default and values.
    static func item(_ argument: ToolInfo.Argument, words: Words) -> [String] {
        let value = "\\fI<" + Roff.escape(argument.valueName ?? "value") + ">\\fR"
        var head: String
        switch argument.kind {
        case .positional: head = value
        case .option, .flag:
            head = (argument.names ?? []).map { "\\fB" + Roff.escape($0.spelled) + "\\fR" }.joined(separator: ", ")
            if argument.kind == .option { head += " " + value }
        }
        if argument.isRepeating { head += " ..." }
        var lines = [".TP", head]
        lines += Roff.paragraphs(argument.abstract ?? "")
        if let discussion = argument.discussion, !discussion.isEmpty { lines.append(".IP"); lines += Roff.paragraphs(discussion) }
        var notes: [String] = []
        if let value = argument.defaultValue, !value.isEmpty, argument.kind != .flag { notes.append(words.defaultValue + value) }
        if let values = argument.allValues, !values.isEmpty, argument.kind != .flag { notes.append(words.values + values.joined(separator: ", ")) }
        if !notes.isEmpty { lines.append(Roff.escape("(" + notes.joined(separator: "; ") + ")")) }
        return lines
    }
}

/// Text made safe for roff.
enum Roff {
    /// Backslashes and minus signs escaped; a line that would start with a control character guarded.
    static func escape(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }

    static func quoted(_ text: String) -> String {
        "\"" + escape(text).replacingOccurrences(of: "\"", with: "\\(dq") + "\""
    }

    /// Paragraphs separated by blank lines; one whose lines are indented (examples, lists of
    /// commands) kept line for line, the others filled.
    static func paragraphs(_ text: String) -> [String] {
        var lines: [String] = []
        let blocks = text.components(separatedBy: "\n\n").map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        for (index, block) in blocks.enumerated() where !block.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            if index > 0 { lines.append(".PP") }
            if block.contains(where: { $0.hasPrefix(" ") || $0.hasPrefix("\t") }) {
                lines.append(".nf")
                lines += block.map { $0.isEmpty ? "" : escape($0) }
                lines.append(".fi")
            } else {
                lines += block.map(escape)
            }
        }
        return lines
    }
}
