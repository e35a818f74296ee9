import Fluent
import SQLKit

/// One request across several offices (一件事): the request, and on each of its cases the request
/// and the part it is.
struct CreateCaseBundles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseBundle.schema)
            .id()
            .field("code", .string, .required)
            .field("applicant_id", .uuid, .required, .references(Account.schema, .id))
            .field("details", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema(Case.schema).field("bundle_id", .uuid).update()
        try await database.schema(Case.schema).field("bundle_part", .int).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "case_bundles_applicant").on(CaseBundle.schema).column("applicant_id").run()
        try await sql.create(index: "cases_bundle").on(Case.schema).column("bundle_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Case.schema).deleteField("bundle_id").update()
        try await database.schema(Case.schema).deleteField("bundle_part").update()
        try await database.schema(CaseBundle.schema).delete()
    }
}
