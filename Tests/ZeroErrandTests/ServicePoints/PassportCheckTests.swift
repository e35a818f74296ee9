import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// A passport checked in person at a service point's desk gives level 3 for the matters whose
/// catalogue entry accepts it, and only those; a mistyped, foreign or expired passport is refused.
@Suite("Passports checked in person at a service point")
struct PassportCheckTests {
    /// Pension eligibility certification: level 3, done at a point, accepts a point's check.
    static let matterCode = "GA-SI-001"

    func t(_ app: Application, _ key: String, _ arguments: [String: String] = [:]) -> String {
        app.dependencies.translator.text(key, .en, arguments).htmlEscaped()
    }

    @Test("The assistant records the visitor's passport; the office may then approve a matter that accepts it, and not one that does not")
    func pointCheckGivesLevelThree() async throws {
        try await withTestApp { (app, clock) async throws in
            let desk = try await DeskPermissionTests.Desk.make(app, clock, matterCode: Self.matterCode)
            #expect(desk.world.matter.acceptsPointCheck && desk.world.matter.identityLevel == .videoVerified)
            let id = try await desk.world.submittedCase()
            let reviewer = TestBrowser(app)
            let reviewerAccount = try await TestAccounts.make(app, email: Inbox.uniqueAddress("reviewer"), kind: .staff, roles: [.reviewer],
                                                              departmentCode: desk.world.matter.department.code, totpSecret: testSecret(73))
            try await reviewer.signIn(reviewerAccount.email, totp: testSecret(73), clock: clock)
            let office = "/office/cases/\(id)"
            #expect(try await desk.world.clerk.post("\(office)/actions/accept").status == .seeOther)
            #expect(try await desk.world.clerk.post("\(office)/actions/start_review").status == .seeOther)
            #expect(try await reviewer.post("\(office)/actions/approve", ["text": "准予办理"]).status == .conflict)

            let permission = try await desk.grant(matter: Self.matterCode)
            let path = "/service-point/permissions/\(try permission.requireID())/passport"
            let good = PassportMRZ.specimenText(expiry: "300101")
            // Refusals name the problem and record nothing.
            let typo = try await desk.madrid.post(path, ["mrz": good.replacingOccurrences(of: "E12345678", with: "E12345679"), "photoMatches": "yes"])
            #expect(typo.status == .unprocessableEntity)
            #expect(typo.body.contains(t(app, "identity.mrz_wrong_check_digit", ["field": "passport number", "expected": String(PassportMRZ.checkDigit("E12345679")),
                                                                                  "found": String(PassportMRZ.checkDigit("E12345678"))])))
            let foreign = try await desk.madrid.post(path, ["mrz": PassportMRZ.specimenText(nationality: "ESP"), "photoMatches": "yes"])
            #expect(foreign.body.contains(t(app, "desk.passport.refused.not_chinese")))
            let expired = try await desk.madrid.post(path, ["mrz": PassportMRZ.specimenText(expiry: "261129"), "photoMatches": "yes"])
            #expect(expired.body.contains(t(app, "desk.passport.refused.expired")))
            #expect(try await desk.madrid.post(path, ["mrz": good]).status == .unprocessableEntity)
            #expect(try await desk.milan.post(path, ["mrz": good, "photoMatches": "yes"]).status == .notFound)
            #expect(try await PassportCheck.query(on: app.db).count() == 0)

            #expect(try await desk.madrid.post(path, ["mrz": good, "photoMatches": "yes"]).status == .seeOther)
            let check = try #require(try await PassportCheck.query(on: app.db).first())
            #expect(check.documentMasked == "E1****678" && check.expiresOn == "2030-01-01")
            #expect(try app.dependencies.secrets.openText(check.mrzSealed).contains("E12345678"))
            let visitor = try #require(try await Account.find(desk.visitor.id, on: app.db))
            #expect(visitor.pointCheckID == check.id)
            #expect(try await desk.madrid.get("/service-point/permissions/\(try permission.requireID())").body.contains("E1****678"))

            // The office sees how identity was reached, and may now decide.
            let page = try await reviewer.get(office)
            #expect(page.body.contains("E1****678") && page.body.contains("Madrid Overseas Service Point"))
            #expect(try await reviewer.post("\(office)/actions/approve", ["text": "准予办理"]).status == .seeOther)
            // The visitor's access log names the check.
            #expect(try await desk.world.citizen.get("/account/access-log").body.contains(t(app, "access.action.identity.checked_at_point")))

            // A level-3 matter that does not accept a point's check still needs the video check.
            let other = try #require(try await Matter.query(on: app.db).filter(\.$code == VideoWorld.matterCode).first())
            #expect(!other.acceptsPointCheck)
            #expect(visitor.identityLevel(for: other, today: CivilDay(clock.now, in: Mandate.zone)) == .twoFactor)
            #expect(visitor.identityLevel(for: desk.world.matter, today: CivilDay(clock.now, in: Mandate.zone)) == .videoVerified)
            // And the check lasts only as long as the passport.
            #expect(visitor.identityLevel(for: desk.world.matter, today: CivilDay(year: 2030, month: 1, day: 2)!) == .twoFactor)
        }
    }
}
