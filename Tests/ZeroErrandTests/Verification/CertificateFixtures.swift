import Crypto
import Fluent
import Foundation
import NIOCore
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore
import ZeroErrandSeal

/// A notarial certificate issued the way the office issues one: a case of JU-NO-001 at the Wenzhou
/// notary office, its notarial act, the PDF printed by `CertificatePrint`, sealed with the office's
/// current key, stored encrypted as the case's result document, and entered in the register.
struct IssuedCertificate {
    let pdf: [UInt8]
    let number: String
    let code: String
    /// The QR payload alone (what follows `#` in the QR code's link).
    let payload: String
    let record: NotarialCertificate
    let department: Department
    let documentSHA256: SHA256Hash
    let issuedOn: CivilDay

    static let holder = "张三 (Zhang San)"
    static let officeZh = "浙江省温州市公证处"
    static let matterCode = "JU-NO-001"
}

enum CertificateFixtures {
    static func issue(_ app: Application, _ clock: ManualClock, serial: Int = 12,
                      code: String = "ABCDE-FGHJK") async throws -> IssuedCertificate {
        let department = try #require(try await Department.query(on: app.db).filter(\.$code == "wz-notary").first())
        let matter = try #require(try await Matter.query(on: app.db).filter(\.$code == IssuedCertificate.matterCode).first())
        let applicant = try await TestAccounts.make(app, email: Inbox.uniqueAddress("holder"))
        let notary = try await TestAccounts.make(app, email: Inbox.uniqueAddress("notary"), kind: .staff, roles: [.notary],
                                                 departmentCode: department.code)
        let now = clock.now

        let record = Case()
        record.number = "ZE-2026-9" + String(format: "%05d", serial)
        record.$matter.id = try matter.requireID()
        record.$department.id = try department.requireID()
        record.$applicant.id = try applicant.requireID()
        record.status = .resultIssued
        record.details = "委托亲属出售温州市鹿城区房产。"
        record.limitDays = matter.timeLimitDays
        record.createdAt = now
        record.provisionalMissing = []
        record.supplementItems = []
        record.updatedAt = now
        try await record.create(on: app.db)
        let caseID = try record.requireID()

        let documentText = "本人张三，现委托李四代为办理位于温州市鹿城区的房产出售事宜。"
        let documentSHA256 = SHA256Hash.of(Array(documentText.utf8))
        let act = Notarization(caseID: caseID, now: now)
        act.documentText = documentText
        act.documentSHA256 = documentSHA256.hex
        act.documentVersion = 1
        act.identityConfirmed = true
        act.willStated = true
        act.approvedBy = try notary.requireID()
        act.approvedAt = now
        try await act.create(on: app.db)

        let seal = try await SealKeyring(application: app, db: app.db, context: .system).currentSeal(for: department)
        let issuedOn = CivilDay(now, in: department.zone)
        let number = "(\(issuedOn.year))浙温证字第\(serial)号"
        let payload = try CertificateQRPayload.make(
            .init(certificateNumber: number, holders: [IssuedCertificate.holder], issuedOn: issuedOn, documentSHA256: documentSHA256),
            signedBy: seal.signer.privateKey)
        let config = app.dependencies.config
        let facts = CertificateFacts(
            numberChinese: number, numberEnglish: "No. \(serial) (\(issuedOn.year)) Zhe Wen Zheng", kind: .signature,
            holderName: IssuedCertificate.holder, matterChinese: matter.nameZh, matterEnglish: matter.nameEn,
            documentChinese: documentText, documentEnglish: "I, Zhang San, authorise Li Si to sell my flat in Lucheng, Wenzhou.",
            notaryName: "王五", officeChinese: department.nameZh, officeEnglish: department.nameEn,
            issuedOn: issuedOn, signedOn: issuedOn, signature: nil, verificationCode: code,
            qrText: SiteURL.verifyQR.absolute(config) + "#" + payload, verifyPage: SiteURL.verify.absolute(config))
        let printed = try CertificatePrint.render(facts, creationDate: now)
        let sealed = try PDFSealer.seal(pdf: printed, signer: seal.signer, chain: [seal.root], signingTime: now,
                                        reason: number, location: department.cityZh, name: department.nameZh)

        let stored = try await app.dependencies.documents.store(AsyncStream<ByteBuffer> { continuation in
            continuation.yield(ByteBuffer(bytes: sealed))
            continuation.finish()
        })
        let document = CaseDocument()
        document.$caseRecord.id = caseID
        document.$uploadedBy.id = try notary.requireID()
        document.purpose = .result
        document.originalName = "公证书.pdf"
        document.kind = stored.kind
        document.size = stored.size
        document.sha256 = stored.sha256
        document.storageName = stored.storageName
        document.wrappedKey = stored.wrappedKey
        document.createdAt = now
        try await document.create(on: app.db)

        let certificate = NotarialCertificate()
        certificate.$notarization.id = try act.requireID()
        certificate.$caseRecord.id = caseID
        certificate.$department.id = try department.requireID()
        certificate.number = number
        certificate.year = issuedOn.year
        certificate.serial = serial
        certificate.codeHash = CertificateRegister.codeHash(code, secrets: app.dependencies.secrets)
        certificate.$document.id = try document.requireID()
        certificate.pdfSHA256 = stored.sha256
        certificate.documentSHA256 = documentSHA256.hex
        certificate.holderName = IssuedCertificate.holder
        certificate.$sealKey.id = try seal.key.requireID()
        certificate.issuedAt = now
        certificate.issuedBy = try notary.requireID()
        try await certificate.create(on: app.db)
        #expect(stored.sha256 == SHA256Hash.of(sealed).hex, "the store hashes exactly the sealed bytes")
        return IssuedCertificate(pdf: sealed, number: number, code: code, payload: payload, record: certificate,
                                 department: department, documentSHA256: documentSHA256, issuedOn: issuedOn)
    }

    /// The office revokes it, as the revocation step will.
    static func revoke(_ app: Application, _ issued: IssuedCertificate, at date: Date, reason: String) async throws {
        let record = try #require(try await NotarialCertificate.find(issued.record.requireID(), on: app.db))
        record.revokedAt = date
        record.revokedReason = reason
        try await record.update(on: app.db)
    }
}

/// Files and payloads with exactly one thing wrong.
enum Tamper {
    static func flip(_ bytes: [UInt8], at index: Int) -> [UInt8] {
        var copy = bytes
        copy[index] ^= 0x01
        return copy
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func bytes(ofPayload text: String) -> [UInt8] {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Array(Data(base64Encoded: standard) ?? Data())
    }
}

extension CertificateVerdict {
    var isGenuine: Bool { if case .genuine = self { true } else { false } }
}
