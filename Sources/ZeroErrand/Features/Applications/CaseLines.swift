import Fluent
import Foundation
import SQLKit

/// What a case's page lists, in one statement of fixed text: its documents, its timeline with who
/// acted, its messages with who wrote them, and whether the viewer has notifications of it not yet
/// read. One `UNION ALL`, each branch filling its own columns and leaving the others NULL, so that
/// the page's reads do not grow with the case nor with the kinds of line (it sent one statement per
/// kind, each built by Fluent's query builder and decoded through `Mirror`: docs/performance.md).
struct CaseLines {
    var documents: [CaseDocument] = []
    /// Each with its actor set (nil for the system).
    var events: [CaseEvent] = []
    /// Each with its author set.
    var messages: [CaseMessage] = []
    var viewerHasUnreadNotifications = false

    /// Documents and messages in the order they were made, the timeline in the order it happened.
    static func read(case caseID: UUID, viewer: UUID?, on db: any Database) async throws -> CaseLines {
        var lines = CaseLines()
        let sql = try db.sql()
        for row in try await sql.raw(statement(case: caseID, viewer: viewer, on: sql)).all() {
            switch try row.decode(column: "line", as: String.self) {
            case "d":
                lines.documents.append(try CaseDocument.columns.decode(row, prefix: "d_"))
            case "e":
                let event = try CaseEvent.columns.decode(row, prefix: "e_")
                event.$actor.value = .some(try Account.columns.decodeIfPresent(row, prefix: "a_"))
                lines.events.append(event)
            case "m":
                let message = try CaseMessage.columns.decode(row, prefix: "m_")
                message.$author.value = try Account.columns.decode(row, prefix: "a_")
                lines.messages.append(message)
            default:
                lines.viewerHasUnreadNotifications = true
            }
        }
        return lines
    }

    static func statement(case caseID: UUID, viewer: UUID?, on sql: any SQLDatabase) -> SQLQueryString {
        "\(unsafeRaw: sql.dialect.name == "postgresql" ? typesText : "")\(unsafeRaw: documentsText)\(bind: caseID)\(unsafeRaw: eventsText)\(bind: caseID)"
            + "\(unsafeRaw: messagesText)\(bind: caseID)\(unsafeRaw: notificationsText)\(bind: caseID)"
            + " AND notifications.account_id = \(bind: viewer ?? UUID())) ORDER BY line, line_at"
    }

    private static let documentNulls = CaseDocument.columns.nulls(prefix: "d_")
    private static let eventNulls = CaseEvent.columns.nulls(prefix: "e_")
    private static let messageNulls = CaseMessage.columns.nulls(prefix: "m_")
    private static let accountNulls = Account.columns.nulls(prefix: "a_")

    /// On PostgreSQL, a first branch that returns nothing, only to give every column its type: it
    /// types a `UNION` pair by pair, and two branches' NULLs meeting first would be typed as text.
    /// Its WHERE is false whatever the rows, so no table is read (its plan is a bare `Result`).
    /// SQLite has no column types to agree on.
    private static let typesText = "SELECT NULL AS line, documents.created_at AS line_at, "
        + "\(CaseDocument.columns.select("documents", prefix: "d_")), \(CaseEvent.columns.select("case_events", prefix: "e_")), "
        + "\(CaseMessage.columns.select("case_messages", prefix: "m_")), \(Account.columns.select("accounts", prefix: "a_")) "
        + "FROM documents, case_events, case_messages, accounts WHERE 1 = 0 UNION ALL "

    private static let documentsText = "SELECT 'd' AS line, documents.created_at AS line_at, "
        + "\(CaseDocument.columns.select("documents", prefix: "d_")), \(eventNulls), \(messageNulls), \(accountNulls) "
        + "FROM documents WHERE documents.case_id = "

    private static let eventsText = " UNION ALL SELECT 'e', case_events.occurred_at, \(documentNulls), "
        + "\(CaseEvent.columns.select("case_events", prefix: "e_")), \(messageNulls), \(Account.columns.select("accounts", prefix: "a_")) "
        + "FROM case_events LEFT JOIN accounts ON accounts.id = case_events.actor_id WHERE case_events.case_id = "

    private static let messagesText = " UNION ALL SELECT 'm', case_messages.created_at, \(documentNulls), \(eventNulls), "
        + "\(CaseMessage.columns.select("case_messages", prefix: "m_")), \(Account.columns.select("accounts", prefix: "a_")) "
        + "FROM case_messages JOIN accounts ON accounts.id = case_messages.author_id WHERE case_messages.case_id = "

    /// One row, or none, without a FROM: both databases accept it.
    private static let notificationsText = " UNION ALL SELECT 'n', NULL, \(documentNulls), \(eventNulls), \(messageNulls), \(accountNulls) "
        + "WHERE EXISTS (SELECT 1 FROM notifications WHERE notifications.read_at IS NULL AND notifications.case_id = "
}
