import Foundation
import SQLKit
import ZeroErrandCore

/// The office queue's count and one page of its rows, written in SQL so that indexes answer them
/// (migration 018; `QueuePlanTests` reads the plans on both databases) and only the columns the page
/// shows are decoded. Matter names come from the caller, which has the office's matters anyway.
///
/// The text is written out rather than built with SQLKit's builder, and rows are decoded column by
/// column rather than through `Decodable`: both showed in the queue's profile (docs/performance.md),
/// and the statements are short enough to read as they are.
struct OfficeQueueQuery {
    enum Due {
        /// Past its due day while the legal clock runs.
        case before(CivilDay)
        /// Due on or before the day while the clock runs.
        case byEnd(of: CivilDay)
    }

    var departmentID: UUID
    var status: CaseStatus?
    var matterID: UUID?
    var due: Due?
    var assigneeID: UUID?

    struct Row {
        let id: UUID
        let number: String
        let matterID: UUID
        let status: CaseStatus
        let dueOn: String?
        let assigneeName: String?
    }

    /// The number of matching cases: from the index alone when no matter or assignee is chosen.
    func count(on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw(countStatement).first()?.decode(column: "total", as: Int.self) ?? 0
    }

    /// Page `number` (from 1) of `size` rows: soonest due first, undated last, then by submission.
    func page(_ number: Int, size: Int, on sql: any SQLDatabase) async throws -> [Row] {
        try await sql.raw(pageStatement(number, size: size)).all().map { row in
            Row(id: try row.decode(column: "id", as: UUID.self), number: try row.decode(column: "number", as: String.self),
                matterID: try row.decode(column: "matter_id", as: UUID.self),
                status: try row.decode(column: "status", as: CaseStatus.self),
                dueOn: try row.decode(column: "due_on", as: String?.self),
                assigneeName: try row.decode(column: "assignee_name", as: String?.self))
        }
    }

    var countStatement: SQLQueryString {
        "SELECT COUNT(*) AS total FROM cases WHERE " + conditions
    }

    func pageStatement(_ number: Int, size: Int) -> SQLQueryString {
        "SELECT cases.id, cases.number, cases.matter_id, cases.status, cases.due_on, "
            + "accounts.display_name AS assignee_name FROM cases LEFT JOIN accounts ON accounts.id = cases.assignee_id WHERE "
            + conditions
            + " ORDER BY \(unsafeRaw: Case.queueDueKey), cases.submitted_at LIMIT \(literal: size) OFFSET \(literal: (number - 1) * size)"
    }

    /// Only cases the citizen has submitted reach the office (a draft withdrawn unsent never does).
    /// Due filters compare the sort key, which the indexes hold (an undated case is never due).
    private var conditions: SQLQueryString {
        var text: SQLQueryString = "cases.department_id = \(bind: departmentID) AND cases.submitted_at IS NOT NULL"
        if let status { text += " AND cases.status = \(bind: status.rawValue)" }
        if let matterID { text += " AND cases.matter_id = \(bind: matterID)" }
        if let assigneeID { text += " AND cases.assignee_id = \(bind: assigneeID)" }
        if let due {
            let (comparison, day) = switch due {
            case .before(let day): ("<", day)
            case .byEnd(let day): ("<=", day)
            }
            let running = CaseStatus.allCases.filter(\.clockRuns).map(\.rawValue)
            text += " AND \(unsafeRaw: Case.queueDueKey) \(unsafeRaw: comparison) \(bind: day.description)"
                + " AND cases.status IN (\(binds: running))"
        }
        return text
    }
}
