import Foundation

/// The reasons Patrol writes into the ledger and its verdicts (`rectify by 2026-11-24: 1 of 3
/// interior cameras failed: C00164 online 40% of 24.0 h watched (needs 95%), mostly timeout`),
/// said in the operator's language for the tables. The ledger keeps, hashes and exports the
/// English text as written; only the table shows it translated. An operator's own words, and
/// anything not in Patrol's forms, are shown as they are.
enum Reasons {
    /// `reason` in the current language.
    static func say(_ reason: String) -> String {
        Language.current == .chinese ? chinese(reason) : reason
    }

    /// `reason` in Chinese, as far as it is in Patrol's forms; the rest as written.
    static func chinese(_ reason: String) -> String {
        if let whole = apply(wholeRules, to: reason) { return whole }
        return pieces(reason).map(piece).joined(separator: "；")
    }

    /// How a captured part is said.
    enum Part {
        /// As written: a number, a name, a camera's id, an operator's words.
        case text
        /// A reason of its own, said again by these rules.
        case reason
        /// A patrol day, `2026-11-24`.
        case day
        /// A kind of ledger entry, a tier, an outcome: their word.
        case kind, tier, outcome
        /// `24.0 h`, `30 min`.
        case hours, minutes
        /// Why a failure counts: `missed deadline`, `relapse`.
        case cause
        /// The ladder's rules in one line (LadderPolicy.summary).
        case policy
    }

    struct Rule {
        let pattern: NSRegularExpression
        let template: String
        let parts: [Part]

        init(_ pattern: String, _ template: String, _ parts: [Part] = []) {
            self.pattern = try! NSRegularExpression(pattern: "^" + pattern + "$")
            self.template = template
            self.parts = parts
        }
    }

    private static let day = "(\\d{4}-\\d{2}-\\d{2})"
    private static let hours = "(\\d+(?:\\.\\d+)? h)"
    private static let minutes = "(\\d+ min)"
    private static let percent = "(\\d+(?:\\.\\d+)?%)"

    /// Reasons the ladder, the inventory, the configuration and the operator's tools compose whole.
    private static let wholeRules: [Rule] = [
        Rule("one strike: serious violation recorded by (.+?): (.*)", "一次性取缔：{1} 记录严重违法：{2}", [.text, .text]),
        Rule("(order|warning|suspension) of \(day) not rectified by \(day): (.*)", "{1}（{2}）逾期未整改（期限 {3}）：{4}",
             [.kind, .day, .day, .reason]),
        Rule("rectify by \(day): (.*)", "整改期限 {1}：{2}", [.day, .reason]),
        Rule("failed again during the re-check after rectification: (.*)", "整改后复查不合格：{1}", [.reason]),
        Rule("(order|warning|suspension) of \(day) rectified; re-check until \(day): (.*)", "{1}（{2}）已整改；复查至 {3}：{4}",
             [.kind, .day, .day, .reason]),
        Rule("(\\d+) clean days in a row", "连续 {1} 天合格", [.text]),
        Rule("day waived: (.*)", "豁免日：{1}", [.reason]),
        Rule("day not judged: (.*)", "当天未研判：{1}", [.reason]),
        Rule("first failure in (\\d+) days \\((.+)\\); rectify by \(day)", "{1} 天内第一次不合格（{2}）；整改期限 {3}", [.text, .cause, .day]),
        Rule("second failure in (\\d+) days \\((.+)\\); business suspended, rectify by \(day)",
             "{1} 天内第二次不合格（{2}）；责令停业，整改期限 {3}", [.text, .cause, .day]),
        Rule("failure number (\\d+) in (\\d+) days \\((.+)\\)", "{2} 天内第 {1} 次不合格（{3}）", [.text, .text, .cause]),
        Rule("relapse moves the venue up to (\\w+)", "复发，场所等级升为{1}", [.tier]),
        Rule("(\\w+) #(\\d+) no longer follows from the record", "{1}（第 {2} 条）已不再由记录推出", [.kind, .text]),
        Rule("ledger key (\\S+) → (\\S+): (.*)", "台账密钥 {1} → {2}：{3}", [.text, .text, .text]),
        Rule("reference picture of camera (\\S+) approved: (.*)", "摄像机 {1} 的参照画面已审批：{2}", [.text, .text]),
        Rule("tier set by inventory import", "等级由清单导入设定"),
        Rule("supervisor set by inventory import", "督导员由清单导入设定"),
        Rule("ladder policy from \(day): (.*) \\(until \(day): (.*)\\)", "自 {1} 起的处置规则：{2}（{3} 及以前：{4}）",
             [.day, .policy, .day, .policy]),
        Rule("video: (.*); registration: (.*)", "视频：{1}；实名登记：{2}", [.reason, .reason]),
        Rule("video: (.*)", "视频：{1}", [.reason]),
        Rule("registration: (.*)", "实名登记：{1}", [.reason]),
        Rule("(\\d+) of (\\d+) interior cameras failed: (.*)", "内部摄像机 {2} 台中 {1} 台不合格：{3}", [.text, .text, .reason]),
        Rule("(\\d+) of (\\d+) interior cameras not watched enough to judge", "内部摄像机 {2} 台中 {1} 台观测时间不足，无法判定",
             [.text, .text]),
        Rule("all (\\d+) interior cameras compliant", "内部摄像机 {1} 台全部合格", [.text]),
        Rule("no interior camera on record", "无内部摄像机记录"),
        Rule("no registration system on record", "无实名登记系统记录"),
        Rule("no verdict for the day", "当天无研判结论"),
    ]

