import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// A point's walk-in queue: numbers taken while it is open, called in order by its own assistants,
/// the ticket's page following along, and the day's figures for the point's supervisor only.
@Suite("The walk-in queue at a service point")
struct WalkInQueueTests {
    func t(_ app: Application, _ key: String, _ arguments: [String: String] = [:]) -> String {
        app.dependencies.translator.text(key, .en, arguments).htmlEscaped()
    }

    @Test("Take a number, be called, served or not there; figures for the supervisor; other points and strangers get nothing")
    func queue() async throws {
        try await withTestApp { (app, clock) async throws in
            // Monday 30 November 2026, 01:53 in Madrid: closed.
            let door = TestBrowser(app)
            #expect(try await door.get("/service-points/es-madrid/queue").body.contains(t(app, "queue.closed")))
            #expect(try await door.post("/service-points/es-madrid/queue").status == .conflict)
            clock.advance(by: 8 * 3600)   // 09:53
            let first = try await door.post("/service-points/es-madrid/queue", ["matter": "GA-PSB-001"])
            #expect(first.status == .seeOther)
            let firstPath = try #require(first.location)
            let second = try #require(try await door.post("/service-points/es-madrid/queue", ["matter": "not-a-matter"]).location)
            let firstPage = try await door.get(firstPath)
            #expect(firstPage.body.contains("ticket-number\" id=\"ticket-number\">1<") && firstPage.body.contains("<svg"))
            #expect(firstPage.body.contains(t(app, "queue.status.waiting")))
            #expect(try await door.get(second).body.contains(t(app, "queue.ahead", ["count": "1", "minutes": "12"])))
            let tickets = try await WalkInTicket.query(on: app.db).sort(\.$number).all()
            #expect(tickets.map(\.number) == [1, 2] && tickets.map(\.matterCode) == ["GA-PSB-001", nil])
            #expect(try await door.get("/queue/not-a-token").status == .notFound)
            // A script taking numbers from one client is stopped after a few.
            for _ in 0..<4 { _ = try await door.post("/service-points/es-madrid/queue") }
            #expect(try await door.post("/service-points/es-madrid/queue").status == .tooManyRequests)

            let madrid = TestBrowser(app), milan = TestBrowser(app), supervisor = TestBrowser(app)
            let madridAccount = try await TestAccounts.make(app, email: Inbox.uniqueAddress("madrid"), kind: .assistant,
                                                            servicePointCode: "es-madrid", totpSecret: testSecret(81))
            let milanAccount = try await TestAccounts.make(app, email: Inbox.uniqueAddress("milan"), kind: .assistant,
                                                           servicePointCode: "it-milan-1", totpSecret: testSecret(82))
            let supervisorAccount = try await TestAccounts.make(app, email: Inbox.uniqueAddress("sup"), kind: .assistant, roles: [.supervisor],
                                                                servicePointCode: "es-madrid", totpSecret: testSecret(83))
            try await madrid.signIn(madridAccount.email, totp: testSecret(81), clock: clock)
            try await milan.signIn(milanAccount.email, totp: testSecret(82), clock: clock)

            #expect(try await milan.get("/service-point/queue").body.contains(t(app, "queue.waiting_none")))
            clock.advance(by: 10 * 60)
            #expect(try await madrid.post("/service-point/queue/next").status == .seeOther)
            #expect(try await door.get(firstPath).body.contains(t(app, "queue.status.called")))
            // A second press while number 1 is at the desk calls nobody else.
            #expect(try await madrid.post("/service-point/queue/next").status == .seeOther)
            #expect(try await WalkInTicket.query(on: app.db).filter(\.$status == .called).count() == 1)
            let one = try #require(try await WalkInTicket.query(on: app.db).filter(\.$number == 1).first())
            #expect(try await milan.post("/service-point/queue/\(try one.requireID())/served").status == .notFound)
            clock.advance(by: 10 * 60)
            #expect(try await madrid.post("/service-point/queue/\(try one.requireID())/served").status == .seeOther)
            #expect(try await door.get(firstPath).body.contains(t(app, "queue.status.served")))
            #expect(try await madrid.post("/service-point/queue/\(try one.requireID())/absent").status == .conflict)
            #expect(try await madrid.post("/service-point/queue/next").status == .seeOther)
            let two = try #require(try await WalkInTicket.query(on: app.db).filter(\.$number == 2).first())
            #expect(try await madrid.post("/service-point/queue/\(try two.requireID())/absent").status == .seeOther)

            // The figures are the supervisor's.
            try await supervisor.signIn(supervisorAccount.email, totp: testSecret(83), clock: clock)
            #expect(try await madrid.get("/service-point/queue/figures").status == .forbidden)
            #expect(try await TestBrowser(app).get("/service-point/queue/figures").status != .ok)
            let figures = try await supervisor.get("/service-point/queue/figures")
            #expect(figures.status == .ok)
            // Waited 10 and 20 minutes until called.
            #expect(figures.body.contains("<dd>6</dd>") && figures.body.contains(t(app, "queue.minutes", ["count": "15"]))
                    && figures.body.contains(t(app, "queue.minutes", ["count": "20"])))
            #expect(figures.body.contains("Renewal of an expired resident ID card: 1"))

            // A point without a queue has no page for one.
            let budapest = try #require(try await ServicePoint.query(on: app.db).filter(\.$code == "hu-budapest").first())
            budapest.offers = [PointOffer.assisted.rawValue]
            try await budapest.update(on: app.db)
            #expect(try await door.get("/service-points/hu-budapest/queue").status == .notFound)
        }
    }
}
