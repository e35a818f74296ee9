import Fluent
import SQLKit

/// When each participant's socket was connected to a session's room.
struct CreateVideoPresence: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(VideoPresence.schema)
            .id()
            .field("session_id", .uuid, .required, .references(VideoSession.schema, "id"))
            .field("account_id", .uuid, .required, .references(Account.schema, "id"))
            .field("joined_at", .datetime, .required)
            .field("left_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "video_presence_session").on(VideoPresence.schema).column("session_id").column("account_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(VideoPresence.schema).delete()
    }
}