    /// One camera's or registration system's finding, a piece of a list joined by `; `.
    private static let pieceRules: [Rule] = [
        Rule("online \(percent) of \(hours) watched \\(needs \(percent)\\), mostly (\\w+)", "观测 {2}，在线 {1}（须达 {3}），主要为{4}",
             [.text, .hours, .text, .outcome]),
        Rule("online \(percent) of \(hours) watched \\(needs \(percent)\\)", "观测 {2}，在线 {1}（须达 {3}）", [.text, .hours, .text]),
        Rule("online \(percent) of \(hours) watched", "观测 {2}，在线 {1}", [.text, .hours]),
        Rule("picture faulty \\(mostly (\\w+)\\) for \(minutes) \\(at most \(minutes)\\)", "画面异常（主要为{1}）{2}（最多 {3}）",
             [.outcome, .minutes, .minutes]),
        Rule("frozen or black for \(minutes) \\(at most \(minutes)\\)", "画面冻结或黑屏 {1}（最多 {2}）", [.minutes, .minutes]),
        Rule("watched \(hours) of \(hours)", "观测 {1} / {2}", [.hours, .hours]),
        Rule("not enough to judge", "不足以判定"),
        Rule("registration platform read for \(hours) of \(hours)", "登记平台读取 {1} / {2}", [.hours, .hours]),
        Rule("in the platform's answers for \(hours) of \(hours) read", "平台应答中出现 {1} / 读取 {2}", [.hours, .hours]),
        Rule("offline for \(minutes) \\(online \(percent) of \(hours) seen, needs \(percent)\\)", "离线 {1}（可见 {3}，在线 {2}，须达 {4}）",
             [.minutes, .text, .hours, .text]),
        Rule("terminal online but the platform reports upload errors: (.*)", "终端在线，但平台报告上传错误：{1}", [.text]),
        Rule("terminal online but the platform reports upload errors", "终端在线，但平台报告上传错误"),
        Rule("uploads stuck since (.+?) \\((\\d+) records waiting, the oldest for \(hours); at most \(minutes)\\)",
             "自 {1} 起上传积压（待上传 {2} 条，最久 {3}；最多 {4}）", [.text, .text, .hours, .minutes]),
        Rule("online \(percent) of \(hours) seen", "可见 {2}，在线 {1}", [.text, .hours]),
        Rule("no record uploaded all day", "全天无记录上传"),
        Rule("(\\d+) records uploaded", "上传记录 {1} 条", [.text]),
    ]

    private static let policyRule = Rule(
        "deadlines general (\\d+), watch (\\d+), priority (\\d+) days; re-check (\\d+) days; failures counted over (\\d+) days; "
            + "(\\d+) clean days commend; default supervisor (.*)",
        "整改期限：一般 {1} 天、关注 {2} 天、重点 {3} 天；复查 {4} 天；不合格次数按 {5} 天计；连续合格 {6} 天予以表扬；默认督导员 {7}",
        [.text, .text, .text, .text, .text, .text, .text])

    /// `text` said by the first of `rules` it matches whole; nil when none does.
    private static func apply(_ rules: [Rule], to text: String) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        for rule in rules {
            guard let match = rule.pattern.firstMatch(in: text, range: range) else { continue }
            let parts = (1..<match.numberOfRanges).map { index -> String in
                guard let found = Range(match.range(at: index), in: text) else { return "" }
                return part(String(text[found]), as: index - 1 < rule.parts.count ? rule.parts[index - 1] : .text)
            }
            return Catalogue.fill(rule.template, parts)
        }
        return nil
    }

    private static func part(_ text: String, as part: Part) -> String {
        switch part {
        case .text: text
        case .reason: chinese(text)
        case .day: Format.day(text)
        case .kind: word(.entryKind, text)
        case .tier: word(.tier, text)
        case .outcome: word(.outcome, text)
        case .hours: text.replacingOccurrences(of: " h", with: " 小时")
        case .minutes: text.replacingOccurrences(of: " min", with: " 分钟")
        case .cause: ["missed deadline": "逾期未整改", "relapse": "复发"][text] ?? text
        case .policy: apply([policyRule], to: text) ?? text
        }
    }

    /// A finding, `C00164 online 40% of …` or `online 40% of …`: its id kept, the rest said.
    private static func piece(_ text: String) -> String {
        if let said = apply(pieceRules, to: text) ?? apply(wholeRules, to: text) { return said }
        guard let space = text.firstIndex(of: " "), let said = apply(pieceRules, to: String(text[text.index(after: space)...])) else {
            return text
        }
        return String(text[..<space]) + " " + said
    }

    /// `text` cut at each `; ` outside parentheses.
    static func pieces(_ text: String) -> [String] {
        var pieces: [String] = [], current = "", depth = 0
        var rest = Substring(text)
        while let character = rest.first {
            if character == "(" { depth += 1 } else if character == ")" { depth = max(0, depth - 1) }
            if depth == 0, rest.hasPrefix("; ") {
                pieces.append(current)
                current = ""
                rest = rest.dropFirst(2)
                continue
            }
            current.append(character)
            rest = rest.dropFirst()
        }
        return pieces + [current]
    }
}
