import Fluent
import Foundation

/// One signature: an account confirmed, with a fresh second factor, the exact bytes of a document
/// it was shown. Never changed once written; the audit log holds the same facts in its chain.
final class Signature: Model, @unchecked Sendable {
    static let schema = "signatures"

    @ID(key: .id) var id: UUID?
    @Parent(key: "account_id") var account: Account
    /// What was signed, e.g. "mandate" and its id.
    @Field(key: "object_type") var objectType: String
    @Field(key: "object_id") var objectID: String
    /// Lowercase hex SHA-256 of the exact bytes shown.
    @Field(key: "sha256") var sha256: String
    /// The signer's identity level at the moment of signing (1 to 3).
    @Field(key: "identity_level") var identityLevel: Int
    /// How the second factor was given: "totp" or "recovery_code".
    @Field(key: "method") var method: String
    /// The video session the signature was made in, when there was one (notarization).
    @OptionalField(key: "video_session_id") var videoSessionID: UUID?
    @Field(key: "signed_at") var signedAt: Date

    init() {}
}
