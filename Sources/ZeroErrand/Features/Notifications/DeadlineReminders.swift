import Fluent
import Foundation
import SQLKit
import Vapor
import ZeroErrandCore

/// Reminds applicants two days before a date they must meet: a requested supplement, or a
/// material the office accepted as "supply later". Once per date.
enum DeadlineReminders {
    static let notice: TimeInterval = 2 * 86400

    @discardableResult
    static func run(_ app: Application) async throws -> Int {
        let now = app.dependencies.clock.now()
        guard let sql = app.db as? any SQLDatabase else { return 0 }
        struct Candidate: Decodable { let id: UUID }
        let due = try await dueSoon(now: now, on: sql).all(decoding: Candidate.self)
        var sent = 0
        for candidate in due {
            let caseID = candidate.id
            // Read again inside the transaction: another instance may have sent it meanwhile.
            let reminded = try await app.audited(.system) { db, audit -> Bool in
                guard let fresh = try await Case.query(on: db).filter(\.$id == caseID).with(\.$applicant).withCatalogueMatter(app.catalogue).with(\.$department).first(), fresh.remindedAt == nil else { return false }
                let key = fresh.status == .supplementRequested ? "notification.case.supplement_due_soon" : "notification.case.supply_later_due_soon"
                fresh.remindedAt = now
                try await fresh.update(on: db)
                try await CaseNotifier.notifyApplicant(of: fresh, key: key, on: db, outbox: app.outbox,
                                                       config: app.dependencies.config, now: now)
                try await audit.record("case.reminded", "case", caseID.uuidString.lowercased(), ["reminder": key])
                return true
            }
            if reminded { sent += 1 }
        }
        return sent
    }

    /// Cases not yet reminded with a date they must meet within the notice: through the partial
    /// indexes on those dates (migration 018), never a scan of every case. Each branch repeats
    /// "not yet reminded" so that SQLite sees it may use the partial index for that branch.
    static func dueSoon(now: Date, on sql: any SQLDatabase) -> SQLSelectBuilder {
        let soon = now.addingTimeInterval(notice)
        return sql.select().column("id").from(Case.schema)
            .where(group: {
                $0.where("reminded_at", .is, SQLLiteral.null)
                    .where("supplement_due_by", .lessThanOrEqual, SQLBind(soon)).where("supplement_due_by", .greaterThan, SQLBind(now))
                    .where("status", .equal, SQLBind(CaseStatus.supplementRequested.rawValue))
            })
            .orWhere(group: {
                $0.where("reminded_at", .is, SQLLiteral.null)
                    .where("supply_by", .lessThanOrEqual, SQLBind(soon)).where("supply_by", .greaterThan, SQLBind(now))
                    .where("status", .in, SQLBind.group(CaseStatus.allCases.filter(\.clockApplies).map(\.rawValue)))
            })
            .limit(500)
    }
}
