import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// Every route with a case or document identifier, tried by people who must not reach it.
@Suite("Who may reach a case")
struct CaseAuthorizationTests {
    @Test("The office never sees a case the citizen has not submitted, even one withdrawn unsent")
    func unsubmitted() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let draft = try await world.draftWithMaterials()
            let withdrawn = try await world.draftWithMaterials()
            #expect(try await world.citizen.post("/cases/\(withdrawn)/actions/withdraw").status == .seeOther)
            let document = try #require(try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == withdrawn).first())
            for id in [draft, withdrawn] {
                #expect(try await world.clerk.get("/office/cases/\(id)").status == .notFound)
                #expect(try await world.clerk.post("/office/cases/\(id)/messages", ["body": "hello"]).status == .notFound)
            }
            let download = try await world.clerk.get("/office/cases/\(withdrawn)/documents/\(document.id!)")
            #expect(download.status == .notFound && download.bytes != SampleFiles.pdf("material 0"))
            let queue = try await world.clerk.get("/office/queue")
            #expect(!queue.body.contains("ZE-2026-000001") && !queue.body.contains("ZE-2026-000002"))
            #expect(try await world.clerk.get("/office/queue?page=922337203685477580").status == .ok)
        }
    }

    @Test("Another citizen and staff of another office get 404 and no bytes; a citizen cannot act as staff")
    func strangers() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try await world.submittedCase()
            let document = try #require(try await CaseDocument.query(on: app.db).first())
            let number = try #require(try await Case.find(id, on: app.db)?.number)

            let strangerSecret = testSecret(70)
            let strangerEmail = Inbox.uniqueAddress("stranger")
            try await TestAccounts.make(app, email: strangerEmail, totpSecret: strangerSecret)
            let stranger = TestBrowser(app)
            try await stranger.signIn(strangerEmail, totp: strangerSecret, clock: clock)

            let otherSecret = testSecret(71)
            let otherEmail = Inbox.uniqueAddress("notary")
            try await TestAccounts.make(app, email: otherEmail, kind: .staff, roles: [.clerk, .supervisor], departmentCode: "wz-notary",
                                        totpSecret: otherSecret)
            let otherOffice = TestBrowser(app)
            try await otherOffice.signIn(otherEmail, totp: otherSecret, clock: clock)

            let citizenRoutes: [(HTTPMethod, String)] = [
                (.GET, "/cases/\(id)"), (.GET, "/cases/\(id)/documents/\(document.id!)"),
                (.POST, "/cases/\(id)/actions/withdraw"), (.POST, "/cases/\(id)/messages"), (.POST, "/cases/\(id)/rating"),
                (.PUT, "/cases/\(id)/documents?purpose=supplement"),
            ]
            let officeRoutes: [(HTTPMethod, String)] = [
                (.GET, "/office/cases/\(id)"), (.GET, "/office/cases/\(id)/documents/\(document.id!)"),
                (.POST, "/office/cases/\(id)/actions/accept"), (.POST, "/office/cases/\(id)/assignee"),
                (.POST, "/office/cases/\(id)/messages"), (.PUT, "/office/cases/\(id)/documents?purpose=attachment"),
            ]
            func send(_ browser: TestBrowser, _ method: HTTPMethod, _ path: String) async throws -> TestBrowser.Page {
                switch method {
                case .GET: try await browser.get(path)
                case .PUT: try await browser.upload(path, bytes: SampleFiles.pdf(), fileName: "x.pdf")
                default: try await browser.post(path, ["body": "hello", "score": "5", "assignee": "me"])
                }
            }
            for (method, path) in citizenRoutes {
                for browser in [stranger, otherOffice] {
                    let page = try await send(browser, method, path)
                    #expect(page.status == .notFound, "\(method) \(path)")
                    #expect(!page.body.contains(number) && page.bytes != SampleFiles.pdf("material 0"))
                }
            }
            for (method, path) in officeRoutes {
                let foreign = try await send(otherOffice, method, path)
                #expect(foreign.status == .notFound, "other office \(method) \(path)")
                #expect(!foreign.body.contains(number))
                let citizen = try await send(world.citizen, method, path)
                #expect(citizen.status == .forbidden, "citizen \(method) \(path)")
                #expect(!citizen.body.contains(number))
            }
            #expect(try await world.status(id) == .submitted)
            #expect(try await CaseMessage.query(on: app.db).count() == 0)
            #expect(try await CaseDocument.query(on: app.db).count() == world.matter.materials.filter { $0.condition == nil }.count)
            #expect(!(try await otherOffice.get("/office/queue").body.contains(number)))
        }
    }
}
