import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// The article's dispute on the Wencheng court: a plaintiff in Madrid files, a plaintiff in Rome
/// and a defendant in Wenzhou are served by email; a clerk, a mediator and a judge of the court.
struct MediationWorld {
    let app: Application
    let clock: ManualClock
    let madrid: TestBrowser, rome: TestBrowser, wenzhou: TestBrowser, stranger: TestBrowser
    let clerk: TestBrowser, mediator: TestBrowser, judge: TestBrowser, otherCourt: TestBrowser
    let madridAccount: Account, romeEmail: String, wenzhouEmail: String
    let mediatorID: UUID, judgeID: UUID

    static func make(_ app: Application, _ clock: ManualClock) async throws -> MediationWorld {
        func person(_ name: String, _ seed: UInt8, kind: AccountKind = .citizen, roles: [StaffRole] = [],
                    court: String? = nil) async throws -> (TestBrowser, Account) {
            let email = Inbox.uniqueAddress(name)
            let account = try await TestAccounts.make(app, email: email, kind: kind, roles: roles, departmentCode: court, totpSecret: testSecret(seed))
            let browser = TestBrowser(app)
            try await browser.signIn(email, totp: testSecret(seed), clock: clock)
            return (browser, account)
        }
        let (madrid, madridAccount) = try await person("madrid", 71)
        // Mediation is a level-3 matter: the filer's identity was checked by video.
        let court = try #require(try await Department.query(on: app.db).filter(\.$code == "wc-court").first())
        madridAccount.identityVerifiedAt = clock.now
        madridAccount.identityVerifiedBy = madridAccount.id
        madridAccount.identityVerifiedDepartment = court.id
        try await madridAccount.update(on: app.db)
        let (rome, romeAccount) = try await person("rome", 72)
        let (wenzhou, wenzhouAccount) = try await person("wenzhou", 73)
        let (stranger, _) = try await person("stranger", 74)
        let (clerk, _) = try await person("clerk", 75, kind: .staff, roles: [.clerk], court: "wc-court")
        let (mediator, mediatorAccount) = try await person("mediator", 76, kind: .staff, roles: [.mediator], court: "wc-court")
        let (judge, judgeAccount) = try await person("judge", 77, kind: .staff, roles: [.judge], court: "wc-court")
        let (otherCourt, _) = try await person("other", 78, kind: .staff, roles: [.clerk, .mediator, .judge], court: "wz-court")
        return MediationWorld(app: app, clock: clock, madrid: madrid, rome: rome, wenzhou: wenzhou, stranger: stranger, clerk: clerk,
                              mediator: mediator, judge: judge, otherCourt: otherCourt, madridAccount: madridAccount,
                              romeEmail: romeAccount.email, wenzhouEmail: wenzhouAccount.email,
                              mediatorID: try mediatorAccount.requireID(), judgeID: try judgeAccount.requireID())
    }

    func filing(defendant: Bool = true) -> [(String, String)] {
        var pairs = [("kind", "loan"), ("amount", "120,000.50"), ("currency", "EUR"),
                     ("claim", "Repayment of the 120,000 EUR lent in 2024, with interest."),
                     ("facts", "Lent by bank transfer on 3 March 2024; due 3 March 2025; unpaid."),
                     ("filerCountry", "es"), ("filerTimeZone", "Europe/Madrid"), ("filerWakingStart", ""), ("filerWakingEnd", ""),
                     ("parties[0][side]", "plaintiff"), ("parties[0][kind]", "person"), ("parties[0][name]", "Lucia Rossi"),
                     ("parties[0][email]", romeEmail), ("parties[0][country]", "it"), ("parties[0][timeZone]", "Europe/Rome"),
                     ("parties[0][wakingStart]", "09:00"), ("parties[0][wakingEnd]", "21:00")]
        if defendant {
            pairs += [("parties[1][side]", "defendant"), ("parties[1][kind]", "company"), ("parties[1][name]", "温州某贸易有限公司"),
                      ("parties[1][email]", wenzhouEmail), ("parties[1][country]", "CN"), ("parties[1][timeZone]", "Asia/Shanghai"),
                      ("parties[1][wakingStart]", ""), ("parties[1][wakingEnd]", "")]
        }
        return pairs
    }

