import Fluent
import Foundation
import ZeroErrandCore

/// A recording of a session. While the staff member's browser uploads it, its chunks are stored
/// one by one (each acknowledged only once it is on disk); at the end they are joined into one
/// encrypted file whose SHA-256 goes into the audit log.
final class VideoRecording: Model, @unchecked Sendable {
    static let schema = "video_recordings"

    enum Status: String, Codable, Sendable { case recording, complete, purged }

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: VideoSession
    @Parent(key: "case_id") var caseRecord: Case
    @Parent(key: "started_by") var startedBy: Account
    @Field(key: "status") var status: Status
    @Field(key: "mime_type") var mimeType: String
    /// The chunk number the server expects next; everything below it is acknowledged.
    @Field(key: "next_chunk") var nextChunk: Int
    @Field(key: "received_bytes") var receivedBytes: Int64
    @OptionalField(key: "storage_name") var storageName: String?
    @OptionalField(key: "wrapped_key") var wrappedKey: WrappedKey?
    @OptionalField(key: "sha256") var sha256: String?
    @OptionalField(key: "size") var size: Int64?
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "completed_at") var completedAt: Date?
    /// When the retention period for the matter ends; `zeroerrand recordings-expire` deletes it then.
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @OptionalField(key: "purged_at") var purgedAt: Date?

    init() {}
}

final class VideoRecordingChunk: Model, @unchecked Sendable {
    static let schema = "video_recording_chunks"

    @ID(key: .id) var id: UUID?
    @Parent(key: "recording_id") var recording: VideoRecording
    @Field(key: "sequence") var sequence: Int
    @Field(key: "storage_name") var storageName: String
    @Field(key: "wrapped_key") var wrappedKey: WrappedKey
    @Field(key: "sha256") var sha256: String
    @Field(key: "size") var size: Int64

    init() {}
}

/// A signalling message on its way to the room's participants on other app instances
/// (PostgreSQL NOTIFY carries only its id: payloads such as SDP offers outgrow NOTIFY's 8000 bytes).
final class VideoSignal: Model, @unchecked Sendable {
    static let schema = "video_signals"

    @ID(key: .id) var id: UUID?
    @Field(key: "session_id") var sessionID: UUID
    @Field(key: "payload") var payload: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(sessionID: UUID, payload: String, now: Date) {
        self.sessionID = sessionID
        self.payload = payload
        self.createdAt = now
    }
}
