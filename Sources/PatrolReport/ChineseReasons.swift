import Foundation
import PatrolInventory
import PatrolLedger

/// The judging's reasons in Chinese. A reason is stored as PatrolLedger wrote it, in English
/// (it is hashed into the ledger and never rewritten), in a small grammar: clauses joined by
/// "; " (`CameraDay`, `VenueDay`, `RegistrationDay`, `Ladder`, `Replay`, the ladder policy's
/// note). Each clause is matched whole against the forms below and written in Chinese; what a
/// clause carries (another reason, a camera's) is put into Chinese the same way. Words no form
/// matches (an operator's own reason, a platform's error) stay as they are.
/// ReportWordsTests feeds this every reason the judging writes.
enum ChineseReasons {
    static func translate(_ text: String) -> String {
        if let whole = clause(text) { return whole }
        let parts = clauses(text)
        guard parts.count > 1 else { return prefixed(text) ?? text }
        let translated = parts.map { clause($0) ?? prefixed($0) }
        guard translated.contains(where: { $0 != nil }) else { return text }
        return zip(parts, translated).map { $1 ?? $0 }.joined(separator: "；")
    }

    /// `C00002 online 0% of 24.0 h watched…`: a camera's or a system's identifier before its reason.
    static func prefixed(_ text: String) -> String? {
        guard let space = text.firstIndex(of: " "), space != text.startIndex else { return nil }
        let identifier = text[..<space], rest = String(text[text.index(after: space)...])
        guard !identifier.contains(where: { $0 == ":" || $0 == "," }), let reason = clause(rest) else { return nil }
        return "\(identifier) \(reason)"
    }

    /// The clauses of a reason: split at "; " outside parentheses.
    static func clauses(_ text: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        var characters = text[...]
        while let character = characters.first {
            characters = characters.dropFirst()
            switch character {
            case "(", "（": depth += 1
            case ")", "）": depth = max(0, depth - 1)
            case ";" where depth == 0 && characters.first == " ":
                parts.append(current)
                current = ""
                characters = characters.dropFirst()
                continue
            default: break
            }
            current.append(character)
        }
        parts.append(current)
        return parts
    }

    /// One clause in Chinese, or nil when no form matches it whole.
    static func clause(_ text: String) -> String? {
        for (pattern, write) in forms {
            guard let match = text.wholeMatch(of: pattern) else { continue }
            let captures = (0..<match.output.count).map { match.output[$0].substring.map(String.init) ?? "" }
            if let written = write(captures) { return written }
        }
        return nil
    }

    // MARK: The forms

    private static let day = #"(\d{4}-\d{2}-\d{2})"#
    private static let hours = #"(\d+(?:\.\d+)? h)"#
    private static let minutes = #"(\d+ min)"#
    private static let share = #"(\d+(?:\.\d+)?%)"#
    private static let time = #"((?:\d{4}-\d{2}-\d{2} )?\d{2}:\d{2})"#
    private static let word = #"([a-z_]+)"#

    typealias Form = (Regex<AnyRegexOutput>, ([String]) -> String?)

    private static func form(_ pattern: String, _ write: @escaping ([String]) -> String?) -> Form {
        // The patterns are literals of this file: a bad one is a programming error.
        (try! Regex(pattern), write)
    }

