import Fluent

/// How many video rooms a service point has: that many sessions can be held there at once.
struct AddServicePointVideoRooms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServicePoint.schema).field("video_rooms", .int, .required, .sql(.default(1))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServicePoint.schema).deleteField("video_rooms").update()
    }
}
