import Fluent

/// A material picked from the citizen's document wallet names the issued document it copies, so
/// the receiving office can check it against the issuer's record.
struct AddIssuedFrom: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseDocument.schema).field("issued_from_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseDocument.schema).deleteField("issued_from_id").update()
    }
}
