import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The catalogue's matters, held in memory: every case page and office queue shows matters, and
/// they change only when an administrator edits one (or start-up seeds the catalogue). Reading a
/// matter from the database decoded its materials JSON on every request: a sixth of a queue page's
/// time in the profile of issue 15.
///
/// An edit drops this instance's copy at once and announces itself with a NOTIFY on `channel`;
/// other instances sharing the PostgreSQL database hear it (`InstanceListener`) and drop theirs.
/// The next read loads every matter again. The models are shared by all requests that read them
/// and are never changed: code that edits a matter loads its own copy.
final class CatalogueCache: Sendable {
    private struct State: @unchecked Sendable {
        var matters: [UUID: Matter]?
        /// Counts drops, so that a load that raced an edit is not kept.
        var generation = 0
    }

    private let state = NIOLockedValueBox(State())

    func matters(on db: any Database) async throws -> [UUID: Matter] {
        let (cached, generation) = state.withLockedValue { ($0.matters, $0.generation) }
        if let cached { return cached }
        let loaded = Dictionary(uniqueKeysWithValues: try await Matter.query(on: db).all().map { (try $0.requireID(), $0) })
        state.withLockedValue { if $0.generation == generation { $0.matters = loaded } }
        return loaded
    }

    func matter(_ id: UUID, on db: any Database) async throws -> Matter? {
        try await matters(on: db)[id]
    }

    /// An office's matters in code order.
    func matters(of department: UUID, on db: any Database) async throws -> [Matter] {
        try await matters(on: db).values.filter { $0.$department.id == department }.sorted { $0.code < $1.code }
    }

    func drop() {
        state.withLockedValue { $0.matters = nil; $0.generation += 1 }
    }

    /// NOTIFY channels are database-wide; deployments (and tests) in separate schemas of one
    /// database get a channel each. Nil on SQLite, where one instance serves.
    static func channel(_ app: Application) -> String? {
        guard case .postgres(_, let searchPath) = app.dependencies.config.database else { return nil }
        return "ze_catalogue_" + (searchPath?.first ?? "public").filter { $0.isLetter || $0.isNumber || $0 == "_" }.prefix(40)
    }

    /// After a committed edit: drop this copy, and tell the other instances to drop theirs.
    static func edited(_ app: Application) async {
        app.catalogue.drop()
        guard let channel = channel(app), let sql = app.db as? any SQLDatabase else { return }
        do {
            try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: app.instanceID))").run()
        } catch {
            app.logger.warning("other instances not told of a catalogue edit: \(String(reflecting: error))")
        }
    }
}

extension Application {
    private struct CatalogueCacheKey: StorageKey { typealias Value = CatalogueCache }

    /// Set once by `configure`, before anything runs concurrently.
    var catalogue: CatalogueCache {
        get {
            guard let cache = storage[CatalogueCacheKey.self] else { fatalError("configure sets app.catalogue before it is used") }
            return cache
        }
        set { storage[CatalogueCacheKey.self] = newValue }
    }
}

extension Request {
    var catalogue: CatalogueCache { application.catalogue }
}
