import Crypto
import Fluent
import Foundation
import X509

/// Every root and office certificate the platform has ever made, retired ones included: a
/// certificate sealed before a rotation must keep verifying, so nothing here is ever left out.
struct PublishedSeals: Sendable {
    struct Entry: Sendable {
        let key: SealKey
        let certificate: Certificate
        /// The office's names; nil for the platform root.
        let officeZh: String?
        let officeEn: String?
    }

    let entries: [Entry]

    static func load(on db: any Database) async throws -> PublishedSeals {
        let keys = try await SealKey.query(on: db).with(\.$department).sort(\.$createdAt).all()
        // A row whose PEM does not parse publishes nothing rather than stopping every verification.
        return PublishedSeals(entries: keys.compactMap { key in
            guard let certificate = try? Certificate(pemEncoded: key.certificatePEM) else { return nil }
            return Entry(key: key, certificate: certificate, officeZh: key.department?.nameZh, officeEn: key.department?.nameEn)
        })
    }

    /// Trust anchors for the PDF seal.
    var roots: [Certificate] { entries.filter { $0.key.kind == .root }.map(\.certificate) }

    var offices: [Entry] { entries.filter { $0.key.kind == .office } }

    /// The office keys QR payloads are signed with.
    var officeKeys: [P256.Signing.PublicKey] { offices.compactMap { P256.Signing.PublicKey($0.certificate.publicKey) } }

    func entry(keyID: String) -> Entry? { entries.first { $0.key.keyID == keyID } }

    /// Whether a certificate that failed to chain still claims to be one of ours: it carries an
    /// office key we published, or names one of our root keys as its issuer. Such a seal was
    /// tampered with (a byte changed inside the embedded certificate). A look-alike authority of
    /// the same name but another key claims nothing and stays unknown.
    func claims(_ signer: Certificate) -> Bool {
        Self.claims(signer, roots: roots, offices: offices.map(\.certificate))
    }

    static func claims(_ signer: Certificate, roots: [Certificate], offices: [Certificate]) -> Bool {
        if offices.contains(where: { $0.publicKey == signer.publicKey }) { return true }
        guard let authority = (try? signer.extensions.authorityKeyIdentifier)??.keyIdentifier else { return false }
        return roots.contains { root in
            let rootKey = (try? root.extensions.subjectKeyIdentifier)??.keyIdentifier
            return rootKey.map { Array($0) == Array(authority) } ?? false
        }
    }
}

extension Certificate {
    /// The subject's common name (the office's name for an office certificate).
    var commonName: String? {
        for rdn in subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return String(describing: attribute.value)
            }
        }
        return nil
    }

    /// DER SubjectPublicKeyInfo in base64, as WebCrypto imports it with format "spki".
    var spkiBase64: String? {
        P256.Signing.PublicKey(publicKey).map { $0.derRepresentation.base64EncodedString() }
    }
}
