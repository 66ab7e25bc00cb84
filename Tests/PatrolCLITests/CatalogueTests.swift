import ArgumentParser
import Foundation
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolReport
import PatrolTestSupport
import Testing
@testable import patrol

/// The message catalogues: both complete, alike in their placeholders, and the Chinese one in
/// Chinese: no English word left but identifiers, commands, options and names.
@Suite("The catalogues of English and Chinese messages")
struct CatalogueTests {
    /// What Chinese text may still spell in Latin letters: the identifiers an operator types
    /// back (`--tier priority`, `--outcome frozen`), the product's and commands' names.
    static let identifiers: Set<String> = Set(Vocabulary.allCases.flatMap(\.identifiers))
        .union(commands().map { $0._commandName })
        .union(["Patrol", "reference", "overdue", "due", "clean", "ordered", "warned", "suspended", "closed", "HASH", "NEW", "FILE",
                "YYYY-MM-DD", "http", "yesterday", "zh-CN", "en", "viewer", "operator", "console", "bcrypt", "NAME"])
        .union(ReportCSV.Table.allCases.map(\.rawValue)).union(ReportDailyCommand.OutputFormat.allCases.map(\.rawValue))


    @Test("every message has a template in both languages, with the same placeholders")
    func complete() {
        let missing = Message.allCases.filter { Catalogue.english[$0] == nil || Catalogue.chinese[$0] == nil }
        #expect(missing.isEmpty, "no template: \(missing)")
        #expect(Catalogue.english.count == Message.allCases.count && Catalogue.chinese.count == Message.allCases.count)
        for message in Message.allCases {
            let english = Catalogue.placeholders(Catalogue.english[message] ?? ""), chinese = Catalogue.placeholders(Catalogue.chinese[message] ?? "")
            #expect(english == chinese, "\(message): English uses \(english.sorted()), Chinese \(chinese.sorted())")
        }
    }

    @Test("the Chinese catalogue leaves no English word but identifiers, commands and options")
    func chineseIsChinese() {
        for message in Message.allCases {
            let template = Catalogue.chinese[message] ?? ""
            let words = EnglishWords.find(in: template.replacingOccurrences(of: "\\{[0-9|]+\\}", with: " ", options: .regularExpression),
                                          allowing: Self.identifiers)
            #expect(words.isEmpty, "\(message): \(words) in \(template)")
        }
    }

