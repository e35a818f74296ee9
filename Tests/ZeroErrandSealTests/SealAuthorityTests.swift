import Crypto
import Foundation
import SwiftASN1
import Testing
@_spi(FixedExpiryValidationTime) import X509
@testable import ZeroErrandSeal

@Suite struct SealAuthorityTests {
    @Test("New serial numbers are positive and encode in at most 20 octets, which NSS requires")
    func serialNumbersFitRFC5280() throws {
        var seen = Set<[UInt8]>()
        for _ in 0..<500 {
            let serial = SealAuthority.newSerialNumber()
            // With the top bit clear the DER INTEGER needs no leading zero: its content is these bytes.
            #expect(serial.bytes.count <= 20 && serial.bytes.first! & 0x80 == 0)
            seen.insert(Array(serial.bytes))
        }
        #expect(seen.count == 500)
    }

    @Test func rootIsASelfSignedCertificateAuthority() throws {
        let authority = try TestAuthority()
        let root = authority.root
        #expect(root.subject == root.issuer)
        #expect(root.subject.description.contains("CN=ZeroErrand Root CA"))
        #expect(root.publicKey.isValidSignature(root.signature, for: root))
        #expect(try root.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try root.extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
        #expect(root.notValidBefore == utc(2019, 1, 1) && root.notValidAfter == utc(2049, 1, 1))
    }

    @Test func officeCertificateNamesTheOfficeAndChainsToTheRoot() async throws {
        let authority = try TestAuthority()
        let office = try authority.office(serial: 4242).certificate
        let subject = office.subject.description
        for part in ["CN=\(TestAuthority.officeName)", "OU=\(TestAuthority.officeCode)", "O=ZeroErrand"] {
            #expect(subject.contains(part), "\(subject)")
        }
        #expect(office.issuer == authority.root.subject)
        #expect(office.serialNumber == Certificate.SerialNumber(4242))
        #expect(try office.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try office.extensions.keyUsage == KeyUsage(digitalSignature: true, nonRepudiation: true))
        let rootKeyID = try #require(try authority.root.extensions.subjectKeyIdentifier?.keyIdentifier)
        #expect(try office.extensions.authorityKeyIdentifier?.keyIdentifier == rootKeyID)
        #expect(try office.extensions.subjectKeyIdentifier == SubjectKeyIdentifier(hash: office.publicKey))

        for (time, valid) in [(utc(2027, 1, 1), true), (utc(2029, 1, 1), false)] {
            var verifier = Verifier(rootCertificates: CertificateStore([authority.root])) {
                RFC5280Policy(fixedExpiryValidationTime: time)
            }
            let result = await verifier.validate(leaf: office, intermediates: CertificateStore())
            if case .validCertificate = result { #expect(valid) } else { #expect(!valid, "\(result)") }
        }
    }

    @Test func certificatesAndKeysRoundTripThroughPEMAndDER() throws {
        let authority = try TestAuthority()
        let office = try authority.office().certificate
        #expect(try Certificate(pemEncoded: office.serializeAsPEM().pemString) == office)
        #expect(try Certificate(derEncoded: office.derBytes()) == office)

        let pem = authority.rootKey.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))  // PKCS#8
        #expect(try P256.Signing.PrivateKey(pemRepresentation: pem).rawRepresentation == authority.rootKey.rawRepresentation)
        #expect(try P256.Signing.PrivateKey(derRepresentation: authority.rootKey.derRepresentation).rawRepresentation
                == authority.rootKey.rawRepresentation)
    }

    @Test func theRootsSerialIsNotReused() throws {
        let authority = try TestAuthority(serial: 7)
        #expect(throws: SealError.serialNumberInUse) { try authority.office(serial: 7) }
    }

    @Test func mismatchedKeysAreRefused() throws {
        let authority = try TestAuthority()
        let office = try authority.office()
        #expect(throws: SealError.keyDoesNotMatchCertificate) {
            try SealSigner(certificate: office.certificate, privateKey: P256.Signing.PrivateKey())
        }
        #expect(throws: SealError.keyDoesNotMatchCertificate) {
            try SealAuthority.issueOfficeCertificate(
                officeName: "x", officeCode: "y", officePublicKey: office.privateKey.publicKey, serialNumber: .init(2),
                notValidBefore: utc(2026, 1, 1), notValidAfter: utc(2027, 1, 1),
                root: authority.root, rootPrivateKey: P256.Signing.PrivateKey())
        }
    }
}
