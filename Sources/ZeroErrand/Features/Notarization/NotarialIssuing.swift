import Fluent
import Foundation
import Vapor
import ZeroErrandCore
import ZeroErrandPrint
import ZeroErrandSeal

/// The notary's decision and what follows it: approval, the sealed certificate with its number,
/// code and QR, and revocation. Approval and issue move the case through `CaseWorkflow` in the
/// same transaction as the act, so the case never says "approved" or "issued" without them.
extension NotarizationService {
    func approve(_ record: Case, note: String?) async throws {
        let notary = try request.requireAccount().requireID()
        guard let office = office(of: record) else { throw AppError.notFound }
        let now = request.now
        try await request.cases.perform(.approve(note: note ?? ""), on: record.requireID(), as: .office) { db, audit, fresh in
            let act = try await NotarialActRecord.load(for: fresh, office: office, on: db)
            let next = try Self.decide(.approve, act: act, notary: notary, now: now)
            act.notarization.approvedBy = next.approval?.notary
            act.notarization.approvedAt = now
            act.notarization.updatedAt = now
            try await act.notarization.save(on: db)
            try await audit.record("notarization.approve", "case", try fresh.requireID().uuidString.lowercased(), ["case": fresh.number])
        }
    }

    /// Numbers, prints, seals and stores the certificate, writes the journal entry and issues the
    /// case's result, in one transaction. The verification code is shown only on the certificate.
    func issue(_ record: Case) async throws {
        let official = try request.requireAccount()
        let notary = try official.requireID()
        guard let office = office(of: record), let kind = request.dependencies.notarial.kind(of: record.matter.code) else { throw AppError.notFound }
        try requireNotaryRole(record)
        let act = try await NotarialActRecord.load(for: record, office: office, on: request.db)
        // Asked first with a stand-in number, so a refusal costs no key, print or seal.
        let probe = NotarialCertificateNumber(year: 2000, office: act.state.office, serial: 1)?.chinese ?? ""
        if case .failure(let refusal) = NotarialActRules.apply(.issue(number: probe), to: act.state, by: .notary(notary), at: request.now) {
            throw AppError(status: .conflict, key: refusal.translationKey)
        }
        let seal = try await SealKeyring(application: request.application, db: request.db, context: request.auditContext)
            .currentSeal(for: record.department)
        let sealKeyID = try seal.key.requireID()
        let facts = try await certificateFacts(record, act: act, kind: kind, notaryName: official.displayName)
        let code = VerificationCode.make(request.dependencies.random)
        let codeHash = CertificateRegister.codeHash(code, secrets: request.dependencies.secrets)
        let verifyPage = SiteURL.verify.absolute(request.dependencies.config)
        let qrBase = SiteURL.verifyQR.absolute(request.dependencies.config)
        let store = request.dependencies.documents
        let zone = record.department.zone
        let now = request.now
        let applicant = record.$applicant.id
        let departmentID = record.$department.id
        let fee = record.matter.feeFen
        try await request.cases.perform(.issueResult, on: record.requireID(), as: .office) { db, audit, fresh in
            let act = try await NotarialActRecord.load(for: fresh, office: office, on: db)
            let issuedOn = CivilDay(now, in: zone)
            let last = try await NotarialCertificate.query(on: db).filter(\.$department.$id == departmentID)
                .filter(\.$year == issuedOn.year).sort(\.$serial, .descending).first()?.serial ?? 0
            guard let number = NotarialCertificateNumber(year: issuedOn.year, office: act.state.office, serial: last + 1) else {
                throw AppError(status: .conflict, key: NotarialActRefusal.malformedNumber.translationKey)
            }
            _ = try Self.decide(.issue(number: number.chinese), act: act, notary: notary, now: now)
            guard let documentSHA = act.state.document?.sha256, let notarizationID = act.notarization.id else { throw AppError.notFound }
            var printed = facts
            printed.numberChinese = number.chinese
            printed.numberEnglish = number.english
            printed.issuedOn = issuedOn
            printed.verificationCode = code
            let payload = try CertificateQRPayload.make(
                .init(certificateNumber: number.chinese, holders: [facts.holderName], issuedOn: issuedOn, documentSHA256: documentSHA),
                signedBy: seal.signer.privateKey)
            printed.qrText = qrBase + "#" + payload
            printed.verifyPage = verifyPage
            let pdf = try PDFSealer.seal(pdf: try CertificatePrint.render(printed, creationDate: now), signer: seal.signer, chain: [seal.root],
                                         signingTime: now, reason: "公证书 \(number.chinese)", location: facts.officeChinese,
                                         name: facts.officeChinese)
            let blob = try await store.storeBytes(pdf)
            let document = CaseDocument(caseID: try fresh.requireID(), by: notary, purpose: .result,
                                        name: "notarial-certificate-\(number.year)-\(number.serial).pdf", kind: .pdf, blob: blob, now: now)
            try await document.create(on: db)
            let certificate = NotarialCertificate()
            certificate.$notarization.id = notarizationID
            certificate.$caseRecord.id = try fresh.requireID()
            certificate.$department.id = departmentID
            certificate.number = number.chinese
            certificate.year = number.year
            certificate.serial = number.serial
            certificate.codeHash = codeHash
            certificate.$document.id = try document.requireID()
            certificate.pdfSHA256 = blob.sha256
            certificate.documentSHA256 = documentSHA.hex
            certificate.holderName = facts.holderName
            certificate.$sealKey.id = sealKeyID
            certificate.issuedAt = now
            certificate.issuedBy = notary
            try await certificate.create(on: db)
            try await NotarialJournal.append(.act, for: act, certificate: certificate, applicant: applicant, fee: fee,
                                             notaryName: facts.notaryName, departmentID: departmentID, by: notary, now: now, on: db,
                                             secrets: request.dependencies.secrets)
            try await CaseEvent(caseID: try fresh.requireID(), at: now, actorID: notary, kind: .document, name: "document_result",
                                statusAfter: nil, documentID: document.id).create(on: db)
            try await audit.record("notarization.issue", "case", try fresh.requireID().uuidString.lowercased(),
                                   ["case": fresh.number, "certificate": number.chinese, "pdf_sha256": blob.sha256,
                                    "seal_key": seal.key.keyID])
        }
    }

