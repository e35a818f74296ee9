import Fluent
import SQLKit

/// The digest of the form a petition came from: the same form sent twice makes one petition.
struct AddPetitionFormNonce: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Petition.schema).field("form_digest", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "petitions_form_digest").unique().on(Petition.schema).column("form_digest").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "petitions_form_digest").run() }
        try await database.schema(Petition.schema).deleteField("form_digest").update()
    }
}
