import Crypto
import Fluent
import Foundation
import Vapor
import X509
import ZeroErrandCore
import ZeroErrandSeal

/// The platform's root and each office's seal key. Keys are made when first needed and rotated by
/// `zeroerrand seal-keys --rotate CODE`; every creation is audited. A rotated key is only retired:
/// its certificate stays published and keeps verifying what it sealed.
struct SealKeyring {
    let application: Application
    let db: any Database
    let context: AuditContext

    static let rootValidity: TimeInterval = 20 * 365 * 86400
    static let officeValidity: TimeInterval = 3 * 365 * 86400
    /// A key this close to its end is replaced before it seals anything more.
    static let renewBefore: TimeInterval = 30 * 86400

    struct OfficeSeal {
        let key: SealKey
        let signer: SealSigner
        let root: Certificate
    }

    private var secrets: Secrets { application.dependencies.secrets }
    private var now: Date { application.dependencies.clock.now() }

    /// The office's current key, made (with the root, if there is none yet) when it has none in force.
    func currentSeal(for department: Department) async throws -> OfficeSeal {
        let (_, rootCertificate, rootPrivate) = try await root()
        let departmentID = try department.requireID()
        let current = try await SealKey.query(on: db).filter(\.$department.$id == departmentID).filter(\.$retiredAt == nil)
            .sort(\.$createdAt, .descending).first()
        let key: SealKey
        if let current, current.notAfter.timeIntervalSince(now) > Self.renewBefore {
            key = current
        } else {
            key = try await makeOfficeKey(department, root: rootCertificate, rootPrivate: rootPrivate, replacing: current)
        }
        return OfficeSeal(key: key, signer: try SealSigner(certificate: try Certificate(pemEncoded: key.certificatePEM),
                                                          privateKey: try privateKey(of: key)),
                          root: rootCertificate)
    }

    /// Retires the office's key in force and makes a new one; returns the new key.
    func rotate(_ department: Department) async throws -> SealKey {
        let (_, rootCertificate, rootPrivate) = try await root()
        let current = try await SealKey.query(on: db).filter(\.$department.$id == department.requireID())
            .filter(\.$retiredAt == nil).first()
        return try await makeOfficeKey(department, root: rootCertificate, rootPrivate: rootPrivate, replacing: current)
    }

    /// The root certificate every seal chains to, made on first use.
    func root() async throws -> (SealKey, Certificate, P256.Signing.PrivateKey) {
        if let key = try await SealKey.query(on: db).filter(\.$kind == .root).filter(\.$retiredAt == nil).first() {
            return (key, try Certificate(pemEncoded: key.certificatePEM), try privateKey(of: key))
        }
        let privateKey = P256.Signing.PrivateKey()
        let now = now
        let certificate = try SealAuthority.makeRootCertificate(privateKey: privateKey, serialNumber: Self.newSerialNumber(),
                                                                notValidBefore: now.addingTimeInterval(-300),
                                                                notValidAfter: now.addingTimeInterval(Self.rootValidity))
        let key = try record(.root, department: nil, certificate: certificate, privateKey: privateKey)
        let saved = try await application.audited(context, on: db) { db, audit in
            // Two instances starting together: the first root stays, the second is never saved.
            if let existing = try await SealKey.query(on: db).filter(\.$kind == .root).filter(\.$retiredAt == nil).first() {
                return existing
            }
            try await key.create(on: db)
            try await audit.record("seal_key.created", "seal_key", key.keyID, ["kind": "root"])
            return key
        }
        return (saved, try Certificate(pemEncoded: saved.certificatePEM), try self.privateKey(of: saved))
    }

    private func makeOfficeKey(_ department: Department, root: Certificate, rootPrivate: P256.Signing.PrivateKey,
                               replacing current: SealKey?) async throws -> SealKey {
        let privateKey = P256.Signing.PrivateKey()
        let now = now
        let certificate = try SealAuthority.issueOfficeCertificate(
            officeName: department.nameZh, officeCode: department.code, officePublicKey: privateKey.publicKey,
            serialNumber: Self.newSerialNumber(), notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: min(now.addingTimeInterval(Self.officeValidity), root.notValidAfter), root: root, rootPrivateKey: rootPrivate)
        let key = try record(.office, department: try department.requireID(), certificate: certificate, privateKey: privateKey)
        let currentID = current?.id
        return try await application.audited(context, on: db) { db, audit in
            if let currentID {
                try await SealKey.query(on: db).filter(\.$id == currentID).set(\.$retiredAt, to: now).update()
            }
            try await key.create(on: db)
            try await audit.record("seal_key.created", "seal_key", key.keyID,
                                   ["kind": "office", "department": department.code, "replaces": current?.keyID ?? ""])
            return key
        }
    }

    /// 20 random bytes with the top bit clear and the next set: exactly 20 octets once DER-encoded.
    /// `Certificate.SerialNumber()` sets the top bit half the time, and the sign byte DER then adds
    /// makes 21 octets, over RFC 5280's limit: NSS (so pdfsig and Firefox) then cannot find the
    /// signer in the seal's CMS and reports "Unknown Validation Failure".
    static func newSerialNumber() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = bytes[0] & 0x7F | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }

    private func record(_ kind: SealKey.Kind, department: UUID?, certificate: Certificate,
                        privateKey: P256.Signing.PrivateKey) throws -> SealKey {
        let key = SealKey()
        key.kind = kind
        key.$department.id = department
        key.keyID = CertificateQRPayload.keyID(of: privateKey.publicKey).map { String(format: "%02x", $0) }.joined()
        key.certificatePEM = try certificate.serializeAsPEM().pemString
        key.sealedPrivateKey = try secrets.sealText(privateKey.pemRepresentation)
        key.notBefore = certificate.notValidBefore
        key.notAfter = certificate.notValidAfter
        key.createdAt = now
        return key
    }

    private func privateKey(of key: SealKey) throws -> P256.Signing.PrivateKey {
        try P256.Signing.PrivateKey(pemRepresentation: try secrets.openText(key.sealedPrivateKey))
    }
}
