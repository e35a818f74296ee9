import Fluent
import Vapor
import ZeroErrandCore

/// The offices' side of petitions: the list of what an office holds (and, for a letters-and-visits
/// office, what it registered and others hold), and the steps the holding office takes. Every step
/// goes through `PetitionAccess` and then `PetitionRules` inside the service.
struct OfficePetitionsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let office = routes.grouped(Require(.staffWorkspace))
        office.get(SiteURL.officePetitions.route, use: queue)
        office.post(SiteURL.petitionStep(id: ":id", step: "acceptance").route, use: accept)
        office.post(SiteURL.petitionStep(id: ":id", step: "transfer").route, use: transfer)
        office.post(SiteURL.petitionStep(id: ":id", step: "refusal").route, use: decline)
        office.post(SiteURL.petitionStep(id: ":id", step: "extension").route, use: extend)
        office.post(SiteURL.petitionStep(id: ":id", step: "opinion").route, use: answer)
    }

    @Sendable func queue(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard let departmentID = account.$department.id, let department = try await Department.find(departmentID, on: req.db) else {
            throw AppError(status: .forbidden, key: "error.forbidden")
        }
        let overdueOnly = (try? req.query.get(Bool.self, at: "overdue")) ?? false
        let today = req.petitions.today.description
        let offices = try await Department.query(on: req.db).all()
        let name = { (id: UUID) in offices.first { $0.id == id }?.name(req.locale) ?? "" }
        func rows(_ query: QueryBuilder<Petition>) async throws -> [OfficePetitionsPage.Row] {
            var query = query
            if overdueOnly { query = query.filter(\.$dueOn < today) }
            // Rows with a due day first, soonest first; then those waiting on the petitioner.
            let found = try await query.sort(\.$dueOn).sort(\.$createdAt).limit(500).all()
            return (found.filter { $0.dueOn != nil } + found.filter { $0.dueOn == nil }).map { petition in
                let overdue = petition.dueOn.map { $0 < today } ?? false
                return OfficePetitionsPage.Row(path: SiteURL.petition(id: petition.id!.uuidString.lowercased()).path, number: petition.number,
                                               title: petition.title, stage: req.t("petition.stage.\(petition.stage.rawValue)"),
                                               holder: name(petition.$holder.id), due: petition.dueOn ?? "", overdue: overdue)
            }
        }
        let open: [PetitionStage] = [.received, .handling, .answered, .reviewing, .reviewed, .reReviewing]
        let held = try await rows(Petition.query(on: req.db).filter(\.$holder.$id == departmentID).filter(\.$stage ~~ open))
        let isRegistrar = department.kind == "letters_and_visits"
        let registered = isRegistrar
            ? try await rows(Petition.query(on: req.db).filter(\.$registrar.$id == departmentID).filter(\.$holder.$id != departmentID)
                .filter(\.$stage ~~ open))
            : []
        let page = OfficePetitionsPage(held: held, registered: registered, isRegistrar: isRegistrar, overdueOnly: overdueOnly,
                                       statisticsPath: SiteURL.petitionStatistics.path)
        return try await req.page("petitions/office", page, title: "petition.office.title")
    }

    struct StepForm: Content {
        var office: String?
        var reason: String?
        var route: String?
        var days: String?
        var opinion: String?
    }

    @Sendable func accept(req: Request) async throws -> Response {
        let entry = try await PetitionAccess.entry(req)
        return try await PetitionShowPage.refusing(req, entry) {
            try await req.petitions.accept(entry)
            return done(req, entry)
        }
    }

    @Sendable func transfer(req: Request) async throws -> Response {
        let entry = try await PetitionAccess.entry(req)
        let form = try req.content.decode(StepForm.self)
        return try await PetitionShowPage.refusing(req, entry) {
            try await req.petitions.transfer(entry, to: form.office.flatMap(UUID.init(uuidString:)), reason: form.reason ?? "")
            // Passed on: the office that sent it no longer holds it, and its list is the next page.
            return req.redirect(to: SiteURL.officePetitions.path, redirectType: .normal)
        }
    }

    @Sendable func decline(req: Request) async throws -> Response {
        let entry = try await PetitionAccess.entry(req)
        let form = try req.content.decode(StepForm.self)
        return try await PetitionShowPage.refusing(req, entry) {
            try await req.petitions.decline(entry, route: form.route.flatMap(Petition.Route.init(rawValue:)), reason: form.reason ?? "")
            return done(req, entry)
        }
    }

    @Sendable func extend(req: Request) async throws -> Response {
        let entry = try await PetitionAccess.entry(req)
        let form = try req.content.decode(StepForm.self)
        return try await PetitionShowPage.refusing(req, entry) {
            try await req.petitions.extend(entry, days: form.days.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }, reason: form.reason ?? "")
            return done(req, entry)
        }
    }

    @Sendable func answer(req: Request) async throws -> Response {
        let entry = try await PetitionAccess.entry(req)
        let opinion = try req.content.decode(StepForm.self).opinion ?? ""
        return try await PetitionShowPage.refusing(req, entry) {
            try await req.petitions.answer(entry, opinion: opinion)
            return done(req, entry)
        }
    }

    private func done(_ req: Request, _ entry: PetitionAccess.Entry) -> Response {
        req.redirect(to: entry.path, redirectType: .normal)
    }
}
