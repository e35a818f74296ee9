import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The catalogue's matters, held in memory: every case page and office queue shows matters, and
/// they change only when an administrator edits one (or start-up seeds the catalogue). Reading a
/// matter from the database decoded its materials JSON on every request: a sixth of a queue page's
/// time in the profile of issue 15.
///
/// An edit drops this instance's copy once it has committed, and announces itself with a NOTIFY;
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

    /// A matter missing from the copy (added by another instance's start-up whose notice was
    /// missed) makes one fresh load before the answer is nil.
    func matter(_ id: UUID, on db: any Database) async throws -> Matter? {
        if let matter = try await matters(on: db)[id] { return matter }
        drop()
        return try await matters(on: db)[id]
    }

    /// An office's matters in code order.
    func matters(of department: UUID, on db: any Database) async throws -> [Matter] {
        try await matters(on: db).values.filter { $0.$department.id == department }.sorted { $0.code < $1.code }
    }

    func drop() {
        state.withLockedValue { $0.matters = nil; $0.generation += 1 }
    }

    /// Tells the other instances, inside the transaction that edits the catalogue: PostgreSQL
    /// delivers the notice only if it commits. Nothing to tell on SQLite, where one instance serves.
    /// The caller drops its own copy once the transaction has committed (`drop()`): dropped before,
    /// a request in between could load the old matters again and keep them.
    static func announceEdit(on db: any Database, _ app: Application) async throws {
        guard let channel = InstanceListener.channel("catalogue", app), let sql = db as? any SQLDatabase else { return }
        try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: app.instanceID))").run()
    }
}

/// Fluent's eager loading of a case's matter, from the catalogue in memory rather than a read of the
/// matters table: `.withCatalogueMatter(req.catalogue)` where `.with(\.$matter)` would be written.
/// Inside a transaction too: the case is read fresh there, its matter is the copy every page shows
/// (an edit on another instance arrives with its NOTIFY, a moment after it commits).
struct CatalogueMatterLoader: EagerLoader {
    let catalogue: CatalogueCache

    func run(models: [Case], on database: any Database) -> EventLoopFuture<Void> {
        database.eventLoop.makeFutureWithTask {
            for record in models {
                guard let matter = try await catalogue.matter(record.$matter.id, on: database) else {
                    throw Abort(.internalServerError, reason: "case \(record.number) names a matter the catalogue lacks")
                }
                record.$matter.value = matter
            }
        }
    }

    func anyRun(models: [any AnyModel], on database: any Database) -> EventLoopFuture<Void> {
        run(models: models.map { $0 as! Case }, on: database)
    }
}

extension EagerLoadBuilder where Model == Case {
    /// The case's matter from `CatalogueCache`, shared and never changed (see there).
    @discardableResult
    func withCatalogueMatter(_ catalogue: CatalogueCache) -> Self {
        add(loader: CatalogueMatterLoader(catalogue: catalogue))
        return self
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
