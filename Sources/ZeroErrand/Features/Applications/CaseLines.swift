import Fluent
import Foundation
import SQLKit

/// Everything a case's page shows that belongs to the case, in one statement of fixed text: its
/// documents, its timeline with who acted, its messages with who wrote them, the pauses of its
/// clock, its rating, its video appointments, and whether the viewer has notifications of it not
/// yet read. One `UNION ALL`, each branch filling its own columns and leaving the others NULL, so
/// that the page's reads grow neither with the case nor with its kinds of line (it sent one
/// statement per kind, each built by Fluent's query builder and decoded through `Mirror`; see
/// docs/performance.md). Every branch is an index lookup by the case (`QueuePlanTests`).
struct CaseLines {
    /// In the order they were made.
    var documents: [CaseDocument] = []
    /// In the order they happened, each with its actor set (nil for the system).
    var events: [CaseEvent] = []
    /// In the order they were written, each with its author set.
    var messages: [CaseMessage] = []
    var pauses: [CasePause] = []
    var rating: CaseRating?
    /// The latest first; without their participants.
    var videoSessions: [VideoSession] = []
    var viewerHasUnreadNotifications = false

    static func read(case caseID: UUID, viewer: UUID?, on db: any Database) async throws -> CaseLines {
        var lines = CaseLines()
        let sql = try db.sql()
        let rows = try await prepared.all([caseID.uuidString, (viewer ?? UUID()).uuidString],
                                          or: statement(case: caseID, viewer: viewer, on: sql), on: db)
        for row in rows {
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
            case "p":
                lines.pauses.append(try CasePause.columns.decode(row, prefix: "p_"))
            case "r":
                lines.rating = try CaseRating.columns.decode(row, prefix: "r_")
            case "v":
                lines.videoSessions.insert(try VideoSession.columns.decode(row, prefix: "v_"), at: 0)
            default:
                lines.viewerHasUnreadNotifications = true
            }
        }
        return lines
    }

    static func statement(case caseID: UUID, viewer: UUID?, on sql: any SQLDatabase) -> SQLQueryString {
        var text: SQLQueryString = sql.dialect.name == "postgresql" ? "\(unsafeRaw: typesText) UNION ALL " : ""
        for (index, branch) in branches.enumerated() {
            text += "\(unsafeRaw: index == 0 ? "" : " UNION ALL ")\(unsafeRaw: branch)\(bind: caseID)"
        }
        return text + " AND notifications.account_id = \(bind: viewer ?? UUID())) ORDER BY line, line_at"
    }

    /// The same text on PostgreSQL, with the case as $1 and the viewer as $2.
    static let prepared = PreparedRead(name: "ze_case_lines", text: "\(typesText) UNION ALL "
        + branches.map { $0 + "$1" }.joined(separator: " UNION ALL ") + " AND notifications.account_id = $2) ORDER BY line, line_at")

    /// The column groups every branch selects, in order: each model's columns under its prefix,
    /// named (for the first branch, which names the statement's columns) and plain (for the others:
    /// SQLite parses the whole text on every request, and the names would double it).
    private struct Group {
        let prefix: String, named: String, plain: String, namedNulls: String, plainNulls: String

        init<M>(_ columns: ModelColumns<M>, _ table: String, _ prefix: String) {
            (self.prefix, named, plain) = (prefix, columns.select(table, prefix: prefix), columns.select(table))
            (namedNulls, plainNulls) = (columns.nulls(prefix: prefix), columns.nulls(prefix: nil))
        }
    }

    private static let groups = [
        Group(CaseDocument.columns, "documents", "d_"), Group(CaseEvent.columns, "case_events", "e_"),
        Group(CaseMessage.columns, "case_messages", "m_"), Group(Account.columns, "accounts", "a_"),
        Group(CasePause.columns, "case_pauses", "p_"), Group(CaseRating.columns, "case_ratings", "r_"),
        Group(VideoSession.columns, "video_sessions", "v_"),
    ]

    /// `SELECT 'tag', at, <the groups it fills, NULL for the others> FROM …`; the case's id is bound
    /// after each.
    private static func branch(_ tag: String, at: String, filling filled: Set<String>, from: String, named: Bool = false) -> String {
        let columns = groups.map { group in
            filled.contains(group.prefix) ? (named ? group.named : group.plain) : (named ? group.namedNulls : group.plainNulls)
        }
        return "SELECT \(tag)\(named ? " AS line" : ""), \(at)\(named ? " AS line_at" : ""), \(columns.joined(separator: ", ")) FROM \(from)"
    }

    private static let branches = [
        branch("'d'", at: "documents.created_at", filling: ["d_"], from: "documents WHERE documents.case_id = ", named: true),
        branch("'e'", at: "case_events.occurred_at", filling: ["e_", "a_"],
               from: "case_events LEFT JOIN accounts ON accounts.id = case_events.actor_id WHERE case_events.case_id = "),
        branch("'m'", at: "case_messages.created_at", filling: ["m_", "a_"],
               from: "case_messages JOIN accounts ON accounts.id = case_messages.author_id WHERE case_messages.case_id = "),
        branch("'p'", at: "NULL", filling: ["p_"], from: "case_pauses WHERE case_pauses.case_id = "),
        branch("'r'", at: "case_ratings.created_at", filling: ["r_"], from: "case_ratings WHERE case_ratings.case_id = "),
        branch("'v'", at: "video_sessions.starts_at", filling: ["v_"], from: "video_sessions WHERE video_sessions.case_id = "),
        // One row or none, the viewer bound after the case (the statement closes the parenthesis).
        branch("'n'", at: "NULL", filling: [], from: "(SELECT 1 AS unread) AS flag "
               + "WHERE EXISTS (SELECT 1 FROM notifications WHERE notifications.read_at IS NULL AND notifications.case_id = "),
    ]

    /// On PostgreSQL, a first branch that returns nothing, only to give every column its type: it
    /// types a `UNION` pair by pair, and two branches' NULLs meeting first would be typed as text.
    /// Its WHERE is false whatever the rows, so no table is read (its plan is a bare `Result`).
    /// SQLite has no column types to agree on.
    private static let typesText = branch("NULL", at: "documents.created_at", filling: Set(groups.map(\.prefix)),
                                          from: "documents, case_events, case_messages, accounts, case_pauses, case_ratings, video_sessions WHERE 1 = 0",
                                          named: true)
}