    /// Filed, papers added and submitted; returns the mediation's page path and its case id.
    func submitted() async throws -> (path: String, caseID: UUID) {
        let filed = try await madrid.post("/mediations", pairs: filing())
        #expect(filed.status == .seeOther)
        let path = try #require(filed.location)
        let id = try #require(UUID(uuidString: String(path.dropFirst("/mediations/".count))))
        let mediation = try #require(try await Mediation.query(on: app.db).filter(\.$id == id).with(\.$caseRecord) { $0.with(\.$matter) }.first())
        let caseID = try mediation.caseRecord.requireID()
        for index in mediation.caseRecord.matter.materials.indices where mediation.caseRecord.matter.materials[index].condition == nil {
            let uploaded = try await madrid.upload("/cases/\(caseID)/documents?purpose=material&material=\(index)",
                                                   bytes: SampleFiles.pdf("material \(index)"), fileName: "m\(index).pdf")
            #expect(uploaded.status == .created)
        }
        #expect(try await madrid.post("/cases/\(caseID)/actions/submit").status == .seeOther)
        return (path, caseID)
    }
}

@Suite("Mediation: filing, service and who sees what")
struct MediationFilingTests {
    @Test("Filed from Madrid, accepted by the clerk, served on Rome and Wenzhou by opening the papers, reminded, declined")
    func filingToDecline() async throws {
        try await withTestApp { app, clock in
            let world = try await MediationWorld.make(app, clock)
            // A request without a defendant is refused field by field, and nothing is stored.
            let bad = try await world.madrid.post("/mediations", pairs: world.filing(defendant: false))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("Name at least one defendant."))
            // A party row with no side chosen is not guessed onto either side.
            let sideless = world.filing().map { $0.0 == "parties[1][side]" ? ($0.0, "") : $0 }
            let unsided = try await world.madrid.post("/mediations", pairs: sideless)
            #expect(unsided.status == .unprocessableEntity && unsided.body.contains("Choose a side."))
            // Zero is not an amount in dispute, XX is no country; plain UTC is a zone.
            let odd = world.filing().map { pair -> (String, String) in
                switch pair.0 {
                case "amount": ("amount", "0.00")
                case "parties[0][country]": (pair.0, "XX")
                case "parties[1][timeZone]": (pair.0, "UTC")
                default: pair
                }
            }
            let refused = try await world.madrid.post("/mediations", pairs: odd)
            #expect(refused.status == .unprocessableEntity && refused.body.contains("above zero") && refused.body.contains("two-letter ISO code"))
            #expect(!refused.body.contains("Choose a time zone from the list"))
            // The generic application form is not a way around the mediation's own.
            #expect(try await world.madrid.post("/matters/JU-CT-001/apply", ["details": "x"]).location == "/mediations/new")
            #expect(try await Mediation.query(on: app.db).count() == 0)
            #expect(try await Case.query(on: app.db).count() == 0)

            let (path, caseID) = try await world.submitted()
            let parties = try await MediationParty.query(on: app.db).sort(\.$position).all()
            #expect(parties.map(\.side) == [.plaintiff, .plaintiff, .defendant])
            #expect(parties.map(\.country) == ["ES", "IT", "CN"])
            #expect(parties[1].wakingStart == 9 * 60 && parties[2].wakingEnd == 22 * 60)
            #expect(try await Mediation.query(on: app.db).first()?.amountMinor == 12_000_050)

            // Nobody without standing learns it exists; the other court neither.
            for browser in [world.stranger, world.otherCourt, world.rome] {
                #expect(try await browser.get(path).status == .notFound)
            }
            // The clerk names a mediator and a judge; the judge cannot be the mediator.
            let clerkPage = try await world.clerk.get(path)
            #expect(clerkPage.status == .ok && clerkPage.body.contains("Accept and serve the papers"))
            let same = try await world.clerk.post(path + "/acceptance", ["mediator": world.mediatorID.uuidString, "judge": world.mediatorID.uuidString])
            #expect(same.status == .unprocessableEntity)
            #expect(try await world.clerk.post(path + "/acceptance", ["mediator": world.mediatorID.uuidString, "judge": world.judgeID.uuidString]).status == .seeOther)
            #expect(try await Case.find(caseID, on: app.db)?.status == .accepted)
            // No official decides the filer's application in the mediation's place.
            #expect(try await world.clerk.post("/office/cases/\(caseID)/actions/approve", ["note": "ok"]).status == .conflict)
            #expect(try await world.clerk.post(path + "/acceptance", ["mediator": world.mediatorID.uuidString, "judge": world.judgeID.uuidString]).status == .conflict)

            // Served by email on Rome and Wenzhou; the clerk sees both as not served.
            let served = try await Inbox.latest(app, to: world.romeEmail, subject: "mediation papers")
            #expect(served.text.contains("http://127.0.0.1:8080" + path) || served.text.contains(path))
            #expect(try await world.clerk.get(path).body.contains("Not served"))
            let romePage = try await world.rome.get(path)
            #expect(romePage.status == .ok && romePage.body.contains("You take part as Plaintiff"))
            #expect(try await MediationParty.query(on: app.db).filter(\.$email == world.romeEmail).first()?.servedAt == clock.now)

            // Three days on, only Wenzhou (who has not opened the papers) is reminded, once.
            clock.advance(by: 3 * 24 * 3600 + 60)
            #expect(try await MediationService.remindUnserved(app) == 1)
            #expect(try await MediationService.remindUnserved(app) == 0)
            #expect(try await Inbox.all(app, to: world.romeEmail).count == 1)
            #expect(try await Inbox.latest(app, to: world.wenzhouEmail, subject: "Reminder").text.contains(path))
        }
    }

    @Test("Each side's notes stay with that side and the mediator; the decline ends it for everyone")
    func privateNotesAndDecline() async throws {
        try await withTestApp { app, clock in
            let world = try await MediationWorld.make(app, clock)
            let (path, _) = try await world.submitted()
            #expect(try await world.clerk.post(path + "/acceptance", ["mediator": world.mediatorID.uuidString, "judge": world.judgeID.uuidString]).status == .seeOther)
            for browser in [world.rome, world.wenzhou] { #expect(try await browser.get(path).status == .ok) }
            let secret = "We would settle for 90,000 EUR."
            #expect(try await world.madrid.post(path + "/notes", ["audience": "plaintiff", "body": secret]).status == .seeOther)
            #expect(try await world.mediator.post(path + "/notes", ["audience": "mediator", "body": "Defendant seems ready to pay in parts."]).status == .seeOther)
            #expect(try await world.wenzhou.post(path + "/notes", ["audience": "shared", "body": "We dispute the interest."]).status == .seeOther)
            // A party cannot write for the other side or for the mediator alone.
            #expect(try await world.wenzhou.post(path + "/notes", ["audience": "plaintiff", "body": "x"]).status == .unprocessableEntity)
            #expect(try await world.rome.post(path + "/notes", ["audience": "mediator", "body": "x"]).status == .unprocessableEntity)

            let reads: [(TestBrowser, Bool, Bool)] = [  // (who, sees the plaintiffs' note, sees the mediator's own note)
                (world.madrid, true, false), (world.rome, true, false), (world.wenzhou, false, false),
                (world.mediator, true, true), (world.judge, false, false), (world.clerk, false, false),
            ]
            for (browser, plaintiffs, own) in reads {
                let page = try await browser.get(path)
                #expect(page.status == .ok)
                #expect(page.body.contains(secret) == plaintiffs)
                #expect(page.body.contains("ready to pay in parts") == own)
                #expect(page.body.contains("We dispute the interest."))
            }
            // Notes are sealed at rest.
            #expect(try await MediationNote.query(on: app.db).all().allSatisfy { !$0.body.contains("90,000") })

            // Rome cannot decline for Wenzhou's side, nor without a reason; Wenzhou declines.
            #expect(try await world.wenzhou.post(path + "/refusal", ["reason": "  "]).status == .conflict)
            #expect(try await world.stranger.post(path + "/refusal", ["reason": "no"]).status == .notFound)
            #expect(try await world.wenzhou.post(path + "/refusal", ["reason": "The loan was repaid in cash."]).status == .seeOther)
            let madridPage = try await world.madrid.get(path)
            #expect(madridPage.body.contains("declined it") && madridPage.body.contains("The loan was repaid in cash."))
            #expect(madridPage.body.contains("/matters/JU-CT-002"))
            #expect(!(try await world.wenzhou.get(path)).body.contains("/matters/JU-CT-002"))
            #expect(try await world.madrid.post(path + "/notes", ["audience": "shared", "body": "late"]).status == .conflict)
            #expect(try await Inbox.latest(app, to: world.romeEmail, subject: "mediation has ended").text.contains("repaid in cash"))
            // The filer's request is still open with the court: the named judge, told by mail, closes it.
            let judgeEmail = try #require(try await Account.find(world.judgeID, on: app.db)).email
            #expect(try await Inbox.latest(app, to: judgeEmail, subject: "Mediation declined").text.contains(path))
            #expect(try await world.madrid.post(path + "/case-closure").status == .forbidden)
            #expect(try await world.clerk.post(path + "/case-closure").status == .forbidden)
            #expect(try await world.judge.get(path).body.contains("Close the request"))
            #expect(try await world.judge.post(path + "/case-closure").status == .seeOther)
            let mediation = try #require(try await Mediation.query(on: app.db).with(\.$caseRecord).first())
            #expect(mediation.caseRecord.status == .refused && mediation.caseRecord.decidedAt != nil)
            #expect(try await world.judge.post(path + "/case-closure").status == .conflict)
        }
    }

    @Test("The filer withdrawing the request on the case ends the mediation; the filer declining on the mediation withdraws the case")
    func withdrawal() async throws {
        try await withTestApp { app, clock in
            let world = try await MediationWorld.make(app, clock)
            let (path, caseID) = try await world.submitted()
            #expect(try await world.clerk.post(path + "/acceptance", ["mediator": world.mediatorID.uuidString, "judge": world.judgeID.uuidString]).status == .seeOther)
            #expect(try await world.rome.get(path).status == .ok)
            #expect(try await world.madrid.post("/cases/\(caseID)/actions/withdraw").status == .seeOther)
            #expect(try await Case.find(caseID, on: app.db)?.status == .withdrawn)
            let mediation = try #require(try await Mediation.query(on: app.db).filter(\.$caseRecord.$id == caseID).first())
            #expect(mediation.ending == .declined && mediation.endingReason?.contains("withdrew") == true)
            #expect(try await world.rome.get(path).body.contains("The filer withdrew the request"))
            #expect(try await Inbox.latest(app, to: world.romeEmail, subject: "request was withdrawn").text.contains("withdrew"))
            #expect(try await world.rome.post(path + "/notes", ["audience": "shared", "body": "late"]).status == .conflict)

            // A second request: the filer declines it on the mediation page; the case is withdrawn with it.
            let (second, secondCase) = try await world.submitted()
            #expect(try await world.madrid.post(second + "/refusal", ["reason": "We settled out of court."]).status == .seeOther)
            #expect(try await Case.find(secondCase, on: app.db)?.status == .withdrawn)
            #expect(try await world.madrid.get(second).body.contains("We settled out of court."))
        }
    }
}
