import Foundation
import SQLKit
import ZeroErrandCore

/// The office queue's count and one page of its rows, written in SQL so that indexes answer them
/// (migration 018; `QueuePlanTests` reads the plans on both databases) and only the columns the page
/// shows are decoded. Matter names come from the caller, which has the office's matters anyway.
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

    struct Row: Decodable {
        let id: UUID
        let number: String
        let matter_id: UUID
        let status: CaseStatus
        let updated_at: Date
        let due_on: String?
        let assignee_name: String?
    }

    /// The number of matching cases: from the index alone when no matter or assignee is chosen.
    func count(on sql: any SQLDatabase) async throws -> Int {
        struct Total: Decodable { let total: Int }
        return try await countSelect(on: sql).first(decoding: Total.self)?.total ?? 0
    }

    /// Page `number` (from 1) of `size` rows: soonest due first, undated last, then by submission.
    func page(_ number: Int, size: Int, on sql: any SQLDatabase) async throws -> [Row] {
        try await pageSelect(number, size: size, on: sql).all(decoding: Row.self)
    }

    func countSelect(on sql: any SQLDatabase) -> SQLSelectBuilder {
        filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total").from(Case.schema))
    }

    func pageSelect(_ number: Int, size: Int, on sql: any SQLDatabase) -> SQLSelectBuilder {
        let cases = { (name: String) in SQLColumn(name, table: Case.schema) }
        let select = sql.select()
            .column(cases("id")).column(cases("number")).column(cases("matter_id")).column(cases("status"))
            .column(cases("updated_at")).column(cases("due_on"))
            .column(SQLColumn("display_name", table: Account.schema), as: "assignee_name")
            .from(Case.schema)
            .join(Account.schema, method: SQLJoinMethod.left, on: SQLColumn("id", table: Account.schema), .equal, cases("assignee_id"))
        return filtered(select)
            .orderBy(SQLRaw(Case.queueDueKey)).orderBy(cases("submitted_at"))
            .limit(size).offset((number - 1) * size)
    }

    /// Only cases the citizen has submitted reach the office (a draft withdrawn unsent never does).
    /// Due filters compare the sort key, which the indexes hold (an undated case is never due).
    private func filtered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
        let cases = { (name: String) in SQLColumn(name, table: Case.schema) }
        select.where(cases("department_id"), .equal, SQLBind(departmentID)).where(cases("submitted_at"), .isNot, SQLLiteral.null)
        if let status { select.where(cases("status"), .equal, SQLBind(status.rawValue)) }
        if let matterID { select.where(cases("matter_id"), .equal, SQLBind(matterID)) }
        if let assigneeID { select.where(cases("assignee_id"), .equal, SQLBind(assigneeID)) }
        if let due {
            let (comparison, day): (SQLBinaryOperator, CivilDay) = switch due {
            case .before(let day): (.lessThan, day)
            case .byEnd(let day): (.lessThanOrEqual, day)
            }
            select.where(SQLRaw(Case.queueDueKey), comparison, SQLBind(day.description))
                .where(cases("status"), .in, SQLBind.group(CaseStatus.allCases.filter(\.clockRuns).map(\.rawValue)))
        }
        return select
    }
}
