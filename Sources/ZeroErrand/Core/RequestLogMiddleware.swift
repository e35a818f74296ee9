import Vapor

/// Logs each request by its route's pattern and status (`GET /queue/:token 200`), never the path
/// as typed: paths carry capability tokens (walk-in tickets, verification links) that must not
/// reach the logs. A path that matched no route is logged without its text.
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            let response = try await next.respond(to: request)
            log(request, status: response.status.code)
            return response
        } catch {
            log(request, status: (error as? any AbortError)?.status.code ?? 500)
            throw error
        }
    }

    private func log(_ request: Request, status: UInt) {
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "(no route)"
        request.logger.info("\(request.method) \(route) \(status)")
    }
}
