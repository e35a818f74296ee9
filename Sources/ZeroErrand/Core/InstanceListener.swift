import Fluent
import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Keeps one connection LISTENing for what other app instances sharing the PostgreSQL database
/// announce: video room messages (`VideoRelay`) and catalogue edits (`CatalogueCache`);
/// reconnecting when it drops.
final class InstanceListener: LifecycleHandler, @unchecked Sendable {
    /// NOTIFY channels are database-wide: deployments (and tests) in separate schemas of one
    /// database get a channel each, `ze_<topic>_<schema>`. Nil on SQLite, where one instance serves.
    static func channel(_ topic: String, _ app: Application) -> String? {
        guard case .postgres(_, let searchPath) = app.dependencies.config.database else { return nil }
        return "ze_\(topic)_" + (searchPath?.first ?? "public").filter { $0.isLetter || $0.isNumber || $0 == "_" }.prefix(40)
    }

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

    /// Keeps a connection LISTENing, reconnecting when it drops; the stream yields each time it listens.
    private func start(_ application: Application) throws -> AsyncStream<Void>? {
        guard let relay = VideoRelay(application), let catalogue = Self.channel("catalogue", application),
              case .postgres(let url, _) = application.dependencies.config.database else { return nil }
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        let ready = AsyncStream<Void>.makeStream()
        task = Task {
            var reconnecting = false
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(on: application.eventLoopGroup.any(), configuration: configuration,
                                                                          id: 1, logger: application.logger).get()
                    self.connection.withLockedValue { $0 = connection }
                    // Edits announced while the connection was down went unheard (the first
                    // connection follows start-up's own read of the catalogue).
                    if reconnecting { application.catalogue.drop() }
                    do {
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask {
                                try await connection.listen(on: relay.channel) { notifications in
                                    // Start-up waits for the first listen only; later ones have nobody to tell.
                                    ready.continuation.yield()
                                    ready.continuation.finish()
                                    for try await notification in notifications { await relay.receive(notification.payload) }
                                }
                            }
                            group.addTask {
                                try await connection.listen(on: catalogue) { notifications in
                                    for try await notification in notifications where notification.payload != application.instanceID {
                                        application.catalogue.drop()
                                    }
                                }
                            }
                            // Either ending means the connection is gone: reconnect for both.
                            try await group.next()
                            group.cancelAll()
                        }
                    } catch {
                        // Closing the connection is how shutdown stops the listener: not worth a warning.
                        if !Task.isCancelled { application.logger.warning("instance listener stopped: \(String(reflecting: error))") }
                    }
                    try? await connection.close()
                } catch {
                    if !Task.isCancelled { application.logger.warning("instance listener cannot connect: \(String(reflecting: error))") }
                }
                reconnecting = true
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
