import RoutingKit
import Vapor

/// A path that exists but not for this method is answered 405 with `Allow`, as HTTP says, not 404.
/// The paths come from the app's route table, read once when the first such miss happens.
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    let routes: @Sendable () -> [Route]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as RouteNotFound {
            // The router found nothing for this method (a handler's own 404 is an AppError).
            let path = request.url.path.split(separator: "/").map(String.init)
            let allowed = routes().filter { Self.matches($0.path, path) }.map(\.method.rawValue)
            guard !allowed.isEmpty else { throw error }
            let methods = Set(allowed + (allowed.contains("GET") ? ["HEAD"] : [])).sorted()
            throw AppError(status: .methodNotAllowed, key: "error.method_not_allowed", allow: methods.joined(separator: ", "))
        }
    }

    static func matches(_ pattern: [PathComponent], _ path: [String]) -> Bool {
        if pattern.last == .catchall {
            return path.count >= pattern.count - 1 && matches(Array(pattern.dropLast()), Array(path.prefix(pattern.count - 1)))
        }
        guard pattern.count == path.count else { return false }
        return zip(pattern, path).allSatisfy { component, part in
            switch component {
            case .constant(let text): text == part
            case .parameter, .anything: true
            case .catchall: true
            }
        }
    }
}
