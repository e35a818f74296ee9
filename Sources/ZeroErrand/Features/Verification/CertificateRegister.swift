import Crypto
import Fluent
import Foundation
import X509
import ZeroErrandCore
import ZeroErrandSeal

/// The register of sealed documents the offices issued (notarial certificates, and courts'
/// rulings confirming mediation agreements), asked three ways. Each check reads only; the web
/// pages, the API and the tests all go through here, so the answer cannot differ by path.
struct CertificateRegister {
    let db: any Database
    let secrets: Secrets
    /// The offices' and courts' numbering, to read a number typed in either rendering.
    var offices: [NotaryOfficeAbbreviation] = []
    var courts: [CourtCode] = []

    /// The largest file taken (a certificate is a few hundred kilobytes; this leaves room for scans).
    static let maxFileBytes = 20 * 1024 * 1024
    /// Longer input cannot be a number, a code or a payload: a number or code beyond these (in
    /// code points, as JSON Schema counts them) is refused, a payload beyond it is unknown.
    static let maxNumberLength = 255
    static let maxCodeLength = 64
    static let maxPayloadBytes = 2048

    /// A file is genuine when its seal verifies against one of our roots and its exact bytes are a
    /// certificate in the register. Any changed byte breaks the seal (altered); a seal that is
    /// intact but not ours, or no seal at all, says nothing about our register (unknown).
    func check(file: [UInt8]) async throws -> CertificateVerdict {
        guard !file.isEmpty else { throw VerificationInputError.noFile }
        guard file.count <= Self.maxFileBytes else { throw VerificationInputError.fileTooLarge }
        let published = try await PublishedSeals.load(on: db)
        switch await PDFSealVerifier.verify(pdf: file, trustRoots: published.roots) {
        case .valid:
            let hash = SHA256Hash.of(file).hex
            if let record = try await query().filter(\.$pdfSHA256 == hash).first() { return verdict(for: record) }
            guard let ruling = try await rulings().filter(\.$pdfSHA256 == hash).first() else { return .unknown }
            return try await verdict(for: ruling)
        case .altered:
            return .altered
        case .untrusted(let signer):
            return published.claims(signer) ? .altered : .unknown
        case .unsigned:
            return .unknown
        }
    }

    /// The number as printed and the code beside it. A wrong code answers exactly like an unknown
    /// number, so the form cannot be used to learn which numbers exist.
    func check(number: String, code: String) async throws -> CertificateVerdict {
        guard number.unicodeScalars.count <= Self.maxNumberLength, code.unicodeScalars.count <= Self.maxCodeLength else {
            throw VerificationInputError.numberAndCodeRequired
        }
        // As printed on either page: "(2026)浙温证字第1号" or "(2026) Zhe Wen Zheng Zi No. 1", with
        // full-width brackets or spaces as people type them; the register holds the Chinese form.
        let typed = number.trimmingCharacters(in: .whitespacesAndNewlines)
        let number = offices.lazy.compactMap { NotarialCertificateNumber.parse(typed, office: $0)?.chinese }.first
            ?? courts.lazy.compactMap { CourtCaseNumber.parse(typed, court: $0, kind: .specialProcedure)?.chinese }.first ?? typed
        let code = VerificationCode.normalized(code)
        guard !number.isEmpty, !code.isEmpty else { throw VerificationInputError.numberAndCodeRequired }
        let hash = secrets.tokenHash(code)
        // The code is compared before anything else is loaded: a known number with a wrong code
        // then costs what an unknown number costs, and the time taken does not tell them apart.
        if let match = try await NotarialCertificate.query(on: db).filter(\.$number == number).field(\.$id).field(\.$codeHash).first() {
            guard constantTimeEquals(match.codeHash, hash), let id = match.id,
                  let record = try await query().filter(\.$id == id).first() else { return .unknown }
            return verdict(for: record)
        }
        guard let match = try await CourtRuling.query(on: db).filter(\.$number == number).field(\.$id).field(\.$codeHash).first(),
              constantTimeEquals(match.codeHash, hash), let id = match.id,
              let ruling = try await rulings().filter(\.$id == id).first() else { return .unknown }
        return try await verdict(for: ruling)
    }

