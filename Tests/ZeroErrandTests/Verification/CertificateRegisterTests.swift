import Crypto
import Fluent
import Foundation
import Testing
import Vapor
import X509
@testable import ZeroErrand
import ZeroErrandCore
import ZeroErrandPrint
import ZeroErrandSeal

/// The register's three checks, each asked for a genuine, a tampered, a revoked and an unknown
/// certificate, with a real sealed PDF and the office's real keys.
@Suite("Certificate register: file, number and code, QR payload")
struct CertificateRegisterTests {
    @Test("The sealed file as issued is genuine with every field; one byte changed anywhere is altered")
    func file() async throws {
        try await withTestApp { app, clock in
            let issued = try await CertificateFixtures.issue(app, clock)
            let register = CertificateRegister(db: app.db, secrets: app.dependencies.secrets)

            let verdict = try await register.check(file: issued.pdf)
            let fields = try #require(verdict.certificate)
            #expect(verdict.isGenuine)
            #expect(fields.number == issued.number)
            #expect(fields.holder == IssuedCertificate.holder)
            #expect(fields.officeZh == IssuedCertificate.officeZh)
            #expect(fields.officeEn == "Wenzhou Notary Office, Zhejiang")
            #expect(fields.matterZh == "委托公证（不动产处分）")
            #expect(fields.issuedOn == issued.issuedOn)
            #expect(fields.officeZone == "Asia/Shanghai")
            #expect(fields.sealedBy == IssuedCertificate.officeZh, "the office certificate's common name")
            #expect(fields.documentSHA256 == issued.documentSHA256.hex)

            // The header, the printed page, the signature's byte range and /Contents, the very end.
            let contents = try #require(issued.pdf.lastRange(of: Array("/Contents <".utf8))).upperBound
            let byteRange = try #require(issued.pdf.lastRange(of: Array("/ByteRange".utf8))).upperBound + 3
            let positions = [0, 5, issued.pdf.count / 3, issued.pdf.count / 2, byteRange, contents + 10, contents + 3000,
                             issued.pdf.count - 20, issued.pdf.count - 1]
            for position in positions {
                #expect(try await register.check(file: Tamper.flip(issued.pdf, at: position)) == .altered, "byte \(position) of \(issued.pdf.count)")
            }
            #expect(try await register.check(file: issued.pdf + Array("\n".utf8)) == .altered, "a byte appended")
        }
    }

    @Test("Unsealed, foreign-sealed and unregistered files are unknown; a revoked file says when and why")
    func fileUnknownAndRevoked() async throws {
        try await withTestApp { app, clock in
            let issued = try await CertificateFixtures.issue(app, clock)
            let register = CertificateRegister(db: app.db, secrets: app.dependencies.secrets)
            let unsealed = try PDFRenderer.render(PrintedDocument(title: "公证书", author: "?", blocks: [.title("公证书")]), creationDate: clock.now)
            #expect(try await register.check(file: unsealed) == .unknown)

            // A seal of some other authority, made the same way: intact, but not one of ours.
            let foreignRootKey = P256.Signing.PrivateKey(), officeKey = P256.Signing.PrivateKey()
            let foreignRoot = try SealAuthority.makeRootCertificate(privateKey: foreignRootKey, serialNumber: .init(),
                                                                    notValidBefore: clock.now.addingTimeInterval(-3600),
                                                                    notValidAfter: clock.now.addingTimeInterval(86400 * 365))
            let foreignOffice = try SealAuthority.issueOfficeCertificate(
                officeName: "某公证处", officeCode: "x", officePublicKey: officeKey.publicKey, serialNumber: .init(),
                notValidBefore: clock.now.addingTimeInterval(-3600), notValidAfter: clock.now.addingTimeInterval(86400 * 365),
                root: foreignRoot, rootPrivateKey: foreignRootKey)
            let foreign = try PDFSealer.seal(pdf: unsealed, signer: SealSigner(certificate: foreignOffice, privateKey: officeKey),
                                             chain: [foreignRoot], signingTime: clock.now, reason: nil, location: nil, name: nil)
            #expect(try await register.check(file: foreign) == .unknown)

            // Sealed by our office but never entered in the register.
            let seal = try await SealKeyring(application: app, db: app.db, context: .system).currentSeal(for: issued.department)
            let stray = try PDFSealer.seal(pdf: unsealed, signer: seal.signer, chain: [seal.root], signingTime: clock.now,
                                           reason: nil, location: nil, name: nil)
            #expect(try await register.check(file: stray) == .unknown)

            await #expect(throws: VerificationInputError.noFile) { try await register.check(file: []) }

            let revokedAt = clock.now.addingTimeInterval(86400)
            try await CertificateFixtures.revoke(app, issued, at: revokedAt, reason: "申请人撤回委托")
            guard case .revoked(let at, let reason, let fields) = try await register.check(file: issued.pdf) else {
                Issue.record("a revoked certificate's file must answer revoked")
                return
            }
            #expect(abs(at.timeIntervalSince(revokedAt)) < 1)
            #expect(reason == "申请人撤回委托")
            #expect(fields.number == issued.number)
        }
    }

