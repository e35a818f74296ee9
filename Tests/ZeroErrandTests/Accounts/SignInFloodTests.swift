import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// Floods of sign-ins: they must not hold up anyone else's work, exhaust the server, or lock the
/// real owner out for good.
@Suite("Sign-in floods")
struct SignInFloodTests {
    /// In-process test requests have no address of their own; trusting that as a proxy lets a
    /// test browser name its client in X-Forwarded-For, as a reverse proxy would.
    static func behindProxy(_ config: inout AppConfig) { config.trustedProxies = ["unknown"] }

    @Test("500 wrong passwords for one account: other people's writes all go through, the flood writes almost nothing to the shared audit log")
    func floodDoesNotSlowOthers() async throws {
        try await withTestApp { (app, _) async throws in
            let victim = Inbox.uniqueAddress("victim")
            try await TestAccounts.make(app, email: victim)
            let worker = Inbox.uniqueAddress("worker")
            try await TestAccounts.make(app, email: worker)
            let busy = TestBrowser(app)
            try await busy.signIn(worker)
            let auditBefore = try await AuditEvent.query(on: app.db).count()

            let (statuses, saved) = try await withThrowingTaskGroup(of: (HTTPStatus?, Bool).self) { group in
                for batch in 0..<25 {
                    group.addTask {
                        let attacker = TestBrowser(app)
                        var last: HTTPStatus?
                        for _ in 0..<20 { last = try await attacker.signIn(victim, password: "guess number \(batch)").status }
                        return (last, false)
                    }
                }
                group.addTask {
                    var ok = true
                    for index in 0..<20 {
                        let page = try await busy.post("/account", ["displayName": "Worker \(index)", "locale": "en", "timeZone": "UTC"])
                        ok = ok && page.status == .ok
                    }
                    return (nil, ok)
                }
                var statuses: [HTTPStatus] = []
                var saved = false
                for try await (status, ok) in group {
                    if let status { statuses.append(status) } else { saved = ok }
                }
                return (statuses, saved)
            }
            #expect(saved, "every write of the other user was saved")
            #expect(try await Account.query(on: app.db).filter(\.$email == worker).first()?.displayName == "Worker 19")
            #expect(statuses.allSatisfy { $0 == .tooManyRequests }, "the flood ends throttled")
            let failures = try await AuditEvent.query(on: app.db).filter(\.$action == "sign_in.failed").count()
            // Only attempts that reached the password check are audited: the five free ones
            // (parallel requests are each counted before they are checked).
            #expect(failures <= 5)
            #expect(try await AuditEvent.query(on: app.db).count() - auditBefore <= 5 + 20)
        }
    }

    @Test("The owner with the right password and second factor gets in after the short account-wide wait, and by email reset at once")
    func ownerRecovers() async throws {
        try await withTestApp(adjusting: Self.behindProxy) { (app, clock) async throws in
            let email = Inbox.uniqueAddress("owner")
            let secret = testSecret(40)
            try await TestAccounts.make(app, email: email, totpSecret: secret)
            // Guesses from many addresses (a botnet): each address has its own small budget.
            for client in 0..<30 {
                let attacker = TestBrowser(app)
                attacker.clientAddress = "203.0.113.\(client)"
                for _ in 0..<3 { _ = try await attacker.signIn(email, password: "wrong \(client)") }
            }
            let owner = TestBrowser(app)
            owner.clientAddress = "198.51.100.20"
            let refused = try await owner.signIn(email)
            #expect(refused.status == .tooManyRequests)
            let wait = try #require(Int(refused.headers.first(name: .retryAfter) ?? ""))
            #expect(wait <= 60, "an account-wide wait stays short")
            clock.advance(by: TimeInterval(wait))
            let page = try await owner.signIn(email, totp: secret, clock: clock)
            #expect(page.location == "/account")
        }
    }

