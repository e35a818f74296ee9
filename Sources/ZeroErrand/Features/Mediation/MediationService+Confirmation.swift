import Fluent
import Foundation
import Vapor
import ZeroErrandCore
import ZeroErrandSeal

/// The judge's decision on the signed agreement: a ruling confirming it (numbered in the court's
/// format, printed, sealed with the court's key, verifiable like a notarial certificate, and its
/// obligations made dates on the case), or a refusal with reasons. Either moves the filer's case
/// through `CaseWorkflow` in the same transaction, so the case and the mediation never disagree.
extension MediationService {
    func confirm(_ loaded: MediationRecord) async throws {
        let judge = try request.requireAccount()
        let judgeID = try judge.requireID()
        let courtCode = try courtCode(loaded)
        // Asked first with a stand-in number, so a refusal costs no key, print or seal.
        let probe = CourtCaseNumber(year: 2000, court: courtCode, kind: .specialProcedure, serial: 1)?.chinese ?? ""
        let state = try Self.decide(.confirm(number: probe), loaded, by: .official(judgeID), courtCode: courtCode, now: request.now)
        guard let agreement = loaded.agreement, let version = state.agreement?.version else { throw AppError.notFound }
        try await moveCaseToDecision(loaded)
        let seal = try await SealKeyring(application: request.application, db: request.db, context: request.auditContext).currentSeal(for: loaded.court)
        let sealKeyID = try seal.key.requireID()
        let zone = loaded.court.zone
        let verificationCode = VerificationCode.make(request.dependencies.random)
        let codeHash = CertificateRegister.codeHash(verificationCode, secrets: request.dependencies.secrets)
        let verifyPage = SiteURL.verify.absolute(request.dependencies.config), qrBase = SiteURL.verifyQR.absolute(request.dependencies.config)
        let store = request.dependencies.documents
        let now = request.now, today = today, mediationID = loaded.id, departmentID = loaded.court.id!
        let names = loaded.parties.map(\.name)
        let signers = try await signerLines(loaded, version: version, zone: zone)
        let terms = AgreementTerms.decode(agreement.terms)
        let outbox = request.application.outbox, config = request.dependencies.config
        // The case's decision note, in both languages like the ruling it stands for.
        let note = "调解协议经本院司法确认 / The mediation agreement is judicially confirmed"
        try await request.cases.perform(.approve(note: note), on: loaded.record.requireID(), as: .office) { db, audit, fresh in
            guard let current = try await MediationRecord.load(mediationID, on: db, today: today), let agreement = current.agreement else {
                throw AppError.notFound
            }
            let issuedOn = CivilDay(now, in: zone)
            let last = try await CourtRuling.query(on: db).filter(\.$department.$id == departmentID).filter(\.$year == issuedOn.year)
                .sort(\.$serial, .descending).first()?.serial ?? 0
            guard let number = CourtCaseNumber(year: issuedOn.year, court: courtCode, kind: .specialProcedure, serial: last + 1) else {
                throw AppError(status: .conflict, key: MediationRefusal.malformedNumber.translationKey)
            }
            _ = try Self.decide(.confirm(number: number.chinese), current, by: .official(judgeID), courtCode: courtCode, now: now)
            guard let agreementHash = SHA256Hash(hex: agreement.sha256) else { throw AppError.notFound }
            let payload = try CertificateQRPayload.make(.init(certificateNumber: number.chinese, holders: names, issuedOn: issuedOn,
                                                              documentSHA256: agreementHash), signedBy: seal.signer.privateKey)
            let facts = RulingFacts(
                numberChinese: number.chinese, numberEnglish: number.english, courtChinese: current.court.nameZh, courtEnglish: current.court.nameEn,
                plaintiffs: current.parties.filter { $0.side == .plaintiff }.map(\.name).joined(separator: "; "),
                defendants: current.parties.filter { $0.side == .defendant }.map(\.name).joined(separator: "; "),
                agreementChinese: agreement.textChinese, agreementEnglish: agreement.textEnglish, agreementVersion: agreement.version,
                agreementSHA256: agreement.sha256, signers: signers, judgeName: judge.displayName, issuedOn: issuedOn,
                verificationCode: verificationCode, qrText: qrBase + "#" + payload, verifyPage: verifyPage)
            let pdf = try PDFSealer.seal(pdf: try RulingPrint.render(facts, creationDate: now), signer: seal.signer, chain: [seal.root],
                                         signingTime: now, reason: "民事裁定书 \(number.chinese)", location: current.court.nameZh,
                                         name: current.court.nameZh)
            let blob = try await store.storeBytes(pdf)
            let document = CaseDocument(caseID: try fresh.requireID(), by: judgeID, purpose: .result,
                                        name: "court-ruling-\(number.year)-\(number.serial).pdf", kind: .pdf, blob: blob, now: now)
            try await document.create(on: db)
            let ruling = CourtRuling()
            ruling.$mediation.id = mediationID
            ruling.$caseRecord.id = try fresh.requireID()
            ruling.$department.id = departmentID
            ruling.number = number.chinese
            ruling.year = number.year
            ruling.serial = number.serial
            ruling.codeHash = codeHash
            ruling.$document.id = try document.requireID()
            ruling.pdfSHA256 = blob.sha256
            ruling.agreementVersion = agreement.version
            ruling.agreementSHA256 = agreement.sha256
            ruling.holderNames = names.joined(separator: "; ")
            ruling.$sealKey.id = sealKeyID
            ruling.issuedAt = now
            ruling.issuedBy = judgeID
            try await ruling.create(on: db)
            for (position, obligation) in (terms?.obligations ?? []).enumerated() {
                guard obligation.debtor < current.parties.count, obligation.creditor < current.parties.count else { continue }
                let row = MediationObligation()
                row.$mediation.id = mediationID
                row.position = position
                row.$debtor.id = try current.parties[obligation.debtor].requireID()
                row.$creditor.id = try current.parties[obligation.creditor].requireID()
                row.amountMinor = obligation.amountMinor
                row.currency = obligation.currency
                row.dueOn = obligation.dueOn
                try await row.create(on: db)
            }
            current.mediation.ending = .confirmed
            current.mediation.endedBy = judgeID
            current.mediation.endedAt = now
            current.mediation.updatedAt = now
            try await current.mediation.update(on: db)
            try await CaseEvent(caseID: try fresh.requireID(), at: now, actorID: judgeID, kind: .document, name: "document_result",
                                statusAfter: nil, documentID: document.id).create(on: db)
            try await audit.record("mediation.confirmed", "mediation", mediationID.uuidString.lowercased(),
                                   ["number": number.chinese, "version": String(agreement.version), "pdf_sha256": blob.sha256,
                                    "seal_key": seal.key.keyID])
            let link = SiteURL.mediation(id: mediationID.uuidString.lowercased()).absolute(config)
            for party in current.parties where party.servedAt != nil {
                try await outbox.enqueueBilingual(to: party.email, subjectKey: "mail.mediation.confirmed.subject", bodyKey: "mail.mediation.confirmed.body",
                                                  arguments: ["name": party.name, "number": number.chinese, "link": link], on: db)
            }
        }
        // The ruling is the case's result: issued with it (the workflow tells the filer).
        try await request.cases.perform(.issueResult, on: loaded.record.requireID(), as: .office) { _, _, _ in }
    }

