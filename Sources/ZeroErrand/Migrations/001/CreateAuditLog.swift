import Fluent
import ZeroErrandCore

/// The hash-chained audit log and its head row.
struct CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .field("sequence", .int64, .identifier(auto: false))
            .field("occurred_at", .datetime, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("object_type", .string, .required)
            .field("object_id", .string, .required)
            .field("client_address", .string, .required)
            .field("details", .string, .required)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        try await database.schema(AuditHead.schema)
            .field("id", .int, .identifier(auto: false))
            .field("sequence", .int64, .required)
            .field("hash", .string, .required)
            .create()
        try await AuditHead(sequence: 0, hash: AuditChain.genesisHash).create(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditHead.schema).delete()
        try await database.schema(AuditEvent.schema).delete()
    }
}
