import Crypto
import Foundation
import Testing
@testable import ZeroErrandCore

@Suite("Hash-chained audit log")
struct AuditChainTests {
    let key = SymmetricKey(data: Data(repeating: 9, count: 32))

    func chain(_ count: Int) -> [ChainedAuditEvent] {
        var events: [ChainedAuditEvent] = []
        for index in 0..<count {
            let facts = AuditFacts(occurredAt: Date(timeIntervalSince1970: 1_796_000_000 + Double(index) + 0.0004),
                                   actor: "account:\(index)", action: "sign_in.succeeded", objectType: "account",
                                   objectID: "\(index)", clientAddress: "203.0.113.\(index)", details: "{}")
            events.append(AuditChain.append(facts, after: events.last.map { ($0.sequence, $0.hash) }, key: key))
        }
        return events
    }

    func head(_ events: [ChainedAuditEvent]) -> (sequence: Int64, hash: String) { (events.last!.sequence, events.last!.hash) }

    @Test("An untouched chain verifies")
    func intact() {
        let events = chain(6)
        #expect(events.first?.previousHash == AuditChain.genesisHash)
        #expect(AuditChain.firstBreak(in: events, recordedHead: head(events), key: key) == nil)
    }

    @Test("Editing any field of an event is named as that event")
    func altered() {
        var events = chain(6)
        let original = head(events)
        events[3].facts.clientAddress = "198.51.100.9"
        #expect(AuditChain.firstBreak(in: events, recordedHead: original, key: key) == .alteredEvent(sequence: 4))
    }

    @Test("Re-hashing an edited event still breaks the link to the next one")
    func rehashed() {
        var events = chain(6)
        let original = head(events)
        events[2].facts.action = "nothing.happened"
        events[2].hash = AuditChain.hash(of: events[2].facts, sequence: 3, previousHash: events[2].previousHash, key: key)
        #expect(AuditChain.firstBreak(in: events, recordedHead: original, key: key) == .brokenLink(sequence: 4))
    }

    @Test("Rewriting the whole chain after an edit needs the key")
    func keyed() {
        var events = chain(6)
        events[1].facts.actor = "account:someone-else"
        // An attacker without the key recomputes every later link with another key.
        let forger = SymmetricKey(data: Data(repeating: 1, count: 32))
        for index in 1..<events.count {
            events[index].previousHash = events[index - 1].hash
            events[index].hash = AuditChain.hash(of: events[index].facts, sequence: events[index].sequence,
                                                 previousHash: events[index].previousHash, key: forger)
        }
        #expect(AuditChain.firstBreak(in: events, recordedHead: head(events), key: key) == .alteredEvent(sequence: 2))
    }

    @Test("Removing an event in the middle or at the end is caught")
    func removed() {
        let events = chain(6)
        var middle = events
        middle.remove(at: 2)
        #expect(AuditChain.firstBreak(in: middle, recordedHead: head(events), key: key) == .brokenLink(sequence: 4))
        #expect(AuditChain.firstBreak(in: Array(events.dropLast(2)), recordedHead: head(events), key: key) == .truncated(afterSequence: 4))
    }

    @Test("The hash is unambiguous: moving text between fields changes it")
    func unambiguous() {
        let a = AuditFacts(occurredAt: Date(timeIntervalSince1970: 0), actor: "ab", action: "c", objectType: "", objectID: "",
                           clientAddress: "", details: "")
        let b = AuditFacts(occurredAt: Date(timeIntervalSince1970: 0), actor: "a", action: "bc", objectType: "", objectID: "",
                           clientAddress: "", details: "")
        #expect(AuditChain.hash(of: a, sequence: 1, previousHash: "", key: key) != AuditChain.hash(of: b, sequence: 1, previousHash: "", key: key))
    }
}
