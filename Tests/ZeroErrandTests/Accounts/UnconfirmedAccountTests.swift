import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ZeroErrand
import ZeroErrandCore

/// Someone registers an address they do not own: the account can do nothing until the address is
/// confirmed, and the owner of the address always wins.
@Suite("Unconfirmed addresses")
struct UnconfirmedAccountTests {
    @Test("An unconfirmed account cannot sign in on the web or the API, enrol a factor or apply; it can only ask for the email again")
    func unconfirmedCannotAct() async throws {
        try await withTestApp { (app, _) async throws in
            let email = Inbox.uniqueAddress("someone-else")
            try await TestAccounts.make(app, email: email, confirmed: false)
            let browser = TestBrowser(app)
            let signIn = try await browser.signIn(email)
            #expect(signIn.location == "/sign-in/confirm-email")
            let page = try await browser.get("/sign-in/confirm-email")
            #expect(page.status == .ok)
            #expect(page.body.contains(email))
            #expect(page.body.contains(app.dependencies.translator.text("account.unconfirmed.resend", .en)))

            // Every page it asks for leads back to that one page, which says why.
            for path in ["/account", "/account/two-factor", "/matters/\(CaseWorld.matterCode)/apply", "/cases"] {
                #expect(try await browser.get(path).location == "/sign-in/confirm-email", "\(path)")
            }
            #expect(try await browser.post("/account/two-factor", ["code": "123456"]).status == .unauthorized)
            #expect(try await browser.post("/matters/\(CaseWorld.matterCode)/apply", ["details": "x"]).status == .unauthorized)
            #expect(try await Case.query(on: app.db).count() == 0)
            let account = try #require(try await Account.query(on: app.db).filter(\.$email == email).first())
            #expect(account.totpSecret == nil)
            #expect(account.identityLevel == nil)

            var apiStatus: HTTPStatus?
            var apiBody = ""
            try await app.testing().test(.POST, "/api/v1/sessions", beforeRequest: { request in
                try request.content.encode(["email": email, "password": TestAccounts.password], as: .json)
            }, afterResponse: { response in
                apiStatus = response.status
                apiBody = response.body.string
            })
            #expect(apiStatus == .forbidden)
            #expect(apiBody.contains("signin.email_unconfirmed"))

            let resent = try await browser.post("/account/confirmation-email")
            #expect(resent.status == .ok)
            #expect(resent.body.contains(app.dependencies.translator.text("account.confirmation_sent", .en)))
            let mail = try await Inbox.latest(app, to: email)
            #expect(!mail.text.contains("someone-else"), "nothing the registrant typed (the name) is in the mail")
            let token = try #require(Inbox.token(in: mail))
            #expect(try await browser.post("/email/confirm", ["token": token]).status == .ok)
            #expect(try await TestBrowser(app).signIn(email).location == "/account")
        }
    }

    @Test("A second factor set on an unconfirmed account does not give level 2")
    func levelNeedsConfirmedAddress() async throws {
        try await withTestApp { (app, clock) async throws in
            let account = try await TestAccounts.make(app, email: Inbox.uniqueAddress(), totpSecret: testSecret(3), confirmed: false)
            #expect(account.identityLevel == nil)
            account.identityVerifiedAt = clock.now
            #expect(account.identityLevel == nil)
            account.emailConfirmedAt = clock.now
            #expect(account.identityLevel == .twoFactor, "a check with no official and office on record is not level 3")
            account.identityVerifiedBy = UUID()
            account.identityVerifiedDepartment = UUID()
            #expect(account.identityLevel == .videoVerified)
            account.identityVerifiedAt = nil
            #expect(account.identityLevel == .twoFactor)
        }
    }

