import Fluent

/// A video session taken at an overseas service point: which point hosts the citizen's side.
struct AddVideoSessionPoint: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(VideoSession.schema).field("point_id", .uuid, .references(ServicePoint.schema, .id)).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(VideoSession.schema).deleteField("point_id").update()
    }
}
