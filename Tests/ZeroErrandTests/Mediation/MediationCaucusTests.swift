import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Mediation: private sessions split the call on the server")
struct MediationCaucusTests {
    @Test("While the mediator talks with the plaintiffs, nothing the defendant's browser sends reaches them, nor theirs the defendant; one action brings everyone back")
    func caucus() async throws {
        try await withTestApp { app, clock in
            let world = try await MediationWorld.make(app, clock)
            let path = try await MediationAgreementTests.served(world)
            let loaded = try #require(try await Mediation.query(on: app.db).first())
            // The first hour after today that suits everyone, as the mediator's page offers it.
            var day = CivilDay(clock.now, in: TimeZone(identifier: "Asia/Shanghai")!).adding(days: 1)
            var slot: Int?
            for _ in 0..<10 where slot == nil {
                let page = try await world.mediator.get(path + "?day=\(day)")
                slot = page.body.firstMatch(of: /<option value="(\d{10})">/).flatMap { Int($0.output.1) }
                day = day.adding(days: 1)
            }
            let startAt = try #require(slot)
            #expect(try await world.mediator.post(path + "/session", ["start": String(startAt), "minutes": "60"]).status == .seeOther)
            let sessionID = try #require(try await Mediation.find(loaded.id, on: app.db)?.sessionID)

            let port = try await app.startServer()
            let mediator = try await SignalClient.connect(app, port: port, session: sessionID, as: world.mediator)
            let madrid = try await SignalClient.connect(app, port: port, session: sessionID, as: world.madrid)
            let wenzhou = try await SignalClient.connect(app, port: port, session: sessionID, as: world.wenzhou)
            for client in [mediator, madrid, wenzhou] { #expect(try await client.next("welcome") != nil) }
            let offer = { (to: SignalClient) in ["type": "offer", "to": to.peer, "data": ["type": "offer", "sdp": "v=0"]] as [String: Any] }
            try await madrid.send(offer(wenzhou))
            #expect(try await wenzhou.next("offer") != nil, "before the private session everyone connects")

            // A party cannot split the room; the mediator takes the plaintiffs aside.
            #expect(try await world.wenzhou.json(.POST, path + "/caucus", ["side": "defendant"]).status == .forbidden)
            #expect(try await world.mediator.json(.POST, path + "/caucus", ["side": "plaintiff"]).status == .ok)
            let aside = try #require(try await wenzhou.next("caucus")?["data"] as? [String: Any])
            #expect(aside["active"] as? Bool == true && aside["inCaucus"] as? Bool == false)
            #expect((aside["peers"] as? [String]) == [wenzhou.peer])
            let with = try #require(try await madrid.next("caucus")?["data"] as? [String: Any])
            #expect(with["inCaucus"] as? Bool == true && Set(with["peers"] as? [String] ?? []) == [madrid.peer, mediator.peer])

            let offersBefore = wenzhou.count("offer")
            try await madrid.send(offer(wenzhou))
            try await wenzhou.send(offer(madrid))
            try await wenzhou.send(offer(mediator))
            try await madrid.send(offer(mediator))
            #expect(try await mediator.next("offer") != nil, "the caucus side still reaches the mediator")
            try await Task.sleep(for: .milliseconds(300))
            #expect(wenzhou.count("offer") == offersBefore, "the other side hears nothing")
            #expect(madrid.count("offer") == 0 && mediator.count("offer") == 1)

            // One action brings everyone back; signals cross again.
            let seen = wenzhou.messages.count
            #expect(try await world.mediator.json(.POST, path + "/caucus", ["side": ""]).status == .ok)
            let back = try await wenzhou.next("caucus", after: seen)
            #expect((back?["data"] as? [String: Any])?["active"] as? Bool == false)
            try await madrid.send(offer(wenzhou))
            for _ in 0..<50 where wenzhou.count("offer") == offersBefore { try await Task.sleep(for: .milliseconds(20)) }
            #expect(wenzhou.count("offer") == offersBefore + 1)
            let actions = try await AuditEvent.query(on: app.db).filter(\.$objectType == "mediation").all().map(\.action)
            #expect(actions.contains("mediation.caucus_started") && actions.contains("mediation.caucus_ended"))
            for client in [mediator, madrid, wenzhou] { try await client.close() }
        }
    }
}
