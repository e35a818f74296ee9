import Fluent
import SQLKit

/// Indexes for the office queue's order and the deadline reminders.
///
/// The queue lists cases by due day with the undated last. SQLite sorts NULL first and PostgreSQL
/// last, so the queue orders by `Case.queueDueKey` (the day, or a day after every real one) on both,
/// and these indexes hold that same expression: the first page and its count come from an index,
/// with or without a status filter. The reminders look for dates due soon among cases not yet
/// reminded; partial indexes on those dates spare them a scan of every case.
struct AddCaseDueIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let key = Case.queueDueKey
        try await sql.raw("DROP INDEX cases_department_status_due").run()
        try await sql.raw("CREATE INDEX cases_queue_status ON cases (department_id, status, (\(unsafeRaw: key)), submitted_at)").run()
        try await sql.raw("CREATE INDEX cases_queue ON cases (department_id, (\(unsafeRaw: key)), submitted_at, status)").run()
        try await sql.raw("CREATE INDEX cases_supplement_due ON cases (supplement_due_by) WHERE reminded_at IS NULL").run()
        try await sql.raw("CREATE INDEX cases_supply_by ON cases (supply_by) WHERE reminded_at IS NULL").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in ["cases_queue_status", "cases_queue", "cases_supplement_due", "cases_supply_by"] {
            try await sql.raw("DROP INDEX \(ident: index)").run()
        }
        try await sql.create(index: "cases_department_status_due").on(Case.schema).column("department_id").column("status").column("due_on")
            .column("submitted_at").run()
    }
}
