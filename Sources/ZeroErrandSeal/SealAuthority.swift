import Crypto
import Foundation
import SwiftASN1
import X509

/// The platform's certificate authority: one self-signed root, and under it
/// one signing certificate per notary office. Pure: keys, serial numbers and
/// validity (the clock) all come from the caller.
public enum SealAuthority {
    public static let rootCommonName = "ZeroErrand Root CA"
    public static let organization = "ZeroErrand"

    /// A fresh random serial number of 16 octets with its top bit clear. `Certificate.SerialNumber()`
    /// draws 20 random bytes; when the first has its top bit set, the positive DER INTEGER needs a
    /// 21st (a leading zero), and NSS (so pdfsig and Firefox-family readers) rejects serials longer
    /// than RFC 5280's 20 octets: half of all seals failed to verify there.
    public static func newSerialNumber() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }

    public static func makeRootCertificate(
        privateKey: P256.Signing.PrivateKey,
        serialNumber: Certificate.SerialNumber,
        notValidBefore: Date,
        notValidAfter: Date
    ) throws -> Certificate {
        let name = try DistinguishedName {
            OrganizationName(organization)
            CommonName(rootCommonName)
        }
        let publicKey = Certificate.PublicKey(privateKey.publicKey)
        return try Certificate(
            version: .v3,
            serialNumber: serialNumber,
            publicKey: publicKey,
            notValidBefore: notValidBefore,
            notValidAfter: notValidAfter,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(privateKey))
    }

    /// A signing certificate for the office `officeName` (may be Chinese; it
    /// is encoded as UTF8String), carrying `officeCode` as the
    /// organizational unit so two offices of one name stay distinct.
    /// `serialNumber` must never have been used under this root: signatures
    /// name their signer by issuer and serial number.
    public static func issueOfficeCertificate(
        officeName: String,
        officeCode: String,
        officePublicKey: P256.Signing.PublicKey,
        serialNumber: Certificate.SerialNumber,
        notValidBefore: Date,
        notValidAfter: Date,
        root: Certificate,
        rootPrivateKey: P256.Signing.PrivateKey
    ) throws -> Certificate {
        let issuerKey = Certificate.PrivateKey(rootPrivateKey)
        guard issuerKey.publicKey == root.publicKey else { throw SealError.keyDoesNotMatchCertificate }
        // Serials must be unique per issuer (RFC 5280 §4.1.2.2); the root is one
        // of its own issued certificates. Other offices' serials are the caller's to keep apart.
        guard serialNumber != root.serialNumber else { throw SealError.serialNumberInUse }
        let publicKey = Certificate.PublicKey(officePublicKey)
        // The authority key identifier must equal the root's subject key
        // identifier, which is how verifiers pick the issuer among candidates.
        let rootKeyIdentifier = try root.extensions.subjectKeyIdentifier?.keyIdentifier
            ?? SubjectKeyIdentifier(hash: root.publicKey).keyIdentifier
        return try Certificate(
            version: .v3,
            serialNumber: serialNumber,
            publicKey: publicKey,
            notValidBefore: notValidBefore,
            notValidAfter: notValidAfter,
            issuer: root.subject,
            subject: try DistinguishedName {
                OrganizationName(organization)
                OrganizationalUnitName(officeCode)
                CommonName(officeName)
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                // nonRepudiation (contentCommitment): the office stands behind
                // what it seals; both bits are what PDF readers expect of signers.
                Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: rootKeyIdentifier)
            },
            issuerPrivateKey: issuerKey)
    }
}

extension Certificate {
    /// The certificate's DER encoding; `Certificate(derEncoded:)` reads it
    /// back, and `serializeAsPEM()` / `Certificate(pemEncoded:)` do the same in PEM.
    public func derBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}
