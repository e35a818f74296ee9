import Foundation
import NIOCore
import Vapor
import ZeroErrandCore

extension ThrottlePolicy {
    /// Number-and-code lookups from one client: generous for a clerk checking a pile of
    /// certificates, far too slow to walk the space of codes.
    static let certificateLookup = ThrottlePolicy(freeAttempts: 20, firstDelay: 10, longestDelay: 15 * 60, memory: 3600)
    /// File checks from one client: each reads up to 20 MB and checks a signature.
    static let certificateFile = ThrottlePolicy(freeAttempts: 30, firstDelay: 5, longestDelay: 10 * 60, memory: 3600)
}

extension Request {
    var certificateRegister: CertificateRegister {
        CertificateRegister(db: db, secrets: dependencies.secrets, offices: Array(dependencies.notarial.offices.values),
                            courts: Array(dependencies.mediationCourts.codes.values))
    }

    var verificationLanguage: VerificationTexts.Language { VerificationTexts.language(for: self) }

    /// Counts one check from this client; throws when the client must wait first.
    func throttleVerification(_ path: VerificationPath) async throws -> ThrottleKey {
        let policy: ThrottlePolicy = path == .file ? .certificateFile : .certificateLookup
        let key = ThrottleKey("verify-\(path.rawValue)", throttleClient, secrets: dependencies.secrets)
        if let until = try await throttles.attempt(key, policy) { throw VerificationInputError.throttled(until: until) }
        return key
    }

    /// The body, at most `limit` bytes, whether streamed or already collected (the CSRF check
    /// collects a multipart form to read its token).
    func verificationBody(limit: Int) async throws -> ByteBuffer {
        if let declared = headers.first(name: .contentLength).flatMap(Int.init), declared > limit {
            throw VerificationInputError.fileTooLarge
        }
        do {
            return try await body.collect(max: limit).get() ?? ByteBuffer()
        } catch let error as any AbortError where error.status == .payloadTooLarge {
            throw VerificationInputError.fileTooLarge
        }
    }
}
