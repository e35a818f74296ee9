import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Mediation: a time for parties in Madrid, Rome and Wenzhou across the European clock change")
struct MediationSessionTests {
    @Test("The mediator sees each party's hours on their own clock, the court closed on Sunday 28 March, and fixes Monday 15:00 in Shanghai, 09:00 CEST")
    func sessionAcrossTheClockChange() async throws {
        try await withTestApp { app, clock in
            // Friday 26 March 2027, 09:00 in Shanghai: Europe changes its clocks on Sunday.
            clock.advance(by: ISO8601DateFormatter().date(from: "2027-03-26T01:00:00Z")!.timeIntervalSince(clock.now))
            let world = try await MediationWorld.make(app, clock)
            let path = try await MediationAgreementTests.served(world)

            let sunday = try await world.mediator.get(path + "?day=2027-03-28")
            #expect(sunday.body.contains("The court does not sit on 2027-03-28"))
            let monday = try await world.mediator.get(path + "?day=2027-03-29")
            // Madrid (08:00–22:00) and Rome (09:00–21:00) narrow the court's afternoon from both ends.
            #expect(monday.body.contains("2027-03-29 15:00 (Asia/Shanghai, UTC+08:00) – 17:30"))
            #expect(monday.body.contains("Lucia Rossi: 2027-03-29 09:00 (Europe/Rome, UTC+02:00) – 11:30"))
            #expect(monday.body.contains("2027-03-29 09:00 (Europe/Madrid, UTC+02:00) – 11:30"))
            #expect(!monday.body.contains("2027-03-29 08:30 (Asia/Shanghai"), "the court's morning is night in Europe")
            // Friday, before the change, Europe is an hour further behind: Rome's 09:00 is 16:00 in Shanghai.
            let friday = try await world.mediator.get(path + "?day=2027-03-26")
            #expect(friday.body.contains("2027-03-26 16:00 (Asia/Shanghai, UTC+08:00) – 17:30"))
            #expect(friday.body.contains("2027-03-26 09:00 (Europe/Madrid, UTC+01:00) – 10:30"))
            // Parties never see the finder.
            #expect(!(try await world.rome.get(path + "?day=2027-03-29")).body.contains("Show the hours"))

            // Outside everyone's hours, or by a party, is refused; 15:00 Shanghai on Monday for two hours is fixed.
            let night = Int(ISO8601DateFormatter().date(from: "2027-03-29T00:30:00Z")!.timeIntervalSince1970)
            #expect(try await world.mediator.post(path + "/session", ["start": String(night), "minutes": "120"]).status == .unprocessableEntity)
            let afternoon = Int(ISO8601DateFormatter().date(from: "2027-03-29T07:00:00Z")!.timeIntervalSince1970)
            #expect(try await world.rome.post(path + "/session", ["start": String(afternoon), "minutes": "120"]).status == .forbidden)
            #expect(try await world.mediator.post(path + "/session", ["start": String(afternoon), "minutes": "150"]).status == .unprocessableEntity)
            #expect(try await world.mediator.post(path + "/session", ["start": String(afternoon), "minutes": "90",
                                                                      "interpreter": "nobody@example.org"]).status == .unprocessableEntity)
            #expect(try await world.mediator.post(path + "/session", ["start": String(afternoon), "minutes": "120"]).status == .seeOther)

            let session = try #require(try await VideoSession.query(on: app.db).filter(\.$purpose == .mediation).with(\.$participants).first())
            #expect(session.participants.count == 4 && session.status == .booked)
            // Each party reads their own clock first and the court's beside it, and gets a calendar file.
            let romePage = try await world.rome.get(path)
            #expect(romePage.body.contains("2027-03-29 09:00 (Europe/Rome, UTC+02:00)") && romePage.body.contains("2027-03-29 15:00 (Asia/Shanghai, UTC+08:00)"))
            #expect(romePage.body.contains("/video/\(try session.requireID().uuidString.lowercased())"))
            let invitation = try await Inbox.latest(app, to: world.romeEmail, subject: "mediation by video")
            #expect(invitation.text.contains("2027-03-29 09:00 (Europe/Rome, UTC+02:00)"))
            #expect(invitation.calendar?.contains("DTSTART:20270329T070000Z") == true)
            // The room admits the parties; a stranger gets the room's 404.
            #expect(try await world.wenzhou.get("/video/\(try session.requireID().uuidString.lowercased())").status == .ok)
            #expect(try await world.stranger.get("/video/\(try session.requireID().uuidString.lowercased())").status == .notFound)
            // Ending the call never confirms the filer's identity.
            let end = try await world.mediator.post("/office/video/\(try session.requireID().uuidString.lowercased())/outcome",
                                                    ["outcome": "identity_confirmed", "note": "seen"])
            #expect(end.status == .conflict)
            // The room offers the mediator only what a mediation session can end in; "held" ends it.
            let room = try await world.mediator.get("/video/\(try session.requireID().uuidString.lowercased())")
            #expect(room.body.contains("value=\"held\"") && !room.body.contains("value=\"identity_confirmed\""))
            let held = try await world.mediator.post("/office/video/\(try session.requireID().uuidString.lowercased())/outcome",
                                                     ["outcome": "held", "note": "Two hours; the parties agreed on the terms."])
            #expect(held.status == .seeOther)
            #expect(try await VideoSession.find(session.requireID(), on: app.db)?.outcome == .held)
        }
    }
}
