import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Vapor

/// Carries room messages between app instances that share one PostgreSQL database: the message
/// is written to `video_signals` and its id announced with NOTIFY; every other instance LISTENs,
/// reads the row and hands it to its own participants. On SQLite there is one instance and
/// nothing to relay.
struct VideoRelay: Sendable {
    let app: Application
    let channel: String

    init?(_ app: Application) {
        guard let channel = InstanceListener.channel("video", app) else { return nil }
        self.app = app
        self.channel = channel
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