    @Test("Number and code: genuine as typed in any case and spacing; a wrong code and an unknown number answer alike")
    func numberAndCode() async throws {
        try await withTestApp { app, clock in
            let issued = try await CertificateFixtures.issue(app, clock)
            let register = CertificateRegister(db: app.db, secrets: app.dependencies.secrets)
            #expect(try await register.check(number: issued.number, code: issued.code).isGenuine)
            #expect(try await register.check(number: "  \(issued.number) ", code: "abcde - fghjk").isGenuine)
            #expect(try await register.check(number: issued.number, code: "ABCDEFGHJK").isGenuine, "the dash is optional")
            await #expect(throws: VerificationInputError.numberAndCodeRequired) { try await register.check(number: issued.number, code: "-- --") }
            #expect(try await register.check(number: issued.number, code: "ABCDE-FGHJX") == .unknown)
            #expect(try await register.check(number: issued.number + "0", code: issued.code) == .unknown)
            #expect(try await register.check(number: "(2026)浙温证字第13号", code: issued.code) == .unknown)
            await #expect(throws: VerificationInputError.numberAndCodeRequired) { try await register.check(number: " ", code: issued.code) }
            await #expect(throws: VerificationInputError.numberAndCodeRequired) { try await register.check(number: issued.number, code: "") }

            try await CertificateFixtures.revoke(app, issued, at: clock.now, reason: "发现错误")
            guard case .revoked(_, let reason, _) = try await register.check(number: issued.number, code: issued.code) else {
                Issue.record("revoked expected")
                return
            }
            #expect(reason == "发现错误")
            #expect(try await register.check(number: issued.number, code: "WRONG-CODE1") == .unknown, "revocation is not shown without the code")
        }
    }

