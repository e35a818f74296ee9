import Vapor

/// `GET /api/v1/matters` and `GET /api/v1/matters/{code}`, described in `/openapi.json`.
struct MatterAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.apiMatters.route, use: list)
        routes.get(SiteURL.apiMatter(code: ":code").route, use: show)
    }

    @Sendable func list(req: Request) async throws -> MatterListDTO {
        let matters = try await req.query.decode(CatalogueQuery.self).matters(on: req.db)
        return MatterListDTO(count: matters.count, matters: matters.map(MatterDTO.init))
    }

    @Sendable func show(req: Request) async throws -> MatterDTO {
        MatterDTO(try await CatalogueController.find(req))
    }
}
