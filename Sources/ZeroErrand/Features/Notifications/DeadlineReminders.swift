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
                    .filter(\.$status ~~ CaseStatus.allCases.filter { $0.clockRuns || $0 == .supplementRequested })
            }
        }.with(\.$applicant).limit(500).all()
        for record in due {
            let caseID = try record.requireID()
            let key = record.status == .supplementRequested ? "notification.case.supplement_due_soon" : "notification.case.supply_later_due_soon"
            try await app.audited(.system) { db, audit in
                guard let fresh = try await Case.query(on: db).filter(\.$id == caseID).with(\.$applicant).first(), fresh.remindedAt == nil else { return }
                fresh.remindedAt = now
                try await fresh.update(on: db)
                try await CaseNotifier.notifyApplicant(of: fresh, key: key, on: db, outbox: app.outbox,
                                                       config: app.dependencies.config, now: now)
                try await audit.record("case.reminded", "case", caseID.uuidString.lowercased(), ["reminder": key])
            }
        }
        return due.count
    }
}
