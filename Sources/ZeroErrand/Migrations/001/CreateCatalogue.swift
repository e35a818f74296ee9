import Fluent

struct CreateCatalogue: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Matter.schema)
            .id()
            .field("code", .string, .required)
            .field("area", .string, .required)
            .field("department_id", .uuid, .required, .references(Department.schema, "id"))
            .field("name_zh", .string, .required)
            .field("name_en", .string, .required)
            .field("description_zh", .string, .required)
            .field("description_en", .string, .required)
            .field("keywords_zh", .array(of: .string), .required)
            .field("keywords_en", .array(of: .string), .required)
            .field("channels", .array(of: .string), .required)
            .field("identity_level", .int, .required)
            .field("time_limit_days", .int, .required)
            .field("fee_fen", .int, .required)
            .field("fee_note_zh", .string, .required)
            .field("fee_note_en", .string, .required)
            .field("materials", .array(of: .json), .required)
            .field("search_text", .string, .required)
            .field("edited_at", .datetime)
            .field("edited_by", .uuid, .references(Account.schema, "id"))
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Matter.schema).delete()
    }
}
