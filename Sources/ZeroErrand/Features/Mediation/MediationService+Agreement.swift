import Fluent
import Foundation
import Vapor
import ZeroErrandCore
import ZeroErrandSeal

/// The agreement and what follows it: the mediator's versions, the parties' signatures, and the
/// judge's decision. Every step re-decides inside its audited transaction.
extension MediationService {
    static let signatureObjectType = "mediation_agreement"

    /// The mediator saves the terms as the next version. Signatures on the old version stop
    /// counting, and every party who had signed is told.
    func saveAgreement(_ loaded: MediationRecord, terms: AgreementTerms) async throws {
        let mediator = try request.requireAccount().requireID()
        let code = try courtCode(loaded)
        let text = AgreementText.render(terms, parties: loaded.parties.map { .init(name: $0.name, side: $0.side, country: $0.country) },
                                        courtChinese: loaded.court.nameZh, courtEnglish: loaded.court.nameEn, caseNumber: loaded.record.number)
        let sha = BilingualText.sha256(chinese: text.chinese, english: text.english)
        guard let hash = SHA256Hash(hex: sha) else { throw AppError.notFound }
        let now = request.now, today = today, mediationID = loaded.id
        let outbox = request.application.outbox, config = request.dependencies.config
        try await request.audited { db, audit in
            guard let fresh = try await MediationRecord.load(mediationID, on: db, today: today) else { throw AppError.notFound }
            let before = fresh.state(courtCode: code)
            let next = try Self.decide(.saveAgreement(sha256: hash), fresh, by: .official(mediator), courtCode: code, now: now)
            guard let version = next.agreement?.version else { throw AppError.notFound }
            let row = MediationAgreement()
            row.$mediation.id = mediationID
            row.version = version
            row.terms = terms.json
            row.textChinese = text.chinese
            row.textEnglish = text.english
            row.sha256 = sha
            row.$savedBy.id = mediator
            row.savedAt = now
            try await row.create(on: db)
            let voided = before.currentSignatures
            try await audit.record("mediation.agreement_saved", "mediation", mediationID.uuidString.lowercased(),
                                   ["version": String(version), "sha256": sha, "voided_signatures": String(voided.count)])
            try await CaseEvent(caseID: fresh.record.requireID(), at: now, actorID: mediator, kind: .action, name: "mediation_agreement_saved",
                                statusAfter: nil, note: String(version)).create(on: db)
            guard !voided.isEmpty else { return }
            // A change after anyone signed voids every signature of the old version: all are told.
            let link = SiteURL.mediation(id: mediationID.uuidString.lowercased()).absolute(config) + "#agreement"
            for party in fresh.parties where party.servedAt != nil {
                try await outbox.enqueueBilingual(to: party.email, subjectKey: "mail.mediation.voided.subject", bodyKey: "mail.mediation.voided.body",
                                                  arguments: ["name": party.name, "old": String(version - 1), "new": String(version),
                                                              "count": String(voided.count), "link": link], on: db)
            }
        }
    }

    /// The document a party signs: the current version's exact bytes.
    static func signable(_ agreement: MediationAgreement) throws -> SignableDocument {
        SignableDocument(objectType: signatureObjectType, objectID: try agreement.requireID().uuidString.lowercased(),
                         bytes: BilingualText.bytes(chinese: agreement.textChinese, english: agreement.textEnglish))
    }

    /// A party (or their agent, where the mandate allows signing) signs the version they were
    /// shown, with a fresh second factor; a drawn signature, when given, is kept with it.
    func sign(_ loaded: MediationRecord, party: MediationParty, shownSHA256: String?, code: String?, drawing: String?) async throws {
        let account = try request.requireAccount().requireID(), partyID = try party.requireID()
        try requireMayAct(loaded, party: party, account: account, action: .sign)
        let courtCode = try courtCode(loaded)
        guard let agreement = loaded.agreement else { throw AppError(status: .conflict, key: MediationRefusal.noAgreement.translationKey) }
        let shown = SHA256Hash(hex: shownSHA256 ?? "") ?? SHA256Hash.of([UInt8]())
        // Asked before the second factor, so a refused signature spends no code.
        _ = try Self.decide(.sign(shown: shown), loaded, by: .party(partyID, account: account), courtCode: courtCode, now: request.now)
        let picture = try drawing.nonEmpty.map(DrawnSignature.parse)
        let now = request.now, today = today, mediationID = loaded.id
        let outbox = request.application.outbox, config = request.dependencies.config
        let signable = try Self.signable(agreement)
        try await DrawnSignature.signing(with: picture, store: request.dependencies.documents) { stored in
            try await request.signing.sign(signable, shownSHA256: shownSHA256, code: code) { [stored] db, audit, signature in
                guard let fresh = try await MediationRecord.load(mediationID, on: db, today: today) else { throw AppError.notFound }
                let next = try Self.decide(.sign(shown: shown), fresh, by: .party(partyID, account: account), courtCode: courtCode, now: now)
                guard let signed = next.signatures.last else { throw AppError.notFound }
                let row = AgreementSignature()
                row.$mediation.id = mediationID
                row.$party.id = partyID
                row.$signature.id = try signature.requireID()
                row.version = signed.version
                row.sha256 = signed.sha256.hex
                row.signedAt = now
                try await row.create(on: db)
                if let stored { try await DrawnSignature.keep(stored, for: signature, now: now, on: db) }
                try await audit.record("mediation.signed", "mediation", mediationID.uuidString.lowercased(),
                                       ["party": partyID.uuidString.lowercased(), "version": String(signed.version), "sha256": signed.sha256.hex])
                try await CaseEvent(caseID: fresh.record.requireID(), at: now, actorID: account, kind: .action, name: "mediation_signed",
                                    statusAfter: nil, note: fresh.parties.first { $0.id == partyID }?.name ?? "").create(on: db)
                // The last signature: the judge is told the agreement waits for them.
                if next.unsignedParties.isEmpty, let judgeID = fresh.mediation.$judge.id, let judge = try await Account.find(judgeID, on: db) {
                    try await outbox.enqueue(to: judge, subjectKey: "mail.mediation.all_signed.subject", bodyKey: "mail.mediation.all_signed.body",
                                             arguments: ["number": fresh.record.number, "version": String(signed.version),
                                                         "link": SiteURL.mediation(id: mediationID.uuidString.lowercased()).absolute(config)], on: db)
                }
            }
        }
    }

    /// An account acts for a party as the party itself, or as their agent within the mandate.
    func requireMayAct(_ loaded: MediationRecord, party: MediationParty, account: UUID, action: ProxyAction) throws {
        if party.$account.id == account { return }
        guard let mandate = party.mandate, mandate.$proxyAccount.id == account else { throw AppError(status: .forbidden, key: "mediation.error.parties_only") }
        switch MandateRules.refusal(mandate.facts, action: action, matterCode: MediationCourts.mediationMatter, caseID: nil, today: today) {
        case nil: return
        case .limitNotGranted?: throw AppError(status: .forbidden, key: "mandate.refused.\(action.rawValue)")
        default: throw AppError(status: .forbidden, key: "mandate.refused.ended")
        }
    }
}