    @Test("Registering an address that exists unconfirmed changes nothing and lets the owner choose the password by email")
    func ownerWins() async throws {
        try await withTestApp { (app, clock) async throws in
            let email = Inbox.uniqueAddress("owner")
            let squatter = TestBrowser(app)
            try await squatter.post("/register", ["email": email, "displayName": "Squatter", "password": "the squatter's own passphrase",
                                                  "timeZone": "UTC"])
            try await squatter.signIn(email, password: "the squatter's own passphrase")
            let before = try #require(try await Account.query(on: app.db).filter(\.$email == email).first())

            clock.advance(by: 60)
            let owner = TestBrowser(app)
            let again = try await owner.post("/register", ["email": email, "displayName": "Owner", "password": "the owner's own passphrase",
                                                           "timeZone": "Asia/Shanghai"])
            #expect(again.status == .ok)
            let after = try #require(try await Account.query(on: app.db).filter(\.$email == email).first())
            #expect(after.displayName == "Squatter" && after.passwordHash == before.passwordHash && after.timeZone == before.timeZone)
            #expect(try await Account.query(on: app.db).count() == 1)

            let mail = try await Inbox.latest(app, to: email)
            #expect(mail.subject == app.dependencies.translator.text("mail.register_unconfirmed.subject", .en))
            #expect(!mail.text.contains("Squatter"))
            let token = try #require(Inbox.token(in: mail))
            #expect(mail.text.contains("/password/reset#token=\(token)"))
            #expect(try await owner.post("/password/reset", ["token": token, "password": "the owner's own passphrase"]).status == .ok)

            #expect(try await squatter.get("/sign-in/confirm-email").status == .seeOther)
            #expect(try await TestBrowser(app).signIn(email, password: "the squatter's own passphrase").status == .unauthorized)
            #expect(try await TestBrowser(app).signIn(email, password: "the owner's own passphrase").location == "/account")
        }
    }

    @Test("An unconfirmed account older than seven days is removed; younger, confirmed or applied-for accounts stay")
    func staleAccountsRemoved() async throws {
        try await withTestApp { (app, clock) async throws in
            let stale = try await TestAccounts.make(app, email: Inbox.uniqueAddress("stale"), confirmed: false)
            let confirmed = try await TestAccounts.make(app, email: Inbox.uniqueAddress("confirmed"))
            clock.advance(by: 6 * 24 * 3600)
            let young = try await TestAccounts.make(app, email: Inbox.uniqueAddress("young"), confirmed: false)
            try await TestBrowser(app).signIn(stale.email)
            clock.advance(by: 24 * 3600 + 1)

            #expect(try await UnconfirmedAccounts.remove(app) == 1)
            let left = try await Account.query(on: app.db).all().map(\.email)
            #expect(Set(left) == [confirmed.email, young.email])
            #expect(try await SignInSession.query(on: app.db).count() == 0)
            let removal = try await AuditEvent.query(on: app.db).filter(\.$action == "account.removed_unconfirmed").all()
            #expect(removal.map(\.objectID) == [stale.id!.uuidString.lowercased()])
        }
    }

    @Test("Registration, reset and confirmation mail are limited per address, with Retry-After")
    func mailRequestsLimited() async throws {
        try await withTestApp(adjusting: SignInFloodTests.behindProxy) { (app, clock) async throws in
            let email = Inbox.uniqueAddress("flooded")
            let browser = TestBrowser(app)
            for _ in 0..<3 {
                #expect(try await browser.post("/password/forgot", ["email": email]).status == .ok)
            }
            let limited = try await browser.post("/password/forgot", ["email": email])
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers.first(name: .retryAfter) ?? "") ?? 0 > 0)
            #expect(limited.body.contains(app.dependencies.translator.text("mail.limited", .en, ["count": "5"])))
            let register = try await browser.post("/register", ["email": email, "displayName": "X", "password": "a long enough passphrase",
                                                                 "timeZone": "UTC"])
            #expect(register.status == .tooManyRequests)
            #expect(try await Account.query(on: app.db).count() == 0)
            // Whoever keeps asking blocks themselves: the owner, asking from elsewhere, still gets mail.
            let owner = TestBrowser(app)
            owner.clientAddress = "198.51.100.30"
            #expect(try await owner.post("/password/forgot", ["email": email]).status == .ok)
            clock.advance(by: 5 * 60)
            #expect(try await browser.post("/password/forgot", ["email": email]).status == .ok)
        }
    }
}
