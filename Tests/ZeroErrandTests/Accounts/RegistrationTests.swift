import Fluent
import Foundation
import Testing
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Registration and email confirmation")
struct RegistrationTests {
    @Test("A citizen abroad registers with email only, confirms by the emailed code, and signs in")
    func registerConfirmSignIn() async throws {
        try await withTestApp { (app, _) async throws in
            let browser = TestBrowser(app, language: "zh-CN")
            let email = Inbox.uniqueAddress("yanghui")
            let registered = try await browser.post("/register", [
                "email": email, "displayName": "杨辉", "password": "马德里的阳光很好我要换身份证", "timeZone": "Europe/Madrid"])
            #expect(registered.status == .ok)
            #expect(registered.body.contains(email))

            let mail = try await Inbox.latest(app, to: email)
            #expect(!mail.text.contains("杨辉"), "the address may be someone else's: nothing the registrant typed goes to it")
            let token = try #require(Inbox.token(in: mail))
            #expect(mail.text.contains("http://127.0.0.1:8080/email/confirm#token=\(token)"))

            let confirmed = try await browser.post("/email/confirm", ["token": token])
            #expect(confirmed.status == .ok)
            let account = try #require(try await Account.query(on: app.db).filter(\.$email == email).first())
            #expect(account.emailConfirmedAt != nil)
            #expect(account.identityLevel == .emailConfirmed)
            #expect(account.timeZone == "Europe/Madrid")
            #expect(account.locale == "zh-Hans")

            // Single use: the same link does nothing the second time.
            let again = try await browser.post("/email/confirm", ["token": token])
            #expect(again.status == .unprocessableEntity)

            let signedIn = try await browser.signIn(email, password: "马德里的阳光很好我要换身份证")
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.location == "/account")
            #expect(try await browser.get("/account").body.contains("杨辉"))
        }
    }

    @Test("Bad input gets a message next to each field and creates nothing")
    func badInput() async throws {
        try await withTestApp { (app, _) async throws in
            let browser = TestBrowser(app, language: "en")
            let page = try await browser.post("/register", ["email": "not-an-address", "displayName": "", "password": "short",
                                                            "timeZone": "Mars/Olympus"])
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains(app.dependencies.translator.text("field.email_invalid", .en)))
            #expect(page.body.contains(app.dependencies.translator.text("password.too_short", .en)))
            #expect(page.body.contains(app.dependencies.translator.text("field.time_zone_invalid", .en)))
            #expect(page.body.contains("aria-invalid=\"true\""))
            #expect(try await Account.query(on: app.db).count() == 0)

            let common = try await browser.post("/register", ["email": Inbox.uniqueAddress(), "displayName": "A",
                                                              "password": "password123", "timeZone": "UTC"])
            #expect(common.body.contains(app.dependencies.translator.text("password.common", .en)))
            #expect(try await Account.query(on: app.db).count() == 0)
        }
    }

    @Test("A name with line breaks is refused: it could not then write lines into the mail sent to the address")
    func nameCannotCarryText() async throws {
        try await withTestApp { (app, _) async throws in
            let page = try await TestBrowser(app).post("/register", ["email": Inbox.uniqueAddress(), "displayName": "Li\n\nYour account is locked: http://evil.example",
                                                                     "password": "a long enough passphrase", "timeZone": "UTC"])
            #expect(page.status == .unprocessableEntity)
            #expect(try await Account.query(on: app.db).count() == 0)
            #expect(try await OutboxMail.query(on: app.db).count() == 0)
        }
    }

    @Test("Registering an address that has an account looks the same, and mails the owner instead")
    func existingAddress() async throws {
        try await withTestApp { (app, _) async throws in
            let email = Inbox.uniqueAddress("owner")
            try await TestAccounts.make(app, email: email)
            let browser = TestBrowser(app)
            let page = try await browser.post("/register", ["email": email.uppercased(), "displayName": "Someone",
                                                            "password": "another long passphrase", "timeZone": "UTC"])
            #expect(page.status == .ok)
            #expect(try await Account.query(on: app.db).count() == 1)
            let mail = try await Inbox.latest(app, to: email)
            #expect(mail.text.contains("/sign-in"))
            #expect(Inbox.token(in: mail) == nil)
        }
    }

    @Test("A 64-character Chinese passphrase works, and no prefix of it does")
    func longPassphrase() async throws {
        try await withTestApp { (app, _) async throws in
            let passphrase = String(String(repeating: "我在巴黎的家门口种了一棵银杏树", count: 5).prefix(64))
            let email = Inbox.uniqueAddress()
            let browser = TestBrowser(app)
            try await browser.post("/register", ["email": email, "displayName": "Chen", "password": passphrase, "timeZone": "Europe/Paris"])
            // bcrypt alone would compare only the first 72 bytes (24 of these characters).
            let prefix = String(passphrase.prefix(25)) + String(repeating: "x", count: 39)
            #expect(try await browser.signIn(email, password: prefix).status == .unauthorized)
            // The password is right; the address is not confirmed yet, so only that page opens.
            #expect(try await browser.signIn(email, password: passphrase).location == "/sign-in/confirm-email")
        }
    }

    @Test("At a desk showing English the visitor registers in the language they choose (Chinese unless they say otherwise)")
    func languageAtTheDesk() async throws {
        try await withTestApp { (app, clock) async throws in
            let assistant = try await TestAccounts.make(app, email: Inbox.uniqueAddress("desk"), kind: .assistant,
                                                        servicePointCode: "es-madrid", totpSecret: testSecret(81))
            let desk = TestBrowser(app)
            try await desk.signIn(assistant.email, totp: testSecret(81), clock: clock)
            #expect(try await desk.get("/register").body.contains("<option value=\"zh-Hans\" selected>"))
            let fields = ["displayName": "王秀兰", "password": "马德里的阳光很好我要换身份证", "timeZone": "Europe/Madrid"]
            let bad = try await desk.post("/register", fields.merging(["email": Inbox.uniqueAddress(), "language": "fr"]) { $1 })
            #expect(bad.status == .unprocessableEntity && bad.body.contains(app.dependencies.translator.text("field.language_invalid", .en)))
            for (language, expected) in [(nil, "zh-Hans"), ("en", "en")] as [(String?, String)] {
                let email = Inbox.uniqueAddress("visitor")
                var form = fields.merging(["email": email]) { $1 }
                form["language"] = language
                #expect(try await desk.post("/register", form).status == .ok)
                #expect(try await Account.query(on: app.db).filter(\.$email == email).first()?.locale == expected)
                let mail = try await Inbox.latest(app, to: email)
                #expect(mail.subject == app.dependencies.translator.text("mail.confirm.subject", expected == "en" ? .en : .zhHans))
            }
        }
    }
}
