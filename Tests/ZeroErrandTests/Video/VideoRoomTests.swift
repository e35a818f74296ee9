import Crypto
import NIOConcurrencyHelpers
import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Video rooms and signalling")
struct VideoRoomTests {
    /// A signed-in staff member of another office (or of this one, not invited).
    static func staff(_ app: Application, _ clock: ManualClock, department: String) async throws -> TestBrowser {
        let email = Inbox.uniqueAddress("staff"), secret = testSecret(90)
        try await TestAccounts.make(app, email: email, kind: .staff, roles: [.clerk], departmentCode: department, totpSecret: secret)
        let browser = TestBrowser(app)
        try await browser.signIn(email, totp: secret, clock: clock)
        return browser
    }

    @Test("Only invited people enter a room; everyone else gets 404 (or 403 outside their workspace) and no bytes")
    func authorization() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let (caseID, session) = try await world.bookedSession()
            let sid = try session.requireID().uuidString.lowercased()
            let (stranger, _) = try await world.anotherCitizen("stranger")
            let colleague = try await Self.staff(app, clock, department: "wz-psb-wuma")
            let elsewhere = try await Self.staff(app, clock, department: "wz-psb-liao")

            #expect(try await world.citizen.get("/video/\(sid)").body.contains("id=\"video-room\""))
            #expect(try await world.clerk.get("/video/\(sid)").body.contains("id=\"record-start\""))
            #expect(!(try await world.citizen.get("/video/\(sid)").body.contains("id=\"record-start\"")))
            for browser in [stranger, colleague, elsewhere] {
                for path in ["/video/\(sid)", "/video/\(sid)/ice"] {
                    let page = try await browser.get(path)
                    #expect(page.status == .notFound, "\(path)")
                    #expect(!page.body.contains(world.base.citizenAccount.displayName))
                }
                #expect(try await browser.json(.POST, "/video/\(sid)/consent").status == .notFound)
                #expect(try await browser.json(.POST, "/video/\(sid)/recordings", ["mimeType": "video/webm"]).status == .notFound)
            }
            #expect(try await stranger.get("/cases/\(caseID)/video").status == .notFound)
            #expect(try await stranger.post("/cases/\(caseID)/video/\(sid)/cancel").status == .notFound)
            #expect(try await stranger.post("/cases/\(caseID)/video", ["start": String(Int(session.startsAt.timeIntervalSince1970))]).status == .notFound)
            #expect(try await elsewhere.post("/office/video/\(sid)/cancel").status == .notFound)
            #expect(try await colleague.post("/office/video/\(sid)/outcome", ["outcome": "identity_confirmed", "note": "x"]).status == .notFound)
            #expect(try await colleague.post("/office/video/\(sid)/participants", ["account": UUID().uuidString]).status == .notFound)
            #expect(try await stranger.get("/office/video").status == .forbidden)
            let rule = try #require(try await VideoAvailability.query(on: app.db).first())
            #expect(try await colleague.post("/office/video/availability/\(try rule.requireID())/delete").status == .notFound)
            #expect(try await VideoAvailability.query(on: app.db).count() == 1)
            #expect(try await VideoSession.find(session.requireID(), on: app.db)?.status == .booked)