    /// The judge will not confirm the agreement: the mediation ends with the reasons, and the
    /// filer's case is refused with them.
    func refuse(_ loaded: MediationRecord, reason: String?) async throws {
        let judgeID = try request.requireAccount().requireID()
        let courtCode = try courtCode(loaded)
        let next = try Self.decide(.refuse(reason: reason ?? ""), loaded, by: .official(judgeID), courtCode: courtCode, now: request.now)
        guard case .refused(_, let text, _)? = next.ending else { throw AppError.notFound }
        try await moveCaseToDecision(loaded)
        let now = request.now, today = today, mediationID = loaded.id
        let outbox = request.application.outbox, config = request.dependencies.config
        try await request.cases.perform(.refuse(reason: text), on: loaded.record.requireID(), as: .office) { db, audit, _ in
            guard let current = try await MediationRecord.load(mediationID, on: db, today: today) else { throw AppError.notFound }
            _ = try Self.decide(.refuse(reason: text), current, by: .official(judgeID), courtCode: courtCode, now: now)
            current.mediation.ending = .refused
            current.mediation.endingReason = text
            current.mediation.endedBy = judgeID
            current.mediation.endedAt = now
            current.mediation.updatedAt = now
            try await current.mediation.update(on: db)
            try await audit.record("mediation.refused", "mediation", mediationID.uuidString.lowercased(), [:])
            let link = SiteURL.mediation(id: mediationID.uuidString.lowercased()).absolute(config)
            for party in current.parties where party.servedAt != nil {
                try await outbox.enqueueBilingual(to: party.email, subjectKey: "mail.mediation.refused.subject", bodyKey: "mail.mediation.refused.body",
                                                  arguments: ["name": party.name, "reason": text, "link": link], on: db)
            }
        }
    }

