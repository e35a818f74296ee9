import FluentKit
import FluentPostgresDriver
import Foundation
import SQLKit

/// A hot read's fixed text kept as a named prepared statement on each PostgreSQL connection.
/// PostgreSQL otherwise parses and plans the text on every request: for the case page's lines (a
/// `UNION ALL` of eight branches) that took 4.5 ms of its CPU per page, far more than running it.
/// A connection prepares the statement the first time it is asked to execute it, and from then on
/// only executes it (PostgreSQL keeps the plan, and re-plans by itself after a schema change).
///
/// The arguments are written into the `EXECUTE` as string literals, each `'` doubled (PostgreSQL
/// reads backslashes literally: `standard_conforming_strings` is on by default since 9.1); PostgreSQL
/// casts them to the types the statement gives its parameters. Inside a transaction, where a failed
/// `EXECUTE` would abort it, and on SQLite, the caller's plain text is sent instead.
struct PreparedRead: Sendable {
    let name: String
    /// The statement with `$1`, `$2`, … for the arguments, in order.
    let text: String

    /// The rows: by the prepared statement where it can be, else by `plain` (the same statement
    /// with its arguments bound).
    func all(_ arguments: [String], or plain: @autoclosure () -> SQLQueryString, on db: any Database) async throws -> [any SQLRow] {
        if let rows = try await rows(arguments, on: db) { return rows }
        return try await db.sql().raw(plain()).all()
    }

    /// The rows, or nil where the statement cannot be prepared here (see above).
    func rows(_ arguments: [String], on db: any Database) async throws -> [any SQLRow]? {
        guard !db.inTransaction, try db.sql().dialect.name == "postgresql" else { return nil }
        // One connection for both, or the statement could be prepared on another than runs it.
        return try await db.withConnection { connection in try await rows(arguments, onConnection: connection.sql()) }
    }

    /// On one PostgreSQL connection, outside a transaction.
    func rows(_ arguments: [String], onConnection sql: any SQLDatabase) async throws -> [any SQLRow] {
        let literals = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }
        let execute = "EXECUTE \(name)(\(literals.joined(separator: ", ")))"
        do {
            return try await sql.raw("\(unsafeRaw: execute)").all()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "26000" {
            // 26000: no prepared statement of that name on this connection yet.
            try await sql.raw("\(unsafeRaw: "PREPARE \(name) AS \(text)")").run()
            return try await sql.raw("\(unsafeRaw: execute)").all()
        }
    }
}