    @Test("every identifier of Patrol's values has a Chinese word, in the glossary's terms")
    func words() {
        for vocabulary in Vocabulary.allCases {
            for identifier in vocabulary.identifiers {
                let said = Language.$current.withValue(.chinese) { word(vocabulary, identifier) }
                #expect(said != identifier && EnglishWords.find(in: said).isEmpty, "\(vocabulary).\(identifier) is \(said)")
                #expect(Language.$current.withValue(.english) { word(vocabulary, identifier) } == identifier)
            }
        }
        Language.$current.withValue(.chinese) {
            #expect([Outcome.frozen, .stalled, .notFound, .rtspError].map { word($0) } == ["画面冻结", "无画面流(停滞)", "地址不存在", "RTSP错误"])
            #expect([EntryKind.order, .suspension, .closure, .relapse, .deadlineMissed].map { word($0) }
                == ["整改通知", "责令停业", "取缔", "复发", "逾期未整改"])
            #expect([Tier.general, .watch, .priority].map { word($0) } == ["一般", "关注", "重点"])
            #expect([VenueKind.hotel, .rental, .internetCafe].map { word($0) } == ["旅馆", "出租房屋", "网吧"])
        }
    }

    @Test("templates fill their placeholders, and English counts")
    func fill() {
        #expect(Catalogue.fill("{1} {1|camera|cameras}, {2}", ["1", "x"]) == "1 camera, x")
        #expect(Catalogue.fill("{1} {1|camera|cameras}", ["3"]) == "3 cameras")
        #expect(Catalogue.fill("{2}（{1}）", ["a", "b"]) == "b（a）")
        #expect(Catalogue.fill("{braces} {9}", ["a"]) == "{braces} {9}")
        Language.$current.withValue(.english) { #expect(say(.camerasNoMatch) == "no camera matches") }
        Language.$current.withValue(.chinese) { #expect(say(.noVenue, "V9") == "没有场所 V9：`patrol venues` 可列出全部场所") }
    }

    @Test("the locale decides: LC_ALL, then LC_MESSAGES, then LANG; zh_* is Chinese, the rest English")
    func locale() {
        let cases: [([String: String], Language)] = [
            (["LANG": "zh_CN.UTF-8"], .chinese), (["LANG": "zh_TW.UTF-8"], .chinese), (["LANG": "C"], .english), ([:], .english),
            (["LANG": "en_US.UTF-8"], .english), (["LC_ALL": "C", "LANG": "zh_CN.UTF-8"], .english),
            (["LC_MESSAGES": "zh_CN.UTF-8", "LANG": "C"], .chinese), (["LC_ALL": "", "LANG": "zh_CN.UTF-8"], .chinese),
            (["LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "C"], .chinese), (["LC_MESSAGES": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"], .english),
        ]
        for (environment, language) in cases { #expect(Language(environment: environment) == language, "\(environment)") }
    }

    /// Every command of the tree, the root first.
    static func commands(_ root: any ParsableCommand.Type = Patrol.self) -> [any ParsableCommand.Type] {
        [root] + root.configuration.subcommands.flatMap { commands($0) }
    }

    @Test("each command's help is Chinese in Chinese: its abstract, discussion, options and ArgumentParser's frame")
    func help() {
        Language.$current.withValue(.chinese) {
            for command in Self.commands() {
                let help = ParserText.chinese(Patrol.helpMessage(for: command, columns: 200))
                let words = EnglishWords.find(in: help, allowing: Self.identifiers)
                #expect(words.isEmpty, "\(command._commandName): \(words)\n\(help)")
                #expect(help.contains("用法：") && help.contains("显示帮助信息。"), "\(help)")
                #expect(!help.contains("default:") && !help.contains("values:"), "ArgumentParser's own words left: \(help)")
            }
        }
        Language.$current.withValue(.english) {
            #expect(Patrol.helpMessage(for: CamerasCommand.self).contains("Only cameras of venues of this tier."))
        }
    }

    @Test("usage errors are said in Chinese, the option and the value as typed", arguments: [
        (["cameras", "--tier", "vip"], "'--tier <tier>' 的取值 'vip' 无效"),
        (["venue"], "缺少参数 '<venue-id>'"),
        (["cameras", "--colour", "red"], "未知选项 '--colour'"),
        (["cameras", "--min-height", "0"], "--min-height 必须是正的行数"),
        (["ledger", "--since", "yesterday"], "--since：'yesterday' 不是日期（YYYY-MM-DD）"),
    ])
    func usageErrors(arguments: [String], expected: String) {
        Language.$current.withValue(.chinese) {
            do {
                _ = try Patrol.parseAsRoot(arguments)
                Issue.record("\(arguments) parsed")
            } catch {
                #expect(Patrol.exitCode(for: error) == .validationFailure)
                let text = ParserText.chinese(Patrol.fullMessage(for: error))
                #expect(text.hasPrefix("错误：") && text.contains(expected) && text.contains("用法：patrol "), "\(text)")
                #expect(EnglishWords.find(in: text, allowing: Self.identifiers).isEmpty, "\(text)")
            }
        }
    }

    @Test("the reasons Patrol writes into the ledger read in Chinese, in the report's words; an operator's own words stay as typed", arguments: [
        ("rectify by 2026-11-24: 1 of 3 interior cameras failed: C00164 online 40% of 24.0 h watched (needs 95%), mostly timeout",
         "限2026年11月24日前整改：内部摄像机3台中1台不合格：C00164 在线率40%（巡查24.0小时，要求不低于95%），主要为超时"),
        ("order of 2026-11-17 rectified; re-check until 2026-11-25: all 3 interior cameras compliant",
         "2026年11月17日下达的整改通知已整改；复查至2026年11月25日：内部摄像机3台全部合格"),
        ("failed again during the re-check after rectification: 2 of 2 interior cameras failed: C1 watched 3.0 h of 24.0 h; not enough to judge; "
            + "C2 frozen or black for 45 min (at most 10 min)",
         "整改后复查不合格：内部摄像机2台中2台不合格：C1 巡查覆盖3.0小时（全天24.0小时）；不足以判定；C2 画面冻结或黑屏共45分钟（上限10分钟）"),
        ("first failure in 365 days (relapse); rectify by 2026-11-25", "365天内第1次违规（复发）；限2026年11月25日前整改"),
        ("second failure in 365 days (missed deadline); business suspended, rectify by 2026-12-01",
         "365天内第2次违规（逾期未整改）；责令停业，限2026年12月1日前整改"),
        ("failure number 3 in 365 days (relapse)", "365天内第3次违规（复发）"),
        ("warning of 2026-11-23 not rectified by 2026-11-25: video: 1 of 1 interior cameras failed: C9 picture faulty (mostly moved) for 120 min "
            + "(at most 30 min); registration: HTL-0001 uploads stuck since 09:14 (12 records waiting, the oldest for 5.5 h; at most 30 min)",
         "2026年11月23日下达的警告未在2026年11月25日前整改：视频：内部摄像机1台中1台不合格：C9 画面异常（主要为角度偏移）共120分钟（上限30分钟）；"
            + "实名登记：HTL-0001 自09:14起上传积压（12条记录待上传，最久已等待5.5小时；上限30分钟）"),
        ("relapse moves the venue up to priority", "复发，等级上调为重点"),
        ("30 clean days in a row", "连续30天合格"),
        ("day waived: 全区停电", "当日已豁免：全区停电"),
        ("one strike: serious violation recorded by 李娜: 故意关闭摄像机", "严重违法（一次性取缔），由李娜记录：故意关闭摄像机"),
        ("owner called: recorder being replaced", "owner called: recorder being replaced"),
        ("业主来电，正在更换录像机", "业主来电，正在更换录像机"),
    ])
    func reasons(english: String, chinese: String) {
        Language.$current.withValue(.chinese) { #expect(Reasons.say(english) == chinese) }
        Language.$current.withValue(.english) { #expect(Reasons.say(english) == english) }
    }
}
