import Fluent
import Vapor
import ZeroErrandCore

/// Recording a call: the staff member's browser uploads numbered chunks as it records; each is
/// acknowledged only once it is stored, so a dropped connection resumes from the last
/// acknowledged one. At the end the chunks become one encrypted file linked to the case.
struct VideoRecordingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(Require(.manageOwnAccount))
        signedIn.post(SiteURL.videoRecordings(id: ":id").route, use: start)
        signedIn.get(SiteURL.videoRecording(id: ":id", recording: ":recording").route, use: status)
        signedIn.on(.PUT, SiteURL.videoRecordingChunk(id: ":id", recording: ":recording", chunk: ":chunk").route,
                    body: .stream, use: chunk)
        signedIn.post(SiteURL.videoRecordingFinish(id: ":id", recording: ":recording").route, use: finish)
        signedIn.grouped(Require(.staffWorkspace))
            .get(SiteURL.officeVideoRecordingFile(id: ":id", recording: ":recording").route, use: download)
    }

    struct StartForm: Content { var mimeType: String? }

    @Sendable func start(req: Request) async throws -> Response {
        let entry = try await VideoAccess.staff(req)
        guard entry.session.status == .booked else { throw AppError(status: .conflict, key: "video.room.closed") }
        let sessionID = try entry.session.requireID()
        let mime = (try? req.content.decode(StartForm.self).mimeType) ?? nil
        guard let mime, mime.hasPrefix("video/webm") || mime.hasPrefix("audio/webm") else {
            throw AppError(status: .unprocessableEntity, key: "video.recording.bad_type")
        }
        let now = req.now
        let recording = try await req.audited { db, audit in
            guard try await ConsentState.load(session: sessionID, on: db).complete else {
                throw AppError(status: .conflict, key: "video.recording.needs_consent")
            }
            let recording = VideoRecording()
            recording.$session.id = sessionID
            recording.$caseRecord.id = try entry.record.requireID()
            recording.$startedBy.id = try req.requireAccount().requireID()
            recording.status = .recording
            recording.mimeType = mime.hasPrefix("audio/") ? "audio/webm" : "video/webm"
            recording.nextChunk = 0
            recording.receivedBytes = 0
            recording.startedAt = now
            try await recording.create(on: db)
            try await audit.record("video.recording_started", "video_recording", try recording.requireID().uuidString.lowercased(),
                                   ["session": sessionID.uuidString.lowercased()])
            return recording
        }
        await req.application.videoRooms.publish(RoomEnvelope(room: sessionID, type: "recording", data: #"{"state":"on"}"#,
                                                              instance: req.application.instanceID))
        return try await RecordingProgressDTO(id: try recording.requireID().uuidString.lowercased(), nextChunk: 0).encodeResponse(status: .created, for: req)
    }

    @Sendable func status(req: Request) async throws -> RecordingProgressDTO {
        let (_, recording) = try await ownRecording(req)
        return RecordingProgressDTO(id: try recording.requireID().uuidString.lowercased(), state: recording.status.rawValue,
                                    nextChunk: recording.nextChunk)
    }

    @Sendable func chunk(req: Request) async throws -> Response {
        let (_, recording) = try await ownRecording(req)
        let recordingID = try recording.requireID()
        guard recording.status == .recording else { throw AppError(status: .conflict, key: "video.recording.finished") }
        guard let number = req.parameters.get("chunk", as: Int.self), number >= 0 else { throw AppError.badRequest }
        if number < recording.nextChunk {
            // Sent again after a lost acknowledgement: it is already stored.
            return try await RecordingProgressDTO(acknowledged: number, nextChunk: recording.nextChunk).encodeResponse(for: req)
        }
        guard number == recording.nextChunk else { return try await expected(recording.nextChunk, req: req) }
        let config = req.dependencies.config.video
        let room = config.recordingLimit - Int(recording.receivedBytes)
        guard room > 0 else { throw AppError(status: .payloadTooLarge, key: "video.recording.too_large") }
        let store = req.dependencies.documents
        let blob: DocumentStore.Blob
        do {
            blob = try await store.storeBytes(req.body, limit: min(config.chunkLimit, room))
        } catch is UploadTooLarge {
            throw AppError(status: .payloadTooLarge, key: "video.recording.too_large")
        } catch DocumentStore.StoreError.empty {
            throw AppError(status: .unprocessableEntity, key: "video.recording.empty_chunk")
        }
        do {
            try await req.db.transaction { db in
                let piece = VideoRecordingChunk()
                piece.$recording.id = recordingID
                piece.sequence = number
                piece.storageName = blob.storageName
                piece.wrappedKey = blob.wrappedKey
                piece.sha256 = blob.sha256
                piece.size = blob.size
                try await piece.create(on: db)
                try await VideoRecording.query(on: db).filter(\.$id == recordingID).filter(\.$nextChunk == number)
                    .set(\.$nextChunk, to: number + 1).set(\.$receivedBytes, to: recording.receivedBytes + blob.size).update()
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same chunk arrived twice at once and the other copy won.
            store.remove(storageName: blob.storageName)
            return try await RecordingProgressDTO(acknowledged: number, nextChunk: number + 1).encodeResponse(for: req)
        } catch {
            store.remove(storageName: blob.storageName)
            throw error
        }
        return try await RecordingProgressDTO(acknowledged: number, nextChunk: number + 1).encodeResponse(for: req)
    }

    struct FinishForm: Content {
        var chunks: Int
        var sha256: String
    }

    @Sendable func finish(req: Request) async throws -> Response {
        let (entry, recording) = try await ownRecording(req)
        let recordingID = try recording.requireID()
        guard let form = try? req.content.decode(FinishForm.self) else { throw AppError.badRequest }
        if recording.status == .complete, recording.sha256 == form.sha256.lowercased() {
            return try await RecordingStoredDTO(sha256: recording.sha256 ?? "", bytes: recording.size ?? 0).encodeResponse(for: req)
        }
        guard recording.status == .recording else { throw AppError(status: .conflict, key: "video.recording.finished") }
        guard form.chunks == recording.nextChunk, form.chunks > 0 else { return try await expected(recording.nextChunk, req: req) }
        let chunks = try await VideoRecordingChunk.query(on: req.db).filter(\.$recording.$id == recordingID).sort(\.$sequence).all()
        let store = req.dependencies.documents
        let whole = try await store.storeBytes(RecordingChunks(chunks: chunks, store: store), limit: req.dependencies.config.video.recordingLimit)
        guard whole.sha256 == form.sha256.lowercased() else {
            store.remove(storageName: whole.storageName)
            throw AppError(status: .unprocessableEntity, key: "video.recording.hash_mismatch")
        }
        let now = req.now
        let retention = req.dependencies.recordingRetention.days(for: entry.record.matter)
        let sessionID = try entry.session.requireID()
        do {
            try await req.audited { db, audit in
                // A retried finish may have overtaken this one while the chunks were being joined.
                guard let recording = try await VideoRecording.find(recordingID, on: db), recording.status == .recording else {
                    throw AppError(status: .conflict, key: "video.recording.finished")
                }
                recording.status = .complete
                recording.storageName = whole.storageName
                recording.wrappedKey = whole.wrappedKey
                recording.sha256 = whole.sha256
                recording.size = whole.size
                recording.completedAt = now
                recording.expiresAt = now.addingTimeInterval(TimeInterval(retention) * 86400)
                try await recording.update(on: db)
                try await VideoRecordingChunk.query(on: db).filter(\.$recording.$id == recordingID).delete()
                try await CaseEvent(caseID: try entry.record.requireID(), at: now, actorID: req.currentAccount?.id, kind: .video,
                                    name: "video_recorded", statusAfter: nil).create(on: db)
                try await audit.record("video.recording_stored", "video_recording", recordingID.uuidString.lowercased(),
                                       ["session": sessionID.uuidString.lowercased(), "case": entry.record.number,
                                        "sha256": whole.sha256, "bytes": String(whole.size), "retention_days": String(retention)])
            }
        } catch {
            store.remove(storageName: whole.storageName)
            throw error
        }
        for piece in chunks { store.remove(storageName: piece.storageName) }
        await req.application.videoRooms.publish(RoomEnvelope(room: sessionID, type: "recording", data: #"{"state":"off"}"#,
                                                              instance: req.application.instanceID))
        return try await RecordingStoredDTO(sha256: whole.sha256, bytes: whole.size).encodeResponse(for: req)
    }

    /// Staff of the case's department only (invited or not); every viewing is audited, once per
    /// person and recording in a while (a player seeking asks for many ranges).
    @Sendable func download(req: Request) async throws -> Response {
        let (session, record) = try await VideoAccess.officeSession(req)
        guard let recordingID = req.parameters.get("recording", as: UUID.self),
              let recording = try await VideoRecording.query(on: req.db).filter(\.$id == recordingID)
                .filter(\.$session.$id == session.requireID()).filter(\.$status == .complete).first(),
              let storageName = recording.storageName, let key = recording.wrappedKey, let sha256 = recording.sha256,
              let size = recording.size else {
            throw AppError.notFound
        }
        let response = try await req.dependencies.documents.response(for: req, storageName: storageName, wrappedKey: key,
                                                                     expectedSHA256: sha256, size: size)
        if response.status != .rangeNotSatisfiable {
            try await CaseAccess.auditViewOnce(req, "video.recording_viewed", "video_recording", recordingID.uuidString.lowercased(),
                                               ["case": record.number])
        }
        response.headers.contentType = HTTPMediaType(type: recording.mimeType.hasPrefix("audio") ? "audio" : "video", subType: "webm")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"recording-\(record.number).webm\"")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "X-Content-SHA256", value: sha256)
        return response
    }

    /// The recording named in the path, of a session the signed-in staff member is invited to.
    private func ownRecording(_ req: Request) async throws -> (VideoAccess.Entry, VideoRecording) {
        let entry = try await VideoAccess.staff(req)
        guard let id = req.parameters.get("recording", as: UUID.self),
              let recording = try await VideoRecording.query(on: req.db).filter(\.$id == id)
                .filter(\.$session.$id == entry.session.requireID()).first() else { throw AppError.notFound }
        return (entry, recording)
    }

    /// 409 naming the chunk the server expects, so the recorder resumes from there.
    private func expected(_ next: Int, req: Request) async throws -> Response {
        let key = "video.recording.out_of_order"
        return try await ChunkConflictDTO(error: .init(status: 409, code: key, message: req.t(key)), nextChunk: next).encodeResponse(status: .conflict, for: req)
    }
}

/// The stored chunks of a recording, decrypted one after another, as one byte stream.
struct RecordingChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let chunks: [VideoRecordingChunk]
    let store: DocumentStore

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: ArraySlice<VideoRecordingChunk>
        let store: DocumentStore
        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = remaining.popFirst() else { return nil }
            return ByteBuffer(data: try await store.read(storageName: chunk.storageName, wrappedKey: chunk.wrappedKey, expectedSHA256: chunk.sha256))
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: chunks[...], store: store) }
}
