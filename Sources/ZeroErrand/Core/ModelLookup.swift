import Fluent
import Vapor

extension Model {
    /// Whether a submitted identifier names a stored row; nil names nothing.
    static func exists(_ id: IDValue?, on database: any Database) async throws -> Bool {
        guard let id else { return false }
        return try await find(id, on: database) != nil
    }
}

extension Model where IDValue == UUID {
    /// The row named by the route's `:id`; a malformed or unknown identifier is the same 404.
    static func find(routeParameter name: String = "id", in request: Request) async throws -> Self {
        guard let id = request.parameters.get(name, as: UUID.self), let model = try await find(id, on: request.db) else {
            throw AppError.notFound
        }
        return model
    }
}
