import Fluent

extension Model {
    /// Whether a submitted identifier names a stored row; nil names nothing.
    static func exists(_ id: IDValue?, on database: any Database) async throws -> Bool {
        guard let id else { return false }
        return try await find(id, on: database) != nil
    }
}
