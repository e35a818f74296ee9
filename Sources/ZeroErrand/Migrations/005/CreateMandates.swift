import Fluent
import SQLKit

/// Power of attorney: signatures (shared with notarization and mediation), mandates, and the
/// mandate a case is handled under.
struct CreateMandates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Signature.schema)
            .id()
            .field("account_id", .uuid, .required, .references(Account.schema, "id"))
            .field("object_type", .string, .required)
            .field("object_id", .string, .required)
            .field("sha256", .string, .required)
            .field("identity_level", .int, .required)
            .field("method", .string, .required)
            .field("video_session_id", .uuid)
            .field("signed_at", .datetime, .required)
            .create()
        try await database.schema(Mandate.schema)
            .id()
            .field("principal_id", .uuid, .required, .references(Account.schema, "id"))
            .field("principal_id_number", .string, .required)
            .field("principal_id_masked", .string, .required)
            .field("proxy_name", .string, .required)
            .field("proxy_id_number", .string, .required)
            .field("proxy_id_masked", .string, .required)
            .field("relationship", .string, .required)
            .field("proxy_email", .string, .required)
            .field("proxy_phone", .string, .required)
            .field("scope_matters", .array(of: .string), .required)
            .field("scope_case_id", .uuid, .references(Case.schema, "id"))
            .field("valid_from", .string, .required)
            .field("valid_until", .string, .required)
            .field("may_collect", .bool, .required)
            .field("may_sign", .bool, .required)
            .field("may_pay", .bool, .required)
            .field("status", .string, .required)
            .field("terms", .string, .required)
            .field("terms_sha256", .string, .required)
            .field("signature_id", .uuid, .references(Signature.schema, "id"))
            .field("proxy_account_id", .uuid, .references(Account.schema, "id"))
            .field("pass_code", .string)
            .field("created_at", .datetime, .required)
            .field("signed_at", .datetime)
            .field("answered_at", .datetime)
            .field("revoked_at", .datetime)
            .field("updated_at", .datetime, .required)
            .unique(on: "pass_code")
            .create()
        try await database.schema(Case.schema).field("mandate_id", .uuid, .references(Mandate.schema, "id")).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "mandates_principal").on(Mandate.schema).column("principal_id").run()
        try await sql.create(index: "mandates_proxy_account").on(Mandate.schema).column("proxy_account_id").run()
        try await sql.create(index: "mandates_proxy_email").on(Mandate.schema).column("proxy_email").run()
        try await sql.create(index: "cases_mandate").on(Case.schema).column("mandate_id").run()
        try await sql.create(index: "signatures_object").on(Signature.schema).column("object_type").column("object_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Case.schema).deleteField("mandate_id").update()
        try await database.schema(Mandate.schema).delete()
        try await database.schema(Signature.schema).delete()
    }
}
