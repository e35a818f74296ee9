import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor
import ZeroErrandCore

/// Who did something and from where, as the audit log records it.
struct AuditContext: Sendable {
    var actor: String
    var clientAddress: String

    static let system = AuditContext(actor: "system", clientAddress: "local")

    static func account(_ id: UUID?) -> String { id.map { "account:\($0.uuidString.lowercased())" } ?? "anonymous" }
}

/// Appends events inside the caller's transaction, so a change and its audit event commit together
/// or not at all.
struct AuditTrail: Sendable {
    let database: any Database
    let context: AuditContext
    let clock: AppClock
    let key: SymmetricKey

    func record(_ action: String, _ objectType: String, _ objectID: String, _ details: [String: String] = [:]) async throws {
        let head = try await lockedHead()
        let facts = AuditFacts(occurredAt: clock.now(), actor: context.actor, action: action, objectType: objectType,
                               objectID: objectID, clientAddress: context.clientAddress, details: Self.encode(details))
        let event = AuditChain.append(facts, after: head.sequence == 0 ? nil : (head.sequence, head.hash), key: key)
        try await AuditEvent(event).create(on: database)
        head.sequence = event.sequence
        head.hash = event.hash
        try await head.update(on: database)
    }

    /// The head row, locked since the transaction began (see `Application.audited`).
    private func lockedHead() async throws -> AuditHead {
        guard let head = try await AuditHead.find(1, on: database) else {
            throw Abort(.internalServerError, reason: "audit head row is missing")
        }
        return head
    }

    static func encode(_ details: [String: String]) -> String {
        guard !details.isEmpty else { return "{}" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(details)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension Application {
    private struct AuditLockKey: StorageKey { typealias Value = AsyncSerialLock }

    var auditLock: AsyncSerialLock {
        if let lock = storage[AuditLockKey.self] { return lock }
        let lock = AsyncSerialLock()
        storage[AuditLockKey.self] = lock
        return lock
    }

    /// Runs `body` in one transaction with an audit trail; nothing it wrote survives if it throws.
    func audited<T: Sendable>(_ context: AuditContext, on database: (any Database)? = nil,
                              _ body: @escaping @Sendable (any Database, AuditTrail) async throws -> T) async throws -> T {
        let database = database ?? db
        let clock = dependencies.clock
        let key = dependencies.secrets.auditKey
        let metrics = self.metrics
        let asked = ContinuousClock.now
        return try await auditLock.run {
            metrics.auditWait(ContinuousClock.now - asked)
            return try await database.transaction { transaction in
                // On PostgreSQL, locking the head row first makes audited transactions of every app
                // instance run one at a time, as the in-process lock does within one instance: reads
                // inside them (a TOTP counter, a token's use) see every earlier commit.
                if let sql = transaction as? any SQLDatabase {
                    if sql.dialect.name == "postgresql" {
                        try await sql.raw("SELECT sequence FROM audit_head WHERE id = 1 FOR UPDATE").run()
                    } else {
                        // SQLite's BEGIN is deferred: a transaction that reads first and writes later fails
                        // (SQLITE_BUSY_SNAPSHOT) if another connection commits in between. Writing first
                        // takes the write lock now, as BEGIN IMMEDIATE would.
                        try await sql.raw("UPDATE audit_head SET sequence = sequence WHERE id = 1").run()
                    }
                }
                return try await body(transaction, AuditTrail(database: transaction, context: context, clock: clock, key: key))
            }
        }
    }
}

extension Request {
    var auditContext: AuditContext {
        AuditContext(actor: AuditContext.account(currentAccount?.id), clientAddress: clientAddress)
    }

    /// Who a throttle counts as one client: the address, or for IPv6 its /64 (one machine commonly
    /// holds a whole /64, and would otherwise get a fresh budget per address).
    var throttleClient: String {
        let address = clientAddress
        var bytes = [UInt8](repeating: 0, count: 16)
        guard address.contains(":"), inet_pton(AF_INET6, address, &bytes) == 1 else { return address }
        return bytes.prefix(8).map { String(format: "%02x", $0) }.joined() + "::/64"
    }

    /// The client's address: the connection's, or, when that is a trusted proxy, the nearest
    /// address in `X-Forwarded-For` that is not one (anything further left can be forged).
    var clientAddress: String {
        let direct = remoteAddress?.ipAddress ?? "unknown"
        let trusted = dependencies.config.trustedProxies
        guard trusted.contains(direct), let forwarded = headers[.xForwardedFor].last else { return direct }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.reversed().first { !trusted.contains($0) }.map { String($0.prefix(64)) } ?? direct
    }

    /// `actingAs` names the account when nobody is signed in yet but the person is known
    /// (completing a sign-in, following an emailed link).
    func audited<T: Sendable>(actingAs accountID: UUID? = nil,
                              _ body: @escaping @Sendable (any Database, AuditTrail) async throws -> T) async throws -> T {
        var context = auditContext
        if let accountID { context.actor = AuditContext.account(accountID) }
        return try await application.audited(context, on: db, body)
    }
}