    /// After a party other than the filer declined, the filer's request is still open on the
    /// court's queue (the filer's own declining withdrew it). The named judge closes it with the
    /// decision that no mediation took place: the case's clock stops and the filer may go to court.
    func closeDeclined(_ loaded: MediationRecord) async throws {
        let judgeID = try request.requireAccount().requireID()
        guard loaded.mediation.$judge.id == judgeID else { throw AppError(status: .forbidden, key: "mediation.error.judge_only") }
        guard loaded.mediation.ending == .declined, Self.closableStatuses.contains(loaded.record.status) else {
            throw AppError(status: .conflict, key: "mediation.error.nothing_to_close")
        }
        try await moveCaseToDecision(loaded)
        let note = "调解未能进行：一方当事人拒绝调解 / No mediation took place: a party declined it"
        let mediationID = loaded.id
        try await request.cases.perform(.refuse(reason: note), on: loaded.record.requireID(), as: .office) { _, audit, _ in
            try await audit.record("mediation.case_closed", "mediation", mediationID.uuidString.lowercased(), [:])
        }
    }

    /// Where a declined mediation's request still waits for the court.
    static let closableStatuses: Set<CaseStatus> = [.accepted, .inReview, .resubmitted]

    /// A decision is taken on a case under review: an accepted case is put under review first.
    private func moveCaseToDecision(_ loaded: MediationRecord) async throws {
        if loaded.record.status == .accepted {
            try await request.cases.perform(.startReview, on: loaded.record.requireID(), as: .office)
        }
    }

    /// "Party (signed by X, time)" for each signature on the confirmed version, in the court's zone.
    private func signerLines(_ loaded: MediationRecord, version: Int, zone: TimeZone) async throws -> [RulingFacts.Signer] {
        let accounts = try await Account.query(on: request.db).filter(\.$id ~~ loaded.signatures.map { $0.signature.$account.id }).all()
        return loaded.parties.compactMap { party in
            guard let signed = loaded.signatures.last(where: { $0.$party.id == party.id && $0.version == version }) else { return nil }
            let signer = accounts.first { $0.id == signed.signature.$account.id }?.displayName ?? ""
            return RulingFacts.Signer(party: party.name, signer: signer, signedAt: TimeDisplay.format(signed.signedAt, in: zone))
        }
    }

    /// The creditor says an obligation was not paid by its day: recorded (audited, on the
    /// timeline), and the page then offers the enforcement matter with the ruling attached.
    func reportUnpaid(_ loaded: MediationRecord, position: Int, party: MediationParty) async throws -> Case {
        let account = try request.requireAccount()
        let accountID = try account.requireID()
        guard let ruling = loaded.ruling,
              let obligation = try await MediationObligation.query(on: request.db).filter(\.$mediation.$id == loaded.id)
                .filter(\.$position == position).first(), obligation.$creditor.id == party.id else { throw AppError.notFound }
        guard let due = CivilDay(obligation.dueOn), today > due else { throw AppError(status: .conflict, key: "mediation.error.not_yet_due") }
        guard account.kind == .citizen,
              let matter = try await Matter.query(on: request.db).filter(\.$code == MediationCourts.enforcementMatter).with(\.$department).first(),
              let material = matter.materials.firstIndex(where: { $0.nameZh.contains("生效法律文书") }),
              let rulingDocument = try await CaseDocument.find(ruling.$document.id, on: request.db) else { throw AppError.notFound }
        // The sealed ruling goes with the application as its own stored copy of the same bytes (each
        // document owns its blob), so the court receives exactly what it issued.
        let store = request.dependencies.documents
        let copy = try await store.storeBytes(Array(try await store.read(storageName: rulingDocument.storageName, wrappedKey: rulingDocument.wrappedKey,
                                                                   expectedSHA256: rulingDocument.sha256)))
        let now = request.now, obligationID = try obligation.requireID(), mediationID = loaded.id
        let details = request.t("mediation.enforcement.details", ["number": ruling.number, "amount": MediationFiling.formatAmount(obligation.amountMinor, currency: obligation.currency),
                                                                  "due": obligation.dueOn])
        return try await request.cases.createDraft(matter: matter, applicant: account, details: details) { db, audit, enforcement in
            guard let fresh = try await MediationObligation.find(obligationID, on: db), fresh.reportedUnpaidAt == nil else {
                throw AppError(status: .conflict, key: "mediation.error.already_reported")
            }
            fresh.reportedUnpaidAt = now
            fresh.reportedBy = accountID
            try await fresh.update(on: db)
            let attached = CaseDocument(caseID: try enforcement.requireID(), by: accountID, purpose: .material, materialIndex: material,
                                        name: rulingDocument.originalName, kind: rulingDocument.kind, blob: copy, now: now)
            try await attached.create(on: db)
            try await audit.record("mediation.reported_unpaid", "mediation", mediationID.uuidString.lowercased(),
                                   ["obligation": String(position), "enforcement_case": enforcement.number])
        }
    }
}
