import Fluent
import Vapor

/// `GET /metrics`: Prometheus's text format, for the addresses an operator allows
/// (`AppConfig.metricsAllowed`); anyone else gets the same 404 as a route that does not exist.
struct MetricsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics", use: scrape)
    }

    @Sendable func scrape(req: Request) async throws -> Response {
        guard req.dependencies.config.metricsAllowed.contains(req.clientAddress) else { throw AppError.notFound }
        let metrics = req.application.metrics
        // Read now rather than kept up to date: both are cheap through their indexes (migration 019).
        metrics.set("zeroerrand_outbox_backlog", try await OutboxMail.query(on: req.db).filter(\.$sentAt == nil).filter(\.$deadAt == nil).count())
        metrics.set("zeroerrand_outbox_given_up", try await OutboxMail.query(on: req.db).filter(\.$deadAt != nil).count())
        let video = await req.application.videoRooms.localCounts()
        metrics.set("zeroerrand_video_rooms_open", video.rooms)
        metrics.set("zeroerrand_video_sockets_open", video.sockets)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        headers.cacheControl = .init(noStore: true)
        return Response(status: .ok, headers: headers, body: .init(string: metrics.registry.emitToString()))
    }
}
