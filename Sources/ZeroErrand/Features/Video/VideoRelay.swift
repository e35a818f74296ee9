import Fluent
import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Carries room messages between app instances that share one PostgreSQL database: the message
/// is written to `video_signals` and its id announced with NOTIFY; every other instance LISTENs,
/// reads the row and hands it to its own participants. On SQLite there is one instance and
/// nothing to relay.
struct VideoRelay: Sendable {
    let app: Application
    /// NOTIFY channels are database-wide; deployments (and tests) in separate schemas of one
    /// database get a channel each.
    let channel: String

    init?(_ app: Application) {
        guard case .postgres(_, let searchPath) = app.dependencies.config.database else { return nil }
        self.app = app
        channel = "ze_video_" + (searchPath?.first ?? "public").filter { $0.isLetter || $0.isNumber || $0 == "_" }.prefix(40)
    }

    func publish(_ envelope: RoomEnvelope) async {
        do {
            let payload = String(decoding: try JSONEncoder().encode(envelope), as: UTF8.self)
            let signal = VideoSignal(sessionID: envelope.room, payload: payload, now: app.dependencies.clock.now())
            try await signal.create(on: app.db)
            guard let sql = app.db as? any SQLDatabase else { return }
            try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: try signal.requireID().uuidString + "|" + app.instanceID))").run()
        } catch {
            app.logger.warning("video signal not relayed to other instances: \(String(reflecting: error))")
        }
    }

    /// A notification from another instance: fetch its message and deliver it here.
    func receive(_ payload: String) async {
        let parts = payload.split(separator: "|")
        guard parts.count == 2, String(parts[1]) != app.instanceID, let id = UUID(uuidString: String(parts[0])) else { return }
        do {
            guard let signal = try await VideoSignal.find(id, on: app.db) else { return }
            let envelope = try JSONDecoder().decode(RoomEnvelope.self, from: Data(signal.payload.utf8))
            await app.videoRooms.deliver(envelope)
        } catch {
            app.logger.warning("video signal \(id) could not be read: \(error)")
        }
    }

    /// Relayed messages are only needed for the moment it takes other instances to read them.
    static func sweep(_ app: Application) async throws {
        guard VideoRelay(app) != nil else { return }
        try await VideoSignal.query(on: app.db).filter(\.$createdAt < app.dependencies.clock.now().addingTimeInterval(-600)).delete()
    }
}

/// Keeps one connection LISTENing for the relay, reconnecting when it drops.
final class VideoRelayListener: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?
    private let connection = NIOLockedValueBox<PostgresConnection?>(nil)

    /// Boot from `app.boot()` (tests): starts listening without waiting for it.
    func didBoot(_ application: Application) throws {
        _ = try start(application)
    }

    /// Boot from `app.asyncBoot()` (`serve`): waits (briefly) until this instance hears the
    /// others, so a call placed right after start-up is not missed.
    func didBootAsync(_ application: Application) async throws {
        guard let ready = try start(application) else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in ready { return } }
            group.addTask { try? await Task.sleep(for: .seconds(5)) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Keeps a connection LISTENing, reconnecting when it drops; the stream says when it first listens.
    private func start(_ application: Application) throws -> AsyncStream<Void>? {
        guard let relay = VideoRelay(application), case .postgres(let url, _) = application.dependencies.config.database else { return nil }
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        let ready = AsyncStream<Void>.makeStream()
        task = Task {
            var signalled = false
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(on: application.eventLoopGroup.any(), configuration: configuration,
                                                                          id: 1, logger: application.logger).get()
                    self.connection.withLockedValue { $0 = connection }
                    do {
                        try await connection.listen(on: relay.channel) { notifications in
                            if !signalled { ready.continuation.yield(); signalled = true }
                            for try await notification in notifications { await relay.receive(notification.payload) }
                        }
                    } catch {
                        // Closing the connection is how shutdown stops the listener: not worth a warning.
                        if !Task.isCancelled { application.logger.warning("video relay listener stopped: \(String(reflecting: error))") }
                    }
                    try? await connection.close()
                } catch {
                    if !Task.isCancelled { application.logger.warning("video relay cannot connect: \(String(reflecting: error))") }
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        return ready.stream
    }

    func shutdown(_ application: Application) {
        task?.cancel()
        let open: PostgresConnection? = connection.withLockedValue { $0 }
        _ = open?.close() as EventLoopFuture<Void>?
    }

    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        // Closing the connection ends the wait for the next notification.
        try? await connection.withLockedValue { $0 }?.close()
        await task?.value
    }
}
