import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Applying for a matter")
struct ApplyTests {
    @Test("A draft gets the next readable number of the year and submission is explicit")
    func numberedDrafts() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let first = try await world.draftWithMaterials()
            let second = try await world.draftWithMaterials()
            let numbers = try await [first, second].asyncMap { try await Case.find($0, on: app.db)?.number }
            #expect(numbers == ["ZE-2026-000001", "ZE-2026-000002"])
            #expect(try await world.status(first) == .draft)
            #expect(try await world.citizen.post("/cases/\(first)/actions/submit").status == .seeOther)
            #expect(try await world.status(first) == .submitted)
            #expect(try await world.status(second) == .draft)
        }
    }

    @Test("Submitting without a required material is refused and changes nothing")
    func missingMaterial() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let created = try await world.citizen.post("/matters/\(world.matter.code)/apply", ["details": "需要证明"])
            let id = try #require(created.caseID)
            world.citizen.accept = "application/json"
            let refused = try await world.citizen.post("/cases/\(id)/actions/submit")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains(world.matter.materials[0].nameEn))
            #expect(try await world.status(id) == .draft)
        }
    }

    @Test("A matter needing a higher identity level says, on its page and the form, the level needed, the level held, how to reach it, and that no draft starts")
    func identityLevel() async throws {
        try await withTestApp { (app, _) async throws in
            let email = Inbox.uniqueAddress()
            try await TestAccounts.make(app, email: email)
            let browser = TestBrowser(app)
            try await browser.signIn(email)
            let t = { (key: String) in app.dependencies.translator.text(key, .en).htmlEscaped() }
            for path in ["/matters/\(CaseWorld.matterCode)", "/matters/\(CaseWorld.matterCode)/apply"] {
                let page = try await browser.get(path).body
                for key in ["identity.level2", "identity.level1", "apply.reach.two_factor", "apply.next.two_factor"] {
                    #expect(page.contains(t(key)), "\(path) says \(key)")
                }
                #expect(page.contains("href=\"/account/two-factor\""), "\(path) links to the set-up")
            }
            let refused = try await browser.post("/matters/\(CaseWorld.matterCode)/apply", ["details": "please"])
            #expect(refused.status == .forbidden)
            #expect(try await Case.query(on: app.db).count() == 0)
        }
    }

    @Test("Staff cannot apply, and matters that are not online-capable are refused")
    func refusals() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            #expect(try await world.clerk.post("/matters/\(world.matter.code)/apply", ["details": "x"]).status == .forbidden)
            let offline = try #require(try await Matter.query(on: app.db).all().first { !$0.channels.contains(.online) })
            #expect(try await world.citizen.post("/matters/\(offline.code)/apply", ["details": "x"]).status == .forbidden)
            #expect(try await Case.query(on: app.db).count() == 0)
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
