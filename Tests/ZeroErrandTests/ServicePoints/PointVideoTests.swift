import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// A video session taken in a service point's room: booked only while the point is open, opened on
/// the point's computer by its own assistant (a named participant), and shown so to the office.
@Suite("Video sessions at a service point")
struct PointVideoTests {
    @Test("Booked at the point only while it is open; its assistant opens the call and is named to the office; another point cannot")
    func sessionAtThePoint() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let start = try await world.nineOClockSlot()
            let caseID = try await world.base.submittedCase()
            // 09:00 in Shanghai is 02:00 in Madrid: the point is closed then.
            let fields = ["start": String(Int(start.timeIntervalSince1970)), "point": "es-madrid"]
            // Refused, the booking page comes back with the reason and what was chosen.
            let closed = try await world.citizen.post("/cases/\(caseID)/video", fields)
            #expect(closed.status == .conflict)
            #expect(closed.body.contains(app.dependencies.translator.text("video.refused.point_closed", .en, ["point": "Madrid Overseas Service Point"])))
            #expect(closed.body.contains("<option value=\"es-madrid\" selected>"))
            #expect(try await world.citizen.post("/cases/\(caseID)/video", ["start": fields["start"]!, "point": "it-prato"]).status == .unprocessableEntity)
            #expect(try await VideoSession.query(on: app.db).count() == 0)
            let madrid = try await world.madridOpenAllDay()
            #expect(try await world.citizen.get("/cases/\(caseID)/video").body.contains("value=\"es-madrid\""))
            #expect(try await world.citizen.post("/cases/\(caseID)/video", fields).status == .seeOther)
            let session = try await world.activeSession(caseID)
            #expect(session.$point.id == madrid.id)
            // Her booking page and her mail tell her where to go, on the point's clock too.
            #expect(try await world.citizen.get("/cases/\(caseID)/video").body.contains(madrid.address.htmlEscaped()))
            let mail = try await Inbox.latest(app, to: world.base.citizenAccount.email, subject: "Video appointment booked")
            #expect(mail.text.contains(madrid.address) && mail.text.contains("Madrid Overseas Service Point"))

