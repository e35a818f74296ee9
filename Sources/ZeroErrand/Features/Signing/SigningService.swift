import Crypto
import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// The exact bytes someone is asked to sign, and what they belong to.
struct SignableDocument: Sendable {
    var objectType: String
    var objectID: String
    var bytes: [UInt8]

    var sha256: String { SHA256Stream.hex(SHA256.hash(data: bytes)) }
}

/// The one way anything is signed (a mandate now; notarial documents and mediation agreements
/// later): the signer was shown `document`, sends back the SHA-256 of what they saw with a fresh
/// second factor, and the signature binds that hash to the signer, their identity level and the
/// time, in one audited transaction with whatever the signature completes (`then`).
struct SigningService {
    let request: Request

    /// Refused, changing nothing, when the document is not the one shown (409), the signer has no
    /// second factor (409), or the code is wrong or used (422; counted like every second factor).
    func sign<Value: Sendable>(
        _ document: SignableDocument, shownSHA256: String?, code: String?, videoSessionID: UUID? = nil,
        then body: @escaping @Sendable (any Database, AuditTrail, Signature) async throws -> Value
    ) async throws -> Value {
        let account = try request.requireAccount()
        let accountID = try account.requireID()
        // A confirmation given for other bytes never signs these: the page must be shown again.
        guard let shown = shownSHA256?.lowercased(), shown == document.sha256 else {
            throw AppError(status: .conflict, key: "signing.document_changed")
        }
        guard account.totpSecret != nil else { throw AppError(status: .conflict, key: "signing.needs_two_factor") }
        let now = request.now
        let outcome = try await request.accounts.withSecondFactor(code, for: accountID, failureAction: "signature.refused") { db, audit, method in
            guard let signer = try await Account.find(accountID, on: db) else { throw AppError.notFound }
            let signature = Signature()
            signature.$account.id = accountID
            signature.objectType = document.objectType
            signature.objectID = document.objectID
            signature.sha256 = document.sha256
            signature.identityLevel = signer.identityLevel?.rawValue ?? 0
            signature.method = method.rawValue
            signature.videoSessionID = videoSessionID
            signature.signedAt = now
            try await signature.create(on: db)
            try await audit.record("signature.made", document.objectType, document.objectID,
                                   ["sha256": signature.sha256, "identity_level": String(signature.identityLevel),
                                    "method": signature.method, "signature": try signature.requireID().uuidString.lowercased()])
            return try await body(db, audit, signature)
        }
        switch outcome {
        case .accepted(let value): return value
        case .rejected: throw AppError(status: .unprocessableEntity, key: "signing.code_invalid")
        case .blocked(let error): throw error
        }
    }
}

extension Request {
    var signing: SigningService { SigningService(request: self) }
}
