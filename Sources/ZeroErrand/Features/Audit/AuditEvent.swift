import Fluent
import Foundation
import ZeroErrandCore

/// One entry of the append-only, hash-chained audit log.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(custom: "sequence", generatedBy: .user) var id: Int64?
    @Field(key: "occurred_at") var occurredAt: Date
    /// `account:<uuid>`, `anonymous` or `system`.
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "object_type") var objectType: String
    @Field(key: "object_id") var objectID: String
    @Field(key: "client_address") var clientAddress: String
    /// A short JSON object; never a password, token or ID number.
    @Field(key: "details") var details: String
    @Field(key: "previous_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    init() {}

    init(_ event: ChainedAuditEvent) {
        id = event.sequence
        occurredAt = event.facts.occurredAt
        actor = event.facts.actor
        action = event.facts.action
        objectType = event.facts.objectType
        objectID = event.facts.objectID
        clientAddress = event.facts.clientAddress
        details = event.facts.details
        previousHash = event.previousHash
        hash = event.hash
    }

    var chained: ChainedAuditEvent {
        ChainedAuditEvent(sequence: id ?? 0,
                          facts: AuditFacts(occurredAt: occurredAt, actor: actor, action: action, objectType: objectType,
                                            objectID: objectID, clientAddress: clientAddress, details: details),
                          previousHash: previousHash, hash: hash)
    }
}

/// The newest event's sequence and hash. Appends lock this row, and verification compares the
/// chain's end with it, so removing the newest events is caught too.
final class AuditHead: Model, @unchecked Sendable {
    static let schema = "audit_head"

    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "sequence") var sequence: Int64
    @Field(key: "hash") var hash: String

    init() {}

    init(sequence: Int64, hash: String) {
        self.id = 1
        self.sequence = sequence
        self.hash = hash
    }
}
