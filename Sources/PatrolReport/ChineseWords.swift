import Foundation
import PatrolInventory
import PatrolLedger
import PatrolSettings
import PatrolStore

/// The report in Simplified Chinese (`report.language: zh-CN`, the default), in the office's
/// words: 整改通知, 警告, 责令停业, 取缔, 复查; days as 2026年11月21日, times as 14:05,
/// durations as 3小时05分 and 2天9小时. The judging's reasons are put into Chinese by
/// `ChineseReasons`.
struct ChineseWords: ReportWords {
    var language: ReportLanguage { .zhCN }
    var fontFamily: String { "'Microsoft YaHei','PingFang SC','Noto Sans CJK SC','WenQuanYi Micro Hei',SimSun,sans-serif" }

    var colon: String { "：" }

    func phrase(_ phrase: ReportPhrase) -> String {
        switch phrase {
        case .interior: "内部（业主）"
        case .perimeter: "外围（公共）"
        case .all: "合计"
        case .camerasColumn: "摄像机"
        case .totalColumn: "合计"
        case .venuesColumn: "场所"
        case .onTheLadder: "场所数"
        case .venuesOnTheLadder: "各处置阶段的场所"
        case .yourVenues: "您督导的场所："
        case .district: "全区："
        case .failedCamerasByCause: "不合格摄像机（按原因）"
        case .camerasUnit: "台数"
        case .venuesUnit: "家数"
        case .happened: "处置情况"
        case .newOrders: "新下达整改通知"
        case .noNewOrders: "无新下达的整改通知。"
        case .warnings: "警告"
        case .noWarnings: "无新的警告。"
        case .suspensions: "责令停业"
        case .noSuspensions: "无新的责令停业。"
        case .closures: "取缔"
        case .noClosures: "无取缔。"
        case .rectifiedHeading: "已整改"
        case .noRectified: "无场所完成整改。"
        case .reinstatedHeading: "恢复营业"
        case .noReinstated: "无场所恢复营业。"
        case .waivers: "豁免"
        case .noWaivers: "无豁免。"
        case .otherEntries: "其他台账记录"
        case .noOtherEntries: "无其他台账记录。"
        case .picturesOfNewOrders: "新下达整改通知所依据的画面"
        case .seqColumn: "序号"
        case .venueColumn: "场所编号"
        case .nameColumn: "场所名称"
        case .stepColumn: "处置"
        case .dayColumn: "日期"
        case .deadlineColumn: "整改期限"
        case .byColumn: "经办人"
        case .evidenceColumn: "依据"
        case .openedColumn: "下达日期"
        case .rectifyByColumn: "整改期限"
        case .supervisorColumn: "督导员"
        case .standingColumn: "处置阶段"
        case .cameraColumn: "摄像机"
        case .addressColumn: "地址"
        case .downSinceColumn: "故障起始"
        case .downForColumn: "已持续"
        case .reasonColumn: "原因"
        case .offByColumn: "偏差"
        case .asOfColumn: "读取时间"
        case .systemColumn: "系统编号"
        case .offlineColumn: "离线时长"
        case .stuckSinceColumn: "积压起始"
        case .waitingColumn: "待上传"
        case .oldestColumn: "最久等待"
        case .platformErrorColumn: "平台报错"
        case .whyColumn: "关注原因"
        case .failuresColumn: "违规次数"
        case .tierColumn: "等级"
        case .tierNowColumn: "现等级"
        case .interiorComplianceColumn: "内部合格率"
        case .wholeDistrict: "全区"
        case .due: "到期事项"
        case .priority: "重点场所"
        case .noPriority: "无重点场所。"
        case .maintenance: "维修清单"
        case .maintenanceIntro: "外围（公共）摄像机由市里负责维护：其故障属维修工单，不记为场所责任。"
        case .noPerimeterDown: "无外围摄像机故障。"
        case .offenders: "多次违规场所"
        case .noOffenders: "无多次违规场所。"
        case .commendations: "表扬"
        case .noCommendations: "无表扬。"
        case .integrity: "处置台账校验"
        case .registration: "实名登记系统"
        case .noRegistrationOfYours: "您督导场所的实名登记系统今日均未纳入巡查。"
        case .registrationReminder: "实名登记系统不合格，其场所当日即判为不合格，与内部摄像机不合格同等对待；无法判定的系统不记为场所责任。"
        case .systemsOffline: "离线的系统"
        case .noSystemOffline: "无离线的系统。"
        case .uploadsStuck: "上传积压"
        case .noUploadsStuck: "无上传积压。"
        case .worthALook: "需留意"
        case .nothingWorthALook: "无全天无上传或未出现在平台应答中的系统。"
        case .quietAllDay: "全天无上传记录"
        case .missingFromAnswers: "未出现在平台应答中"
        case .uploadErrorsNoWords: "上传出错，平台未说明原因"
        case .trendCompliance: "内部摄像机合格率"
        case .trendVenues: "处于整改、警告、责令停业、取缔的场所数"
        case .trendNotEnough: "巡查日数不足，暂无趋势。"
        }
    }

