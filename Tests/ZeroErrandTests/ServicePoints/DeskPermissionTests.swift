import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// A visitor at a service point's desk gives the point a permission with their own password and
/// code; the assistant fills in and uploads, never submits; the visitor submits on the desk's
/// screen with their own code; the permission ends by time or by the visitor, on every case route.
@Suite("Helping a visitor at a service point's desk")
struct DeskPermissionTests {
    static let matterCode = "GA-OC-006"

    func t(_ app: Application, _ key: String, _ arguments: [String: String] = [:]) -> String {
        app.dependencies.translator.text(key, .en, arguments).htmlEscaped()
    }

    struct Desk {
        let world: CaseWorld
        let madrid: TestBrowser
        let madridAccount: Account
        let milan: TestBrowser

        var visitor: Account { world.citizenAccount }

        static func make(_ app: Application, _ clock: ManualClock, matterCode: String = DeskPermissionTests.matterCode) async throws -> Desk {
            let world = try await CaseWorld.make(app, clock, matterCode: matterCode)
            let madridAccount = try await TestAccounts.make(app, email: Inbox.uniqueAddress("madrid"), kind: .assistant,
                                                            servicePointCode: "es-madrid", totpSecret: testSecret(71))
            try await TestAccounts.make(app, email: Inbox.uniqueAddress("milan"), kind: .assistant, servicePointCode: "it-milan-1",
                                        totpSecret: testSecret(72))
            let madrid = TestBrowser(app), milan = TestBrowser(app)
            try await madrid.signIn(madridAccount.email, totp: testSecret(71), clock: clock)
            let milanAccount = try #require(try await Account.query(on: app.db).filter(\.$kind == .assistant)
                .filter(\.$id != madridAccount.requireID()).first())
            try await milan.signIn(milanAccount.email, totp: testSecret(72), clock: clock)
            return Desk(world: world, madrid: madrid, madridAccount: madridAccount, milan: milan)
        }

        /// Time passes with everyone at their screens (sessions end after a while unseen).
        func pass(_ seconds: TimeInterval) async throws {
            for _ in 0..<Int(seconds / 600) {
                world.clock.advance(by: 600)
                for browser in [madrid, milan, world.citizen, world.clerk] { try await browser.get("/account") }
            }
        }

        /// The visitor's current code; the clock moves to a new 30-second step first (each code works once).
        func visitorCode() -> String {
            world.clock.advance(by: 30)
            return TOTP(secret: CaseWorld.citizenSecret).code(at: world.clock.now)
        }

        /// The visitor types their credentials on the Madrid desk's screen and gives permission.
        func grant(hours: Int = 2, matter: String = DeskPermissionTests.matterCode) async throws -> PointPermission {
            let page = try await madrid.post("/service-point/permissions", ["email": visitor.email, "password": TestAccounts.password,
                                                                            "code": visitorCode(), "matter": matter,
                                                                            "hours": String(hours), "consent": "yes"])
            #expect(page.status == .seeOther)
            return try #require(try await PointPermission.query(on: world.app.db).sort(\.$createdAt, .descending).first())
        }

