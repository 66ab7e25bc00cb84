import Foundation
import PatrolInventory
import PatrolLedger
import PatrolProbe
import PatrolReport
import PatrolSettings
import PatrolStore
import PatrolViews

/// The console's pages as HTML: server-rendered, no script, one small style sheet; Chinese by
/// default, English on request, in the report's words. Tables scroll inside their box on a
/// phone; figures grow on a wall screen.
struct Pages: Sendable {
    let words: ReportVocabulary
    let say: ConsoleWords
    let zone: TimeZone
    let now: Date

    init(language: ReportLanguage, zone: TimeZone, now: Date) {
        words = ReportVocabulary(language)
        say = ConsoleWords(language: language)
        self.zone = zone
        self.now = now
    }

    static let style = """
        *{box-sizing:border-box}body{margin:0;font-family:FONTS;color:#1c2430;background:#f4f6f8;font-size:16px;line-height:1.45}
        header{background:#16324f;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center}
        header a,header button{color:#fff;text-decoration:none;font:inherit;background:none;border:0;cursor:pointer;padding:0}
        header strong{margin-right:auto}header form{display:inline;margin:0}
        main{padding:1rem;max-width:1400px;margin:0 auto}h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:1.4rem 0 .5rem}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.6rem}
        .card{background:#fff;border-radius:6px;padding:.6rem .8rem;box-shadow:0 1px 2px #0002}
        .card b{display:block;font-size:2rem;line-height:1.1}.card.bad b{color:#b3261e}.card.good b{color:#1b7f3a}
        .box{overflow-x:auto;background:#fff;border-radius:6px;box-shadow:0 1px 2px #0002}
        table{border-collapse:collapse;width:100%}th,td{padding:.35rem .6rem;border-bottom:1px solid #e3e7ec;text-align:left;white-space:nowrap}
        th{background:#eef1f5;font-weight:600}td.wrap{white-space:normal;min-width:12rem}
        .bad{color:#b3261e;font-weight:600}.good{color:#1b7f3a}.note{color:#5b6675;font-size:.9rem}
        .warn{background:#fdecea;color:#8c1d18;padding:.6rem .8rem;border-radius:6px;margin-bottom:1rem}
        form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:.8rem}
        label{display:flex;flex-direction:column;font-size:.9rem}select,input{font:inherit;padding:.3rem}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;background:#fff;padding:.8rem;border-radius:6px;margin:0}
        dt{color:#5b6675}dd{margin:0}img.snapshot{max-width:100%;height:auto;border-radius:6px}
        .login{max-width:22rem;margin:3rem auto;background:#fff;padding:1.5rem;border-radius:8px;box-shadow:0 1px 3px #0003}
        .login form{display:flex;flex-direction:column;gap:.8rem}.login button{font:inherit;padding:.5rem;background:#16324f;color:#fff;border:0;border-radius:4px}
        @media (min-width:1800px){body{font-size:21px}.card b{font-size:2.8rem}}
        @media (max-width:600px){main{padding:.6rem}h1{font-size:1.2rem}.card b{font-size:1.6rem}}
        """

    /// Text as HTML, as the report escapes it.
    static func escape(_ text: String) -> String { ReportHTML.escape(text) }

