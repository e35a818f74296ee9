import Crypto
import Foundation
import Testing
@testable import ZeroErrandCore

@Suite("Audit checkpoints")
struct AuditCheckpointTests {
    let key = try! Curve25519.Signing.PrivateKey(rawRepresentation: Data(repeating: 9, count: 32))
    let at = Date(timeIntervalSince1970: 1_796_000_000.123)

    @Test("A checkpoint agrees with the log it saw, and catches a shortened or rewritten one")
    func findings() throws {
        let checkpoint = try AuditCheckpoint.make(sequence: 40, hash: "abc", at: at, key: key)
        let publicKey = key.publicKey
        #expect(checkpoint.check(storedHashAtSequence: "abc", databaseHead: 40, key: publicKey) == .agrees)
        #expect(checkpoint.check(storedHashAtSequence: "abc", databaseHead: 55, key: publicKey) == .agrees)
        #expect(checkpoint.check(storedHashAtSequence: nil, databaseHead: 37, key: publicKey) == .shortened(databaseHead: 37, checkpoint: 40))
        #expect(checkpoint.check(storedHashAtSequence: "abd", databaseHead: 40, key: publicKey) == .rewritten(sequence: 40))
    }

    @Test("Any change to a checkpoint, or another key, breaks its signature")
    func signature() throws {
        let checkpoint = try AuditCheckpoint.make(sequence: 40, hash: "abc", at: at, key: key)
        #expect(checkpoint.isSigned(by: key.publicKey))
        for forged in [AuditCheckpoint(sequence: 39, hash: "abc", writtenAt: checkpoint.writtenAt, signature: checkpoint.signature),
                       AuditCheckpoint(sequence: 40, hash: "abd", writtenAt: checkpoint.writtenAt, signature: checkpoint.signature),
                       AuditCheckpoint(sequence: 40, hash: "abc", writtenAt: at.addingTimeInterval(1), signature: checkpoint.signature)] {
            #expect(!forged.isSigned(by: key.publicKey))
            #expect(forged.check(storedHashAtSequence: "abc", databaseHead: 40, key: key.publicKey) == .badSignature)
        }
        #expect(!checkpoint.isSigned(by: Curve25519.Signing.PrivateKey().publicKey))
    }
}