            let assistant = try await TestAccounts.make(app, email: Inbox.uniqueAddress("madrid"), kind: .assistant,
                                                        servicePointCode: "es-madrid", totpSecret: testSecret(91))
            let milan = try await TestAccounts.make(app, email: Inbox.uniqueAddress("milan"), kind: .assistant,
                                                    servicePointCode: "it-milan-1", totpSecret: testSecret(92))
            let desk = TestBrowser(app), other = TestBrowser(app)
            try await desk.signIn(assistant.email, totp: testSecret(91), clock: clock)
            try await other.signIn(milan.email, totp: testSecret(92), clock: clock)
            let sid = try session.requireID()
            #expect(try await desk.get("/service-point").body.contains("/service-point/video/\(sid.uuidString.lowercased())/open"))
            #expect(try await other.post("/service-point/video/\(sid)/open").status == .notFound)
            #expect(try await other.get("/video/\(sid)").status == .notFound)
            let opened = try await desk.post("/service-point/video/\(sid)/open")
            #expect(opened.status == .seeOther && opened.location == "/video/\(sid.uuidString.lowercased())")
            #expect(try await desk.get("/video/\(sid.uuidString.lowercased())").status == .ok)
            let participant = try #require(try await VideoParticipant.query(on: app.db).filter(\.$session.$id == sid)
                .filter(\.$account.$id == assistant.requireID()).first())
            #expect(participant.role == .other)
            // Opening again adds nobody.
            _ = try await desk.post("/service-point/video/\(sid)/open")
            #expect(try await VideoParticipant.query(on: app.db).filter(\.$session.$id == sid).count() == 3)
            // Everyone in the room reads where the applicant joins from and who the assistant is.
            let room = try await world.citizen.get("/video/\(sid.uuidString.lowercased())").body
            #expect(room.contains(app.dependencies.translator.text("video.role.assistant", .en, ["point": "Madrid Overseas Service Point"]))
                    && room.contains(assistant.displayName.htmlEscaped()))
            #expect(room.contains(app.dependencies.translator.text("video.room.at_point", .en, ["point": "Madrid Overseas Service Point"])))
            // The office reads where the citizen joins from and who assists.
            let office = try await world.clerk.get("/office/video")
            #expect(office.body.contains(app.dependencies.translator.text("video.office.at_point_assisted", .en,
                                                                          ["point": "Madrid Overseas Service Point", "names": assistant.displayName])
                .htmlEscaped()))
            // Moved to another point, the assistant loses the room at once.
            assistant.$servicePoint.id = try await ServicePoint.query(on: app.db).filter(\.$code == "it-milan-1").first()?.requireID()
            try await assistant.update(on: app.db)
            #expect(try await desk.get("/video/\(sid.uuidString.lowercased())").status == .notFound)
        }
    }

    @Test("A point hosts no more sessions at once than it has video rooms, whichever office books them")
    func roomsFillUp() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            // Two officials of the office publish the same hours: two sessions can begin at 09:00.
            let office = try #require(try await Department.find(world.base.clerkAccount.$department.id, on: app.db))
            let colleague = try await VideoRoomTests.staff(app, clock, department: office.code)
            let start = String(Int(try await world.nineOClockSlot(publishedBy: [world.clerk, colleague]).timeIntervalSince1970))
            let madrid = try await world.madridOpenAllDay()
            let first = try await world.base.submittedCase()
            let (other, second) = try await world.anotherCitizen("second")
            #expect(try await world.citizen.post("/cases/\(first)/video", ["start": start, "point": "es-madrid"]).status == .seeOther)
            // Madrid has one room: the second citizen is told so, and nothing is booked for them.
            let refused = try await other.post("/cases/\(second)/video", ["start": start, "point": "es-madrid"])
            #expect(refused.status == .conflict)
            #expect(refused.body.contains(app.dependencies.translator.text("video.refused.point_full", .en, ["point": "Madrid Overseas Service Point"])))
            #expect(try await VideoSession.query(on: app.db).filter(\.$caseRecord.$id == second).count() == 0)
            // With a second room, or from home, the same time is fine.
            madrid.videoRooms = 2
            try await madrid.update(on: app.db)
            #expect(try await other.post("/cases/\(second)/video", ["start": start, "point": "es-madrid"]).status == .seeOther)
            #expect(try await VideoSession.query(on: app.db).filter(\.$point.$id == madrid.requireID()).count() == 2)
        }
    }

    @Test("At the point the assistant's connection is the citizen's side of the call: identity is confirmed once they and the official were in the room together")
    func identityConfirmedFromThePoint() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await VideoWorld.make(app, clock)
            let start = try await world.nineOClockSlot()
            try await world.madridOpenAllDay()
            let caseID = try await world.base.submittedCase()
            #expect(try await world.citizen.post("/cases/\(caseID)/video", ["start": String(Int(start.timeIntervalSince1970)),
                                                                           "point": "es-madrid"]).status == .seeOther)
            let sid = try await world.activeSession(caseID).requireID()
            clock.advance(by: start.timeIntervalSince(clock.now))
            try await world.base.signInAgain()
            let assistant = try await TestAccounts.make(app, email: Inbox.uniqueAddress("madrid"), kind: .assistant,
                                                        servicePointCode: "es-madrid", totpSecret: testSecret(91))
            let desk = TestBrowser(app)
            try await desk.signIn(assistant.email, totp: testSecret(91), clock: clock)
            #expect(try await desk.post("/service-point/video/\(sid)/open").status == .seeOther)

            let port = try await app.startServer()
            let clerk = try await SignalClient.connect(app, port: port, session: sid, as: world.clerk)
            #expect(try await clerk.next("welcome") != nil)
            clock.advance(by: 300)
            // The official alone in the room: nobody to see.
            let alone = try await world.clerk.post("/office/video/\(sid)/outcome", ["outcome": "identity_confirmed", "note": "seen"])
            #expect(alone.status == .conflict)
            let point = try await SignalClient.connect(app, port: port, session: sid, as: desk)
            #expect(try await point.next("welcome") != nil)
            clock.advance(by: 60)
            let confirmed = try await world.clerk.post("/office/video/\(sid)/outcome", ["outcome": "identity_confirmed", "note": "seen"])
            #expect(confirmed.status == .seeOther)
            #expect(try await Account.find(world.base.citizenAccount.requireID(), on: app.db)?.identityVerifiedAt != nil)
            try await point.close()
            try await clerk.close()
        }
    }
}