    @Test("After 100 failures the account is locked for a day; the owner's email reset lifts it at once")
    func lockoutLiftedByReset() async throws {
        try await withTestApp(adjusting: Self.behindProxy) { (app, clock) async throws in
            let email = Inbox.uniqueAddress("locked")
            try await TestAccounts.make(app, email: email)
            // A hundred guesses from a hundred addresses, waiting out each short account-wide delay.
            for client in 0..<100 {
                let attacker = TestBrowser(app)
                attacker.clientAddress = "203.0.113.\(client)"
                let page = try await attacker.signIn(email, password: "guess \(client)")
                #expect(page.status == .unauthorized, "guess \(client)")
                clock.advance(by: 61)
            }
            let owner = TestBrowser(app)
            owner.clientAddress = "198.51.100.9"
            let locked = try await owner.signIn(email)
            #expect(locked.status == .tooManyRequests)
            #expect(Int(locked.headers.first(name: .retryAfter) ?? "") ?? 0 > 3600)
            #expect(try await owner.post("/password/forgot", ["email": email]).status == .ok)
            let token = try #require(Inbox.token(in: try await Inbox.latest(app, to: email)))
            #expect(try await owner.post("/password/reset", ["token": token, "password": "a fresh passphrase of mine"]).status == .ok)
            #expect(try await owner.signIn(email, password: "a fresh passphrase of mine").location == "/account")
        }
    }

    @Test("An IPv6 client is counted by its /64, the way one machine holds addresses")
    func ipv6Prefix() async throws {
        try await withTestApp(adjusting: Self.behindProxy) { (app, _) async throws in
            for index in 0..<31 {
                let sprayer = TestBrowser(app)
                sprayer.clientAddress = "2001:db8:1:2::\(String(index, radix: 16))"
                let status = try await sprayer.signIn("person\(index)@example.org", password: "Summer2026!").status
                #expect(status == (index < 30 ? .unauthorized : .tooManyRequests), "try \(index)")
            }
        }
    }

    @Test("Password spraying from one client (many addresses, one password) is slowed after a few tries")
    func sprayingSlowed() async throws {
        try await withTestApp(adjusting: Self.behindProxy) { (app, _) async throws in
            let sprayer = TestBrowser(app)
            var statuses: [HTTPStatus] = []
            for index in 0..<60 {
                statuses.append(try await sprayer.signIn("person\(index)@example.org", password: "Summer2026!").status)
            }
            #expect(statuses.prefix(30).allSatisfy { $0 == .unauthorized })
            #expect(statuses.dropFirst(30).allSatisfy { $0 == .tooManyRequests })
            // Someone else elsewhere is not affected.
            let email = Inbox.uniqueAddress()
            try await TestAccounts.make(app, email: email)
            let other = TestBrowser(app)
            other.clientAddress = "198.51.100.77"
            #expect(try await other.signIn(email).location == "/account")
        }
    }

    @Test("Password hashing admits a few at a time with a short queue; beyond it, 503 with Retry-After at once")
    func boundedHashing() async throws {
        let gate = BoundedGate(running: 1, waiting: 1)
        let release = AsyncStream<Void>.makeStream()
        let holder = Task { try await gate.run { for await _ in release.stream { break } } }
        try await Task.sleep(for: .milliseconds(100))
        let waiter = Task { try await gate.run { "waited" } }
        try await Task.sleep(for: .milliseconds(100))
        let refused = await #expect(throws: AppError.self) { try await gate.run { "third" } }
        #expect(refused?.status == .serviceUnavailable && refused?.retryAfter != nil)
        release.continuation.yield()
        try await holder.value
        #expect(try await waiter.value == "waited")
        #expect(try await gate.run { "after" } == "after")

        try await withTestApp { (app, _) async throws in
            // With no room at all for another hash, a sign-in is answered 503 with Retry-After, in the reader's language.
            let busyGate = BoundedGate(running: 1, waiting: 0)
            app.dependencies.passwordHasher.gate = busyGate
            let hold = AsyncStream<Void>.makeStream()
            let occupant = Task { try await busyGate.run { for await _ in hold.stream { break } } }
            try await Task.sleep(for: .milliseconds(100))
            let page = try await TestBrowser(app, language: "zh-CN").signIn("someone@example.org", password: "whatever it is")
            #expect(page.status == .serviceUnavailable)
            #expect(page.headers.first(name: .retryAfter) != nil)
            #expect(page.body.contains(app.dependencies.translator.text("error.busy", .zhHans)))
            // Refused unheard, the attempt counted against nobody.
            let sql = try #require(app.db as? any SQLDatabase)
            let counts = try await sql.raw("SELECT attempts FROM throttles").all().map { try $0.decode(column: "attempts", as: Int.self) }
            #expect(counts.allSatisfy { $0 == 0 })
            hold.continuation.yield()
            try await occupant.value
        }
    }
}
