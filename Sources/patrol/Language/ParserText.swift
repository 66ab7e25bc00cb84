import Foundation

/// What swift-argument-parser writes itself (help's headings, its usage errors) put into
/// Chinese: the abstracts and option help come from the catalogue already; this turns the
/// frame around them (`USAGE:`, `Error: Missing expected argument '<venue-id>'`, `(default:
/// 10)`) into the operator's language. Option names, value names and identifiers stay as typed.
enum ParserText {
    /// `text` with ArgumentParser's English frame in Chinese.
    static func chinese(_ text: String) -> String {
        var text = text
        for (pattern, template) in rules {
            text = text.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        }
        return text
    }

    /// Regular expressions and their replacements, applied in order.
    private static let rules: [(String, String)] = [
        // Help.
        ("(?m)^OVERVIEW: ", "概述："),
        ("(?m)^USAGE: ", "用法："),
        ("(?m)^ARGUMENTS:$", "参数："),
        ("(?m)^OPTIONS:$", "选项："),
        ("(?m)^SUBCOMMANDS:$", "子命令："),
        ("(?m)^  See '([^']+)' for detailed help\\.$", "  用 `$1` 查看各子命令的详细帮助。"),
        (" \\(default\\)", "（默认）  "),
        ("Show help information\\.", "显示帮助信息。"),
        ("Show the version\\.", "显示版本号。"),
        (" ?\\(default: ([^)]*)\\)", "（默认：$1）"),
        (" ?\\(values: ([^;)]*); default: ([^)]*)\\)", "（可选值：$1；默认：$2）"),
        (" ?\\(values: ([^)]*)\\)", "（可选值：$1）"),
        // Usage errors.
        ("(?m)^Error: ", "错误："),
        ("(?m)^Usage: ", "用法："),
        ("(?m)^Help:  ", "帮助："),
        ("(?m)^  See '(.+)' for more information\\.$", "  详见 `$1`。"),
        ("Missing expected argument '([^']*)'", "缺少参数 '$1'"),
        ("Missing one of: ", "缺少以下之一："),
        ("Missing value for '([^']*)'", "'$1' 缺少取值"),
        ("Unknown option '([^']*)'\\. Did you mean '([^']*)'\\?", "未知选项 '$1'。是否想用 '$2'？"),
        ("Unknown option '([^']*)'", "未知选项 '$1'"),
        ("Unexpected argument '([^']*)'", "多余的参数 '$1'"),
        ("(\\d+) unexpected arguments: ", "$1 个多余的参数："),
        ("The value '([^']*)' is invalid for '([^']*)'", "'$2' 的取值 '$1' 无效"),
        ("The value '([^']*)' is invalid\\.", "取值 '$1' 无效。"),
        ("\\. Please provide one of the following:", "。请给出以下之一："),
        ("\\. Please provide one of ([^\\n]*)\\.", "。请给出以下之一：$1。"),
        ("' or '", "' 或 '"),
        ("The option '([^']*)' does not take any value, but '([^']*)' was specified\\.", "选项 '$1' 不带取值，却给了 '$2'。"),
        ("Missing required subcommand\\.", "缺少子命令。"),
        ("Invalid option: ", "无效的选项："),
    ]
}
