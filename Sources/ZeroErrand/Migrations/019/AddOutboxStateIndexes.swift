import Fluent
import SQLKit

/// The outbox's waiting and given-up mail found through partial indexes: the sender polls for
/// waiting mail every few seconds and `/metrics` counts both, while sent mail piles up.
struct AddOutboxStateIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX outbox_waiting ON outbox_mails (next_attempt_at) WHERE sent_at IS NULL AND dead_at IS NULL").run()
        try await sql.raw("CREATE INDEX outbox_given_up ON outbox_mails (dead_at) WHERE dead_at IS NOT NULL").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX outbox_waiting").run()
        try await sql.raw("DROP INDEX outbox_given_up").run()
    }
}
