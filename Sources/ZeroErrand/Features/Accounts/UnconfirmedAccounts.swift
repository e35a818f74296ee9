import Fluent
import Foundation
import Vapor

/// An address nobody confirmed within a week was probably typed by someone who does not own it;
/// the account goes, so the address is free for its owner. Accounts that ever applied for
/// something (possible before confirmation was required) are kept for their cases.
enum UnconfirmedAccounts {
    static let lifetime: TimeInterval = 7 * 24 * 3600

    @discardableResult
    static func remove(_ app: Application) async throws -> Int {
        let cutoff = app.dependencies.clock.now().addingTimeInterval(-lifetime)
        let stale = try await Account.query(on: app.db).filter(\.$kind == .citizen).filter(\.$emailConfirmedAt == nil)
            .filter(\.$createdAt < cutoff).limit(500).all()
        var removed = 0
        for account in stale {
            let accountID = try account.requireID()
            let gone = try await app.audited(.system) { db, audit -> Bool in
                guard try await Case.query(on: db).filter(\.$applicant.$id == accountID).count() == 0,
                      try await Account.query(on: db).filter(\.$id == accountID).filter(\.$emailConfirmedAt == nil).count() == 1 else {
                    return false
                }
                // Sessions, email tokens and recovery codes go with it (ON DELETE CASCADE).
                try await AccountNotification.query(on: db).filter(\.$account.$id == accountID).delete()
                try await Account.query(on: db).filter(\.$id == accountID).delete()
                try await audit.record("account.removed_unconfirmed", "account", accountID.uuidString.lowercased())
                return true
            }
            if gone { removed += 1 }
        }
        return removed
    }
}
