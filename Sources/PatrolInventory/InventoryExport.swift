import Foundation

extension Inventory {
    /// Writes the inventory as the two CSV files `load(venues:cameras:)` reads back.
    ///
    /// UTF-8, LF line ends, a header row, fields quoted only when needed.
    /// - Parameter includeCredentials: write each camera's username and password in their
    ///   columns, and its URL with its query's secrets (`?token=…`); otherwise those columns stay
    ///   empty and query secrets show as `***`. URLs never carry a user name or password.
    public func write(venues: URL, cameras: URL, includeCredentials: Bool) throws {
        try Data(venuesCSV().utf8).write(to: venues, options: .atomic)
        try Data(camerasCSV(includeCredentials: includeCredentials).utf8).write(to: cameras, options: .atomic)
    }

    /// The text of `venues.csv`.
    public func venuesCSV() -> String {
        // The registration column only when the inventory declares it, so an inventory without
        // it exports as it was imported.
        let declared = venues.contains { $0.registration != .undeclared }
        var text = CSV.line(InventoryLoader.venueColumns + (declared ? InventoryLoader.registrationColumns : []))
        for venue in venues {
            text += CSV.line([
                venue.id, venue.name, venue.kind.rawValue, venue.tier.rawValue, venue.district, venue.grid,
                venue.address, venue.ownerContact, venue.supervisor ?? "",
            ] + (declared ? [venue.registration.text ?? ""] : []))
        }
        return text
    }

    /// The text of `cameras.csv`, with credentials in the username/password columns only when asked.
    public func camerasCSV(includeCredentials: Bool) -> String {
        var text = CSV.line(InventoryLoader.cameraColumns + InventoryLoader.credentialColumns)
        for camera in cameras {
            let credentials = includeCredentials ? camera.stream.credentials : nil
            text += CSV.line([
                camera.id, camera.venueID, camera.placement.rawValue, includeCredentials ? camera.stream.address : camera.address,
                credentials?.username ?? "", credentials?.password ?? "",
            ])
        }
        return text
    }
}
