import Crypto
import Foundation
import Vapor
import ZeroErrandCore

/// Keyed hashing and sealing with the app's secret key.
struct Secrets: Sendable {
    let key: SymmetricKey

    /// For high-entropy tokens and codes (sessions, email links, recovery codes): a keyed hash is
    /// enough, and a stolen database alone cannot turn it back into a working token.
    func tokenHash(_ token: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("token:\(token)".utf8), using: key)
        return Data(mac).base64EncodedString()
    }

    /// Keys the audit log's hash chain; derived, so the same secret never serves two purposes.
    var auditKey: SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data("zeroerrand audit chain".utf8), outputByteCount: 32)
    }

    /// Signs audit checkpoints; derived, so its public half can be given to an auditor.
    var checkpointKey: Curve25519.Signing.PrivateKey {
        let seed = HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data("zeroerrand audit checkpoint".utf8), outputByteCount: 32)
        return try! Curve25519.Signing.PrivateKey(rawRepresentation: seed.withUnsafeBytes { Data($0) })
    }

    /// AES-GCM, for secrets the server must read back (TOTP seeds).
    func seal(_ plaintext: [UInt8]) throws -> String {
        try AES.GCM.seal(plaintext, using: key).combined!.base64EncodedString()
    }

    /// Text sealed for storage, marked so a reader can tell it from text stored before sealing.
    func sealText(_ text: String) throws -> String { Self.sealedPrefix + (try seal(Array(text.utf8))) }

    func openText(_ stored: String) throws -> String {
        guard stored.hasPrefix(Self.sealedPrefix) else { return stored }
        return String(decoding: try open(String(stored.dropFirst(Self.sealedPrefix.count))), as: UTF8.self)
    }

    static let sealedPrefix = "sealed:"

    func open(_ sealed: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: sealed) else { throw Abort(.internalServerError, reason: "sealed value is not base64") }
        return Array(try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key))
    }
}

/// bcrypt over an HMAC-SHA256 of the password. bcrypt reads at most 72 bytes; 64 Chinese characters
/// are 192, so hashing first keeps every character significant. The pre-hash is keyed, so it also
/// acts as a pepper.
///
/// Every hash passes `gate`: a few at a time with a short queue, so a flood of sign-ins is answered
/// "busy, retry" at once instead of leaving every client (and every other sign-in) waiting.
struct PasswordHasher: Sendable {
    let key: SymmetricKey
    let cost: Int
    var gate = BoundedGate(running: max(2, System.coreCount), waiting: 4 * max(2, System.coreCount))

    func hash(_ password: String, on pool: NIOThreadPool) async throws -> String {
        let input = prehash(password)
        let cost = cost
        return try await gate.run { try await pool.runIfActive { try Bcrypt.hash(input, cost: cost) } }
    }

    func verify(_ password: String, against hash: String, on pool: NIOThreadPool) async throws -> Bool {
        let input = prehash(password)
        return try await gate.run { try await pool.runIfActive { try Bcrypt.verify(input, created: hash) } }
    }

    private func prehash(_ password: String) -> String {
        let normalized = PasswordPolicy.normalize(password)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(normalized.utf8), using: key)
        return Data(mac).base64EncodedString()
    }
}
