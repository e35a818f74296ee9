import Vapor

/// What the room's script gets back from the JSON routes, one shape each.

/// Who has agreed to the recording; `mine` is the recipient's own answer.
struct ConsentDTO: Content, Equatable {
    let agreed: [String]
    let pending: [String]
    let complete: Bool
    var mine: Bool?
}

struct ConsentReplyDTO: Content {
    let consent: ConsentDTO
}

/// What `RTCPeerConnection` takes as its configuration.
struct ICEConfigurationDTO: Content {
    struct Server: Content {
        let urls: [String]
        var username: String?
        var credential: String?
    }
    let iceServers: [Server]
    let iceTransportPolicy: String
}

/// Where an upload stands: everything below `nextChunk` is stored.
struct RecordingProgressDTO: Content {
    var id: String?
    var state: String?
    var acknowledged: Int?
    let nextChunk: Int
}

struct RecordingStoredDTO: Content {
    let sha256: String
    let bytes: Int64
}

/// A chunk out of order: the usual error body, plus the chunk the server expects.
struct ChunkConflictDTO: Content {
    let error: ErrorPageMiddleware.ErrorBody.Detail
    let nextChunk: Int
}
