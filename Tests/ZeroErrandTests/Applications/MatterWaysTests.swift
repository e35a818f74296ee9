import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// No dead ends: a matter's page says how it can be done before any form, and the materials asked
/// for are the ones that apply.
@Suite("Ways to do a matter, and the materials that apply")
struct MatterWaysTests {
    func t(_ app: Application, _ key: String, _ arguments: [String: String] = [:]) -> String {
        app.dependencies.translator.text(key, .en, arguments).htmlEscaped()
    }

    @Test("A matter done through a relative says so on its page and offers the power of attorney and the service points, no online form")
    func throughRelative() async throws {
        try await withTestApp { (app, _) async throws in
            let page = try await TestBrowser(app).get("/matters/GA-PSB-001")
            #expect(page.status == .ok)
            #expect(page.body.contains(t(app, "way.proxy.heading")))
            #expect(page.body.contains("/mandates/new?matter=GA-PSB-001"))
            #expect(page.body.contains(t(app, "way.point.heading")))
            let point = try #require(try await ServicePoint.query(on: app.db).first())
            #expect(page.body.contains(point.nameEn.htmlEscaped()))
            #expect(!page.body.contains(t(app, "way.online.heading")))
            #expect(!page.body.contains("href=\"/matters/GA-PSB-001/apply\""))
        }
    }

    @Test("A matter done by video only is applied for online, then met by video")
    func byVideo() async throws {
        try await withTestApp { (app, clock) async throws in
            let matters = try await Matter.query(on: app.db).with(\.$department).all()
            let videoOnly = try #require(matters.first { ApplicationStart($0.channels) == .byVideo })
            let world = try await CaseWorld.make(app, clock, matterCode: videoOnly.code)
            let page = try await world.citizen.get("/matters/\(videoOnly.code)")
            #expect(page.body.contains(t(app, "way.by_video.heading")))
            #expect(page.body.contains("href=\"/matters/\(videoOnly.code)/apply\""))
            let created = try await world.citizen.post("/matters/\(videoOnly.code)/apply", ["details": "公证委托书"])
            #expect(created.status == .seeOther && created.caseID != nil)
        }
    }

    /// The household certificate with one more material, needed only for a marriage abroad.
    func addMarriageMaterial(_ world: CaseWorld) async throws -> Matter {
        let matter = try #require(try await Matter.query(on: world.app.db).filter(\.$code == world.matter.code).with(\.$department).first())
        matter.materials.append(Matter.Material(nameZh: "境外结婚证认证", nameEn: "Certified foreign marriage certificate", descriptionZh: "x",
                                                descriptionEn: "x", canSupplyLater: false, condition: .marriedAbroad))
        try await matter.update(on: world.app.db)
        world.app.catalogue.drop() // as the administrator's edit page does
        return matter
    }

    @Test("The form asks the question; only materials that apply are required, and every missing one is named at once")
    func conditionalMaterials() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let matter = try await addMarriageMaterial(world)
            let extra = matter.materials.count - 1
            let form = try await world.citizen.get("/matters/\(matter.code)/apply")
            #expect(form.body.contains(t(app, "material_condition.married_abroad.question")))
            #expect(form.body.contains(t(app, "material_condition.married_abroad.badge")))

