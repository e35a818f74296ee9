import Fluent
import SQLKit

/// The walk-in queue of each service point.
struct CreateWalkInTickets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WalkInTicket.schema)
            .id()
            .field("point_id", .uuid, .required, .references(ServicePoint.schema, .id))
            .field("day", .string, .required)
            .field("number", .int, .required)
            .field("token", .string, .required)
            .field("matter_code", .string)
            .field("status", .string, .required)
            .field("taken_at", .datetime, .required)
            .field("called_at", .datetime)
            .field("called_by", .uuid, .references(Account.schema, .id))
            .field("served_at", .datetime)
            // One number per point and day; the database refuses a second, whatever races.
            .unique(on: "point_id", "day", "number")
            .unique(on: "token")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WalkInTicket.schema).delete()
    }
}
