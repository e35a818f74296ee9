import Fluent
import NIOCore
import Vapor
import ZeroErrandCore

/// The call itself: the room page, the ICE servers, consent to recording, and the WebSocket that
/// carries offers, answers and ICE candidates between the room's participants.
struct VideoRoomController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(Require(.manageOwnAccount))
        signedIn.get(SiteURL.videoRoom(id: ":id").route, use: room)
        signedIn.get(SiteURL.videoICE(id: ":id").route, use: ice)
        signedIn.post(SiteURL.videoConsent(id: ":id").route, use: consent)
        signedIn.get(SiteURL.videoSignal(id: ":id").route, use: upgrade)
    }

    /// Open to the invited from booking until the session ends, not only at the appointed time:
    /// a citizen abroad can try camera and connection the day before.
    @Sendable func room(req: Request) async throws -> Response {
        let entry = try await VideoAccess.participant(req)
        let page = try await VideoRoomPage.make(entry, req: req)
        return try await req.page("video/room", page, title: "video.room.title")
    }

    /// STUN and TURN servers; TURN credentials are made per request and expire.
    @Sendable func ice(req: Request) async throws -> ICEConfigurationDTO {
        let entry = try await VideoAccess.participant(req)
        // Relay credentials only while the call can happen.
        guard entry.session.status == .booked else { throw AppError(status: .conflict, key: "video.room.closed") }
        let config = req.dependencies.config.video
        var servers: [ICEConfigurationDTO.Server] = []
        if !config.stunURLs.isEmpty { servers.append(.init(urls: config.stunURLs)) }
        if let secret = config.turnSecret, !config.turnURLs.isEmpty {
            // The label shows in the TURN server's log: the session, never the person.
            let label = "s" + String(try entry.session.requireID().uuidString.lowercased().prefix(8))
            let credentials = TURNCredentials(secret: secret, label: label, now: req.now, lifetime: config.turnLifetime)
            servers.append(.init(urls: config.turnURLs, username: credentials.username, credential: credentials.credential))
        }
        return ICEConfigurationDTO(iceServers: servers, iceTransportPolicy: config.relayOnly ? "relay" : "all")
    }

    /// "I agree to this call being recorded": who and when, in the session and the audit log.
    @Sendable func consent(req: Request) async throws -> ConsentReplyDTO {
        let entry = try await VideoAccess.participant(req)
        guard entry.session.status == .booked else { throw AppError(status: .conflict, key: "video.room.closed") }
        let participantID = try entry.participant.requireID()
        let sessionID = try entry.session.requireID()
        let now = req.now
        let state = try await req.audited { db, audit in
            try await VideoParticipant.query(on: db).filter(\.$id == participantID).filter(\.$consentedAt == nil)
                .set(\.$consentedAt, to: now).update()
            try await audit.record("video.consent_given", "video_session", sessionID.uuidString.lowercased(),
                                   ["participant_role": entry.participant.role.rawValue])
            return try await ConsentState.load(session: sessionID, on: db)
        }
        await req.application.videoRooms.publish(RoomEnvelope(room: sessionID, type: "consent", data: try state.dto().jsonText(),
                                                              consented: state.accounts, instance: req.application.instanceID))
        return ConsentReplyDTO(consent: state.dto(mine: true))
    }

    /// Checks everything before agreeing to the upgrade, in the route itself: an error thrown from
    /// Vapor's `shouldUpgrade` leaves the connection hanging instead of answering 403/404.
    @Sendable func upgrade(req: Request) async throws -> Response {
        try CSRFMiddleware.checkOrigin(of: req)
        let entry = try await VideoAccess.participant(req)
        guard entry.session.status == .booked else { throw AppError(status: .conflict, key: "video.room.closed") }
        guard let peer = req.query[String.self, at: "peer"], PeerID.isValid(peer),
              let account = req.currentAccount, let accountID = account.id else { throw AppError.badRequest }
        let participant = Participant(session: try entry.session.requireID(), peer: peer, account: accountID,
                                      // Officials go unnamed in the room: every browser shows "Official" in its own language.
                                      name: entry.participant.role == .staff ? "" : account.displayName, role: entry.participant.role.rawValue)
        return req.webSocket(maxFrameSize: WebSocketMaxFrameSize(integerLiteral: 1 << 20)) { req, socket in
            // Keeps a quiet call's socket from counting as idle, and notices a peer that vanished.
            // Set on the socket's event loop: setting it sends the first ping and then marks it
            // unanswered, and from another thread a quick pong could land in between, be forgotten,
            // and get the socket closed one interval later (one of 5,000 idle sockets in the bench).
            let interval = TimeAmount.seconds(Int64(max(5, req.dependencies.config.idleTimeout / 3)))
            socket.eventLoop.execute { socket.pingInterval = interval }
            await signal(req: req, socket: socket, participant)
        }
    }

    struct Participant: Sendable {
        let session: UUID
        let peer: String
        let account: UUID
        let name: String
        let role: String
    }

    func signal(req: Request, socket: WebSocket, _ participant: Participant) async {
        let hub = req.application.videoRooms
        // Shutdown waits for this to end before the database closes (presence is written last).
        await hub.handlerStarted()
        await handle(req: req, socket: socket, participant, hub: hub)
        await hub.handlerEnded()
    }

    private func handle(req: Request, socket: WebSocket, _ participant: Participant, hub: VideoRoomHub) async {
        let sessionID = participant.session, peer = participant.peer, accountID = participant.account
        // One reader in arrival order: an offer must reach the others before its ICE candidates.
        let (texts, feed) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(256))
        // Set on the socket's event loop, in order: the async variant would start a task per message.
        socket.eventLoop.execute { socket.onText { _, text in feed.yield(text) } }
        socket.onClose.whenComplete { _ in feed.finish() }
        let clock = req.dependencies.clock
        let consent = (try? await ConsentState.load(session: sessionID, on: req.db)) ?? ConsentState(agreed: [], pending: [], accounts: [])
        let recording = ((try? await VideoRecording.query(on: req.db).filter(\.$session.$id == sessionID)
            .filter(\.$status == .recording).count()) ?? 0) > 0
        let consentJSON = (try? consent.dto(mine: consent.accounts.contains(accountID)).jsonText()) ?? "{}"
        // Recorded before the room says welcome, with the moment the socket arrived: whoever hears
        // the welcome can rely on the row being there.
        var presence: VideoPresence? = VideoPresence(sessionID: sessionID, accountID: accountID, joinedAt: clock.now())
        do { try await presence?.create(on: req.db) } catch {
            req.logger.warning("video presence not recorded: \(String(reflecting: error))")
            presence = nil
        }
        let result = await hub.join(room: sessionID, peer: peer, account: accountID, name: participant.name,
                                    role: participant.role, socket: socket) { others in
            let peers = String(decoding: (try? JSONSerialization.data(withJSONObject: others, options: [.sortedKeys])) ?? Data("[]".utf8), as: UTF8.self)
            return #"{"consent":\#(consentJSON),"peer":"\#(peer)","peers":\#(peers),"recording":\#(recording),"type":"welcome"}"#
        }
        switch result {
        case .joined: break
        case .full, .peerTaken:
            // Never in the room: no presence either.
            try? await presence?.delete(on: req.db)
            if result == .full { try? await socket.send(#"{"type":"full"}"#) }
            try? await socket.close(code: .policyViolation)
            return
        }
        var limiter = RateLimiter(perSecond: 40, burst: 100, now: clock.now())
        for await text in texts {
            // Too fast, too large or not a signal: dropped, and the room carries on.
            guard limiter.allow(now: clock.now()), let message = SignalMessage.parse(text) else { continue }
            await hub.relay(room: sessionID, from: peer, message)
        }
        await hub.leave(room: sessionID, peer: peer, socket: socket)
        if let presence {
            presence.leftAt = clock.now()
            try? await presence.update(on: req.db)
        }
    }
}

extension Encodable {
    /// Compact JSON text, for messages sent over the room's socket.
    func jsonText() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }
}