    nonisolated(unsafe) private static let forms: [Form] = [
        // The ladder (Ladder, Replay) and the rules' note.
        form("rectify by \(day): (.+)") { "限\(d($0[1]))前整改：\(translate($0[2]))" },
        form("rectify by \(day)") { "限\(d($0[1]))前整改" },
        form("\(word) of \(day) not rectified by \(day): (.+)") { c in
            step(c[1]).map { "\(d(c[2]))下达的\($0)未在\(d(c[3]))前整改：\(translate(c[4]))" }
        },
        form("failed again during the re-check after rectification: (.+)") { "整改后复查不合格：\(translate($0[1]))" },
        form("\(word) of \(day) rectified") { c in step(c[1]).map { "\(d(c[2]))下达的\($0)已整改" } },
        form("re-check until \(day): (.+)") { "复查至\(d($0[1]))：\(translate($0[2]))" },
        form(#"(\d+) clean days in a row"#) { "连续\($0[1])天合格" },
        form("day waived: (.+)") { "当日已豁免：\(translate($0[1]))" },
        form("day not judged: (.+)") { "当日无法判定：\(translate($0[1]))" },
        form(#"first failure in (\d+) days \((.+)\)"#) { c in cause(c[2]).map { "\(c[1])天内第1次违规（\($0)）" } },
        form(#"second failure in (\d+) days \((.+)\)"#) { c in cause(c[2]).map { "\(c[1])天内第2次违规（\($0)）" } },
        form(#"failure number (\d+) in (\d+) days \((.+)\)"#) { c in cause(c[3]).map { "\(c[2])天内第\(c[1])次违规（\($0)）" } },
        form("business suspended, rectify by \(day)") { "责令停业，限\(d($0[1]))前整改" },
        form("relapse moves the venue up to \(word)") { c in Tier(rawValue: c[1]).map { "复发，等级上调为\(ChineseWords().tier($0))" } },
        form("one strike: serious violation recorded by (.+?): (.+)") { "严重违法（一次性取缔），由\($0[1])记录：\($0[2])" },
        form("no verdict for the day") { _ in "当日无判定" },
        form(#"\#(word) #(\d+) revoked by (.+?): (.+)"#) { c in step(c[1]).map { "第\(c[2])号\($0)已由\(c[3])撤销：\(c[4])" } },
        form("waived by (.+?): (.+)") { "已由\($0[1])豁免：\($0[2])" },
        form(#"\#(word) #(\d+) no longer follows from the record"#) { c in step(c[1]).map { "第\(c[2])号\($0)已不再由记录得出" } },
        form(#"ladder policy from \#(day): (.+) \(until \#(day): (.+)\)"#) {
            "自\(d($0[1]))起执行新的升级规则：\(translate($0[2]))（\(d($0[3]))及以前：\(translate($0[4]))）"
        },
        form("deadlines (.+) days") { c in
            let tiers = c[1].components(separatedBy: ", ").map { part -> String? in
                let pieces = part.split(separator: " ")
                guard pieces.count == 2, let tier = Tier(rawValue: String(pieces[0])) else { return nil }
                return "\(ChineseWords().tier(tier))\(pieces[1])天"
            }
            return tiers.contains(nil) ? nil : "整改期限" + tiers.compactMap { $0 }.joined(separator: "、")
        },
        form(#"re-check (\d+) days"#) { "复查期\($0[1])天" },
        form(#"failures counted over (\d+) days"#) { "违规累计周期\($0[1])天" },
        form(#"(\d+) clean days commend"#) { "连续合格\($0[1])天予以表扬" },
        form("default supervisor (.+)") { "默认督导员\($0[1])" },
        form("tier set by inventory import") { _ in "等级由清单导入设定" },
        form("supervisor set by inventory import") { _ in "督导员由清单导入设定" },
        form(#"reference picture of camera (\S+) approved: (.+)"#) { "摄像机\($0[1])的基准画面已批准：\($0[2])" },
        form(#"ledger key ([0-9a-f]+) → ([0-9a-f]+): (.+)"#) { "台账密钥由 \($0[1]) 更换为 \($0[2])：\($0[3])" },

        // A venue's day (VenueDay, RegistrationVerdict).
        form("video: (.+)") { "视频：\(translate($0[1]))" },
        form("registration: (.+)") { "实名登记：\(translate($0[1]))" },
        form("no interior camera on record") { _ in "无内部摄像机记录" },
        form(#"(\d+) of (\d+) interior cameras failed: (.+)"#) { "内部摄像机\($0[2])台中\($0[1])台不合格：\(translate($0[3]))" },
        form(#"(\d+) of (\d+) interior cameras not watched enough to judge"#) { "内部摄像机\($0[2])台中\($0[1])台巡查时长不足，无法判定" },
        form(#"all (\d+) interior cameras compliant"#) { "内部摄像机\($0[1])台全部合格" },
        form("all interior cameras compliant") { _ in "内部摄像机全部合格" },
        form("no registration system on record") { _ in "无实名登记系统记录" },
        form("not judged") { _ in "未判定" },

        // A camera's day (CameraDay).
        form("watched \(hours) of \(hours)") { "巡查覆盖\(h($0[1]))（全天\(h($0[2]))）" },
        form("not enough to judge") { _ in "不足以判定" },
        form(#"online \#(share) of \#(hours) watched \(needs \#(share)\)(?:, mostly \#(word))?"#) { c in
            "在线率\(c[1])（巡查\(h(c[2]))，要求不低于\(c[3])）" + (c[4].isEmpty ? "" : "，主要为\(ChineseWords.outcome(c[4]))")
        },
        form("online \(share) of \(hours) watched") { "在线率\($0[1])（巡查\(h($0[2]))）" },
        form(#"frozen or black for \#(minutes) \(at most \#(minutes)\)"#) { "画面冻结或黑屏共\(m($0[1]))（上限\(m($0[2]))）" },
        form(#"picture faulty \(mostly \#(word)\) for \#(minutes) \(at most \#(minutes)\)"#) {
            "画面异常（主要为\(ChineseWords.outcome($0[1]))）共\(m($0[2]))（上限\(m($0[3]))）"
        },

        // A registration system's day (RegistrationDay).
        form("registration platform read for \(hours) of \(hours)") { "实名登记平台仅读取到\(h($0[1]))（全天\(h($0[2]))）" },
        form("in the platform's answers for \(hours) of \(hours) read") { "平台应答中仅出现\(h($0[1]))（共读取\(h($0[2]))）" },
        form(#"offline for \#(minutes) \(online \#(share) of \#(hours) seen, needs \#(share)\)"#) {
            "离线\(m($0[1]))（在线率\($0[2])，可见\(h($0[3]))，要求不低于\($0[4])）"
        },
        // The platform's words, up to the clause that always follows them.
        form("terminal online but the platform reports upload errors(?:: ((?:(?!; uploads stuck since ).)+))?") {
            "终端在线，但平台报告上传出错" + ($0[1].isEmpty ? "" : "：\($0[1])")
        },
        form(#"uploads stuck since \#(time) \((\d+) records waiting, the oldest for \#(hours); at most \#(minutes)\)"#) {
            "自\(t($0[1]))起上传积压（\($0[2])条记录待上传，最久已等待\(h($0[3]))；上限\(m($0[4]))）"
        },
        form("online \(share) of \(hours) seen") { "在线率\($0[1])（可见\(h($0[2]))）" },
        form("no record uploaded all day") { _ in "全天无上传记录" },
        form(#"(\d+) records uploaded"#) { "上传\($0[1])条记录" },
    ]

    // MARK: Their parts

    private static func d(_ text: String) -> String { PatrolDay(text).map(ChineseWords.day) ?? text }
    private static func h(_ text: String) -> String { text.replacingOccurrences(of: " h", with: "小时") }
    private static func m(_ text: String) -> String { text.replacingOccurrences(of: " min", with: "分钟") }

    /// `09:14` as it is; `2026-11-20 18:02` as 2026年11月20日 18:02.
    private static func t(_ text: String) -> String {
        let parts = text.split(separator: " ")
        return parts.count == 2 ? "\(d(String(parts[0]))) \(parts[1])" : text
    }

    private static func step(_ identifier: String) -> String? { EntryKind(rawValue: identifier).map(ChineseWords.step) }

    private static func cause(_ text: String) -> String? {
        switch text {
        case "missed deadline": "逾期未整改"
        case "relapse": "复发"
        default: nil
        }
    }
}
