import Foundation
import Hummingbird
import NIOCore
import PatrolInventory
import PatrolLedger
import PatrolStore
import PatrolViews

/// The JSON API under `/api/v1`, behind the same login as the pages: each answer is what the
/// matching `patrol … --json` prints for the same store (the values come from PatrolViews'
/// Reader, the text from Shapes.json). docs/console-api.yaml documents it.
enum Api {
    static func routes(_ api: RouterGroup<ConsoleContext>, console: ConsoleService) {
        api.get("/status") { _, _ in
            let now = console.clock(), staleAfter = console.setup.staleAfter
            return try await json(console) { try $0.status(now: now, staleAfter: staleAfter) }
        }
        api.get("/venues") { request, _ in
            let query = request.uri.queryParameters, now = console.clock()
            var filter = VenueFilter()
            if let text = query.get("tier") {
                guard let tier = Tier(rawValue: text) else { return problem(.badRequest, "tier must be one of: priority, watch, general") }
                filter.tier = tier
            }
            if let text = query.get("kind") {
                guard let kind = VenueKind(rawValue: text) else { return problem(.badRequest, "unknown kind '\(text)'") }
                filter.kind = kind
            }
            filter.district = query.get("district")
            filter.supervisor = query.get("supervisor")
            var standing: Reader.StandingFilter?
            if let text = query.get("state") {
                guard let state = Reader.StandingFilter(rawValue: text) else { return problem(.badRequest, "unknown state '\(text)'") }
                standing = state
            }
            let limit = query.get("limit").flatMap(Int.init)
            let asked = filter, state = standing
            return try await json(console) { Listing("venues", try $0.venues(asked, standing: state, now: now), limit: limit) }
        }
        api.get("/venues/{id}") { _, context in
            let id = try context.parameters.require("id"), now = console.clock()
            return try await json(console) { try $0.venue(id, now: now) }
        }
        api.get("/cameras/{id}") { request, context in
            let id = try context.parameters.require("id"), now = console.clock()
            let probes = min(max(request.uri.queryParameters.get("probes").flatMap(Int.init) ?? 10, 0), 1000)
            let changes = min(max(request.uri.queryParameters.get("changes").flatMap(Int.init) ?? 10, 0), 1000)
            return try await json(console) { try $0.camera(id, probes: probes, changes: changes, now: now) }
        }
        api.get("/ledger") { request, _ in
            let query = request.uri.queryParameters
            let since = query.get("since")
            if let since, PatrolDay(since) == nil { return problem(.badRequest, "since must be a day, YYYY-MM-DD") }
            let kinds = query.getAll("kind")
            if let wrong = kinds.first(where: { EntryKind(rawValue: $0) == nil }) { return problem(.badRequest, "unknown kind '\(wrong)'") }
            let venue = query.get("venue"), limit = query.get("limit").flatMap(Int.init)
            return try await json(console) { reader in
                Listing("entries", try reader.ledger(venue: venue, kinds: kinds.compactMap(EntryKind.init), since: since.flatMap(PatrolDay.init)),
                        limit: limit, keepsLast: true)
            }
        }
        api.get("/ledger/verify") { _, _ in
            let trusted = console.publicKey()
            return try await json(console) { try $0.verify(trusted: trusted).verification }
        }
    }

    /// `value` as `patrol --json` writes it; a question naming nothing is a 404 with the reason.
    static func json<Value: Encodable>(_ console: ConsoleService, _ value: @escaping @Sendable (Reader) throws -> Value) async throws -> Response {
        do {
            let data = try await console.blocking { try Shapes.data(value(try console.reader())) }
            return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch let failure as Reader.Failure {
            return problem(.notFound, "\(failure)")
        }
    }

    static func problem(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let body = (try? Shapes.data(["error": message], versioned: false)) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
