import Foundation
import PatrolAlerts
import PatrolInventory
import PatrolLedger
import PatrolMail
import PatrolSettings
import PatrolStore

/// An alert as people read it, in the report's language (`report.language`): a one-line title,
/// a short text, the mail each recipient gets and the webhook's JSON body. The words of the
/// report's catalogues name outcomes, tiers, placements and ledger steps.
public enum AlertMail {
    /// The event the queue keeps for `notice`: title, JSON body, and one delivery per mail
    /// recipient (its own rendered message) and one for the webhook, as the rule's channels say.
    /// Recipients are the rule's groups (`alerts.groups`) and the venues' supervisors
    /// (`mail.supervisors`), each address once.
    public static func event(_ notice: AlertNotice, alerts: AlertSettings, mail: MailSettings, timeZone: TimeZone,
                             language: ReportLanguage, now: Date) throws -> AlertEvent {
        let title = title(notice, language: language)
        let text = text(notice, timeZone: timeZone, language: language)
        let body = AlertBody.json(notice, title: title, text: text)
        var deliveries: [AlertDelivery] = []
        if notice.channels.contains(.mail) {
            for address in recipients(notice, alerts: alerts, mail: mail) {
                let message = MailMessage(from: mail.from, to: [address], subject: title, text: text)
                let bytes = try message.render(date: now, timeZone: timeZone, messageID: MailMessage.newMessageID(domain: mail.messageIDDomain))
                deliveries.append(AlertDelivery(channel: .mail, recipient: address.address, payload: bytes))
            }
        }
        if notice.channels.contains(.webhook), let webhook = alerts.webhook {
            deliveries.append(AlertDelivery(channel: .webhook, recipient: webhook.url, payload: body))
        }
        return AlertEvent(notice: notice, title: title, body: body, deliveries: deliveries)
    }

    /// The mail addresses of the notice's groups and supervisors, each once, in order.
    public static func recipients(_ notice: AlertNotice, alerts: AlertSettings, mail: MailSettings) -> [MailAddress] {
        var seen: Set<String> = [], addresses: [MailAddress] = []
        for address in notice.groups.flatMap({ alerts.groups[$0] ?? [] }) + notice.supervisors.flatMap({ mail.supervisors[$0] ?? [] })
        where seen.insert(address.address.lowercased()).inserted {
            addresses.append(address)
        }
        return addresses
    }

    /// One line: what, where, how many.
    public static func title(_ notice: AlertNotice, language: ReportLanguage) -> String {
        let words = AlertWords(language: language)
        let tag = words.tag(notice.kind)
        if notice.summary {
            let venues = Set(notice.members.compactMap(\.venueID)).count
            let count = notice.kind == .remind ? notice.stillDown : notice.total
            return tag + words.summary(notice.signal, kind: notice.kind, count: count, venues: venues)
        }
        guard let member = notice.members.first else { return tag + notice.rule }
        return tag + words.single(notice.signal, kind: notice.kind, member: member)
    }

