import Fluent
import Vapor
import ZeroErrandCore

/// The citizen's applications over JSON, for mobile and partner clients. Authenticated with a
/// bearer token from `POST /api/v1/sessions`; the same rules as the web pages (`CaseWorkflow`).
struct CaseAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let own = routes.grouped(Require(.manageOwnAccount))
        own.get(SiteURL.apiCases.route, use: list)
        own.post(SiteURL.apiCases.route, use: create)
        own.get(SiteURL.apiCase(id: ":id").route, use: show)
        own.post(SiteURL.apiCaseAction(id: ":id", action: ":action").route, use: act)
        own.on(.PUT, SiteURL.apiCaseDocuments(id: ":id").route, body: .stream, use: upload)
        own.get(SiteURL.apiCaseTimeline(id: ":id").route, use: timeline)
        own.get(SiteURL.apiCaseMessages(id: ":id").route, use: messages)
        own.post(SiteURL.apiCaseMessages(id: ":id").route, use: postMessage)
    }

    @Sendable func list(req: Request) async throws -> [CaseDTO] {
        let account = try req.requireAccount()
        let cases = try await Case.query(on: req.db).filter(\.$applicant.$id == account.requireID())
            .withCatalogueMatter(req.catalogue).with(\.$department).sort(\.$createdAt, .descending).limit(200).all()
        return cases.map { CaseDTO($0, documents: []) }
    }

    struct NewCase: Content {
        var matter: String
        var details: String
        /// The conditions that hold for this application (the questions the apply form asks).
        var conditions: [MaterialCondition]?
    }

    @Sendable func create(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        let input = try req.content.decode(NewCase.self)
        guard let matter = try await Matter.query(on: req.db).filter(\.$code == input.matter).with(\.$department).first() else {
            throw AppError(status: .unprocessableEntity, key: "catalogue.unknown_matter")
        }
        if let refusal = req.cases.applyRefusal(for: account, to: matter) { throw refusal.error }
        let details = input.details.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !details.isEmpty, details.count <= 4000 else { throw AppError(status: .unprocessableEntity, key: "apply.details_required") }
        // Only the questions this matter asks count; "through a relative" follows from a mandate, never from a claim.
        let asked = MaterialPlan.questions(matter.materials.map(\.requirement))
        let record = try await req.cases.createDraft(matter: matter, applicant: account, details: details,
                                                     conditions: asked.filter { (input.conditions ?? []).contains($0) })
        record.$matter.value = matter
        record.$department.value = matter.department
        return try await CaseDTO(record, documents: []).encodeResponse(status: .created, for: req)
    }

    @Sendable func show(req: Request) async throws -> CaseDTO {
        let record = try await CaseAccess.applicantCase(req)
        return CaseDTO(record, documents: try await documents(of: record, on: req.db))
    }

    @Sendable func act(req: Request) async throws -> CaseDTO {
        let record = try await CaseAccess.applicantCase(req)
        try await req.cases.performApplicantAction(req.parameters.get("action") ?? "", on: record)
        let fresh = try await CaseAccess.applicantCase(req)
        return CaseDTO(fresh, documents: try await documents(of: fresh, on: req.db))
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantCase(req)
        let query = try req.query.decode(ApplicationsController.UploadQuery.self)
        let document = try await req.cases.receiveApplicantDocument(on: record, purpose: query.purpose, material: query.material)
        return try await DocumentDTO(document).encodeResponse(status: .created, for: req)
    }

    @Sendable func timeline(req: Request) async throws -> [TimelineEntryDTO] {
        let record = try await CaseAccess.applicantCase(req)
        let applicantID = record.$applicant.id
        return try await CaseEvent.query(on: req.db).filter(\.$caseRecord.$id == record.requireID()).sort(\.$occurredAt).all().map { event in
            TimelineEntryDTO(by: event.$actor.id == nil ? "system" : (event.$actor.id == applicantID ? "applicant" : "office"),
                             at: event.occurredAt, event: event.name, status: event.statusAfter, note: event.note,
                             documentID: event.$document.id)
        }
    }

    @Sendable func messages(req: Request) async throws -> [MessageDTO] {
        let record = try await CaseAccess.applicantCase(req)
        return try await CaseMessage.query(on: req.db).filter(\.$caseRecord.$id == record.requireID()).sort(\.$createdAt).all()
            .map(MessageDTO.init)
    }

    struct NewMessage: Content { var body: String }

    @Sendable func postMessage(req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantCase(req)
        try await CaseConversation.post(req, on: record, fromOffice: false, body: try req.content.decode(NewMessage.self).body)
        return Response(status: .created)
    }

    private func documents(of record: Case, on db: any Database) async throws -> [CaseDocument] {
        try await CaseDocument.query(on: db).filter(\.$caseRecord.$id == record.requireID()).sort(\.$createdAt).all()
    }
}
