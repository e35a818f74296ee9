import Fluent
import Vapor
import ZeroErrandCore

/// The public catalogue: browse by area and office, search in Chinese or English, read a matter.
struct CatalogueController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.matters.route, use: list)
        routes.get(SiteURL.matter(code: ":code").route, use: show)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let query = try req.query.decode(CatalogueQuery.self)
        let matters = try await query.matters(on: req.db)
        let departments = try await Department.query(on: req.db).sort(\.$code).all()
        let areaChoice = query.area.nonEmpty
        let departmentChoice = query.department.nonEmpty
        let page = CatalogueListPage(
            query: query.q ?? "",
            areas: MatterArea.allCases.map { Choice(value: $0.rawValue, label: req.t("area.\($0.rawValue)"), selected: $0.rawValue == areaChoice) },
            departments: departments.map { Choice(value: $0.code, label: $0.name(req.locale), selected: $0.code == departmentChoice) },
            matters: matters.map(req.summary(of:)),
            resultLine: req.t("catalogue.results", ["count": String(matters.count)]),
            bundles: req.bundleLinks(req.dependencies.bundles.definitions))
        return try await req.page("catalogue/list", page, title: "catalogue.title")
    }

    @Sendable func show(req: Request) async throws -> Response {
        let matter = try await Self.find(req)
        let locale = req.locale
        let page = MatterPage(
            code: matter.code, name: matter.name(locale), description: matter.description(locale),
            areaLabel: req.t("area.\(matter.area.rawValue)"), department: matter.department.name(locale),
            departmentPath: SiteURL.matters.path + "?department=" + matter.department.code,
            channels: matter.channels.map { req.t("channel.\($0.rawValue)") },
            identityLevel: req.t("identity.level\(matter.identityLevel.rawValue)"),
            timeLimit: req.t("matter.time_limit", ["count": String(matter.timeLimitDays)]),
            fee: req.feeText(matter.feeFen), feeNote: matter.feeNote(locale),
            materials: matter.materials.map { req.materialView($0) },
            ways: try await req.ways(for: matter),
            editPath: AccessPolicy.allows(req.actor, .editCatalogue) ? SiteURL.adminMatter(code: matter.code).path : nil,
            bundles: req.bundleLinks(req.dependencies.bundles.containing(matter: matter.code)))
        return try await PageRenderer.render("catalogue/show", page, title: matter.name(locale), for: req)
    }

    static func find(_ req: Request) async throws -> Matter {
        guard let code = req.parameters.get("code"),
              let matter = try await Matter.query(on: req.db).filter(\.$code == code).with(\.$department).first() else {
            throw AppError.notFound
        }
        return matter
    }
}
