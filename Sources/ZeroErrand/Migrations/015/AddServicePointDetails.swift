import Fluent

/// What a visitor needs to find a service point and know what it does: where it is (for "nearest
/// first"), when its door is open, and what it offers.
struct AddServicePointDetails: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema(ServicePoint.schema).field("latitude", .double).update()
        try await database.schema(ServicePoint.schema).field("longitude", .double).update()
        try await database.schema(ServicePoint.schema).field("hours", .string).update()
        try await database.schema(ServicePoint.schema).field("offers", .array(of: .string)).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["latitude", "longitude", "hours", "offers"] {
            try await database.schema(ServicePoint.schema).deleteField(.string(field)).update()
        }
    }
}