            // Married abroad: the certification is on the case, and both missing materials are named in one answer.
            let married = try #require(try await world.citizen.post("/matters/\(matter.code)/apply",
                                                                    pairs: [("details", "户籍证明"), ("conditions[]", "married_abroad")]).caseID)
            #expect(try await world.citizen.get("/cases/\(married)").body.contains("Certified foreign marriage certificate"))
            world.citizen.accept = "application/json"
            let refused = try await world.citizen.post("/cases/\(married)/actions/submit")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains(matter.materials[0].nameEn) && refused.body.contains("Certified foreign marriage certificate"))
            #expect(try await world.status(married) == .draft)

            // Not married abroad: not shown, not required, and it cannot be uploaded.
            world.citizen.accept = "text/html"
            let single = try #require(try await world.citizen.post("/matters/\(matter.code)/apply", ["details": "户籍证明"]).caseID)
            #expect(!(try await world.citizen.get("/cases/\(single)").body.contains("Certified foreign marriage certificate")))
            #expect(try await world.citizen.upload("/cases/\(single)/documents?purpose=material&material=\(extra)", bytes: SampleFiles.pdf(),
                                                   fileName: "x.pdf").status == .conflict)
            #expect(try await world.citizen.upload("/cases/\(single)/documents?purpose=material&material=0", bytes: SampleFiles.pdf(),
                                                   fileName: "passport.pdf").status == .created)
            #expect(try await world.citizen.post("/cases/\(single)/actions/submit").status == .seeOther)
            #expect(try await world.status(single) == .submitted)
        }
    }

    @Test("Over the API the same answers decide the materials; a claim to apply through a relative is ignored")
    func conditionsOverTheAPI() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            _ = try await addMarriageMaterial(world)
            var token = ""
            try await app.testing().test(.POST, "/api/v1/sessions", beforeRequest: { request in
                try request.content.encode(["email": world.citizenAccount.email, "password": TestAccounts.password,
                                            "code": TOTP(secret: CaseWorld.citizenSecret).code(at: clock.now.addingTimeInterval(30))], as: .json)
            }, afterResponse: { response in token = (try? response.content.get(String.self, at: "token")) ?? "" })
            struct NewCase: Encodable { let matter: String; let details: String; let conditions: [String] }
            var caseID: UUID?
            try await app.testing().test(.POST, "/api/v1/cases", beforeRequest: { request in
                request.headers.bearerAuthorization = BearerAuthorization(token: token)
                try request.content.encode(NewCase(matter: world.matter.code, details: "户籍证明", conditions: ["married_abroad", "through_relative"]),
                                           as: .json)
            }, afterResponse: { response in
                #expect(response.status == .created)
                caseID = try? response.content.get(UUID.self, at: "id")
            })
            let record = try #require(try await Case.find(try #require(caseID), on: app.db))
            #expect(record.materialConditions == ["married_abroad"])
        }
    }

    @Test("Mail names the event and the case, carries its facts in the recipient's language and zone, and confirms a submission")
    func mailSaysWhatChanged() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try await world.submittedCase()
            let number = try #require(try await Case.find(id, on: app.db)?.number)
            let received = try await Inbox.latest(app, to: world.citizenAccount.email)
            #expect(received.subject == t(app, "mail.event.submit") + ": " + number)

            let office = "/office/cases/\(id)"
            // Mail is read newest first: each step a minute later.
            clock.advance(by: 60)
            #expect(try await world.clerk.post("\(office)/assignee", ["assignee": "me"]).status == .seeOther)
            #expect(try await world.clerk.post("\(office)/actions/accept").status == .seeOther)
            let due = try #require(try await Case.find(id, on: app.db)?.dueOn)
            let accepted = try await Inbox.latest(app, to: world.citizenAccount.email)
            #expect(accepted.subject == "Application accepted: \(number)")
            #expect(accepted.text.contains(due) && accepted.text.contains("Asia/Shanghai"))

            clock.advance(by: 60)
            let dueBy = CivilDay(clock.now, in: TimeZone(identifier: "Asia/Shanghai")!).adding(days: 10).description
            #expect(try await world.clerk.post("\(office)/actions/request_supplement",
                                               ["text": "请补充户口簿首页\n请补充护照签证页", "date": dueBy]).status == .seeOther)
            let supplement = try await Inbox.latest(app, to: world.citizenAccount.email)
            #expect(supplement.subject == "Supplement requested: \(number)")
            #expect(supplement.text.contains("请补充户口簿首页") && supplement.text.contains("请补充护照签证页"))
            // The date by which, in the citizen's own zone, named.
            let by = try #require(try await Case.find(id, on: app.db)?.supplementDueBy)
            let zone = try #require(TimeZone(identifier: world.citizenAccount.timeZone))
            #expect(supplement.text.contains(TimeDisplay.format(by, in: zone)))
        }
    }

    @Test("In development, mail links point where serve listens")
    func listeningURL() {
        #expect(AppConfig.listeningURL(arguments: ["zeroerrand", "serve"]) == "http://127.0.0.1:8080")
        #expect(AppConfig.listeningURL(arguments: ["zeroerrand", "serve", "--port", "9090"]) == "http://127.0.0.1:9090")
        #expect(AppConfig.listeningURL(arguments: ["zeroerrand", "serve", "-H", "0.0.0.0", "-p", "8181"]) == "http://127.0.0.1:8181")
        #expect(AppConfig.listeningURL(arguments: ["zeroerrand", "serve", "--bind", "192.168.1.5:8000"]) == "http://192.168.1.5:8000")
    }
}
