import Fluent
import SQLKit

/// Passports checked in person at a service point's desk, the level they give a citizen for the
/// matters that accept it, and which matters do.
struct CreatePassportChecks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PassportCheck.schema)
            .id()
            .field("visitor_id", .uuid, .required, .references(Account.schema, .id))
            .field("point_id", .uuid, .required, .references(ServicePoint.schema, .id))
            .field("assistant_id", .uuid, .required, .references(Account.schema, .id))
            .field("mrz", .string, .required)
            .field("document_masked", .string, .required)
            .field("holder_name", .string, .required)
            .field("expires_on", .string, .required)
            .field("checked_at", .datetime, .required)
            .create()
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema(Account.schema).field("point_check_id", .uuid).update()
        try await database.schema(Account.schema).field("point_checked_until", .string).update()
        try await database.schema(Matter.schema).field("point_check", .bool).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "passport_checks_visitor").on(PassportCheck.schema).column("visitor_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Matter.schema).deleteField("point_check").update()
        try await database.schema(Account.schema).deleteField("point_check_id").update()
        try await database.schema(Account.schema).deleteField("point_checked_until").update()
        try await database.schema(PassportCheck.schema).delete()
    }
}
