import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand

@Suite("Outbox")
struct OutboxTests {
    @Test("While the mail server is down, mail waits and is retried later; none is lost",
          .enabled(if: TestEnvironment.hasMailSink))
    func serverDown() async throws {
        try await withTestApp { (app, clock) async throws in
            let working = try #require(app.dependencies.config.smtp)
            var down = working
            down.port = 1
            app.dependencies.config.smtp = down
            let email = Inbox.uniqueAddress("patient")
            try await TestBrowser(app).post("/register", ["email": email, "displayName": "Li", "password": "a long enough passphrase",
                                                          "timeZone": "Europe/Rome"])
            #expect(try await app.outbox.deliverDue() == 0)
            let waiting = try #require(try await OutboxMail.query(on: app.db).filter(\.$toAddress == email).first())
            #expect(waiting.sentAt == nil && waiting.attempts == 1 && waiting.nextAttemptAt > clock.now)
            #expect(try await app.outbox.deliverDue() == 0, "not retried before its time")

            app.dependencies.config.smtp = working
            clock.advance(by: 60)
            #expect(try await app.outbox.deliverDue() == 1)
            let mail = try await MailSink.latestMessage(to: email)
            #expect(Inbox.token(in: Inbox.Mail(subject: mail.subject, text: mail.text)) != nil)
            let sent = try #require(try await OutboxMail.find(waiting.id, on: app.db))
            #expect(sent.sentAt != nil && sent.textBody.isEmpty)
        }
    }

    @Test("Links waiting in the outbox are sealed: the stored row holds no token and no readable body")
    func sealedAtRest() async throws {
        try await withTestApp { (app, _) async throws in
            let email = Inbox.uniqueAddress("sealed")
            try await TestBrowser(app).post("/password/forgot", ["email": email])
            try await TestAccounts.make(app, email: email)
            try await TestBrowser(app).post("/password/forgot", ["email": email])
            let stored = try #require(try await OutboxMail.query(on: app.db).filter(\.$toAddress == email).first())
            #expect(stored.textBody.hasPrefix("sealed:"))
            let opened = try app.dependencies.secrets.openText(stored.textBody)
            let token = try #require(Inbox.token(in: Inbox.Mail(subject: stored.subject, text: opened)))
            #expect(!stored.textBody.contains(token) && !stored.textBody.contains("#token="))
        }
    }

    @Test("A message that keeps failing for 48 hours is marked dead, not retried, and shown to administrators")
    func deadAfterTwoDays() async throws {
        try await withTestApp(adjusting: {
            $0.smtp = SMTPConfiguration(host: "127.0.0.1", port: 1, security: .plain, username: nil, password: nil,
                                        heloName: "tests.zeroerrand.local", timeout: .seconds(2))
        }) { (app, clock) async throws in
            let email = Inbox.uniqueAddress("unreachable")
            try await TestAccounts.make(app, email: email)
            try await TestBrowser(app).post("/password/forgot", ["email": email])
            var rounds = 0
            while try await OutboxMail.query(on: app.db).filter(\.$deadAt == nil).count() > 0 && rounds < 100 {
                #expect(try await app.outbox.deliverDue() == 0)
                clock.advance(by: 3600)
                rounds += 1
            }
            let dead = try #require(try await OutboxMail.query(on: app.db).filter(\.$toAddress == email).first())
            #expect(dead.deadAt != nil && dead.sentAt == nil && dead.textBody.isEmpty)
            #expect(rounds >= 48 && rounds <= 50)
            let attempts = dead.attempts
            clock.advance(by: 7 * 24 * 3600)
            try await app.outbox.deliverDue()
            #expect(try await OutboxMail.find(dead.id, on: app.db)?.attempts == attempts, "never tried again")

            let admin = try await TestAccounts.make(app, email: Inbox.uniqueAddress("admin"), kind: .admin, totpSecret: testSecret(90))
            let browser = TestBrowser(app)
            try await browser.signIn(admin.email, totp: testSecret(90), clock: clock)
            let page = try await browser.get("/admin")
            #expect(page.body.contains(app.dependencies.translator.text("admin.dead_mail.heading", .en)))
            #expect(page.body.contains(email))
        }
    }
}
