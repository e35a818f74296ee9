import Fluent
import SQLKit

/// Court mediation: the dispute on a case, its parties (service of papers), and notes for each audience.
struct CreateMediation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Mediation.schema)
            .id()
            .field("case_id", .uuid, .required, .references(Case.schema, "id"))
            .field("department_id", .uuid, .required, .references(Department.schema, "id"))
            .field("dispute_kind", .string, .required)
            .field("amount_minor", .int64, .required)
            .field("currency", .string, .required)
            .field("claim", .string, .required)
            .field("mediator_id", .uuid, .references(Account.schema, "id"))
            .field("judge_id", .uuid, .references(Account.schema, "id"))
            .field("accepted_at", .datetime)
            .field("ending", .string)
            .field("ending_party_id", .uuid)
            .field("ending_reason", .string)
            .field("ended_by", .uuid, .references(Account.schema, "id"))
            .field("ended_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "case_id")
            .create()
        try await database.schema(MediationParty.schema)
            .id()
            .field("mediation_id", .uuid, .required, .references(Mediation.schema, "id"))
            .field("position", .int, .required)
            .field("side", .string, .required)
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("country", .string, .required)
            .field("time_zone", .string, .required)
            .field("waking_start", .int, .required)
            .field("waking_end", .int, .required)
            .field("is_filer", .bool, .required)
            .field("account_id", .uuid, .references(Account.schema, "id"))
            .field("mandate_id", .uuid, .references(Mandate.schema, "id"))
            .field("service_sent_at", .datetime)
            .field("served_at", .datetime)
            .field("reminded_at", .datetime)
            .unique(on: "mediation_id", "position")
            .unique(on: "mediation_id", "email")
            .create()
        try await database.schema(MediationNote.schema)
            .id()
            .field("mediation_id", .uuid, .required, .references(Mediation.schema, "id"))
            .field("audience", .string, .required)
            .field("author_id", .uuid, .required, .references(Account.schema, "id"))
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "mediation_parties_account").on(MediationParty.schema).column("account_id").run()
        try await sql.create(index: "mediation_parties_email").on(MediationParty.schema).column("email").run()
        try await sql.create(index: "mediation_notes_mediation").on(MediationNote.schema).column("mediation_id").run()
        try await sql.create(index: "mediations_court").on(Mediation.schema).column("department_id").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [MediationNote.schema, MediationParty.schema, Mediation.schema] {
            try await database.schema(schema).delete()
        }
    }
}
