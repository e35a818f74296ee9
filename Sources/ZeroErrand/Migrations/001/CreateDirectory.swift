import Fluent

/// Offices and overseas service points.
struct CreateDirectory: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Department.schema)
            .id()
            .field("code", .string, .required)
            .field("kind", .string, .required)
            .field("parent_id", .uuid, .references(Department.schema, "id"))
            .field("name_zh", .string, .required)
            .field("name_en", .string, .required)
            .field("city_zh", .string, .required)
            .field("city_en", .string, .required)
            .field("time_zone", .string, .required)
            .unique(on: "code")
            .create()
        try await database.schema(ServicePoint.schema)
            .id()
            .field("code", .string, .required)
            .field("name_zh", .string, .required)
            .field("name_en", .string, .required)
            .field("city_zh", .string, .required)
            .field("city_en", .string, .required)
            .field("country", .string, .required)
            .field("time_zone", .string, .required)
            .field("address", .string, .required)
            .field("contact_email", .string, .required)
            .field("contact_phone", .string, .required)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServicePoint.schema).delete()
        try await database.schema(Department.schema).delete()
    }
}
