import Crypto
import Foundation

/// What an audit event says. Its hash covers every field and the previous event's hash,
/// so editing, reordering or removing an event breaks every link after it.
public struct AuditFacts: Sendable, Equatable {
    public var occurredAt: Date
    public var actor: String
    public var action: String
    public var objectType: String
    public var objectID: String
    public var clientAddress: String
    public var details: String

    public init(occurredAt: Date, actor: String, action: String, objectType: String, objectID: String,
                clientAddress: String, details: String) {
        self.occurredAt = AuditChain.wholeMilliseconds(occurredAt)
        self.actor = actor
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.clientAddress = clientAddress
        self.details = details
    }
}

public struct ChainedAuditEvent: Sendable, Equatable {
    public var sequence: Int64
    public var facts: AuditFacts
    public var previousHash: String
    public var hash: String

    public init(sequence: Int64, facts: AuditFacts, previousHash: String, hash: String) {
        self.sequence = sequence
        self.facts = facts
        self.previousHash = previousHash
        self.hash = hash
    }
}

public enum AuditChain {
    public static let genesisHash = String(repeating: "0", count: 64)

    public enum Break: Sendable, Equatable, CustomStringConvertible {
        /// The event's content no longer matches its own hash: it was edited.
        case alteredEvent(sequence: Int64)
        /// The event does not point at the one before it: something was removed, inserted or reordered.
        case brokenLink(sequence: Int64)
        /// The newest events are gone: the chain is shorter than the recorded head.
        case truncated(afterSequence: Int64)

        public var sequence: Int64 {
            switch self {
            case .alteredEvent(let sequence), .brokenLink(let sequence), .truncated(let sequence): sequence
            }
        }

        public var description: String {
            switch self {
            case .alteredEvent(let sequence): "event \(sequence) was altered (its hash does not match its content)"
            case .brokenLink(let sequence): "event \(sequence) does not follow the event before it (an event was removed, inserted or reordered)"
            case .truncated(let sequence): "the chain ends at event \(sequence) but the recorded head is later (events were removed from the end)"
            }
        }
    }

    /// Dates are hashed in whole milliseconds: both SQLite and PostgreSQL store that exactly.
    public static func wholeMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// An HMAC, not a bare hash: someone who can write to the database but does not hold the key
    /// cannot recompute the chain after editing it.
    public static func hash(of facts: AuditFacts, sequence: Int64, previousHash: String, key: SymmetricKey) -> String {
        let millis = Int64((facts.occurredAt.timeIntervalSince1970 * 1000).rounded())
        let fields = [String(sequence), String(millis), facts.actor, facts.action, facts.objectType,
                      facts.objectID, facts.clientAddress, facts.details, previousHash]
        // Length-prefixing makes the encoding unambiguous: no field can spill into the next.
        var canonical = Data()
        for field in fields {
            let bytes = Data(field.utf8)
            canonical.append(contentsOf: "\(bytes.count):".utf8)
            canonical.append(bytes)
        }
        return HMAC<SHA256>.authenticationCode(for: canonical, using: key).map { String(format: "%02x", $0) }.joined()
    }

    public static func append(_ facts: AuditFacts, after previous: (sequence: Int64, hash: String)?, key: SymmetricKey) -> ChainedAuditEvent {
        let sequence = (previous?.sequence ?? 0) + 1
        let previousHash = previous?.hash ?? genesisHash
        return ChainedAuditEvent(sequence: sequence, facts: facts, previousHash: previousHash,
                                 hash: hash(of: facts, sequence: sequence, previousHash: previousHash, key: key))
    }

    /// Walks events in sequence order and names the first one that breaks the chain.
    public static func firstBreak(in events: some Sequence<ChainedAuditEvent>,
                                  recordedHead: (sequence: Int64, hash: String)?, key: SymmetricKey) -> Break? {
        var walker = Walker(key: key)
        for event in events {
            if let broken = walker.check(event) { return broken }
        }
        return recordedHead.flatMap { walker.checkEnd(against: $0) }
    }

    /// Checks a chain one event at a time, so a long log can be read in pages.
    public struct Walker: Sendable {
        public private(set) var last: (sequence: Int64, hash: String) = (0, AuditChain.genesisHash)
        public private(set) var count: Int64 = 0
        private let key: SymmetricKey

        public init(key: SymmetricKey) { self.key = key }

        public mutating func check(_ event: ChainedAuditEvent) -> Break? {
            if event.sequence != last.sequence + 1 || event.previousHash != last.hash {
                return .brokenLink(sequence: event.sequence)
            }
            if AuditChain.hash(of: event.facts, sequence: event.sequence, previousHash: event.previousHash, key: key) != event.hash {
                return .alteredEvent(sequence: event.sequence)
            }
            last = (event.sequence, event.hash)
            count += 1
            return nil
        }

        /// The recorded head must be exactly where the walk ended.
        public func checkEnd(against head: (sequence: Int64, hash: String)) -> Break? {
            if head.sequence == last.sequence && head.hash == last.hash { return nil }
            return head.sequence > last.sequence ? .truncated(afterSequence: last.sequence) : .brokenLink(sequence: head.sequence)
        }
    }
}
