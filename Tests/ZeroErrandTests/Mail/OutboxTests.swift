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
}
