import Vapor

/// Serves the hand-written OpenAPI document; a test checks it describes every `/api/v1` route.
struct OpenAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.openAPI.route, use: document)
    }

    @Sendable func document(req: Request) async throws -> Response {
        let path = req.dependencies.config.resourcesDirectory + "OpenAPI/openapi.json"
        guard let data = FileManager.default.contents(atPath: path) else { throw AppError.notFound }
        return Response(status: .ok, body: .init(data: data)).with(contentType: .json)
    }
}