    @Test("QR payload: genuine; a flipped byte is altered; an unpublished key or garbage is unknown; revoked is revoked")
    func qrPayload() async throws {
        try await withTestApp { app, clock in
            let issued = try await CertificateFixtures.issue(app, clock)
            let register = CertificateRegister(db: app.db, secrets: app.dependencies.secrets)
            let verdict = try await register.check(qrPayload: issued.payload)
            #expect(verdict.isGenuine)
            #expect(verdict.certificate?.number == issued.number)
            #expect(try await register.check(qrPayload: "http://127.0.0.1:8080/verify/qr#" + issued.payload).isGenuine, "the whole link")

            // One bit in the number, the document hash, the signature: each breaks the signature.
            let bytes = Tamper.bytes(ofPayload: issued.payload)
            for position in [12, bytes.count - 70, bytes.count - 1] {
                #expect(try await register.check(qrPayload: Tamper.base64URL(Tamper.flip(bytes, at: position))) == .altered, "byte \(position)")
            }
            // The key id changed: no published key has it.
            #expect(try await register.check(qrPayload: Tamper.base64URL(Tamper.flip(bytes, at: 3))) == .unknown)

            let fields = CertificateQRPayload.Fields(certificateNumber: issued.number, holders: [IssuedCertificate.holder],
                                                     issuedOn: issued.issuedOn, documentSHA256: issued.documentSHA256)
            let unpublished = try CertificateQRPayload.make(fields, signedBy: P256.Signing.PrivateKey())
            #expect(try await register.check(qrPayload: unpublished) == .unknown)
            #expect(try await register.check(qrPayload: "not a payload") == .unknown)
            await #expect(throws: VerificationInputError.payloadRequired) { try await register.check(qrPayload: "  ") }

            // Signed by the office, but for another document than the register holds under the number.
            let seal = try await SealKeyring(application: app, db: app.db, context: .system).currentSeal(for: issued.department)
            var other = fields
            other.documentSHA256 = SHA256Hash.of(Array("另一份文书".utf8))
            #expect(try await register.check(qrPayload: CertificateQRPayload.make(other, signedBy: seal.signer.privateKey)) == .altered)
            var unregistered = fields
            unregistered.certificateNumber = "(2026)浙温证字第999号"
            #expect(try await register.check(qrPayload: CertificateQRPayload.make(unregistered, signedBy: seal.signer.privateKey)) == .unknown)

            try await CertificateFixtures.revoke(app, issued, at: clock.now, reason: "证书遗失后重新出具")
            guard case .revoked = try await register.check(qrPayload: issued.payload) else {
                Issue.record("revoked expected")
                return
            }
        }
    }

    @Test("After SealKeyring.rotate, certificates sealed before stay genuine by file and QR; new ones too")
    func rotation() async throws {
        try await withTestApp { app, clock in
            let old = try await CertificateFixtures.issue(app, clock, serial: 12)
            let keyring = SealKeyring(application: app, db: app.db, context: .system)
            let newKey = try await keyring.rotate(old.department)
            #expect(newKey.id != old.record.$sealKey.id)
            clock.advance(by: 3600)
            let new = try await CertificateFixtures.issue(app, clock, serial: 13, code: "KLMNP-QRSTV")
            #expect(new.record.$sealKey.id == newKey.id)
            let register = CertificateRegister(db: app.db, secrets: app.dependencies.secrets)
            for issued in [old, new] {
                #expect(try await register.check(file: issued.pdf).isGenuine, "\(issued.number) by file")
                #expect(try await register.check(qrPayload: issued.payload).isGenuine, "\(issued.number) by QR")
                #expect(try await register.check(number: issued.number, code: issued.code).isGenuine)
            }
        }
    }
}

extension Array where Element == UInt8 {
    func lastRange(of needle: [UInt8]) -> Range<Int>? {
        guard needle.count <= count else { return nil }
        for start in stride(from: count - needle.count, through: 0, by: -1) where Array(self[start..<start + needle.count]) == needle {
            return start..<start + needle.count
        }
        return nil
    }
}

@Suite("Certificate register: a byte changed inside the embedded office certificate")
struct EmbeddedCertificateTamperTests {
    @Test("Changing the office's name inside the seal's certificate is altered, not unknown")
    func renamedSigner() async throws {
        try await withTestApp { app, clock in
            let issued = try await CertificateFixtures.issue(app, clock)
            // The office certificate travels DER-encoded in /Contents as hex; its common name is UTF-8.
            let name = Array(IssuedCertificate.officeZh.utf8).map { String(format: "%02X", $0) }.joined()
            let position = try #require(issued.pdf.lastRange(of: Array(name.utf8)) ?? issued.pdf.lastRange(of: Array(name.lowercased().utf8))).lowerBound
            var tampered = issued.pdf
            // The last hex digit of the name's first byte: a different byte, still valid hex.
            tampered[position + 1] = tampered[position + 1] == UInt8(ascii: "5") ? UInt8(ascii: "6") : UInt8(ascii: "5")
            let register = CertificateRegister(db: app.db, secrets: app.dependencies.secrets)
            #expect(try await register.check(file: tampered) == .altered)
        }
    }
}