    func csvHeader(_ column: ReportCSV.Column) -> String {
        switch column {
        case .day: "日期"
        case .cameraID: "摄像机编号"
        case .venueID: "场所编号"
        case .venueName: "场所名称"
        case .tier: "等级"
        case .supervisor: "督导员"
        case .placement: "位置"
        case .verdict: "判定"
        case .onlinePercent: "在线率(%)"
        case .frozenOrBlackMinutes: "冻结或黑屏(分钟)"
        case .watchedHours: "巡查时长(小时)"
        case .probes: "检测次数"
        case .mainFailure: "主要故障"
        case .reason: "原因"
        case .clockOffset: "时钟偏差(秒)"
        case .kind: "类型"
        case .standing: "处置阶段"
        case .deadline: "整改期限"
        case .failures: "违规次数"
        case .commended: "近期受表扬"
        case .systemID: "系统编号"
        case .offlineMinutes: "离线(分钟)"
        case .longestWaitMinutes: "最久等待(分钟)"
        case .waiting: "待上传记录数"
        case .stuckSince: "积压起始"
        case .uploaded: "上传记录数"
        case .quiet: "全天无上传"
        case .lastError: "平台报错"
        case .address: "地址"
        case .downSince: "故障起始"
        case .seq: "序号"
        case .step: "处置"
        case .actor: "经办人"
        }
    }

    func verdict(_ verdict: Verdict) -> String {
        switch verdict {
        case .compliant: "合格"
        case .failed: "不合格"
        case .unknown: "无法判定"
        case .waived: "已豁免"
        }
    }

    func standing(_ standing: Standing) -> String {
        switch standing {
        case .clean: "正常"
        case .ordered: "整改中"
        case .warned: "警告"
        case .suspended: "责令停业"
        case .closed: "取缔"
        }
    }

    func tier(_ tier: Tier) -> String {
        switch tier {
        case .general: "一般"
        case .watch: "关注"
        case .priority: "重点"
        }
    }

    func placement(_ placement: Placement) -> String { placement == .interior ? phrase(.interior) : phrase(.perimeter) }

    func step(_ kind: EntryKind) -> String { Self.step(kind) }

    static func step(_ kind: EntryKind) -> String {
        switch kind {
        case .order: "整改通知"
        case .rectified: "已整改"
        case .deadlineExtended: "期限顺延"
        case .deadlineMissed: "逾期未整改"
        case .relapse: "复发"
        case .warning: "警告"
        case .suspension: "责令停业"
        case .closure: "取缔"
        case .commended: "表扬"
        case .tierChanged: "等级变更"
        case .supervisorChanged: "督导员变更"
        case .waiver: "豁免"
        case .reinstated: "恢复营业"
        case .seriousViolation: "严重违法（一次性取缔）"
        case .revoked: "撤销"
        case .note: "备注"
        case .keyRotated: "台账密钥更换"
        }
    }

    func outcome(_ identifier: String) -> String { Self.outcome(identifier) }