    /// The QR code's text (the payload, or the whole link with the payload after `#`). Its
    /// signature is checked first; only fields the office signed are looked up.
    func check(qrPayload text: String) async throws -> CertificateVerdict {
        guard !text.allSatisfy(\.isWhitespace) else { throw VerificationInputError.payloadRequired }
        let payload = Self.payload(in: text)
        guard !payload.isEmpty, payload.utf8.count <= Self.maxPayloadBytes else { return .unknown }
        let published = try await PublishedSeals.load(on: db)
        switch CertificateQRPayload.verify(payload, against: published.officeKeys) {
        case .genuine(let fields):
            // The office signed these fields, but not for the document the register holds under
            // this number: the payload was put on another document.
            if let record = try await query().filter(\.$number == fields.certificateNumber).first() {
                guard record.documentSHA256.lowercased() == fields.documentSHA256.hex else { return .altered }
                return verdict(for: record)
            }
            guard let ruling = try await rulings().filter(\.$number == fields.certificateNumber).first() else { return .unknown }
            guard ruling.agreementSHA256.lowercased() == fields.documentSHA256.hex else { return .altered }
            return try await verdict(for: ruling)
        case .forged:
            return .altered
        case .unknownKey, .malformed:
            return .unknown
        }
    }

    /// The hash the register stores for a verification code.
    static func codeHash(_ code: String, secrets: Secrets) -> String {
        secrets.tokenHash(VerificationCode.normalized(code))
    }

    /// A scanned link is `…/verify/qr#PAYLOAD`; the payload alone is taken too.
    static func payload(in text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let hash = trimmed.lastIndex(of: "#") else { return trimmed }
        return String(trimmed[trimmed.index(after: hash)...])
    }

    /// The matter is read from the database, not `CatalogueCache`: the register holds a database,
    /// not the application, and a verification is rare beside a case page.
    private func query() -> QueryBuilder<NotarialCertificate> {
        NotarialCertificate.query(on: db).with(\.$department).with(\.$sealKey).with(\.$caseRecord) { $0.with(\.$matter) }
    }

    private func rulings() -> QueryBuilder<CourtRuling> {
        CourtRuling.query(on: db).with(\.$department).with(\.$sealKey)
    }

    /// A ruling reads as the confirmation matter, whose result it is, under the court's name.
    private func verdict(for ruling: CourtRuling) async throws -> CertificateVerdict {
        let court = ruling.department
        let matter = try await Matter.query(on: db).filter(\.$code == MediationCourts.confirmationMatter).first()
        let document = RegisteredCertificate(
            kind: .courtRuling, number: ruling.number, holder: ruling.holderNames, officeZh: court.nameZh, officeEn: court.nameEn,
            matterZh: matter?.nameZh ?? "调解协议司法确认", matterEn: matter?.nameEn ?? "Judicial confirmation of a mediation agreement",
            issuedOn: CivilDay(ruling.issuedAt, in: court.zone), officeZone: court.zone.identifier,
            sealedBy: (try? Certificate(pemEncoded: ruling.sealKey.certificatePEM))?.commonName ?? court.nameZh,
            documentSHA256: ruling.agreementSHA256.lowercased())
        if let revokedAt = ruling.revokedAt { return .revoked(at: revokedAt, reason: ruling.revokedReason ?? "", document) }
        return .genuine(document)
    }

    private func verdict(for record: NotarialCertificate) -> CertificateVerdict {
        let department = record.department
        let matter = record.caseRecord.matter
        let certificate = RegisteredCertificate(
            number: record.number, holder: record.holderName,
            officeZh: department.nameZh, officeEn: department.nameEn,
            matterZh: matter.nameZh, matterEn: matter.nameEn,
            issuedOn: CivilDay(record.issuedAt, in: department.zone), officeZone: department.zone.identifier,
            sealedBy: (try? Certificate(pemEncoded: record.sealKey.certificatePEM))?.commonName ?? department.nameZh,
            documentSHA256: record.documentSHA256.lowercased())
        if let revokedAt = record.revokedAt {
            return .revoked(at: revokedAt, reason: record.revokedReason ?? "", certificate)
        }
        return .genuine(certificate)
    }
}
