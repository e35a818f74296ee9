import Fluent
import SQLKit

/// A visitor's time-limited permission for a service point to fill in their cases.
struct CreatePointPermissions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PointPermission.schema)
            .id()
            .field("point_id", .uuid, .required, .references(ServicePoint.schema, .id))
            .field("visitor_id", .uuid, .required, .references(Account.schema, .id))
            .field("assistant_id", .uuid, .required, .references(Account.schema, .id))
            .field("matters", .array(of: .string), .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("revoked_by", .uuid, .references(Account.schema, .id))
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // Every case request of an assistant asks for the point's permissions from one visitor.
        try await sql.create(index: "point_permissions_point_visitor").on(PointPermission.schema).column("point_id").column("visitor_id").run()
        try await sql.create(index: "point_permissions_visitor").on(PointPermission.schema).column("visitor_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PointPermission.schema).delete()
    }
}