    /// The glossary's names of the probe's outcomes; an identifier it does not know, as it is.
    static func outcome(_ identifier: String) -> String {
        switch identifier {
        case "online": "在线"
        case "refused": "连接被拒"
        case "timeout": "超时"
        case "unauthorized": "认证失败"
        case "not_found": "地址不存在"
        case "rtsp_error": "RTSP错误"
        case "no_video": "无视频"
        case "stalled": "无画面流(停滞)"
        case "frozen": "画面冻结"
        case "black": "黑屏"
        case "corrupt": "码流损坏"
        case "moved": "角度偏移"
        case "obstructed": "遮挡"
        case "blurred": "模糊"
        case "other": "其他"
        case "not_probed": "未检测"
        default: identifier
        }
    }

    func venueKind(_ identifier: String) -> String {
        switch identifier {
        case "hotel": "旅馆"
        case "rental": "出租房屋"
        case "internet_cafe": "网吧"
        default: identifier
        }
    }

    func actor(_ actor: String) -> String { Self.actor(actor) }

    static func actor(_ actor: String) -> String {
        switch actor {
        case "patrol": "巡查系统"
        case "inventory": "清单导入"
        case "config": "配置变更"
        default: actor
        }
    }

    func yesNo(_ value: Bool) -> String { value ? "是" : "否" }
    func reason(_ text: String) -> String { ChineseReasons.translate(text) }

    func day(_ day: PatrolDay) -> String { Self.day(day) }

    /// `2026年11月21日`.
    static func day(_ day: PatrolDay) -> String {
        let (year, month, date) = day.components
        return "\(year)年\(month)月\(date)日"
    }

    /// `2026年11月19日 14:05`.
    func time(_ date: Date, in zone: TimeZone) -> String {
        let parts = clock(date, in: zone)
        return "\(parts.year!)年\(parts.month!)月\(parts.day!)日 " + String(format: "%02d:%02d", parts.hour!, parts.minute!)
    }

    /// `40分钟`, `3小时05分`, `2天9小时`, `2天`.
    func duration(_ seconds: TimeInterval) -> String {
        let minutes = max(0, Int(seconds / 60))
        if minutes < 60 { return "\(minutes)分钟" }
        let hours = minutes / 60
        if hours < 24 { return String(format: "%d小时%02d分", hours, minutes % 60) }
        return hours % 24 == 0 ? "\(hours / 24)天" : "\(hours / 24)天\(hours % 24)小时"
    }

    func count(_ count: Int, _ noun: ReportNoun) -> String {
        let words = switch noun {
        case .camera: "台摄像机"
        case .perimeterCamera: "台外围摄像机"
        case .venue: "家场所"
        case .registrationSystem: "套实名登记系统"
        case .ledgerEntry: "条台账记录"
        case .patrolDay: "个巡查日"
        }
        return grouped(count) + words
    }

    func clockOffset(_ seconds: Double) -> String {
        let amount = Int(abs(seconds).rounded())
        return seconds < 0 ? "慢\(amount)秒" : "快\(amount)秒"
    }

    func title(_ audience: ReportAudience, day: PatrolDay) -> String {
        (audience == .maintenance ? "维修清单 " : "每日巡查通报 ") + self.day(day)
    }

    func audienceLine(_ audience: ReportAudience, day: PatrolDay, sent: PatrolDay) -> String {
        let line = "本通报为\(self.day(day))的巡查结果，于\(self.day(sent))早晨发送。"
        return switch audience {
        case .office: "报送：办公室（全区）。" + line
        case .supervisor(let name): "报送：督导员\(name)（仅含您督导的场所）。" + line
        case .maintenance: "报送：市维修班组（仅含外围摄像机）。" + line
        }
    }

    func camerasHeadline(compliant: Int, total: Int, interior: Double?, change: ReportChange) -> String {
        let cameras = "\(count(total, .camera))中\(grouped(compliant))台合格"
        guard let interior else { return cameras + "（无内部摄像机判定）" }
        var note = "内部摄像机合格率\(percent(interior))"
        switch change {
        case .unsaid: break
        case .notPatrolled: note += "；前一日未巡查"
        case .points(let points):
            note += points == 0 ? "，与前一日持平"
                : String(format: "，较前一日%@%.1f个百分点", points > 0 ? "上升" : "下降", abs(points))
        }
        return cameras + "（\(note)）"
    }

