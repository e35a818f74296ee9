import Foundation
import Vapor

/// The answer of every `/api/v1/verifications/*` operation (schema `Verification` in openapi.json).
struct VerificationDTO: Content {
    struct CertificateDTO: Content {
        let number: String
        let holder: String
        /// The office's name in the answer's language (Chinese for zh-Hans, English otherwise).
        let office: String
        let matter: String
        /// The civil day printed on the certificate, YYYY-MM-DD in the office's zone.
        let issuedOn: String
        let officeTimeZone: String
        let sealedBy: String
        let documentSHA256: String
    }

    struct RevocationDTO: Content {
        /// ISO 8601 in UTC.
        let revokedAt: String
        let reason: String
    }

    let verdict: String
    let message: String
    let language: String
    let certificate: CertificateDTO?
    let revocation: RevocationDTO?

    init(_ verdict: CertificateVerdict, path: VerificationPath, texts: VerificationTexts, language: VerificationTexts.Language) {
        let presenter = VerdictPresenter(texts: texts, language: language)
        self.verdict = verdict.name
        message = presenter.present(verdict, path: path).message
        self.language = language.rawValue
        certificate = verdict.certificate.map {
            CertificateDTO(number: $0.number, holder: $0.holder, office: presenter.office($0),
                           matter: language == .zhHans ? $0.matterZh : $0.matterEn, issuedOn: $0.issuedOn.description,
                           officeTimeZone: $0.officeZone, sealedBy: $0.sealedBy, documentSHA256: $0.documentSHA256)
        }
        if case .revoked(let at, let reason, _) = verdict {
            revocation = RevocationDTO(revokedAt: ISO8601DateFormatter().string(from: at), reason: reason)
        } else {
            revocation = nil
        }
    }
}

/// One published root or office certificate (schema `SealCertificate`).
struct SealCertificateDTO: Content {
    let keyID: String
    let kind: String
    /// The office's names; absent for the platform root.
    let officeZh: String?
    let officeEn: String?
    let subject: String
    let notBefore: String
    let notAfter: String
    let current: Bool
    let retiredAt: String?
    let pem: String
    let pemURL: String
}

struct SealCertificateListDTO: Content {
    let certificates: [SealCertificateDTO]
}
