import Fluent
import Vapor
import ZeroErrandCore

/// Who may see a case: its applicant, and staff of its department. Everyone else gets the same 404
/// as for a case that does not exist, so identifiers reveal nothing.
enum CaseAccess {
    /// The signed-in citizen's own case named by `:id`.
    static func applicantCase(_ req: Request) async throws -> Case {
        let account = try req.requireAccount()
        guard let id = req.parameters.get("id", as: UUID.self),
              let record = try await Case.query(on: req.db).filter(\.$id == id).filter(\.$applicant.$id == account.requireID())
                .with(\.$matter).with(\.$department).first() else { throw AppError.notFound }
        return record
    }

    /// A case of the signed-in staff member's department named by `:id`; opening it is audited.
    static func officeCase(_ req: Request, audit action: String? = "case.viewed") async throws -> Case {
        let account = try req.requireAccount()
        guard account.kind == .staff, let departmentID = account.$department.id,
              let id = req.parameters.get("id", as: UUID.self),
              let record = try await Case.query(on: req.db).filter(\.$id == id).filter(\.$department.$id == departmentID)
                .filter(\.$submittedAt != nil)
                .with(\.$matter).with(\.$department).with(\.$applicant).with(\.$assignee).first() else { throw AppError.notFound }
        if let action {
            try await req.audited { _, trail in
                try await trail.record(action, "case", id.uuidString.lowercased(), ["number": record.number])
            }
        }
        return record
    }
}
