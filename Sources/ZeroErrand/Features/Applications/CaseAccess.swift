import Fluent
import SQLKit
import Vapor
import ZeroErrandCore

/// Finds the case named by `:id` and asks `RecordAccess` whether this person may have it. Anyone
/// refused gets the same 404 as for a case that does not exist, so identifiers reveal nothing.
enum CaseAccess {
    /// The signed-in citizen's own case.
    static func applicantCase(_ req: Request) async throws -> Case {
        let actor = try req.requireAccount().actor
        guard let record = try await find(req),
              RecordAccess.isApplicant(actor, of: record.accessFacts) else { throw AppError.notFound }
        return record
    }

    /// The citizen's own case, or one a relative may take `action` on today under the mandate the
    /// case names. A relative outside the mandate gets the 404 of a case that does not exist; one
    /// inside it asking for a limit the mandate does not grant, or whose mandate has ended, is told
    /// so (403).
    static func applicantSideCase(_ req: Request, for action: ProxyAction) async throws -> Case {
        let actor = try req.requireAccount().actor
        guard let record = try await find(req) else { throw AppError.notFound }
        if let mandateID = record.$mandate.id { record.$mandate.value = .some(try await Mandate.find(mandateID, on: req.db)) }
        if RecordAccess.isApplicant(actor, of: record.accessFacts) { return record }
        if actor.kind == .assistant {
            // An assistant at a service point, under the visitor's permission (see `PointDesk`).
            try await req.pointDesk.requireAccess(to: record, for: action)
            return record
        }
        guard let mandate = record.mandate else { throw AppError.notFound }
        switch RecordAccess.proxyRefusal(actor, mandate.proxyFacts, for: record.accessFacts, action: action,
                                         matterCode: record.matter.code, caseID: record.id, today: CivilDay(req.now, in: Mandate.zone)) {
        case nil:
            return record
        case .limitNotGranted?:
            throw AppError(status: .forbidden, key: "mandate.refused.\(action.rawValue)")
        case .revoked?, .expired?:
            // Only the former holder gets here (anyone else is `notHolder`); they knew the case, and
            // learn why it is closed to them rather than a "not found" that reads like a fault.
            throw AppError(status: .forbidden, key: "mandate.refused.ended")
        default:
            throw AppError.notFound
        }
    }

    /// A case of the signed-in staff member's office; opening it is audited, and shows in the
    /// citizen's access log. A link from another site can make an official open it, but only as a
    /// top-level navigation (the session cookie is SameSite=Lax: no image or frame carries it), so
    /// the entry is true: they did see it. Opening it again within `viewedAgainAfter` writes nothing
    /// more, so repeated links cannot flood the log.
    static func officeCase(_ req: Request, audit action: String? = "case.viewed") async throws -> Case {
        let actor = try req.requireAccount().actor
        guard let record = try await find(req, withPeople: true),
              RecordAccess.isOfficeStaff(actor, of: record.accessFacts) else { throw AppError.notFound }
        if let action { try await auditView(req, of: record, as: action) }
        return record
    }

    /// Someone other than the applicant opened the case (staff, an assistant at a service point):
    /// recorded for the citizen's access log, once per `viewedAgainAfter` for repeated views.
    static func auditView(_ req: Request, of record: Case, as action: String = "case.viewed") async throws {
        let objectID = try record.requireID().uuidString.lowercased()
        if action == "case.viewed" {
            try await auditViewOnce(req, action, "case", objectID, ["number": record.number])
        } else {
            try await req.audited { _, trail in try await trail.record(action, "case", objectID, ["number": record.number]) }
        }
    }

    /// Records that the signed-in person looked at something, unless they did within the last
    /// `viewedAgainAfter`: a link opened over and over, or a viewer fetching a file in byte ranges,
    /// is one entry, and cannot flood the log or the audit lock.
    static func auditViewOnce(_ req: Request, _ action: String, _ objectType: String, _ objectID: String,
                              _ details: [String: String]) async throws {
        let seenRecently = try await AuditEvent.query(on: req.db).filter(\.$objectType == objectType)
            .filter(\.$objectID == objectID).filter(\.$action == action).filter(\.$actor == req.auditContext.actor)
            .filter(\.$occurredAt > req.now.addingTimeInterval(-viewedAgainAfter)).first() != nil
        if !seenRecently {
            try await req.audited { _, trail in try await trail.record(action, objectType, objectID, details) }
        }
    }

    static let viewedAgainAfter: TimeInterval = 10 * 60

    /// The case with its department, and for the office its applicant and assignee; its matter
    /// from the catalogue in memory.
    private static func find(_ req: Request, withPeople: Bool = false) async throws -> Case? {
        guard let id = req.parameters.get("id", as: UUID.self), let record = try await read(id, withPeople: withPeople, on: req.db)
        else { return nil }
        guard let matter = try await req.catalogue.matter(record.$matter.id, on: req.db) else {
            throw Abort(.internalServerError, reason: "case \(record.number) names a matter the catalogue lacks")
        }
        record.$matter.value = matter
        return record
    }

    /// One statement of fixed text, read by every case route (see `ModelColumns`).
    static func read(_ id: UUID, withPeople: Bool, on db: any Database) async throws -> Case? {
        let (prepared, text) = withPeople ? (caseWithPeopleRead, caseWithPeopleText) : (caseRead, caseText)
        guard let row = try await prepared.all([id.uuidString], or: "\(unsafeRaw: text)\(bind: id)", on: db).first else { return nil }
        let record = try Case.columns.decode(row, prefix: "c_")
        record.$department.value = try Department.columns.decode(row, prefix: "d_")
        if withPeople {
            record.$applicant.value = try Account.columns.decode(row, prefix: "p_")
            record.$assignee.value = .some(try Account.columns.decodeIfPresent(row, prefix: "g_"))
        }
        return record
    }

    private static let caseRead = PreparedRead(name: "ze_case", text: caseText + "$1")
    private static let caseWithPeopleRead = PreparedRead(name: "ze_case_people", text: caseWithPeopleText + "$1")

    private static let caseText = "SELECT \(Case.columns.select("cases", prefix: "c_")), "
        + "\(Department.columns.select("departments", prefix: "d_")) "
        + "FROM cases JOIN departments ON departments.id = cases.department_id WHERE cases.id = "

    private static let caseWithPeopleText = "SELECT \(Case.columns.select("cases", prefix: "c_")), "
        + "\(Department.columns.select("departments", prefix: "d_")), "
        + "\(Account.columns.select("applicants", prefix: "p_")), \(Account.columns.select("assignees", prefix: "g_")) "
        + "FROM cases JOIN departments ON departments.id = cases.department_id "
        + "JOIN accounts AS applicants ON applicants.id = cases.applicant_id "
        + "LEFT JOIN accounts AS assignees ON assignees.id = cases.assignee_id WHERE cases.id = "
}

extension Case {
    /// What the record-level rules need to know about this case.
    var accessFacts: RecordAccess.CaseFacts {
        RecordAccess.CaseFacts(applicant: $applicant.id, department: $department.id, submitted: submittedAt != nil)
    }
}
