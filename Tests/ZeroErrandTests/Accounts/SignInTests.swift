import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Sign-in, second factor and sessions")
struct SignInTests {
    @Test("The session cookie is HttpOnly and SameSite=Lax, and sign-in issues a new session id")
    func cookieAndRotation() async throws {
        try await withTestApp { (app, _) async throws in
            let email = Inbox.uniqueAddress()
            try await TestAccounts.make(app, email: email)
            let browser = TestBrowser(app)
            browser.setCookie(SessionAuthenticator.cookieName, "planted-by-an-attacker")
            let page = try await browser.signIn(email)
            let setCookie = page.headers[.setCookie].first { $0.hasPrefix("ze_session=") } ?? ""
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.lowercased().contains("samesite=lax"))
            let token = try #require(browser.cookies["ze_session"])
            #expect(token != "planted-by-an-attacker")
            // Only a keyed hash of the token is stored.
            let stored = try await SignInSession.query(on: app.db).all().map(\.tokenHash)
            #expect(stored.count == 1 && !stored.contains(token))
        }
    }

    @Test("With two factors: the password alone does not sign in; a TOTP code does, once")
    func twoFactors() async throws {
        try await withTestApp { (app, clock) async throws in
            let email = Inbox.uniqueAddress()
            let secret = testSecret()
            try await TestAccounts.make(app, email: email, totpSecret: secret)
            let browser = TestBrowser(app)
            let first = try await browser.signIn(email)
            #expect(first.location == "/sign-in/second-factor")
            #expect(try await browser.get("/account").status == .seeOther)

            let wrong = try await browser.post("/sign-in/second-factor", ["code": "000000"])
            #expect(wrong.status == .unauthorized)
            let code = TOTP(secret: secret).code(at: clock.now)
            let done = try await browser.post("/sign-in/second-factor", ["code": code])
            #expect(done.location == "/account")
            #expect(try await browser.get("/account").status == .ok)

            // The same code cannot be replayed in another browser within its time step.
            let other = TestBrowser(app)
            try await other.signIn(email)
            #expect(try await other.post("/sign-in/second-factor", ["code": code]).status == .unauthorized)
        }
    }

    @Test("Setting up TOTP shows ten recovery codes once; each works one time only")
    func enrolAndRecoveryCodes() async throws {
        try await withTestApp { (app, clock) async throws in
            let email = Inbox.uniqueAddress()
            try await TestAccounts.make(app, email: email)
            let browser = TestBrowser(app)
            try await browser.signIn(email)
            let setup = try await browser.get("/account/two-factor")
            #expect(setup.status == .ok)
            let secret = try #require(TwoFactorSetup.secret(in: setup.body))
            // The same secret on reload, so an app that already scanned it keeps working.
            #expect(TwoFactorSetup.secret(in: try await browser.get("/account/two-factor").body) == secret)

            let enabled = try await browser.post("/account/two-factor", ["code": TOTP(secret: secret).code(at: clock.now)])
            #expect(enabled.status == .ok)
            let codes = enabled.body.matches(of: /<code>([a-z2-7]{5}-[a-z2-7]{5})<\/code>/).map { String($0.output.1) }
            #expect(Set(codes).count == 10)

            try await browser.post("/sign-out")
            try await browser.signIn(email)
            #expect(try await browser.post("/sign-in/second-factor", ["code": codes[0].uppercased()]).location == "/account")
            try await browser.post("/sign-out")
            try await browser.signIn(email)
            #expect(try await browser.post("/sign-in/second-factor", ["code": codes[0]]).status == .unauthorized)
        }
    }

    @Test("Staff must set up a second factor before reaching anything")
    func staffMustEnrol() async throws {
        try await withTestApp { (app, clock) async throws in
            let email = Inbox.uniqueAddress("clerk")
            try await TestAccounts.make(app, email: email, kind: .staff, roles: [.clerk], departmentCode: "wz-psb")
            let browser = TestBrowser(app)
            let page = try await browser.signIn(email)
            #expect(page.location == "/account/two-factor")
            #expect(try await browser.get("/office").status == .seeOther)
            #expect(try await browser.get("/account").status == .seeOther)
            let secret = try #require(TwoFactorSetup.secret(in: try await browser.get("/account/two-factor").body))
            let enabled = try await browser.post("/account/two-factor", ["code": TOTP(secret: secret).code(at: clock.now)])
            #expect(enabled.status == .ok)
            #expect(try await browser.get("/office").status == .ok)
        }
    }

    @Test("Idle time-outs: 30 minutes for citizens, 15 for staff; 12 hours at most")
    func timeouts() async throws {
        try await withTestApp { (app, clock) async throws in
            let citizen = Inbox.uniqueAddress()
            let clerk = Inbox.uniqueAddress("clerk")
            try await TestAccounts.make(app, email: citizen)
            try await TestAccounts.make(app, email: clerk, kind: .staff, roles: [.clerk], departmentCode: "wz-psb", totpSecret: testSecret(9))
            let a = TestBrowser(app)
            let b = TestBrowser(app)
            try await a.signIn(citizen)
            try await b.signIn(clerk, totp: testSecret(9), clock: clock)
            clock.advance(by: 16 * 60)
            #expect(try await a.get("/account").status == .ok)
            #expect(try await b.get("/office").status == .seeOther)
            clock.advance(by: 30 * 60)
            #expect(try await a.get("/account").status == .seeOther)

            // Active every 20 minutes: still signed in just before 12 hours, out at 12 hours.
            let c = TestBrowser(app)
            try await c.signIn(citizen)
            for step in 1..<36 {
                clock.advance(by: 20 * 60)
                #expect(try await c.get("/account").status == .ok, "after \(step * 20) minutes")
            }
            clock.advance(by: 19 * 60)
            #expect(try await c.get("/account").status == .ok)
            clock.advance(by: 60)
            #expect(try await c.get("/account").status == .seeOther)
        }
    }

    @Test("Signing out everywhere ends every session of the account")
    func signOutEverywhere() async throws {
        try await withTestApp { (app, _) async throws in
            let email = Inbox.uniqueAddress()
            try await TestAccounts.make(app, email: email)
            let phone = TestBrowser(app)
            let laptop = TestBrowser(app)
            try await phone.signIn(email)
            try await laptop.signIn(email)
            try await phone.post("/account/sign-out-everywhere")
            #expect(try await laptop.get("/account").status == .seeOther)
            #expect(try await phone.get("/account").status == .seeOther)
            #expect(try await SignInSession.query(on: app.db).count() == 0)
        }
    }

    @Test("Repeated failures block the account name for a while, with the same answer for unknown names")
    func throttling() async throws {
        try await withTestApp { (app, clock) async throws in
            let email = Inbox.uniqueAddress()
            try await TestAccounts.make(app, email: email)
            let browser = TestBrowser(app)
            for _ in 0..<5 {
                #expect(try await browser.signIn(email, password: "wrong password!").status == .unauthorized)
                #expect(try await browser.signIn("nobody@example.org", password: "wrong password!").status == .unauthorized)
            }
            let known = try await browser.signIn(email)
            let unknown = try await browser.signIn("nobody@example.org", password: "wrong password!")
            #expect(known.status == .tooManyRequests)
            #expect(unknown.status == .tooManyRequests)
            let message = app.dependencies.translator.text("signin.blocked", .en, ["count": "1"])
            #expect(known.body.contains(message) && unknown.body.contains(message))

            clock.advance(by: 31)
            #expect(try await browser.signIn(email).status == .seeOther)
        }
    }

    @Test("Knowing the password does not reset the count of wrong codes")
    func codeGuessesAreCountedPerAccount() async throws {
        try await withTestApp { (app, clock) async throws in
            let email = Inbox.uniqueAddress()
            let secret = testSecret(11)
            try await TestAccounts.make(app, email: email, totpSecret: secret)
            let browser = TestBrowser(app)
            for _ in 0..<5 {
                try await browser.signIn(email)
                #expect(try await browser.post("/sign-in/second-factor", ["code": "000000"]).status == .unauthorized)
            }
            try await browser.signIn(email)
            let blocked = try await browser.post("/sign-in/second-factor", ["code": TOTP(secret: secret).code(at: clock.now)])
            #expect(blocked.status == .tooManyRequests)
            #expect(try await browser.get("/account").status == .seeOther)
        }
    }

    @Test("The same code sent twice at once signs in only once")
    func concurrentReplay() async throws {
        try await withTestApp { (app, clock) async throws in
            let email = Inbox.uniqueAddress()
            let secret = testSecret(12)
            try await TestAccounts.make(app, email: email, totpSecret: secret)
            let browsers = [TestBrowser(app), TestBrowser(app), TestBrowser(app), TestBrowser(app)]
            for browser in browsers { try await browser.signIn(email) }
            let code = TOTP(secret: secret).code(at: clock.now)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for browser in browsers {
                    group.addTask { try await browser.post("/sign-in/second-factor", ["code": code]).status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .seeOther }.count == 1)
            #expect(statuses.filter { $0 == .unauthorized }.count == 3)
        }
    }

    @Test("After sign-in only paths on this site are followed", arguments: [
        "https://evil.example/", "//evil.example/", "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "/ /x",
    ])
    func openRedirect(next: String) async throws {
        try await withTestApp { (app, _) async throws in
            let email = Inbox.uniqueAddress()
            try await TestAccounts.make(app, email: email)
            let page = try await TestBrowser(app).post("/sign-in", ["email": email, "password": TestAccounts.password, "next": next])
            #expect(page.location == "/account")
        }
    }

    @Test("A local next path is followed after sign-in")
    func localNext() async throws {
        try await withTestApp { (app, _) async throws in
            let email = Inbox.uniqueAddress()
            try await TestAccounts.make(app, email: email)
            let page = try await TestBrowser(app).post("/sign-in", ["email": email, "password": TestAccounts.password,
                                                                    "next": "/matters?q=ID&area=government"])
            #expect(page.location == "/matters?q=ID&area=government")
        }
    }

    @Test("A suspended account cannot sign in and loses its sessions at once")
    func suspension() async throws {
        try await withTestApp { (app, _) async throws in
            let email = Inbox.uniqueAddress()
            let account = try await TestAccounts.make(app, email: email)
            let browser = TestBrowser(app)
            try await browser.signIn(email)
            account.suspendedAt = Date()
            try await account.update(on: app.db)
            #expect(try await browser.get("/account").status == .seeOther)
            #expect(try await browser.signIn(email).status == .forbidden)
        }
    }

    @Test("A form without the CSRF token changes nothing")
    func csrf() async throws {
        try await withTestApp { (app, _) async throws in
            let email = Inbox.uniqueAddress()
            try await TestAccounts.make(app, email: email)
            let browser = TestBrowser(app)
            try await browser.signIn(email)
            let forged = try await browser.post("/account", ["displayName": "Changed", "locale": "en", "timeZone": "UTC"], csrf: false)
            #expect(forged.status == .forbidden)
            let account = try #require(try await Account.query(on: app.db).filter(\.$email == email).first())
            #expect(account.displayName != "Changed")
            let accepted = try await browser.post("/account", ["displayName": "Changed", "locale": "en", "timeZone": "UTC"])
            #expect(accepted.status == .ok)
        }
    }
}