    func perimeterHeadline(down: Int, total: Int, yesterday: Int?) -> String {
        let before = yesterday.map { "前一日\(grouped($0))台" } ?? "前一日未巡查"
        return "\(count(total, .perimeterCamera))中\(grouped(down))台故障（\(before)）"
    }

    func failedByCause(_ causes: [(outcome: String, count: Int)]) -> String {
        "不合格摄像机按原因：" + (causes.isEmpty ? "无。" : causes.map { "\(outcome($0.outcome))\(grouped($0.count))台" }.joined(separator: "、"))
    }

    func registrationHeadline(_ figures: DailyReport.RegistrationFigures, yours: Bool) -> String {
        let label = yours ? "您督导场所的实名登记系统" : "实名登记系统"
        guard figures.total > 0 else { return "\(label)：今日未纳入巡查。" }
        let judged = figures.compliant + figures.failed
        var line = "\(label)：" + (figures.compliance.map {
            "已判定的\(grouped(judged))套中\(grouped(figures.compliant))套合格（\(percent($0))）"
        } ?? "均无法判定")
        let failed = [(figures.offline, "离线"), (figures.uploadsStuck, "上传积压")].filter { $0.0 > 0 }
        if !failed.isEmpty { line += "；" + failed.map { "\($0.1)\(grouped($0.0))套" }.joined(separator: "、") }
        if figures.unknown > 0 { line += "；\(grouped(figures.unknown))套无法判定" }
        return line
    }

    func platformUnread(read: String?, unread: Int, total: Int) -> String {
        (read.map { ChineseReasons.translate($0) + "：" } ?? "")
            + "实名登记平台当日大部分时间无法读取，故\(count(total, .registrationSystem))中\(grouped(unread))套无法判定。此情况不记为任何场所的责任。"
    }

    func registrationCounts(_ figures: DailyReport.RegistrationFigures) -> String {
        "\(count(figures.total, .registrationSystem))，分属\(count(figures.venues, .venue))：合格\(grouped(figures.compliant))套，"
            + "不合格\(grouped(figures.failed))套（离线\(grouped(figures.offline))套、上传积压\(grouped(figures.uploadsStuck))套），"
            + "无法判定\(grouped(figures.unknown))套；合格的系统中有\(grouped(figures.quiet))套全天无上传记录。"
    }

    func entriesSince(_ entries: Int) -> String {
        entries == 0 ? "自上次巡查以来无台账记录。" : "自上次巡查以来共\(count(entries, .ledgerEntry))。"
    }

    func dueHeading(tomorrow: Bool, day: PatrolDay) -> String { "\(tomorrow ? "明日" : "今日")到期（\(self.day(day))）" }
    func nothingDue(tomorrow: Bool) -> String { "\(tomorrow ? "明日" : "今日")无到期事项。" }
    func clocksHeading(tolerance: Int) -> String { "时钟偏差超过\(tolerance)秒的摄像机（依据摄像机随码流上报的时间）" }
    func noClockOff(tolerance: Int) -> String { "无时钟偏差超过\(tolerance)秒的摄像机。" }
    func offendersIntro(windowDays: Int) -> String { "近\(windowDays)天内违规两次及以上的场所。" }
    func commendationsIntro(days: Int) -> String { "近90天内因连续\(days)天合格受到表扬的场所。" }

    func integrityFailed(_ check: LedgerCheck) -> String {
        "处置台账校验未通过" + (check.seq.map { "：自第\($0)条记录起与校验不符" } ?? "")
            + "。请运行 `patrol ledger verify` 查看详情；校验通过前，本通报中的处置步骤不得作为依据。"
    }

    func ledgerHolds(_ check: LedgerCheck) -> String {
        "处置台账完整：共\(grouped(check.entries))条记录、\(count(check.days, .patrolDay))，哈希链与封存均完好，"
            + "每一步处置均可由已存的判定（含原因与依据）重新得出。"
    }

