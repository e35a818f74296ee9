import Crypto
import Foundation

/// The audit chain's head as it was at a moment, signed and kept outside the database: someone
/// who can rewrite the database (cut the newest events and move the head row back with them) still
/// cannot make it agree with a checkpoint written earlier. Signed with Ed25519, so an auditor can
/// check it with the public key alone.
public struct AuditCheckpoint: Sendable, Equatable, Codable {
    public var sequence: Int64
    public var hash: String
    public var writtenAt: Date
    /// Base64 Ed25519 signature over `signedText`.
    public var signature: String

    public static func make(sequence: Int64, hash: String, at date: Date, key: Curve25519.Signing.PrivateKey) throws -> AuditCheckpoint {
        let writtenAt = AuditChain.wholeMilliseconds(date)
        let text = signedText(sequence: sequence, hash: hash, writtenAt: writtenAt)
        return AuditCheckpoint(sequence: sequence, hash: hash, writtenAt: writtenAt,
                               signature: try key.signature(for: Data(text.utf8)).base64EncodedString())
    }

    public func isSigned(by key: Curve25519.Signing.PublicKey) -> Bool {
        guard let signature = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(signature, for: Data(Self.signedText(sequence: sequence, hash: hash, writtenAt: writtenAt).utf8))
    }

    static func signedText(sequence: Int64, hash: String, writtenAt: Date) -> String {
        "zeroerrand-audit-checkpoint|\(sequence)|\(hash)|\(Int64((writtenAt.timeIntervalSince1970 * 1000).rounded()))"
    }

    /// What a checkpoint says about the log in the database, given the stored event at the
    /// checkpoint's sequence (nil when there is none) and the recorded head.
    public enum Finding: Sendable, Equatable, CustomStringConvertible {
        case agrees
        case badSignature
        /// The database ends before the checkpoint's head: newest events were removed.
        case shortened(databaseHead: Int64, checkpoint: Int64)
        /// The event at the checkpoint's sequence is not the one the checkpoint saw.
        case rewritten(sequence: Int64)

        public var description: String {
            switch self {
            case .agrees: "the log agrees with the checkpoint"
            case .badSignature: "the checkpoint's signature is not valid (the file was altered or made with another key)"
            case .shortened(let head, let checkpoint):
                "the log ends at event \(head), but a checkpoint saw it reach event \(checkpoint): events were removed from the end"
            case .rewritten(let sequence): "event \(sequence) is not the one the checkpoint saw: the log was rewritten"
            }
        }
    }

    public func check(storedHashAtSequence stored: String?, databaseHead: Int64, key: Curve25519.Signing.PublicKey) -> Finding {
        guard isSigned(by: key) else { return .badSignature }
        guard sequence > 0 else { return .agrees }
        guard databaseHead >= sequence, let stored else { return .shortened(databaseHead: databaseHead, checkpoint: sequence) }
        return stored == hash ? .agrees : .rewritten(sequence: sequence)
    }
}
