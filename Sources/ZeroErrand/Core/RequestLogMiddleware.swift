import Vapor

/// Logs and counts each request by its route's pattern and status (`GET /queue/:token 200`), never
/// the path as typed: paths carry capability tokens (walk-in tickets, verification links) that must
/// not reach the logs or the metrics. A path that matched no route is named "(no route)".
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next.respond(to: request)
            log(request, status: response.status.code, since: started)
            return response
        } catch {
            log(request, status: (error as? any AbortError)?.status.code ?? 500, since: started)
            throw error
        }
    }

    private func log(_ request: Request, status: UInt, since started: ContinuousClock.Instant) {
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "(no route)"
        request.logger.info("\(request.method) \(route) \(status)")
        request.application.metrics.request(method: request.method.rawValue, route: route, status: status,
                                            duration: ContinuousClock.now - started)
    }
}
