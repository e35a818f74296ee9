import Fluent
import Foundation
import SQLKit
import Testing
@testable import ZeroErrand
import ZeroErrandCore

/// The throttle table's single-statement counting, on the database the suite runs on.
@Suite("Throttle store")
struct ThrottleStoreTests {
    @Test("Attempts count until the policy blocks; blocked tries count nothing and do not renew the block; time and success forget")
    func counting() async throws {
        try await withTestApp { (app, clock) async throws in
            let key = ThrottleKey("test", "someone@example.org", secrets: app.dependencies.secrets)
            let policy = ThrottlePolicy.signInFromClient
            var throttles: Throttles { Throttles(database: app.db, now: clock.now) }
            for _ in 1...4 { #expect(try await throttles.attempt(key, policy) == nil) }
            #expect(try await throttles.attempt(key, policy) == nil, "the fifth is checked, and starts a block")
            let until = try #require(try await throttles.blockedUntil(key))
            #expect(until == clock.now.addingTimeInterval(30))
            clock.advance(by: 20)
            #expect(try await throttles.attempt(key, policy) == until, "blocked, and the block is not moved")
            clock.advance(by: 10)
            #expect(try await throttles.attempt(key, policy) == nil, "the block ran out")
            #expect(try await throttles.blockedUntil(key) == clock.now.addingTimeInterval(60), "the next block is twice as long")

            try await throttles.clear(key)
            #expect(try await throttles.blockedUntil(key) == nil)

            for _ in 1...5 { _ = try await throttles.attempt(key, policy) }
            clock.advance(by: policy.memory + 1)
            #expect(try await throttles.attempt(key, policy) == nil)
            #expect(try await throttles.blockedUntil(key) == nil, "failures a day old are forgotten")
        }
    }

    @Test("Parallel attempts are each counted: no more than the free ones get through")
    func parallel() async throws {
        try await withTestApp { (app, clock) async throws in
            let key = ThrottleKey("test", "burst", secrets: app.dependencies.secrets)
            let now = clock.now
            let passed = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<40 {
                    group.addTask { try await Throttles(database: app.db, now: now).attempt(key, .signInFromClient) == nil }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(passed == ThrottlePolicy.signInFromClient.freeAttempts)
        }
    }

    @Test("Rows nobody tried for a day and a half are pruned")
    func prune() async throws {
        try await withTestApp { (app, clock) async throws in
            let old = ThrottleKey("test", "old", secrets: app.dependencies.secrets)
            let fresh = ThrottleKey("test", "fresh", secrets: app.dependencies.secrets)
            _ = try await Throttles(database: app.db, now: clock.now).attempt(old, .mailToAddress)
            clock.advance(by: 36 * 3600 + 1)
            _ = try await Throttles(database: app.db, now: clock.now).attempt(fresh, .mailToAddress)
            try await Throttles.prune(app.db, now: clock.now)
            let sql = try #require(app.db as? any SQLDatabase)
            let rows = try await sql.raw("SELECT key_hash FROM throttles").all().map { try $0.decode(column: "key_hash", as: String.self) }
            #expect(rows == [fresh.hash])
        }
    }
}