            // The invited official brings a colleague in; the colleague may then enter.
            let colleagueID = try #require(try await Account.query(on: app.db).filter(\.$department.$id == session.$department.id)
                .filter(\.$roles == [.clerk]).first()?.id)
            #expect(try await world.clerk.post("/office/video/\(sid)/participants", ["account": colleagueID.uuidString]).status == .seeOther)
            #expect(try await colleague.get("/video/\(sid)").status == .ok)
            #expect(try await elsewhere.get("/video/\(sid)").status == .notFound)
        }
    }

    @Test("ICE servers: STUN, and TURN credentials in coturn's REST scheme that expire")
    func iceServers() async throws {
        try await withTestApp { (app, clock) async throws in
            app.dependencies.config.video = try VideoConfig.load([
                "ZE_STUN_URLS": "stun:127.0.0.1:3478", "ZE_TURN_URLS": "turn:127.0.0.1:3478?transport=udp",
                "ZE_TURN_SECRET": "shared-secret", "ZE_TURN_TTL_SECONDS": "600", "ZE_ICE_RELAY_ONLY": "true",
            ].get)
            let world = try await VideoWorld.make(app, clock)
            let (_, session) = try await world.bookedSession()
            let page = try await world.citizen.get("/video/\(try session.requireID())/ice")
            #expect(page.status == .ok)
            #expect(page.headers.first(name: .cacheControl)?.contains("no-store") == true)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(page.bytes)) as? [String: Any])
            #expect(json["iceTransportPolicy"] as? String == "relay")
            let servers = try #require(json["iceServers"] as? [[String: Any]])
            #expect(servers.first?["urls"] as? [String] == ["stun:127.0.0.1:3478"])
            let turn = try #require(servers.last)
            let username = try #require(turn["username"] as? String)
            let expiry = try #require(Int(username.split(separator: ":")[0]))
            #expect(expiry == Int(clock.now.timeIntervalSince1970) + 600)
            #expect(!username.contains(world.base.citizenAccount.email) && !username.contains(world.base.citizenAccount.displayName))
            let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(username.utf8), using: SymmetricKey(data: Data("shared-secret".utf8)))
            #expect(turn["credential"] as? String == Data(mac).base64EncodedString())
        }
    }

    @Test("Settings that make no sense stop start-up with their name")
    func iceSettings() throws {
        #expect(throws: AppConfig.Invalid.self) { try VideoConfig.load(["ZE_TURN_URLS": "turn:x"].get) }
        #expect(throws: AppConfig.Invalid.self) { try VideoConfig.load(["ZE_STUN_URLS": "http://x"].get) }
        #expect(throws: AppConfig.Invalid.self) { try VideoConfig.load(["ZE_ICE_RELAY_ONLY": "true"].get) }
        #expect(throws: AppConfig.Invalid.self) { try VideoConfig.load(["ZE_TURN_TTL_SECONDS": "5"].get) }
    }

    @Test("A citizen never sees an official's name in the room: not on the page, not in the socket's messages")
    func officialsUnnamed() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let (_, session) = try await world.bookedSession()
            let sid = try session.requireID()
            let clerkName = world.base.clerkAccount.displayName
            let page = try await world.citizen.get("/video/\(sid)")
            #expect(page.status == .ok && !page.body.contains(clerkName))
            #expect(page.body.contains(app.dependencies.translator.text("video.js.official", .en)))
            #expect(try await world.clerk.get("/video/\(sid)").body.contains(clerkName), "colleagues' own page still names them")
            let port = try await app.startServer()
            let citizen = try await SignalClient.connect(app, port: port, session: sid, as: world.citizen)
            #expect(try await citizen.next("welcome") != nil)
            let clerk = try await SignalClient.connect(app, port: port, session: sid, as: world.clerk)
            #expect(try await clerk.next("welcome") != nil)
            let join = try #require(try await citizen.next("join"))
            #expect(join["role"] as? String == "staff" && (join["name"] as? String ?? "") == "")
            #expect(try await world.clerk.json(.POST, "/video/\(sid)/consent").status == .ok)
            let consent = try #require(try await citizen.next("consent"))
            #expect(!"\(consent)".contains(clerkName))
            try await citizen.close()
            try await clerk.close()
        }
    }

    @Test("An official moved to another office, or suspended, loses the room at once: socket closed, page, outcome and identity refused")
    func movedOfficialLosesTheRoom() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let (caseID, session) = try await world.bookedSession()
            let sid = try session.requireID()
            clock.advance(by: session.startsAt.timeIntervalSince(clock.now))
            try await world.base.signInAgain()
            let port = try await app.startServer()
            let citizen = try await SignalClient.connect(app, port: port, session: sid, as: world.citizen)
            let clerk = try await SignalClient.connect(app, port: port, session: sid, as: world.clerk)
            #expect(try await clerk.next("welcome") != nil)
            clock.advance(by: 300)

            let admin = try await TestAccounts.make(app, email: Inbox.uniqueAddress("admin"), kind: .admin, totpSecret: testSecret(91))
            let adminBrowser = TestBrowser(app)
            try await adminBrowser.signIn(admin.email, totp: testSecret(91), clock: clock)
            let other = try #require(try await Department.query(on: app.db).filter(\.$id != session.$department.id).first())
            let clerkID = try world.base.clerkAccount.requireID()
            let moved = try await adminBrowser.post("/admin/staff/\(clerkID)", pairs: [
                ("email", world.base.clerkAccount.email), ("displayName", "Clerk"), ("kind", "staff"),
                ("department", try other.requireID().uuidString), ("roles[]", "clerk"), ("roles[]", "supervisor")])
            #expect(moved.status == .seeOther)
            for _ in 0..<100 where !clerk.isClosed { try await Task.sleep(for: .milliseconds(20)) }
            #expect(clerk.isClosed)
            #expect(!citizen.isClosed)

            #expect(try await world.clerk.get("/video/\(sid)").status == .notFound)
            let outcome = try await world.clerk.post("/office/video/\(sid)/outcome", ["outcome": "identity_confirmed", "note": "seen"])
            #expect(outcome.status == .notFound)
            #expect(try await VideoSession.find(sid, on: app.db)?.status == .booked)
            #expect(try await Account.find(world.base.citizenAccount.requireID(), on: app.db)?.identityVerifiedAt == nil)
            #expect(try await Case.find(caseID, on: app.db)?.status == .submitted)

            // An invited colleague who is suspended loses their socket the same way.
            let colleague = try await TestAccounts.make(app, email: Inbox.uniqueAddress("colleague"), kind: .staff, roles: [.clerk],
                                                        departmentCode: nil, totpSecret: testSecret(92))
            colleague.$department.id = session.$department.id
            try await colleague.update(on: app.db)
            try await VideoParticipant(sessionID: sid, accountID: colleague.requireID(), role: .staff).create(on: app.db)
            let colleagueBrowser = TestBrowser(app)
            try await colleagueBrowser.signIn(colleague.email, totp: testSecret(92), clock: clock)
            let colleagueSocket = try await SignalClient.connect(app, port: port, session: sid, as: colleagueBrowser)
            #expect(try await colleagueSocket.next("welcome") != nil)
            #expect(try await adminBrowser.post("/admin/staff/\(try colleague.requireID())/suspension").status == .seeOther)
            for _ in 0..<100 where !colleagueSocket.isClosed { try await Task.sleep(for: .milliseconds(20)) }
            #expect(colleagueSocket.isClosed)
            try await citizen.close()
        }
    }

    @Test("Offers, answers and candidates reach only the named participant; junk, floods and oversized messages are dropped and the room carries on")
    func signalling() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let (_, session) = try await world.bookedSession()
            let sid = try session.requireID()
            let port = try await app.startServer()

            let citizen = try await SignalClient.connect(app, port: port, session: sid, as: world.citizen)
            let welcome = try #require(try await citizen.next("welcome"))
            #expect((welcome["peers"] as? [Any])?.isEmpty == true)
            let clerk = try await SignalClient.connect(app, port: port, session: sid, as: world.clerk)
            let clerkWelcome = try #require(try await clerk.next("welcome"))
            #expect((clerkWelcome["peers"] as? [[String: Any]])?.first?["peer"] as? String == citizen.peer)
            let join = try #require(try await citizen.next("join"))
            #expect(join["from"] as? String == clerk.peer && join["role"] as? String == "staff")

            try await citizen.send(["type": "offer", "to": clerk.peer, "data": ["type": "offer", "sdp": "v=0 citizen"]])
            let offer = try #require(try await clerk.next("offer"))
            #expect(offer["from"] as? String == citizen.peer)
            #expect((offer["data"] as? [String: Any])?["sdp"] as? String == "v=0 citizen")

            // Junk of every kind, then one good candidate: only the candidate arrives.
            let before = clerk.messages.count
            for junk in ["not json", #"{"type":"kick","data":{}}"#, #"{"type":"offer","to":"../x","data":{}}"#,
                         #"{"type":"offer","data":{"sdp":"no recipient"}}"#,
                         #"{"type":"media","data":{"pad":""# + String(repeating: "x", count: 70_000) + #""}}"#] {
                try await citizen.send(junk)
            }
            try await citizen.send(["type": "candidate", "to": clerk.peer, "data": ["candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ host"]])
            let candidate = try #require(try await clerk.next("candidate", after: before))
            #expect(candidate["from"] as? String == citizen.peer)
            #expect(clerk.messages.count == before + 1)
            // Messages for someone else are not delivered to the sender or anyone else.
            try await clerk.send(["type": "answer", "to": citizen.peer, "data": ["type": "answer", "sdp": "v=0 clerk"]])
            #expect(try await citizen.next("answer") != nil)
            #expect(clerk.count("answer") == 0)
            // Both are connected to this instance: nothing between them went through the relay's table
            // (on PostgreSQL, where other instances would read it).
            let relayed = try await VideoSignal.query(on: app.db).all().map(\.payload)
            #expect(!relayed.contains { $0.contains("v=0") || $0.contains("candidate:1") }, "\(relayed)")

            // A flood: far fewer than sent get through (burst of 100, then 40 a second).
            for index in 0..<400 { try await citizen.send(["type": "media", "data": ["audioOnly": index % 2 == 0]]) }
            try await citizen.send(["type": "candidate", "to": clerk.peer, "data": ["candidate": "after the flood"]])
            try await Task.sleep(for: .milliseconds(500))
            // (Everything sent before the flood, junk included, drew from the same bucket.)
            #expect(clerk.count("media") >= 40)
            #expect(clerk.count("media") < 400)
            #expect(!citizen.isClosed)

            // A dropped connection keeps its place: the others see it come back, not leave.
            try await citizen.close(code: .goingAway)
            let back = try await SignalClient.connect(app, port: port, session: sid, as: world.citizen, peer: citizen.peer)
            #expect(try await clerk.next("rejoin") != nil)
            #expect(clerk.count("leave") == 0)
            // Leaving on purpose is announced at once.
            try await back.close()
            let leave = try #require(try await clerk.next("leave"))
            #expect(leave["from"] as? String == citizen.peer)
            // The citizen cancels: the room ends for whoever is still in it.
            #expect(try await world.citizen.post("/cases/\(caseIDOf(session))/video/\(sid)/cancel").status == .seeOther)
            #expect(try await clerk.next("ended") != nil)
            #expect(try await world.clerk.get("/video/\(sid)/ice").status == .conflict)
            try await clerk.close()
            await app.server.shutdown()
        }
    }

    @Test("Strangers, other sites and a seventh participant cannot open the room's socket")
    func socketRefusals() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let (_, session) = try await world.bookedSession()
            let sid = try session.requireID()
            let (stranger, _) = try await world.anotherCitizen("stranger")
            let port = try await app.startServer()
            let path = "/video/\(sid.uuidString.lowercased())/signal?peer=\(UUID().uuidString.lowercased())"
            let origin = "http://127.0.0.1:\(port)"
            #expect(try await upgradeStatus(port: port, path: path, cookie: world.citizen.cookieHeader, origin: origin) == 101)
            #expect(try await upgradeStatus(port: port, path: path, cookie: stranger.cookieHeader, origin: origin) == 404)
            #expect(try await upgradeStatus(port: port, path: path, cookie: "", origin: origin) == 303) // to the sign-in page
            #expect(try await upgradeStatus(port: port, path: path, cookie: world.citizen.cookieHeader, origin: "https://evil.example") == 403)
            #expect(try await upgradeStatus(port: port, path: "/video/\(sid.uuidString.lowercased())/signal?peer=not-a-peer!", cookie: world.citizen.cookieHeader, origin: origin) == 400)
            // Another account cannot take over a participant's peer id.
            let clerk = try await SignalClient.connect(app, port: port, session: sid, as: world.clerk)
            let thief = try await SignalClient.connect(app, port: port, session: sid, as: world.citizen, peer: clerk.peer)
            try await Task.sleep(for: .milliseconds(300))
            #expect(thief.count("welcome") == 0)

            // Six at most (here one person with several tabs fills the room). The plain socket above
            // dropped without a goodbye, so it still holds its place for the reconnect grace period.
            var tabs: [SignalClient] = [clerk]
            for _ in 0..<4 { tabs.append(try await SignalClient.connect(app, port: port, session: sid, as: world.citizen)) }
            for tab in tabs { #expect(try await tab.next("welcome") != nil) }
            let seventh = try await SignalClient.connect(app, port: port, session: sid, as: world.citizen)
            #expect(try await seventh.next("full") != nil)
            #expect(seventh.count("welcome") == 0)
            for tab in tabs { try await tab.close() }
            await app.server.shutdown()
        }
    }

    @Test("Two app instances on one PostgreSQL database: participants on different instances reach each other",
          .enabled(if: TestEnvironment.postgresURL != nil))
    func twoInstances() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let (_, session) = try await world.bookedSession()
            let sid = try session.requireID()
            try await withTwoInstances(app, clock: clock) { other in
                let firstPort = try await app.startServer()
                let secondPort = try await other.startServer()
                #expect(app.instanceID != other.instanceID)

                let citizen = try await SignalClient.connect(app, port: firstPort, session: sid, as: world.citizen)
                #expect(try await citizen.next("welcome") != nil)
                let clerk = try await SignalClient.connect(other, port: secondPort, session: sid, as: world.clerk)
                let welcome = try #require(try await clerk.next("welcome"))
                #expect((welcome["peers"] as? [[String: Any]])?.first?["peer"] as? String == citizen.peer)
                #expect(try await citizen.next("join")?["from"] as? String == clerk.peer)
                try await citizen.send(["type": "offer", "to": clerk.peer, "data": ["type": "offer", "sdp": "across instances"]])
                #expect((try await clerk.next("offer")?["data"] as? [String: Any])?["sdp"] as? String == "across instances")
                try await clerk.send(["type": "answer", "to": citizen.peer, "data": ["type": "answer", "sdp": "and back"]])
                #expect((try await citizen.next("answer")?["data"] as? [String: Any])?["sdp"] as? String == "and back")
                // Consent given on one instance reaches the room on the other.
                #expect(try await world.citizen.json(.POST, "/video/\(sid)/consent").status == .ok)
                #expect((try await clerk.next("consent")?["data"] as? [String: Any])?["mine"] as? Bool == false)
                try await citizen.close()
                try await clerk.close()
                await other.server.shutdown()
                await app.server.shutdown()
            }
        }
    }
}

