import Foundation
import GRDB
import PatrolLedger
import PatrolInventory
import PatrolProbe
import PatrolSettings

extension Store {
    /// The venues and cameras in service (not retired), with their secrets when a vault is given.
    /// - Parameter registered: each venue's tier and supervisor as the inventory files last set
    ///   them (what an export writes and a re-import is compared with), rather than where the
    ///   ladder and the operators' acts have since moved them.
    public func inventory(vault: CredentialVault? = nil, registered: Bool = false) throws -> Inventory {
        try inventoryInForce(vault: vault, registered: registered).inventory
    }

    /// The inventory and the vault generation it goes with. The generation is read in the same
    /// snapshot as the rows; its secrets are read after, and the generation again: an import
    /// that committed meanwhile (and may have pruned what was read) makes it read again.
    private func inventoryInForce(vault: CredentialVault?, registered: Bool) throws -> (inventory: Inventory, generation: Int64) {
        while true {
            let (venues, cameraRows, generation) = try pool.read { db in
                let venues = try Row.fetchAll(db, sql: "SELECT * FROM venue WHERE retired_at IS NULL ORDER BY id").map { row in
                    var venue = Venue(row: row)
                    if registered, let tier = (row["registered_tier"] as String?).flatMap(Tier.init(rawValue:)) {
                        venue.tier = tier
                        venue.supervisor = row["registered_supervisor"]
                    }
                    return venue
                }
                let cameras = try Row.fetchAll(db, sql: "SELECT id, venue_id, placement, url FROM camera WHERE retired_at IS NULL ORDER BY id")
                return (venues, cameras, try Self.vaultGeneration(db))
            }
            let secrets = try vault?.secrets(generation: generation) ?? [:]
            if vault != nil, try pool.read({ try Self.vaultGeneration($0) }) != generation { continue }
            let cameras = try cameraRows.map { row in
                let id: String = row["id"]
                return try Camera(id: id, venueID: row["venue_id"], placement: Placement(rawValue: row["placement"]) ?? .interior,
                                  url: secrets[id]?.url ?? row["url"], credentials: secrets[id]?.credentials)
            }
            return (Inventory(venues: venues, cameras: cameras), generation)
        }
    }

    static func vaultGeneration(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT generation FROM vault_generation WHERE id = 1") ?? 0
    }

    /// Why an import stopped without changing anything because another one went first.
    public struct ConcurrentImport: Error, CustomStringConvertible {
        public var description: String { "another inventory import changed the inventory meanwhile: nothing was changed; run the import again" }
    }