    /// The text of the mail (and the `text` of the JSON body).
    public static func text(_ notice: AlertNotice, timeZone: TimeZone, language: ReportLanguage) -> String {
        let words = AlertWords(language: language)
        var lines = [title(notice, language: language), ""]
        lines.append(words.since(language.words.time(notice.since, in: timeZone), language.words.duration(notice.at.timeIntervalSince(notice.since))))
        if notice.kind == .remind || (notice.summary && notice.kind != .notice) {
            lines.append(words.stillDown(notice.stillDown, of: notice.total))
        }
        if notice.summary {
            lines.append("")
            lines.append(words.byVenueHeading)
            for row in notice.byVenue.prefix(30) {
                lines.append("  " + [row.venueName ?? row.venueID ?? "-", row.placement.map(words.placement) ?? "", "\(row.count)"]
                    .filter { !$0.isEmpty }.joined(separator: "  "))
            }
            if notice.byVenue.count > 30 { lines.append("  " + words.more(notice.byVenue.count - 30)) }
        }
        lines.append("")
        for member in notice.members.prefix(50) {
            lines.append("  " + words.line(notice.signal, member: member, time: language.words.time(member.since, in: timeZone)))
        }
        if notice.members.count > 50 { lines.append("  " + words.more(notice.members.count - 50)) }
        lines.append("")
        lines.append(words.footer(notice.eventID, rule: notice.rule))
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The alerts' own words in the report's two languages; outcomes, tiers, placements and steps
/// come from the report's catalogues.
struct AlertWords {
    var language: ReportLanguage
    var chinese: Bool { language == .zhCN }
    var words: any ReportWords { language.words }

    func tag(_ kind: AlertNotice.Kind) -> String {
        switch kind {
        case .open: chinese ? "【告警】" : "[ALERT] "
        case .resolve: chinese ? "【恢复】" : "[RESOLVED] "
        case .remind: chinese ? "【提醒】" : "[REMINDER] "
        case .notice: chinese ? "【台账】" : "[LEDGER] "
        }
    }

    func placement(_ identifier: String) -> String { Placement(rawValue: identifier).map(words.placement) ?? identifier }
    func tier(_ identifier: String) -> String { Tier(rawValue: identifier).map(words.tier) ?? identifier }

    func detail(_ signal: AlertSignal, _ detail: String) -> String {
        switch signal {
        case .camera: words.outcome(detail)
        case .registration: detail == "online" ? (chinese ? "在线" : "online") : (chinese ? "离线" : "offline")
        case .ledger: EntryKind(rawValue: detail).map(words.step) ?? detail
        case .health: health(detail)
        }
    }

    func health(_ check: String) -> String {
        switch HealthCheck(rawValue: check) {
        case .sweepOverdue: chinese ? "检测逾期：patrold 没有按时检测摄像机" : "sweep overdue: patrold is not probing the cameras on time"
        case .writerStalled: chinese ? "写入停滞：检测结果无法写入数据库" : "writer stalled: probe results are not being written"
        case .platformUnreachable: chinese ? "登记平台无法访问" : "registration platform unreachable"
        case nil: check
        }
    }

    func noun(_ signal: AlertSignal) -> String {
        switch signal {
        case .camera: chinese ? "摄像机" : "camera"
        case .registration: chinese ? "实名登记系统" : "registration system"
        case .ledger: chinese ? "台账条目" : "ledger entry"
        case .health: chinese ? "系统检查" : "health check"
        }
    }

    func place(_ member: AlertMember) -> String {
        var parts: [String] = []
        if let name = member.venueName ?? member.venueID { parts.append(name) }
        if let tier = member.tier { parts.append(chinese ? "\(self.tier(tier))场所" : "\(self.tier(tier)) venue") }
        if let placement = member.placement { parts.append(self.placement(placement)) }
        return parts.joined(separator: chinese ? "，" : ", ")
    }

    func single(_ signal: AlertSignal, kind: AlertNotice.Kind, member: AlertMember) -> String {
        let place = place(member)
        switch (signal, kind) {
        case (.health, .resolve): return chinese ? "Patrol 已恢复正常：\(health(member.subject))" : "Patrol is well again: \(health(member.subject))"
        case (.health, _): return chinese ? "Patrol 自身故障：\(health(member.subject))" : "Patrol itself: \(health(member.subject))"
        case (.ledger, _):
            return chinese ? "\(member.venueName ?? member.venueID ?? "-")：\(detail(.ledger, member.detail))"
                : "\(member.venueName ?? member.venueID ?? "-"): \(detail(.ledger, member.detail))"
        case (_, .resolve):
            return chinese ? "\(noun(signal)) \(member.subject) 已恢复：\(place)" : "\(noun(signal)) \(member.subject) is back: \(place)"
        case (_, .remind):
            return chinese ? "\(noun(signal)) \(member.subject) 仍故障（\(detail(signal, member.detail))）：\(place)"
                : "\(noun(signal)) \(member.subject) still down (\(detail(signal, member.detail))): \(place)"
        default:
            return chinese ? "\(noun(signal)) \(member.subject) 故障（\(detail(signal, member.detail))）：\(place)"
                : "\(noun(signal)) \(member.subject) down (\(detail(signal, member.detail))): \(place)"
        }
    }

    func summary(_ signal: AlertSignal, kind: AlertNotice.Kind, count: Int, venues: Int) -> String {
        let unit = chinese ? (signal == .camera ? "台" : signal == .ledger ? "条" : "个") : ""
        switch kind {
        case .resolve:
            return chinese ? "\(count)\(unit)\(noun(signal))已全部恢复（涉及\(venues)个场所）"
                : "all \(count) \(noun(signal))s back (\(venues) venues)"
        case .remind:
            return chinese ? "仍有\(count)\(unit)\(noun(signal))故障（涉及\(venues)个场所）"
                : "\(count) \(noun(signal))s still down (\(venues) venues)"
        case .notice:
            return chinese ? "\(venues)个场所新增\(count)条台账记录" : "\(count) new ledger steps at \(venues) venues"
        case .open:
            return chinese ? "\(count)\(unit)\(noun(signal))同时故障（涉及\(venues)个场所）"
                : "\(count) \(noun(signal))s down at once (\(venues) venues)"
        }
    }

    func since(_ time: String, _ duration: String) -> String {
        chinese ? "起始时间：\(time)（至今\(duration)）" : "since \(time) (\(duration) ago)"
    }

    func stillDown(_ down: Int, of total: Int) -> String {
        chinese ? "仍故障 \(down) / 共 \(total)" : "still down: \(down) of \(total)"
    }

    var byVenueHeading: String { chinese ? "按场所及位置：" : "by venue and placement:" }

    func more(_ count: Int) -> String { chinese ? "……另有 \(count) 项" : "… and \(count) more" }

    func line(_ signal: AlertSignal, member: AlertMember, time: String) -> String {
        let what = signal == .health ? health(member.subject) : "\(member.subject)  \(detail(signal, member.detail))"
        let place = signal == .health ? "" : "  " + place(member)
        return "\(what)\(place)  \(chinese ? "自" : "since") \(time)"
    }

    func footer(_ eventID: String, rule: String) -> String {
        chinese ? "告警事件 \(eventID)（规则 \(rule)）。`patrol alerts` 可查看全部告警。"
            : "Alert event \(eventID) (rule \(rule)). `patrol alerts` lists every alert."
    }
}