        /// A draft started by the Madrid assistant for the visitor under `permission`.
        func draft(_ permission: PointPermission) async throws -> UUID {
            let path = "/matters/\(DeskPermissionTests.matterCode)/apply?permission=\(try permission.requireID())"
            let form = try await madrid.get(path)
            #expect(form.status == .ok)
            #expect(form.body.contains(world.app.dependencies.translator.text("desk.apply.for_visitor", .en, ["name": visitor.displayName])))
            #expect(form.body.contains("desk-note"))
            let created = try await madrid.post(path, ["details": "出生证明认证，孩子在马德里出生。"])
            #expect(created.status == .seeOther)
            return try #require(created.caseID)
        }
    }

    @Test("The visitor gives permission with their own password and code; the assistant fills in and uploads, the visitor submits with their code")
    func assistedApplication() async throws {
        try await withTestApp { (app, clock) async throws in
            let desk = try await Desk.make(app, clock)
            #expect(try await desk.madrid.get("/service-point").body.contains("name=\"consent\""))

            // A wrong password, a wrong code or no consent gives nothing.
            let base = ["email": desk.visitor.email, "password": TestAccounts.password, "matter": Self.matterCode, "hours": "2", "consent": "yes"]
            var wrong = base
            wrong["password"] = "not the password"
            wrong["code"] = desk.visitorCode()
            #expect(try await desk.madrid.post("/service-point/permissions", wrong).status == .unprocessableEntity)
            wrong = base
            wrong["code"] = "000000"
            #expect(try await desk.madrid.post("/service-point/permissions", wrong).status == .unprocessableEntity)
            wrong = base
            wrong["consent"] = nil
            wrong["code"] = desk.visitorCode()
            let noConsent = try await desk.madrid.post("/service-point/permissions", wrong)
            #expect(noConsent.status == .unprocessableEntity)
            #expect(noConsent.body.contains(app.dependencies.translator.text("point.grant.consent_required", .en).htmlEscaped()))
            #expect(try await PointPermission.query(on: app.db).count() == 0)

            let permission = try await desk.grant()
            #expect(permission.expiresAt == clock.now.addingTimeInterval(2 * 3600))
            #expect(permission.$assistant.id == (try desk.madridAccount.requireID()))
            // The visitor is told by mail, with the way to end it.
            let mail = try #require(try await OutboxMail.query(on: app.db).filter(\.$toAddress == desk.visitor.email)
                .sort(\.$createdAt, .descending).first())
            #expect(mail.subject.contains("Madrid Overseas Service Point"))

            // The assistant starts the application in the visitor's name and uploads scans.
            let caseID = try await desk.draft(permission)
            let record = try #require(try await Case.find(caseID, on: app.db))
            #expect(record.$applicant.id == (try desk.visitor.requireID()))
            let page = try await desk.madrid.get("/cases/\(caseID)")
            #expect(page.status == .ok && page.body.contains("desk-note") && page.body.contains("name=\"visitorCode\""))
            #expect(!page.body.contains("id=\"message-body\""))
            let matter = desk.world.matter
            for index in matter.materials.indices {
                #expect(try await desk.madrid.upload("/cases/\(caseID)/documents?purpose=material&material=\(index)",
                                                     bytes: SampleFiles.pdf("scan \(index)"), fileName: "scan\(index).pdf").status == .created)
            }
            // Messages to the office are the visitor's.
            #expect(try await desk.madrid.post("/cases/\(caseID)/messages", ["body": "hello"]).status == .forbidden)

            // Submitting needs the visitor's own code: none, or a wrong one, changes nothing.
            #expect(try await desk.madrid.post("/cases/\(caseID)/actions/submit").status == .unprocessableEntity)
            #expect(try await desk.madrid.post("/cases/\(caseID)/actions/submit", ["visitorCode": "123456"]).status == .unprocessableEntity)
            #expect(try await desk.world.status(caseID) == .draft)
            // Wrong codes at the desk stop the desk, never the visitor's own sign-in, and show in their log.
            for _ in 0..<6 { _ = try await desk.madrid.post("/cases/\(caseID)/actions/submit", ["visitorCode": "000000"]) }
            #expect(try await desk.madrid.post("/cases/\(caseID)/actions/submit", ["visitorCode": "000000"]).status == .tooManyRequests)
            let phone = TestBrowser(app)
            desk.world.clock.advance(by: 30)
            #expect(try await phone.signIn(desk.visitor.email, totp: CaseWorld.citizenSecret, clock: clock).location == "/account")
            #expect(try await desk.world.citizen.get("/account/access-log").body.contains(t(app, "access.action.case.visitor_code_failed")))
            try await desk.pass(1200)
            let submitted = try await desk.madrid.post("/cases/\(caseID)/actions/submit", ["visitorCode": desk.visitorCode()])
            #expect(submitted.status == .seeOther)
            #expect(try await desk.world.status(caseID) == .submitted)
            // The submission is the visitor's own act; where and with whom is recorded beside it.
            let event = try #require(try await CaseEvent.query(on: app.db).filter(\.$caseRecord.$id == caseID).filter(\.$name == "submit").first())
            #expect(event.$actor.id == (try desk.visitor.requireID()))
            let confirmed = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "case.confirmed_at_point").first())
            #expect(confirmed.actor == AuditContext.account(try desk.visitor.requireID()))
            #expect(confirmed.details.contains("es-madrid"))

            // The visitor's timeline names who drafted and uploaded: the assistant at the point, not the office.
            let timeline = try await desk.world.citizen.get("/cases/\(caseID)").body
            #expect(timeline.contains(t(app, "timeline.assistant", ["name": desk.madridAccount.displayName, "point": "Madrid Overseas Service Point"])))
            // The visitor's access log shows the permission, and the assistant by name and point.
            let log = try await desk.world.citizen.get("/account/access-log")
            #expect(log.body.contains(app.dependencies.translator.text("access.assistant", .en,
                                                                        ["name": desk.madridAccount.displayName, "point": "Madrid Overseas Service Point"]).htmlEscaped()))
            #expect(log.body.contains("/account/point-permissions/\(try permission.requireID())/revoke"))

            // Another point, and another matter of the visitor, are out of reach.
            #expect(try await desk.milan.get("/cases/\(caseID)").status == .notFound)
            let other = try #require(try await desk.world.citizen.post("/matters/GA-PSB-004/apply", ["details": "丢失身份证"]).caseID)
            #expect(try await desk.madrid.get("/cases/\(other)").status == .notFound)
            #expect(try await desk.madrid.get("/matters/GA-PSB-004/apply?permission=\(try permission.requireID())").status == .notFound)
            // The office sees an ordinary submitted case.
            #expect(try await desk.world.clerk.get("/office/cases/\(caseID)").status == .ok)
        }
    }

    @Test("After expiry and after the visitor revokes it, every case route refuses the assistant, and another point never had it")
    func endedPermission() async throws {
        try await withTestApp { (app, clock) async throws in
            let desk = try await Desk.make(app, clock)
            let first = try await desk.grant(hours: 1)
            let caseID = try await desk.draft(first)
            #expect(try await desk.madrid.upload("/cases/\(caseID)/documents?purpose=material&material=0",
                                                 bytes: SampleFiles.pdf("scan"), fileName: "scan.pdf").status == .created)
            let document = try #require(try await CaseDocument.query(on: app.db).filter(\.$caseRecord.$id == caseID).first())
            let number = try #require(try await Case.find(caseID, on: app.db)).number
            let routes = app.routes.all.filter { route in
                guard route.path.count > 1, case .parameter("id") = route.path[1] else { return false }
                return route.path[0].description == "cases"
            }
            #expect(routes.count >= 10)

            /// Every case route, as `browser`: a refusal with none of the case's bytes.
            func walk(_ browser: TestBrowser, expecting allowed: Set<HTTPStatus>, _ when: String) async throws {
                for route in routes {
                    let path = "/" + route.path.map { component -> String in
                        guard case .parameter(let name) = component else { return component.description }
                        return switch name {
                        case "id": caseID.uuidString.lowercased()
                        case "document": (try? document.requireID().uuidString.lowercased()) ?? ""
                        case "action": "submit"
                        default: UUID().uuidString.lowercased()
                        }
                    }.joined(separator: "/")
                    let page = try await browser.send(route.method, path)
                    #expect(allowed.contains(page.status), "\(route.method) \(path) \(when): \(page.status)")
                    #expect(!page.body.contains(number) && !page.body.contains(document.originalName), "\(route.method) \(path) \(when)")
                }
            }

            try await walk(desk.milan, expecting: [.notFound], "from another point")
            try await desk.pass(3600)
            try await walk(desk.madrid, expecting: [.forbidden, .notFound], "after expiry")
            #expect(try await desk.madrid.get("/cases/\(caseID)").body.contains(
                app.dependencies.translator.text("point.refused.ended", .en).htmlEscaped()))
            #expect(try await desk.madrid.get("/matters/\(Self.matterCode)/apply?permission=\(try first.requireID())").status == .forbidden)

            // Given again, it works again, until the visitor revokes it from wherever they are.
            let second = try await desk.grant()
            #expect(try await desk.madrid.get("/cases/\(caseID)").status == .ok)
            #expect(try await desk.milan.post("/account/point-permissions/\(try second.requireID())/revoke").status == .notFound)
            #expect(try await desk.madrid.post("/account/point-permissions/\(try second.requireID())/revoke").status == .notFound)
            #expect(try await desk.world.citizen.post("/account/point-permissions/\(try second.requireID())/revoke").status == .seeOther)
            try await walk(desk.madrid, expecting: [.forbidden, .notFound], "after revocation")
            let revoked = try #require(try await PointPermission.find(second.id, on: app.db))
            let visitorID = try desk.visitor.requireID()
            #expect(revoked.revokedAt == clock.now && revoked.$revokedBy.id == visitorID)
            #expect(try await desk.madrid.get("/service-point/permissions/\(try second.requireID())").body.contains(
                app.dependencies.translator.text("desk.permission.ended", .en).htmlEscaped()))
            #expect(try await desk.milan.get("/service-point/permissions/\(try second.requireID())").status == .notFound)
            // A new permission for another matter does not reopen this case, and the desk is told why.
            _ = try await desk.grant(matter: "GA-PSB-002")
            let other = try await desk.madrid.get("/cases/\(caseID)")
            #expect(other.status == .forbidden && !other.body.contains(number))
            #expect(other.body.contains(app.dependencies.translator.text("point.refused.not_covered", .en).htmlEscaped()))
        }
    }

    @Test("The desk ends a visit early; its list shows only permissions in force")
    func deskEndsVisit() async throws {
        try await withTestApp { (app, clock) async throws in
            let desk = try await Desk.make(app, clock)
            let permission = try await desk.grant()
            #expect(try await desk.madrid.get("/service-point").body.contains(desk.visitor.displayName))
            #expect(try await desk.milan.post("/service-point/permissions/\(try permission.requireID())/end").status == .notFound)
            #expect(try await desk.madrid.post("/service-point/permissions/\(try permission.requireID())/end").status == .seeOther)
            #expect(try await PointPermission.find(permission.id, on: app.db)?.revokedAt != nil)
            #expect(!(try await desk.madrid.get("/service-point").body.contains(desk.visitor.displayName)))
        }
    }
}