    /// A path part or query value, percent-encoded.
    static func component(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    func time(_ date: Date?) -> String { date.map { words.time($0, in: zone) } ?? "-" }

    func since(_ date: Date?) -> String {
        guard let date else { return "-" }
        return "\(time(date)) (\(words.duration(now.timeIntervalSince(date))))"
    }

    func day(_ text: String?) -> String { text.flatMap(PatrolDay.init).map(words.day) ?? text ?? "-" }

    func table(_ headings: [String], _ rows: [[String]], classes: [String?] = []) -> String {
        var html = "<div class=\"box\"><table><thead><tr>" + headings.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for (index, row) in rows.enumerated() {
            let rowClass = index < classes.count ? classes[index].map { " class=\"\($0)\"" } ?? "" : ""
            html += "<tr\(rowClass)>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }
        return html + "</tbody></table></div>"
    }

    func dl(_ facts: [(String, String)]) -> String {
        "<dl>" + facts.map { "<dt>\(Self.escape($0.0))</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"
    }

    /// A whole page around `body`; `refresh`: seconds after which the browser reloads it.
    func page(_ title: String, _ body: String, user: String?, refresh: Int? = nil) -> String {
        let lang = words.language == .en ? "en" : "zh-CN"
        let other = words.language == .en ? ("zh", "中文") : ("en", "English")
        var header = "<header><strong>\(Self.escape(say(.title)))</strong>"
        if let user {
            header += "<a href=\"/\">\(say(.glance))</a><a href=\"/venues\">\(say(.venues))</a><a href=\"/ledger\">\(say(.ledger))</a>"
                + "<a href=\"/reports\">\(say(.reports))</a>"
                + "<a href=\"?lang=\(other.0)\" lang=\"\(other.0)\">\(other.1)</a>"
                + "<form method=\"post\" action=\"/logout\"><button type=\"submit\">\(say(.logOut)) \(Self.escape(user))</button></form>"
        } else {
            header += "<a href=\"?lang=\(other.0)\" lang=\"\(other.0)\">\(other.1)</a>"
        }
        header += "</header>"
        return """
            <!DOCTYPE html><html lang="\(lang)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">\(refresh.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? "")
            <title>\(Self.escape(title)) · \(Self.escape(say(.title)))</title>
            <style>\(Self.style.replacingOccurrences(of: "FONTS", with: words.fontFamily))</style></head>
            <body>\(header)<main>\(body)</main></body></html>
            """
    }

    // MARK: The pages

    func login(error: String?, next: String) -> String {
        page(say(.login), """
            <div class="login"><h1>\(say(.login))</h1>\(error.map { "<p class=\"warn\" id=\"login-error\">\(Self.escape($0))</p>" } ?? "")
            <form method="post" action="/login"><input type="hidden" name="next" value="\(Self.escape(next))">
            <label>\(say(.name))<input name="name" id="name" autocomplete="username" required autofocus></label>
            <label>\(say(.password))<input name="password" id="password" type="password" autocomplete="current-password" required></label>
            <button type="submit" id="login">\(say(.logIn))</button></form></div>
            """, user: nil)
    }

    func status(_ report: WithLadder<DistrictStatus, LadderStatus>, user: String) -> String {
        let status = report.base, ladder = report.ladder
        let count = { (name: String) in status.byStatus.first { $0.name == name } ?? Tally(name) }
        let (up, down, unknown) = (count("up"), count("down"), count("unknown"))
        var body = "<h1>\(say(.glance))</h1>"
        if status.probing.stale { body += "<p class=\"warn\">\(say(.stale))</p>" }
        body += "<div class=\"cards\" id=\"cards\">"
        body += card(words.phrase(.camerasColumn), "\(status.cameras.total)")
        body += card(say(.up), "\(up.total)", good: true)
        body += card(say(.down), "\(down.total)", bad: down.total > 0, id: "cameras-down")
        body += card(say(.unknown), "\(unknown.total)")
        body += card(say(.overdue), "\(ladder.overdue)", bad: ladder.overdue > 0, id: "overdue", link: "/venues?state=overdue")
        body += card(words.phrase(.venuesColumn), "\(status.venues.total)", link: "/venues")
        body += "</div>"
        body += "<h2>\(words.phrase(.camerasColumn))</h2>"
        let rows: [[String]] = [(say(.up), up), (say(.down), down), (say(.unknown), unknown)].map { (label: String, tally: Tally) -> [String] in
            [Self.escape(label), String(tally.perimeter), String(tally.interior), String(tally.total)]
        }
        body += table(["", words.phrase(.perimeter), words.phrase(.interior), words.phrase(.all)], rows)
        let failing = status.byOutcome.filter { $0.total > 0 && $0.name != "online" && $0.name != "not_probed" }
        if !failing.isEmpty {
            body += "<h2>\(words.phrase(.failedCamerasByCause))</h2>"
            body += table([say(.outcome), words.phrase(.perimeter), words.phrase(.interior), words.phrase(.all)],
                          failing.map { [Self.escape(words.outcome($0.name)), "\($0.perimeter)", "\($0.interior)", "\($0.total)"] })
        }
        var facts: [(String, String)] = [
            (say(.lastProbe), status.probing.lastProbeAt.map { since($0) } ?? say(.never)),
            (words.phrase(.onTheLadder), Standing.allCases.map { "\(Self.escape(words.standing($0))) \(ladder.standings[$0.rawValue] ?? 0)" }
                .joined(separator: " · ")),
            (say(.dueToday), venueLinks(ladder.dueToday)),
            (say(.dueTomorrow), venueLinks(ladder.dueTomorrow)),
            (say(.lastPatrol), ladder.lastPatrolDay.map { "<a href=\"/reports/\($0)\">\(Self.escape(day($0)))</a>" } ?? say(.none)),
        ]
        if let sweep = status.probing.lastSweep {
            facts.insert((say(.lastSweep), "\(time(sweep.startedAt)) · \(sweep.probes) · \(words.duration(sweep.finishedAt.timeIntervalSince(sweep.startedAt)))"),
                         at: 1)
        }
        if let registration = status.registration {
            facts.append((words.phrase(.registration), "\(registration.systems): \(say(.up)) \(registration.online) · \(say(.down)) "
                + "\(registration.offline + registration.stuck) · \(say(.unknown)) \(registration.unseen)"))
        }
        body += "<h2>\(words.phrase(.venuesOnTheLadder))</h2>" + dl(facts)
        body += "<p class=\"note\">\(say(.refreshes))</p>"
        return page(say(.glance), body, user: user, refresh: 60)
    }

    private func card(_ label: String, _ figure: String, good: Bool = false, bad: Bool = false, id: String? = nil, link: String? = nil) -> String {
        let inner = "<b>\(Self.escape(figure))</b>\(Self.escape(label))"
        return "<div class=\"card\(bad ? " bad" : good ? " good" : "")\"\(id.map { " id=\"\($0)\"" } ?? "")>"
            + (link.map { "<a href=\"\($0)\" style=\"color:inherit;text-decoration:none\">\(inner)</a>" } ?? inner) + "</div>"
    }

    private func venueLinks(_ ids: [String]) -> String {
        ids.isEmpty ? say(.none) : ids.map { "<a href=\"/venues/\(Self.component($0))\">\(Self.escape($0))</a>" }.joined(separator: " ")
    }

    func standing(_ ladder: LadderView, overdue: Bool) -> String {
        let name = Standing(rawValue: ladder.standing).map(words.standing) ?? ladder.standing
        return "<span class=\"\(overdue || ladder.standing != "clean" ? "bad" : "good")\">\(Self.escape(name))</span>"
            + (overdue ? " <span class=\"bad\">(\(say(.overdue)))</span>" : "")
    }

    struct VenueFilters {
        var tier: String?
        var kind: String?
        var state: String?
    }

    func venues(_ venues: [(row: WithLadder<VenueSummary, LadderView>, overdue: Bool)], filters: VenueFilters, user: String) -> String {
        func select(_ name: String, _ label: String, _ options: [(String, String)], _ chosen: String?) -> String {
            "<label>\(Self.escape(label))<select name=\"\(name)\"><option value=\"\">\(say(.any))</option>"
                + options.map { "<option value=\"\($0.0)\"\($0.0 == chosen ? " selected" : "")>\(Self.escape($0.1))</option>" }.joined()
                + "</select></label>"
        }
        var body = "<h1>\(say(.venues))</h1><form class=\"filters\" method=\"get\" action=\"/venues\">"
        body += select("tier", say(.filterTier), Tier.allCases.reversed().map { ($0.rawValue, words.tier($0)) }, filters.tier)
        body += select("kind", say(.filterKind), VenueKind.allCases.map { ($0.rawValue, words.venueKind($0.rawValue)) }, filters.kind)
        body += select("state", say(.filterState), [("overdue", say(.stateOverdue)), ("due", say(.stateDue))]
                       + Standing.allCases.map { ($0.rawValue, words.standing($0)) }, filters.state)
        body += "<button type=\"submit\">\(say(.apply))</button></form>"
        body += "<p class=\"note\">\(venues.count) \(say(.venuesShown))</p>"
        body += table([words.phrase(.venueColumn), words.phrase(.nameColumn), say(.kind), words.phrase(.tierColumn),
                       say(.cameras), say(.downCount), words.phrase(.registration), words.phrase(.standingColumn),
                       words.phrase(.deadlineColumn), words.phrase(.supervisorColumn)],
                      venues.map { line in
                          let venue = line.row.base.venue, ladder = line.row.ladder
                          return ["<a href=\"/venues/\(Self.component(venue.id))\">\(Self.escape(venue.id))</a>", Self.escape(venue.name),
                                  Self.escape(words.venueKind(venue.kind.rawValue)), Self.escape(words.tier(venue.tier)),
                                  "\(line.row.base.cameras.total)",
                                  line.row.base.cameras.down > 0 ? "<span class=\"bad\">\(line.row.base.cameras.down)</span>" : "0",
                                  Self.escape(line.row.base.registration ?? "-"), standing(ladder, overdue: line.overdue),
                                  ladder.deadline.map { Self.escape(day($0)) } ?? "-", Self.escape(venue.supervisor ?? "-")]
                      }, classes: venues.map { $0.overdue ? "overdue" : nil })
        return page(say(.venues), body, user: user)
    }

    func venue(_ report: WithLadder<VenueDetail, Reader.VenueLedger>, overdue: Bool, user: String) -> String {
        let detail = report.base, venue = detail.venue, ladder = report.ladder.ladder
        var body = "<h1>\(Self.escape(venue.id)) \(Self.escape(venue.name))</h1>"
        var facts: [(String, String)] = [
            (say(.kind), Self.escape(words.venueKind(venue.kind.rawValue))), (words.phrase(.tierColumn), Self.escape(words.tier(venue.tier))),
            (words.phrase(.supervisorColumn), Self.escape(venue.supervisor ?? "-")),
            (words.phrase(.addressColumn), Self.escape("\(venue.district) \(venue.grid) \(venue.address)")),
            (words.phrase(.standingColumn), standing(ladder, overdue: overdue)),
        ]
        if let open = ladder.open, let opened = ladder.opened, let deadline = ladder.deadline {
            facts.append((say(.open), "\(Self.escape(EntryKind(rawValue: open).map(words.step) ?? open)) \(Self.escape(day(opened))) → "
                + "<span class=\"\(overdue ? "bad" : "")\">\(Self.escape(day(deadline)))</span>"))
        }
        if let recheck = ladder.recheckUntil { facts.append((say(.recheckUntil), Self.escape(day(recheck)))) }
        facts.append((say(.failuresInYear), "\(ladder.failuresInWindow)"))
        body += dl(facts)
        body += "<h2>\(say(.cameras))</h2>" + cameraTable(detail.cameras)
        if !detail.registration.isEmpty {
            body += "<h2>\(words.phrase(.registration))</h2>"
            body += table([words.phrase(.systemColumn), say(.status), say(.since), words.phrase(.waitingColumn)],
                          detail.registration.map { system in
                              [Self.escape(system.systemID), system.isDown ? "<span class=\"bad\">\(Self.escape(system.state))</span>" : Self.escape(system.state),
                               since(system.since), system.waiting.map(String.init) ?? "-"]
                          })
        }
        body += "<h2>\(say(.ledger))</h2>" + entries(report.ladder.entries, showVenue: false)
        return page("\(venue.id) \(venue.name)", body, user: user)
    }

    func cameraTable(_ cameras: [CameraSummary]) -> String {
        table([words.phrase(.cameraColumn), "", say(.status), say(.since), say(.outcome), say(.lastProbe), say(.metadata)],
              cameras.map { camera in
                  ["<a href=\"/cameras/\(Self.component(camera.id))\">\(Self.escape(camera.id))</a>", Self.escape(words.placement(camera.placement)),
                   statusName(camera.status), since(camera.since), Self.escape(camera.lastOutcome.map { words.outcome($0.rawValue) } ?? "-"),
                   time(camera.lastProbeAt),
                   Self.escape([camera.codec, camera.width.flatMap { w in camera.height.map { "\(w)x\($0)" } }].compactMap { $0 }.joined(separator: " "))]
              })
    }

    func statusName(_ status: CameraStatus) -> String {
        switch status {
        case .up: "<span class=\"good\">\(say(.up))</span>"
        case .down: "<span class=\"bad\">\(say(.down))</span>"
        case .unknown: say(.unknown)
        }
    }

    func entries(_ entries: [EntryView], showVenue: Bool) -> String {
        guard !entries.isEmpty else { return "<p>\(say(.noEntries))</p>" }
        return table(["#", words.phrase(.dayColumn)] + (showVenue ? [words.phrase(.venueColumn)] : [])
                     + [words.phrase(.stepColumn), words.phrase(.deadlineColumn), words.phrase(.byColumn), words.phrase(.reasonColumn)],
                     entries.map { entry in
                         ["\(entry.seq)", Self.escape(day(entry.day))]
                             + (showVenue ? [entry.venueId == "*" ? "*" : "<a href=\"/venues/\(Self.component(entry.venueId))\">\(Self.escape(entry.venueId))</a>"] : [])
                             + [Self.escape(EntryKind(rawValue: entry.kind).map(words.step) ?? entry.kind), Self.escape(entry.deadline.map { day($0) } ?? "-"),
                                Self.escape(words.actor(entry.actor)), "<span style=\"white-space:normal\">\(Self.escape(words.reason(entry.reason)))</span>"]
                     })
    }

    func camera(_ detail: CameraDetail, user: String) -> String {
        let camera = detail.camera
        var body = "<h1>\(Self.escape(camera.id)) · \(Self.escape(words.placement(camera.placement))) · "
            + "<a href=\"/venues/\(Self.component(camera.venueID))\">\(Self.escape(camera.venueID)) \(Self.escape(camera.venueName))</a></h1>"
        var facts: [(String, String)] = [
            (say(.url), Self.escape(detail.url)),
            (say(.status), statusName(camera.status) + " · \(say(.since)) " + since(camera.since)
                + (camera.status == .down ? camera.reason.map { " · " + Self.escape(words.outcome($0.rawValue)) } ?? "" : "")),
            (say(.lastProbe), camera.lastProbeAt.map { since($0) + " · " + Self.escape(camera.lastOutcome.map { words.outcome($0.rawValue) } ?? "-") }
                ?? say(.never)),
            (say(.uptime), detail.uptime.map { "\($0.days) \(say(.days)): " + ($0.ratio.map { String(format: "%.1f%%", $0 * 100) } ?? "-")
                + " (\($0.probes) \(say(.probes)))" }.joined(separator: " · ")),
        ]
        if let metadata = detail.metadata {
            let stream = metadata.stream
            var parts = [[stream.codec, stream.profile].compactMap { $0 }.joined(separator: " ")]
            if let width = stream.width, let height = stream.height { parts.append("\(width)x\(height)") }
            if let fps = metadata.fps { parts.append(String(format: "%.0f fps", fps)) }
            if let kbps = metadata.bitrateKbps { parts.append(String(format: "%.0f kbit/s", kbps)) }
            if !stream.transport.isEmpty { parts.append(stream.transport) }
            facts.append((say(.metadata), Self.escape(parts.filter { !$0.isEmpty }.joined(separator: " · ")) + " · " + time(metadata.updatedAt)))
        }
        body += dl(facts)
        body += "<h2>\(say(.snapshot))</h2>"
        if let snapshot = detail.latestSnapshot {
            body += "<p><img class=\"snapshot\" id=\"snapshot\" src=\"/cameras/\(Self.component(camera.id))/snapshot\" width=\"\(snapshot.width)\" "
                + "height=\"\(snapshot.height)\" alt=\"\(Self.escape(camera.id))\"></p><p class=\"note\">\(time(snapshot.takenAt)) · "
                + "\(Self.escape(words.outcome(snapshot.outcome.rawValue)))</p>"
        } else {
            body += "<p>\(say(.noSnapshot))</p>"
        }
        body += "<h2>\(say(.recentProbes))</h2>"
        body += table([say(.time), say(.outcome), "s", "fps", "kbit/s", say(.detail)], detail.probes.map { probe in
            [time(probe.at), probe.outcome == .online ? Self.escape(words.outcome("online")) : "<span class=\"bad\">\(Self.escape(words.outcome(probe.outcome.rawValue)))</span>",
             String(format: "%.1f", probe.totalMs / 1000), probe.fps.map { String(format: "%.1f", $0) } ?? "-",
             probe.bitrateKbps.map { String(format: "%.0f", $0) } ?? "-", Self.escape(probe.detail)]
        })
        if !detail.statusChanges.isEmpty {
            body += "<h2>\(say(.statusHistory))</h2>"
            body += table([say(.time), say(.status), say(.outcome), say(.detail)], detail.statusChanges.map { event in
                [time(event.at), statusName(event.from) + " → " + statusName(event.to), Self.escape(words.outcome(event.outcome.rawValue)),
                 Self.escape(event.detail)]
            })
        }
        if !detail.metadataChanges.isEmpty {
            body += "<h2>\(say(.metadataHistory))</h2>"
            body += table([say(.time), say(.field), say(.oldValue), say(.newValue)], detail.metadataChanges.map { change in
                [time(change.at), Self.escape(change.field), Self.escape(change.oldValue ?? "-"), Self.escape(change.newValue ?? "-")]
            })
        }
        return page(camera.id, body, user: user)
    }

    func ledger(_ entries: [EntryView], verification: Reader.Verification, user: String) -> String {
        var body = "<h1>\(say(.ledger))</h1>"
        body += verification.ok
            ? "<p class=\"good\" id=\"verify\">✔ \(say(.verifyOK)): \(verification.entries) \(say(.entries)), \(verification.patrolDays) \(say(.patrolDays))"
                + (verification.head.map { " · \(Self.escape($0))" } ?? "") + "</p>"
            : "<p class=\"warn\" id=\"verify\">✘ \(say(.verifyFailed)): \(Self.escape(verification.problem ?? "?"))</p>"
        body += entries.count > 500 ? "<p class=\"note\">500 / \(entries.count)</p>" : ""
        body += self.entries(Array(entries.suffix(500).reversed()), showVenue: true)
        return page(say(.ledger), body, user: user)
    }

    func reports(_ days: [(day: PatrolDay, judgedAt: String, venues: Int)], user: String) -> String {
        var body = "<h1>\(say(.reports))</h1>"
        body += days.isEmpty ? "<p>\(say(.noReports))</p>"
            : table([say(.patrolDays), words.phrase(.venuesColumn)], days.map { day in
                ["<a href=\"/reports/\(day.day)\">\(Self.escape(words.day(day.day)))</a>", "\(day.venues)"]
            })
        return page(say(.reports), body, user: user)
    }

    func notFound(_ what: String, user: String) -> String {
        page(say(.notFound), "<h1>\(say(.notFound))</h1><p>\(Self.escape(what))</p>", user: user)
    }
}
