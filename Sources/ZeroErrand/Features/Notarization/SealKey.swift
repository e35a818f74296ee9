import Fluent
import Foundation

/// A signing key of the platform's root or of an office, with its X.509 certificate. Keys are
/// never deleted: a rotated key is retired (it signs nothing new) and its certificate stays
/// published, so every certificate it sealed stays verifiable.
final class SealKey: Model, @unchecked Sendable {
    static let schema = "seal_keys"

    enum Kind: String, Codable, Sendable { case root, office }

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: Kind
    /// The office it belongs to; nil for the root.
    @OptionalParent(key: "department_id") var department: Department?
    /// Hex of the first 8 bytes of SHA-256 over the public key (the QR payload names it).
    @Field(key: "key_id") var keyID: String
    @Field(key: "certificate_pem") var certificatePEM: String
    /// The private key (PKCS#8 PEM), sealed with the app's secret key.
    @Field(key: "private_key") var sealedPrivateKey: String
    @Field(key: "not_before") var notBefore: Date
    @Field(key: "not_after") var notAfter: Date
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "retired_at") var retiredAt: Date?

    init() {}
}