    func seals(_ check: LedgerCheck) -> String {
        guard let sealedBy = check.sealedBy else {
            return check.entries == 0 ? "封存：尚无需封存的记录。" : "封存：第1–\(check.entries)条记录已链接但未封存（尚无台账密钥签名）。"
        }
        var text = "封存：由密钥 \(LedgerKey.fingerprint(sealedBy)) 封存"
        text += check.trusted ? "，为受信任的密钥" : "（未与受信任的公钥比对：未提供公钥）"
        if check.predates > 0 { text += "；第1–\(check.predates)条记录早于该密钥，已链接但未封存" }
        if let from = check.verdictsFrom {
            text += "；已重新计算\(day(from))起的判定（`patrol ledger verify` 重新计算每一天的判定）"
        }
        return text + "。"
    }

    func ledgerHead(_ check: LedgerCheck) -> String {
        guard let head = check.head else { return "台账末条：暂无（台账为空）。" }
        return "台账末条：\(head)。请保留本邮件：日后运行 `patrol ledger verify --head \(head)` 可查明第\(head.seq)条及以前的记录"
            + "是否被改动或删除。"
    }

    func more(_ count: Int, attachment: String?) -> String {
        "……另有\(grouped(count))条未列出，" + (attachment.map { "完整清单见附件 \($0)。" } ?? "完整清单见本邮件的纯文本版本。")
    }

    func pictureCaption(seq: Int, venue: String, sha256: String) -> String { "第\(seq)号 \(venue) · 画面哈希值 \(sha256.prefix(16))…" }

    func subject(_ audience: ReportAudience, day: PatrolDay, counts: ReportSubjectCounts) -> String {
        if audience == .maintenance {
            return "维修清单 \(self.day(day))：" + (counts.perimeterDown == 0 ? "无外围摄像机故障" : "外围摄像机故障\(grouped(counts.perimeterDown))台")
        }
        func counted(_ number: Int, _ words: String, _ unit: String) -> String? { number == 0 ? nil : "\(words)\(grouped(number))\(unit)" }
        var parts = [counted(counts.orders, "新下达整改通知", "家"), counted(counts.warnings, "警告", "家"),
                     counted(counts.suspensions, "责令停业", "家"), counted(counts.closures, "取缔", "家")].compactMap { $0 }
        if parts.isEmpty { parts = ["无新整改通知"] }
        if counts.dueToday > 0 { parts.append("今日到期\(grouped(counts.dueToday))家") }
        if counts.forMaintenance > 0 { parts.append("外围摄像机待维修\(grouped(counts.forMaintenance))台") }
        if counts.ledgerFailed { parts.insert("台账校验未通过", at: 0) }
        let title = audience == .office ? "每日巡查通报 \(self.day(day))" : "每日巡查通报 \(self.day(day))（您督导的场所）"
        return title + "：" + parts.joined(separator: "，")
    }

    func trendHeading(days: Int, district: Bool) -> String { "近\(days)个巡查日趋势" + (district ? "（全区）" : "") }

    func trendSummary(_ trend: [DailyReport.TrendDay]) -> [String] {
        guard let first = trend.first, let last = trend.last, trend.count > 1 else { return [phrase(.trendNotEnough)] }
        let rates = trend.compactMap(\.interiorCompliance)
        var lines: [String] = []
        if let from = first.interiorCompliance, let to = last.interiorCompliance, let low = rates.min(), let high = rates.max() {
            lines.append("内部摄像机合格率：\(day(first.day))为\(percent(from))，\(day(last.day))为\(percent(to))"
                + "（\(count(trend.count, .patrolDay))中最低\(percent(low))，最高\(percent(high))）。")
        }
        func onSteps(_ trendDay: DailyReport.TrendDay) -> String {
            [Standing.ordered, .warned, .suspended, .closed].map { "\(standing($0))\(grouped(trendDay.standings[$0] ?? 0))家" }
                .joined(separator: "、")
        }
        lines.append("处于处置阶段的场所：\(day(first.day))\(onSteps(first))；\(day(last.day))\(onSteps(last))。")
        return lines
    }
}
