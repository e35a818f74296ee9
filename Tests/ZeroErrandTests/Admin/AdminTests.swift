import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Administration")
struct AdminTests {
    func signedInAdmin(_ app: Application, _ clock: ManualClock) async throws -> TestBrowser {
        let secret = testSecret(77)
        let email = Inbox.uniqueAddress("admin")
        try await TestAccounts.make(app, email: email, kind: .admin, totpSecret: secret)
        let browser = TestBrowser(app)
        try await browser.signIn(email, totp: secret, clock: clock)
        return browser
    }

    @Test("An administrator invites a notary; the notary chooses a password and must set up TOTP")
    func inviteStaff() async throws {
        try await withTestApp { (app, clock) async throws in
            let admin = try await signedInAdmin(app, clock)
            let notaryOffice = try #require(try await Department.query(on: app.db).filter(\.$kind == "notary_office").first())
            let email = Inbox.uniqueAddress("notary")
            let created = try await admin.post("/admin/staff", pairs: [
                ("email", email), ("displayName", "Notary Wu"), ("kind", "staff"),
                ("department", notaryOffice.id!.uuidString), ("servicePoint", ""), ("roles[]", "notary"), ("roles[]", "reviewer")])
            #expect(created.status == .seeOther)
            let account = try #require(try await Account.query(on: app.db).filter(\.$email == email).first())
            #expect(Set(account.roles) == [.notary, .reviewer])
            #expect(account.passwordHash == nil)
            #expect(account.timeZone == notaryOffice.timeZone)

            let token = try #require(Inbox.token(in: try await Inbox.latest(app, to: email)))
            let notary = TestBrowser(app)
            #expect(try await notary.post("/password/reset", ["token": token, "password": "stamp and seal 2026"]).status == .ok)
            #expect(try await notary.signIn(email, password: "stamp and seal 2026").location == "/account/two-factor")

            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == "staff.created").all()
            #expect(audit.count == 1 && audit[0].objectID == account.id!.uuidString.lowercased())
        }
    }

    @Test("Staff need a department and a role; mistakes are shown and nothing is created")
    func staffValidation() async throws {
        try await withTestApp { (app, clock) async throws in
            let admin = try await signedInAdmin(app, clock)
            let before = try await Account.query(on: app.db).count()
            let page = try await admin.post("/admin/staff", pairs: [("email", "bad"), ("displayName", ""), ("kind", "staff"), ("department", "")])
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains(app.dependencies.translator.text("staff.needs_department", .en)))
            #expect(try await Account.query(on: app.db).count() == before)
        }
    }

    @Test("Suspending a staff member ends their sessions and is audited")
    func suspend() async throws {
        try await withTestApp { (app, clock) async throws in
            let admin = try await signedInAdmin(app, clock)
            let secret = testSecret(5)
            let email = Inbox.uniqueAddress("clerk")
            let clerk = try await TestAccounts.make(app, email: email, kind: .staff, roles: [.clerk], departmentCode: "wz-psb", totpSecret: secret)
            let browser = TestBrowser(app)
            try await browser.signIn(email, totp: secret, clock: clock)
            #expect(try await browser.get("/office").status == .ok)
            #expect(try await admin.post("/admin/staff/\(clerk.id!.uuidString)/suspension").status == .seeOther)
            #expect(try await browser.get("/office").status == .seeOther)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "account.suspended").count() == 1)
            #expect(try await admin.post("/admin/staff/\(clerk.id!.uuidString)/suspension").status == .seeOther)
            #expect(try await Account.find(clerk.id, on: app.db)?.suspendedAt == nil)
        }
    }

    @Test("Departments and service points are created and edited with their time zones")
    func directory() async throws {
        try await withTestApp { (app, clock) async throws in
            let admin = try await signedInAdmin(app, clock)
            let made = try await admin.post("/admin/departments", ["code": "wz-ouhai-psb", "kind": "police_station", "parent": "",
                                                                    "nameZh": "瓯海派出所", "nameEn": "Ouhai Police Station",
                                                                    "cityZh": "温州", "cityEn": "Wenzhou", "timeZone": "Asia/Shanghai"])
            #expect(made.status == .seeOther)
            let department = try #require(try await Department.query(on: app.db).filter(\.$code == "wz-ouhai-psb").first())
            let duplicate = try await admin.post("/admin/departments", ["code": "wz-ouhai-psb", "kind": "court", "nameZh": "x", "nameEn": "x",
                                                                         "cityZh": "x", "cityEn": "x", "timeZone": "Asia/Shanghai"])
            #expect(duplicate.status == .unprocessableEntity)

            let point = try await admin.post("/admin/service-points", [
                "code": "pt-porto", "nameZh": "波尔图服务点", "nameEn": "Porto Service Point", "cityZh": "波尔图", "cityEn": "Porto",
                "country": "pt", "timeZone": "Europe/Lisbon", "address": "Rua de Santa Catarina 1, Porto",
                "contactEmail": "porto@points.zeroerrand.example", "contactPhone": "+351 000 000 000"])
            #expect(point.status == .seeOther)
            #expect(try await ServicePoint.query(on: app.db).filter(\.$code == "pt-porto").first()?.country == "PT")

            let renamed = try await admin.post("/admin/departments/\(department.id!.uuidString)", [
                "kind": "police_station", "parent": "", "nameZh": "瓯海区派出所", "nameEn": "Ouhai District Police Station",
                "cityZh": "温州", "cityEn": "Wenzhou", "timeZone": "Asia/Shanghai"])
            #expect(renamed.status == .seeOther)
            #expect(try await Department.find(department.id, on: app.db)?.nameEn == "Ouhai District Police Station")
            let actions = Set(try await AuditEvent.query(on: app.db).all().map(\.action))
            #expect(actions.isSuperset(of: ["department.created", "department.updated", "service_point.created"]))
        }
    }

    /// The matter's edit form as an administrator sends it, renamed in English and otherwise changed
    /// in fee, time limit, channels and keywords; materials as they were.
    static func editForm(_ matter: Matter, nameEn: String) -> [(String, String)] {
        var pairs: [(String, String)] = [
            ("nameZh", matter.nameZh), ("nameEn", nameEn),
            ("descriptionZh", matter.descriptionZh), ("descriptionEn", matter.descriptionEn),
            ("keywordsZh", "身份证"), ("keywordsEn", "ID card, passport-free"), ("area", matter.area.rawValue),
            ("department", matter.$department.id.uuidString), ("identityLevel", "3"), ("timeLimitDays", "15"),
            ("feeAmount", "25.50"), ("feeNoteZh", "工本费"), ("feeNoteEn", "Card fee"),
            ("channels[]", "proxy"), ("channels[]", "video")]
        for (index, material) in matter.materials.enumerated() {
            pairs += [("materials[\(index)][nameZh]", material.nameZh), ("materials[\(index)][nameEn]", material.nameEn),
                      ("materials[\(index)][descriptionZh]", material.descriptionZh),
                      ("materials[\(index)][descriptionEn]", material.descriptionEn),
                      ("materials[\(index)][condition]", material.condition?.rawValue ?? "")]
            if material.providedByMandate { pairs.append(("materials[\(index)][providedByMandate]", "true")) }
        }
        return pairs
    }

    @Test("An edited matter is kept, audited, and not overwritten by the catalogue file at the next start")
    func editMatter() async throws {
        try await withTestApp { (app, clock) async throws in
            let admin = try await signedInAdmin(app, clock)
            let matter = try #require(try await Matter.query(on: app.db).sort(\.$code).with(\.$department).first())
            // The catalogue in memory, read before the edit, is read again after it.
            #expect(try await app.catalogue.matter(matter.requireID(), on: app.db)?.nameEn == matter.nameEn)
            let saved = try await admin.post("/admin/matters/\(matter.code)", pairs: Self.editForm(matter, nameEn: "Renewal of an expired ID card (edited)"))
            #expect(saved.status == .seeOther)
            let edited = try #require(try await Matter.find(matter.id, on: app.db))
            #expect(edited.nameEn == "Renewal of an expired ID card (edited)")
            #expect(try await app.catalogue.matter(matter.requireID(), on: app.db)?.nameEn == edited.nameEn)
            #expect(edited.feeFen == 2550 && edited.timeLimitDays == 15 && edited.channels == [.proxy, .video])
            #expect(edited.materials.allSatisfy { !$0.canSupplyLater })
            // What decides when each material is needed survives the edit, as the form showed it.
            #expect(edited.materials.map(\.condition) == matter.materials.map(\.condition))
            #expect(edited.materials.map(\.providedByMandate) == matter.materials.map(\.providedByMandate))
            #expect(matter.materials.contains { $0.condition != nil })
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "matter.updated").filter(\.$objectID == matter.code).count() == 1)

            let files = try CatalogueFiles.load(from: TestEnvironment.packageRoot + "Resources/Catalogue/")
            _ = try await app.audited(.system) { db, audit in try await CatalogueSeeder.apply(files, on: db, audit: audit) }
            #expect(try await Matter.find(matter.id, on: app.db)?.nameEn == "Renewal of an expired ID card (edited)")

            let invalid = try await admin.post("/admin/matters/\(matter.code)", pairs: [("nameEn", ""), ("timeLimitDays", "0")])
            #expect(invalid.status == .unprocessableEntity)
            #expect(try await Matter.find(matter.id, on: app.db)?.timeLimitDays == 15)
        }
    }
}
