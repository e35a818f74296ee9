import Fluent
import SQLKit

/// The mediation's papers, each for one audience (everyone, one side, the mediator), and the agents
/// the parties name: an index to find the mediations a mandate holder acts in.
struct CreateMediationDocuments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MediationDocument.schema)
            .id()
            .field("mediation_id", .uuid, .required, .references(Mediation.schema, "id"))
            .field("audience", .string, .required)
            .field("uploaded_by", .uuid, .required, .references(Account.schema, "id"))
            .field("original_name", .string, .required)
            .field("kind", .string, .required)
            .field("size", .int64, .required)
            .field("sha256", .string, .required)
            .field("storage_name", .string, .required)
            .field("wrapped_key", .json, .required)
            .field("created_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "mediation_documents_mediation").on(MediationDocument.schema).column("mediation_id").run()
        try await sql.create(index: "mediation_parties_mandate").on(MediationParty.schema).column("mandate_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MediationDocument.schema).delete()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "mediation_parties_mandate").run()
    }
}
