import Fluent
import Foundation
import SQLKit
import Vapor
import ZeroErrandCore

/// Counts attempts per key in the `throttles` table, one atomic statement per attempt, outside the
/// audited transactions: a flood of wrong passwords queues behind nobody's work and nobody's work
/// behind it. Keys are keyed hashes (see `ThrottleKey`), so the table names no address.
struct Throttles: Sendable {
    let database: any Database
    let now: Date

    /// Counts this attempt and says whether it may go ahead: nil, or the end of the block it ran
    /// into (and then nothing is counted, so waiting out a block is all it takes). The count is
    /// taken before the attempt is checked, so parallel guesses cannot share one count.
    func attempt(_ key: ThrottleKey, _ policy: ThrottlePolicy) async throws -> Date? {
        let sql = try sqlDatabase()
        let now = now.timeIntervalSince1970
        let forgetBefore = now - policy.memory
        // Only numbers of the policy's own are spelled into the statement; the key and times are bound.
        let next = "(CASE WHEN throttles.last_at < \(forgetBefore) THEN 1 ELSE throttles.attempts + 1 END)"
        let row = try await sql.raw("""
            INSERT INTO throttles (key_hash, attempts, last_at, blocked_until)
            VALUES (\(bind: key.hash), 1, \(bind: now), \(bind: now + policy.delay(afterAttempts: 1)))
            ON CONFLICT (key_hash) DO UPDATE SET
              attempts = \(unsafeRaw: next),
              last_at = \(bind: now),
              blocked_until = \(bind: now) + \(unsafeRaw: Self.delayExpression(policy, attempts: next))
            WHERE throttles.blocked_until <= \(bind: now) OR throttles.last_at < \(unsafeRaw: String(forgetBefore))
            RETURNING attempts
            """).first()
        if row != nil { return nil }
        return try await blockedUntil(key) ?? self.now
    }

    /// The end of the key's current block, without counting anything.
    func blockedUntil(_ key: ThrottleKey) async throws -> Date? {
        let row = try await sqlDatabase().raw("SELECT blocked_until FROM throttles WHERE key_hash = \(bind: key.hash)").first()
        guard let until = try row?.decode(column: "blocked_until", as: Double.self), until > now.timeIntervalSince1970 else { return nil }
        return Date(timeIntervalSince1970: until)
    }

    /// Takes back one counted attempt (one that turned out to be a success), without lifting a block.
    func refund(_ key: ThrottleKey) async throws {
        try await sqlDatabase().raw("UPDATE throttles SET attempts = attempts - 1 WHERE key_hash = \(bind: key.hash) AND attempts > 0").run()
    }

    /// A success (or the owner's email reset) forgets the failures.
    func clear(_ keys: ThrottleKey...) async throws {
        for key in keys {
            try await sqlDatabase().raw("DELETE FROM throttles WHERE key_hash = \(bind: key.hash)").run()
        }
    }

    /// Rows nobody has tried for a day and a half are of no use (the longest memory is a day).
    static func prune(_ database: any Database, now: Date) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DELETE FROM throttles WHERE last_at < \(bind: now.timeIntervalSince1970 - 36 * 3600)").run()
    }

    /// The policy's delay for the attempt count `attempts` (an SQL expression), as a CASE over the
    /// counts where it still grows; the numbers are the policy's own, never a request's.
    static func delayExpression(_ policy: ThrottlePolicy, attempts: String) -> String {
        var text = "(CASE"
        if let lockout = policy.lockoutAfter { text += " WHEN \(attempts) >= \(lockout) THEN \(policy.memory)" }
        text += " WHEN \(attempts) < \(policy.freeAttempts) THEN 0.0"
        for count in policy.freeAttempts..<policy.lastGrowingAttempt {
            text += " WHEN \(attempts) = \(count) THEN \(policy.delay(afterAttempts: count))"
        }
        text += " ELSE \(policy.longestDelay) END)"
        return text
    }

    private func sqlDatabase() throws -> any SQLDatabase {
        guard let sql = database as? any SQLDatabase else { throw Abort(.internalServerError, reason: "throttles need an SQL database") }
        return sql
    }
}

/// What is counted: a keyed hash of a purpose and a value (an address, an account), so the table
/// holds no email address or IP in the clear.
struct ThrottleKey: Sendable {
    let hash: String

    init(_ purpose: String, _ value: String, secrets: Secrets) {
        hash = secrets.tokenHash("throttle:\(purpose):\(value)")
    }
}

extension Request {
    var throttles: Throttles { Throttles(database: db, now: now) }
}
