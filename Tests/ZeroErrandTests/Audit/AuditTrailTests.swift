import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Audit log")
struct AuditTrailTests {
    @Test("Sign-ins, failures and account changes are appended with actor, time and address")
    func events() async throws {
        try await withTestApp { (app, clock) async throws in
            let email = Inbox.uniqueAddress()
            let account = try await TestAccounts.make(app, email: email)
            let browser = TestBrowser(app)
            try await browser.signIn(email, password: "not the password")
            try await browser.signIn(email)
            try await browser.post("/account", ["displayName": "New Name", "locale": "en", "timeZone": "America/New_York"])
            let events = try await AuditEvent.query(on: app.db).sort(\.$id).all()
            let id = account.id!.uuidString.lowercased()
            let mine = events.filter { $0.objectID == id }
            #expect(mine.map(\.action) == ["sign_in.failed", "sign_in.succeeded", "account.profile_updated"])
            #expect(mine[0].actor == "anonymous")
            #expect(mine[1].actor == "account:\(id)" && mine[2].actor == "account:\(id)")
            #expect(mine.allSatisfy { abs($0.occurredAt.timeIntervalSince(clock.now)) < 1 })
            #expect(mine.allSatisfy { !$0.details.contains(TestAccounts.password) && !$0.details.contains("not the password") })
            let report = try await AuditVerifier.verify(on: app.db, key: app.dependencies.secrets.auditKey)
            #expect(report.firstBreak == nil && report.eventCount == Int64(events.count))
        }
    }

    @Test("An edited event is caught and named, by the verifier and by the command")
    func tampering() async throws {
        try await withTestApp { (app, _) async throws in
            let email = Inbox.uniqueAddress()
            try await TestAccounts.make(app, email: email)
            let browser = TestBrowser(app)
            for _ in 0..<3 { try await browser.signIn(email, password: "wrong password") }
            let target = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "sign_in.failed").sort(\.$id).first())
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE audit_events SET client_address = '198.51.100.7' WHERE sequence = \(bind: target.id!)").run()

            let report = try await AuditVerifier.verify(on: app.db, key: app.dependencies.secrets.auditKey)
            #expect(report.firstBreak == .alteredEvent(sequence: target.id!))

            let console = TestConsole()
            var context = CommandContext(console: console, input: CommandInput(arguments: ["zeroerrand", "audit-verify"]))
            context.application = app
            await #expect(throws: VerifyAuditCommand.AuditChainBroken.self) {
                try await VerifyAuditCommand().run(using: context, signature: .init())
            }
            #expect(console.output.contains("event \(target.id!) was altered"))
        }
    }

    @Test("A deleted newest event is caught as well")
    func truncation() async throws {
        try await withTestApp { (app, _) async throws in
            let browser = TestBrowser(app)
            for _ in 0..<2 { try await browser.signIn("ghost@example.org", password: "wrong password") }
            let last = try #require(try await AuditEvent.query(on: app.db).sort(\.$id, .descending).first())
            try await last.delete(on: app.db)
            let report = try await AuditVerifier.verify(on: app.db, key: app.dependencies.secrets.auditKey)
            #expect(report.firstBreak == .truncated(afterSequence: last.id! - 1))
        }
    }

    @Test("A log cut at its end with the head row moved back passes the chain, but not the checkpoint")
    func truncationBehindTheHeadsBack() async throws {
        try await withTestApp { (app, clock) async throws in
            let browser = TestBrowser(app)
            for _ in 0..<3 { try await browser.signIn("ghost@example.org", password: "wrong password") }
            let checkpoints = AuditCheckpoints(app)
            let written = try #require(try await checkpoints.write(app))
            #expect(try await checkpoints.write(app) == nil, "nothing new, no new checkpoint")
            #expect(try await checkpoints.verify(on: app.db) == .agrees)
            clock.advance(by: 60)
            try await browser.signIn("ghost@example.org", password: "wrong password")
            #expect(try await checkpoints.verify(on: app.db) == .agrees, "a log that grew since agrees")

            // Cut the last events and rewrite the head to the new end: the chain alone looks whole.
            let sql = try #require(app.db as? any SQLDatabase)
            let keep = written.sequence - 2
            let newEnd = try #require(try await AuditEvent.find(keep, on: app.db))
            try await sql.raw("DELETE FROM audit_events WHERE sequence > \(bind: keep)").run()
            try await sql.raw("UPDATE audit_head SET sequence = \(bind: keep), hash = \(bind: newEnd.hash) WHERE id = 1").run()
            #expect(try await AuditVerifier.verify(on: app.db, key: app.dependencies.secrets.auditKey).firstBreak == nil)
            #expect(try await checkpoints.verify(on: app.db) == .shortened(databaseHead: keep, checkpoint: written.sequence))

            let console = TestConsole()
            var context = CommandContext(console: console, input: CommandInput(arguments: ["zeroerrand", "audit-verify"]))
            context.application = app
            await #expect(throws: VerifyAuditCommand.AuditChainBroken.self) {
                try await VerifyAuditCommand().run(using: context, signature: .init())
            }
            #expect(console.output.contains("events were removed from the end"))
        }
    }
}

/// Collects what a command prints.
final class TestConsole: Console, @unchecked Sendable {
    var output = ""
    var userInfo: [AnySendableHashable: any Sendable] = [:]
    var size: (width: Int, height: Int) { (120, 40) }
    func input(isSecure: Bool) -> String { "" }
    func output(_ text: ConsoleText, newLine: Bool) { output += text.description + (newLine ? "\n" : "") }
    func report(error: String, newLine: Bool) { output += error + (newLine ? "\n" : "") }
    func clear(_ type: ConsoleClear) {}
}