private func caseIDOf(_ session: VideoSession) -> UUID { session.$caseRecord.id }

private extension Dictionary where Key == String, Value == String {
    var get: (String) -> String? { { self[$0] } }
}

@Suite("Room members across instances")
struct VideoPresenceTests {
    @Test("Peers of an instance that died without a goodbye stop counting against the room's limit")
    func silentInstancesAreForgotten() async throws {
        let clock = ManualClock()
        let sent = NIOLockedValueBox<[RoomEnvelope]>([])
        let hub = VideoRoomHub(instance: "here", now: { clock.now }) { envelope in sent.withLockedValue { $0.append(envelope) } }
        let room = UUID()
        for index in 0..<6 {
            await hub.deliver(RoomEnvelope(room: room, type: "join", from: "peer-\(index)-000000", name: "n", role: "applicant",
                                           account: UUID(), instance: index < 3 ? "alive" : "dead"))
        }
        #expect(await hub.memberCount(room: room) == 6)
        clock.advance(by: 60)
        // The living instance keeps mentioning its peers; the dead one says nothing.
        for index in 0..<3 {
            await hub.deliver(RoomEnvelope(room: room, type: "presence", from: "peer-\(index)-000000", name: "n", role: "applicant",
                                           account: UUID(), instance: "alive"))
        }
        clock.advance(by: 40)
        await hub.keepPresence()
        #expect(await hub.memberCount(room: room) == 3)
        // Presence is bookkeeping between instances: it is not sent on for lack of local peers here.
        #expect(sent.withLockedValue { $0 }.isEmpty)
    }
}
