import Fluent
import Foundation
import Testing
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Password reset")
struct PasswordResetTests {
    @Test("Reset by email link; the old password stops working and other sessions end")
    func reset() async throws {
        try await withTestApp { (app, _) async throws in
            let email = Inbox.uniqueAddress()
            try await TestAccounts.make(app, email: email)
            let other = TestBrowser(app)
            try await other.signIn(email)
            let browser = TestBrowser(app)
            let asked = try await browser.post("/password/forgot", ["email": email])
            let askedUnknown = try await browser.post("/password/forgot", ["email": "nobody@example.org"])
            #expect(asked.status == .ok && askedUnknown.status == .ok)
            #expect(asked.body.replacingOccurrences(of: email, with: "") == askedUnknown.body.replacingOccurrences(of: "nobody@example.org", with: ""))

            let token = try #require(Inbox.token(in: try await Inbox.latest(app, to: email)))
            let done = try await browser.post("/password/reset", ["token": token, "password": "a brand new passphrase"])
            #expect(done.status == .ok)
            #expect(try await other.get("/account").status == .seeOther)
            #expect(try await browser.signIn(email).status == .unauthorized)
            #expect(try await browser.signIn(email, password: "a brand new passphrase").status == .seeOther)
            #expect(try await browser.post("/password/reset", ["token": token, "password": "yet another passphrase"]).status == .unprocessableEntity)
        }
    }

    @Test("Reset never bypasses the second factor")
    func keepsSecondFactor() async throws {
        try await withTestApp { (app, clock) async throws in
            let email = Inbox.uniqueAddress()
            let secret = testSecret(3)
            try await TestAccounts.make(app, email: email, totpSecret: secret)
            let browser = TestBrowser(app)
            try await browser.post("/password/forgot", ["email": email])
            let token = try #require(Inbox.token(in: try await Inbox.latest(app, to: email)))

            let refused = try await browser.post("/password/reset", ["token": token, "password": "a brand new passphrase"])
            #expect(refused.status == .unprocessableEntity)
            #expect(try await browser.signIn(email, password: "a brand new passphrase").status == .unauthorized)

            let accepted = try await browser.post("/password/reset", ["token": token, "password": "a brand new passphrase",
                                                                      "code": TOTP(secret: secret).code(at: clock.now)])
            #expect(accepted.status == .ok)
            // The new password still leads to the second-factor step, not into the account.
            clock.advance(by: 30)
            #expect(try await browser.signIn(email, password: "a brand new passphrase").location == "/sign-in/second-factor")
        }
    }
}
