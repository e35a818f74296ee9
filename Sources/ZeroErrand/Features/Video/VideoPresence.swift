import Fluent
import Foundation
import ZeroErrandCore

/// One stretch of time a person's socket was connected to a session's room, as the server saw it.
/// "Identity confirmed" needs the citizen and the official here together (see `CoPresence`).
final class VideoPresence: Model, @unchecked Sendable {
    static let schema = "video_presence"

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: VideoSession
    @Parent(key: "account_id") var account: Account
    @Field(key: "joined_at") var joinedAt: Date
    /// Nil while connected (or if the instance died; see `intervals`).
    @OptionalField(key: "left_at") var leftAt: Date?

    init() {}

    init(sessionID: UUID, accountID: UUID, joinedAt: Date) {
        $session.id = sessionID
        $account.id = accountID
        self.joinedAt = joinedAt
    }

    /// The account's time in the room. A stretch without an end counts up to `now` only while the
    /// room says the account is connected; otherwise its instance died and it counts nothing.
    static func intervals(session: UUID, account: UUID, connectedNow: Bool, now: Date,
                          on db: any Database) async throws -> [CoPresence.Interval] {
        try await query(on: db).filter(\.$session.$id == session).filter(\.$account.$id == account).all().map {
            CoPresence.Interval(start: $0.joinedAt, end: $0.leftAt ?? (connectedNow ? now : $0.joinedAt))
        }
    }
}