    /// The office withdraws an issued certificate; every verification path answers "revoked" from now.
    func revoke(_ record: Case, reason: String?) async throws {
        let notary = try request.requireAccount().requireID()
        try requireNotaryRole(record)
        let now = request.now
        let outbox = request.application.outbox
        let config = request.dependencies.config
        let secrets = request.dependencies.secrets
        let departmentID = record.$department.id
        let applicant = record.$applicant.id
        let fee = record.matter.feeFen
        let notaryName = try request.requireAccount().displayName
        try await step(.revoke(reason: reason ?? ""), on: record, as: .notary(notary), note: CaseLifecycle.normalizedText(reason ?? "")) { db, _, act, next in
            guard let certificate = act.certificate, let revocation = next.revocation else { throw AppError.notFound }
            certificate.revokedAt = now
            certificate.revokedReason = revocation.reason
            certificate.revokedBy = notary
            try await certificate.update(on: db)
            try await NotarialJournal.append(.revocation, for: act, certificate: certificate, applicant: applicant, fee: fee,
                                             notaryName: notaryName, departmentID: departmentID, by: notary, now: now, on: db, secrets: secrets)
            guard let fresh = try await Case.query(on: db).filter(\.$id == record.requireID()).with(\.$applicant).first() else { return }
            try await CaseNotifier.notifyApplicant(of: fresh, key: "notification.case.certificate_revoked", extra: revocation.reason,
                                                   on: db, outbox: outbox, config: config, now: now)
        }
    }

    /// Notarial steps are a notary's own: the certificate names the notary who took them, so a
    /// supervisor or clerk of the office may read the case but not act in the notary's place.
    func requireNotaryRole(_ record: Case) throws {
        guard Self.isNotary(try request.requireAccount()) else { throw AppError(status: .forbidden, key: "notarization.needs_notary") }
    }

    static func isNotary(_ account: Account) -> Bool { account.roles.contains(.notary) }

    /// The rules' answer inside the transaction: the act as it is now, not as the page showed it.
    private static func decide(_ action: NotarialAction, act: NotarialActRecord, notary: UUID, now: Date) throws -> NotarialActState {
        switch NotarialActRules.apply(action, to: act.state, by: .notary(notary), at: now) {
        case .success(let next): return next
        case .failure(let refusal): throw AppError(status: .conflict, key: refusal.translationKey)
        }
    }

    /// Everything printed on the certificate except what issuing assigns (number, day, code, QR).
    private func certificateFacts(_ record: Case, act: NotarialActRecord, kind: NotarialCatalogue.Kind, notaryName: String) async throws -> CertificateFacts {
        guard let chinese = act.notarization.documentText, let english = act.notarization.documentTextEnglish,
              let applicant = try await Account.find(record.$applicant.id, on: request.db) else { throw AppError.notFound }
        let zone = record.department.zone
        let signature = act.signatures.last { $0.$account.id == record.$applicant.id && $0.sha256 == act.notarization.documentSHA256 }
        var drawing: PNGImage?
        if let signatureID = signature?.id, let row = try await SignatureDrawing.query(on: request.db).filter(\.$signature.$id == signatureID).first() {
            let bytes = try await request.dependencies.documents.read(storageName: row.storageName, wrappedKey: row.wrappedKey, expectedSHA256: row.sha256)
            drawing = try? PNGImage(Array(bytes))
        }
        let placeholderDay = CivilDay(request.now, in: zone)
        return CertificateFacts(
            numberChinese: "", numberEnglish: "", kind: kind, holderName: applicant.displayName,
            matterChinese: record.matter.name(.zhHans), matterEnglish: record.matter.name(.en),
            documentChinese: chinese, documentEnglish: english, notaryName: notaryName,
            officeChinese: record.department.name(.zhHans), officeEnglish: record.department.name(.en),
            issuedOn: placeholderDay, signedOn: signature.map { CivilDay($0.signedAt, in: zone) } ?? placeholderDay,
            signature: drawing, verificationCode: "", qrText: "", verifyPage: "")
    }
}

/// The code printed on a certificate that, with its number, lets anyone look it up: ten letters
/// and digits that cannot be misread (no 0/O, 1/I/L), shown as two groups of five.
enum VerificationCode {
    static let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

    static func make(_ random: RandomSource) -> String {
        // 31 symbols: rejection sampling keeps every symbol equally likely.
        var symbols: [Character] = []
        while symbols.count < 10 {
            for byte in random.bytes(16) where Int(byte) < 248 && symbols.count < 10 {
                symbols.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return String(symbols[0..<5]) + "-" + String(symbols[5..<10])
    }

    /// What the hash is taken over: upper case, without spaces or dashes, as people type it.
    static func normalized(_ text: String) -> String {
        text.uppercased().filter { $0.isLetter || $0.isNumber }
    }
}
