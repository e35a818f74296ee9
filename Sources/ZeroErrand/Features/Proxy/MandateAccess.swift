import Fluent
import Vapor
import ZeroErrandCore

/// Finds the mandate named by `:id` and asks `RecordAccess` how this person stands to it; anyone
/// with no standing gets the 404 of a mandate that does not exist.
enum MandateAccess {
    static func find(_ req: Request, allowing viewers: Set<RecordAccess.MandateViewer>) async throws -> (Mandate, RecordAccess.MandateViewer) {
        let account = try req.requireAccount()
        guard let id = req.parameters.get("id", as: UUID.self),
              let mandate = try await Mandate.query(on: req.db).filter(\.$id == id).with(\.$principal).first() else { throw AppError.notFound }
        var officeHasCase = false
        if account.kind == .staff, let departmentID = account.$department.id {
            officeHasCase = try await Case.query(on: req.db).filter(\.$mandate.$id == id).filter(\.$department.$id == departmentID)
                .filter(\.$submittedAt != nil).count() > 0
        }
        let invited = account.emailConfirmedAt != nil && EmailAddress.normalize(account.email) == mandate.proxyEmail
        guard let viewer = RecordAccess.mandateViewer(account.actor, principal: mandate.$principal.id, holder: mandate.$proxyAccount.id,
                                                      status: mandate.status, actorHasInvitedAddress: invited, officeHasCase: officeHasCase),
              viewers.contains(viewer) else { throw AppError.notFound }
        return (mandate, viewer)
    }
}
