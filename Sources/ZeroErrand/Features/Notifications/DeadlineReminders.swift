import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// Reminds applicants two days before a date they must meet: a requested supplement, or a
/// material the office accepted as "supply later". Once per date.
enum DeadlineReminders {
    static let notice: TimeInterval = 2 * 86400

    @discardableResult
    static func run(_ app: Application) async throws -> Int {
        let now = app.dependencies.clock.now()
        let soon = now.addingTimeInterval(notice)
        let due = try await Case.query(on: app.db).filter(\.$remindedAt == nil).group(.or) { group in
            group.group(.and) { $0.filter(\.$status == .supplementRequested).filter(\.$supplementDueBy <= soon).filter(\.$supplementDueBy > now) }
            group.group(.and) {
                $0.filter(\.$supplyBy <= soon).filter(\.$supplyBy > now)
                    .filter(\.$status ~~ CaseStatus.allCases.filter(\.clockApplies))
            }
        }.limit(500).all()
        var sent = 0
        for record in due {
            let caseID = try record.requireID()
            // Read again inside the transaction: another instance may have sent it meanwhile.
            let reminded = try await app.audited(.system) { db, audit -> Bool in
                guard let fresh = try await Case.query(on: db).filter(\.$id == caseID).with(\.$applicant).with(\.$matter).with(\.$department).first(), fresh.remindedAt == nil else { return false }
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
}