    /// Makes the stored inventory equal to `new`, changing only what changed: new venues and
    /// cameras are added, changed ones updated, missing ones retired (kept, with their history,
    /// and un-retired if they come back). Secrets go to the vault, never to this database.
    ///
    /// The vault first gets a new generation of secrets (the old one stays), then one
    /// transaction of this database applies the changes and names the new generation; then the
    /// old generation is pruned. Stopped anywhere, the two agree: before that transaction
    /// commits, readers take the old inventory with the old generation; after, the new with the new.
    /// - Parameters:
    ///   - zone: the patrol's time zone, which names the day of the ledger's entries.
    ///   - approve: sees the changes and what was in service before anything is written; what
    ///     it throws stops the import with nothing changed.
    ///   - afterVaultWrite: runs between the vault's commit and this database's transaction (a
    ///     fault-injection point for tests).
    @discardableResult
    public func apply(_ new: Inventory, vault: CredentialVault, zone: TimeZone, now: Date = Date(),
                      approve: (_ changes: InventoryChanges, _ before: Inventory) throws -> Void = { _, _ in },
                      afterVaultWrite: (() -> Void)? = nil) throws -> InventoryChanges {
        let (old, base) = try inventoryInForce(vault: vault, registered: true)
        let changes = InventoryChanges.between(old: old, new: new)
        // Addresses stored with their query's secrets by an older Patrol move to the vault too.
        let exposed = try pool.read { db in
            Set(try Row.fetchAll(db, sql: "SELECT id, url FROM camera WHERE retired_at IS NULL")
                .filter { Redaction.scrubURLs(in: $0["url"]) != $0["url"] as String }.map { $0["id"] as String })
        }
        let changing = Set((changes.addedCameras + changes.changedCameras.map(\.new) + changes.removedCameras).map(\.id))
        let resaved = new.cameras.filter { exposed.contains($0.id) && !changing.contains($0.id) }
        guard !changes.isEmpty || !resaved.isEmpty else { return changes }
        try approve(changes, old)
        var secrets: [String: CredentialVault.Secret?] = [:]
        let written = changes.addedCameras + changes.changedCameras.map(\.new) + resaved
        for camera in written {
            secrets[camera.id] = CredentialVault.Secret(credentials: camera.stream.credentials,
                                                        url: camera.hasQuerySecrets ? camera.stream.address : nil)
        }
        for camera in changes.removedCameras { secrets[camera.id] = .some(nil) }
        let generation = try vault.stage(from: base, secrets)
        afterVaultWrite?()
        try sealedWrite(at: now) { db in
            guard try Self.vaultGeneration(db) == base else { throw ConcurrentImport() }
            try db.execute(sql: "UPDATE vault_generation SET generation = ? WHERE id = 1", arguments: [generation])
            // The tier and supervisor in force change only where the files changed them: the
            // ladder's moves since the last import stand.
            let retiering = Set(changes.changedVenues.filter { $0.old.tier != $0.new.tier }.map(\.new.id))
            let resupervising = Set(changes.changedVenues.filter { $0.old.supervisor != $0.new.supervisor }.map(\.new.id))
            for venue in changes.addedVenues + changes.changedVenues.map(\.new) {
                try db.execute(sql: """
                    INSERT INTO venue (id, name, kind, tier, district, grid, address, owner_contact, supervisor,
                                       registered_tier, registered_supervisor, registration, added_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                        tier = CASE WHEN ? THEN excluded.tier ELSE tier END,
                        supervisor = CASE WHEN ? THEN excluded.supervisor ELSE supervisor END,
                        district = excluded.district, grid = excluded.grid, address = excluded.address,
                        owner_contact = excluded.owner_contact, registered_tier = excluded.registered_tier,
                        registered_supervisor = excluded.registered_supervisor, registration = excluded.registration,
                        updated_at = excluded.updated_at, retired_at = NULL
                    """, arguments: [venue.id, venue.name, venue.kind.rawValue, venue.tier.rawValue, venue.district, venue.grid,
                                     venue.address, venue.ownerContact, venue.supervisor, venue.tier.rawValue, venue.supervisor,
                                     venue.registration.text, now, now, retiering.contains(venue.id), resupervising.contains(venue.id)])
            }
            // A tier or supervisor the files change is an act in the ledger, so the ladder goes on
            // from it (the next patrol re-derives with it) and the change is on record.
            let today = PatrolDay.containing(now, in: zone)
            try Store.append(changes.changedVenues.flatMap { change -> [Step] in
                var acts: [Step] = []
                let supervisorChanged = change.old.supervisor != change.new.supervisor
                if change.old.tier != change.new.tier {
                    acts.append(Step(venueID: change.new.id, kind: .tierChanged, day: today, tier: change.new.tier,
                                     supervisor: supervisorChanged ? change.new.supervisor : nil, reason: "tier set by inventory import",
                                     actor: LedgerEntry.inventoryActor))
                }
                // A tier act names a supervisor only to set one; taking one away is an act of its own.
                if supervisorChanged, change.old.tier == change.new.tier || change.new.supervisor == nil {
                    acts.append(Step(venueID: change.new.id, kind: .supervisorChanged, day: today, supervisor: change.new.supervisor,
                                     reason: "supervisor set by inventory import", actor: LedgerEntry.inventoryActor))
                }
                return acts
            }, at: now, in: db)
            for camera in written {
                try db.execute(sql: """
                    INSERT INTO camera (id, venue_id, placement, url, host, has_credentials, added_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET venue_id = excluded.venue_id, placement = excluded.placement,
                        url = excluded.url, host = excluded.host, has_credentials = excluded.has_credentials,
                        updated_at = excluded.updated_at, retired_at = NULL
                    """, arguments: [camera.id, camera.venueID, camera.placement.rawValue, camera.address, camera.stream.host,
                                     camera.stream.credentials != nil, now, now])
            }
            for camera in changes.removedCameras {
                try db.execute(sql: "UPDATE camera SET retired_at = ? WHERE id = ?", arguments: [now, camera.id])
            }
            for venue in changes.removedVenues {
                try db.execute(sql: "UPDATE venue SET retired_at = ? WHERE id = ?", arguments: [now, venue.id])
            }
            try Store.declareRegistration(of: changes.addedVenues + changes.changedVenues.map(\.new), retiring: changes.removedVenues,
                                          in: db)
        }
        // Nobody reads older generations now; should this fail, the next import prunes them.
        try? vault.prune(below: generation)
        return changes
    }

    /// Records a finished sweep (for `patrol status` and the logs).
    public func recordSweep(startedAt: Date, finishedAt: Date, probes: Int, summary: String) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO sweep (started_at, finished_at, probes, summary) VALUES (?, ?, ?, ?)",
                           arguments: [startedAt, finishedAt, probes, summary])
        }
    }
}

extension Store {
    /// The outcome of each camera's latest probe since `date`.
    public func outcomes(since date: Date) throws -> [(cameraID: String, outcome: Outcome?)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT camera_id, outcome FROM probe_result
                WHERE id IN (SELECT max(id) FROM probe_result WHERE at >= ? GROUP BY camera_id)
                """, arguments: [date]).map { ($0["camera_id"], Outcome(rawValue: $0["outcome"])) }
        }
    }
}
