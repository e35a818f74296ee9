import Fluent
import Vapor
import ZeroErrandCore

/// The agreement on the mediation page: the current version in both languages, who has signed
/// it, the versions before it, and the one form the viewer can use now (the mediator's terms, a
/// party's signature, the judge's decision), then the ruling and its obligations.
struct AgreementPanel: Encodable {
    struct SignatureLine: Encodable {
        let party: String
        let signed: Bool
        let detail: String
    }

    struct ObligationRow: Encodable {
        let index: Int
        let legend: String
        let debtors: [Choice]
        let creditors: [Choice]
        let amount: String
        let currencies: [Choice]
        let dueOn: String
        let errors: [String: String]
    }

    struct ObligationLine: Encodable {
        let text: String
        let due: String
        let reported: String?
        let unpaidPath: String?
    }

    let version: Int?
    /// Asked by the page for newer versions while the mediation is open.
    let versionPath: String?
    let selfPath: String
    let versionText: String?
    let confirmedText: String?
    let chinese: String?
    let english: String?
    let sha256: String?
    let signatures: [SignatureLine]
    /// "Version 1, saved …, 2 signatures", newest first.
    let history: [String]
    /// "Version 2 replaced version 1, which 2 parties had signed: their signatures no longer count."
    let voidedNote: String?
    // The mediator's form.
    let termsPath: String?
    let rows: [ObligationRow]
    let clauses: [String: String]
    let errors: [String: String]
    // The party's signature.
    let signPath: String?
    let signedByViewer: String?
    let needsTwoFactor: Bool
    // The judge's review.
    let confirmPath: String?
    let refusePath: String?
    let review: [String]
    // After the decision.
    let rulingNumber: String?
    let rulingPath: String?
    let refusal: String?
    let obligations: [ObligationLine]
    let enforcementPath: String?

    static func make(_ req: Request, _ entry: MediationAccess.Entry, zone: TimeZone, viewerParty: MediationParty?,
                     termsForm: AgreementTerms.Form?, errors keys: [String: String]) async throws -> AgreementPanel {
        let loaded = entry.loaded, viewer = entry.viewer, id = loaded.id.uuidString.lowercased()
        let errors = keys.mapValues { req.t($0) }
        let state = try loaded.state(courtCode: req.mediations.courtCode(loaded))
        let current = loaded.agreement
        let ended = loaded.mediation.ending != nil, accepted = loaded.mediation.acceptedAt != nil
        let accounts = try await Account.query(on: req.db).filter(\.$id ~~ loaded.signatures.map { $0.signature.$account.id }).all()
        let signatures = loaded.parties.map { party -> SignatureLine in
            let signed = current.flatMap { version in loaded.signatures.last { $0.$party.id == party.id && $0.version == version.version } }
            let signer = signed.flatMap { row in accounts.first { $0.id == row.signature.$account.id } }
            return SignatureLine(party: party.name, signed: signed != nil,
                                 detail: signed.map { req.t("mediation.agreement.signed_by", ["who": signer.map { loaded.actorName($0, req) } ?? "", "when": req.showTime($0.signedAt, in: zone)]) }
                                    ?? req.t("mediation.agreement.not_signed"))
        }
        let history = loaded.agreements.dropLast().reversed().map { version in
            req.t("mediation.agreement.history_line", ["version": String(version.version), "saved": req.showTime(version.savedAt, in: zone),
                                                       "count": String(loaded.signatures.filter { $0.version == version.version }.count)])
        }
        var voidedNote: String?
        if let current, let previous = loaded.agreements.dropLast().last {
            let count = loaded.signatures.filter { $0.version == previous.version }.count
            if count > 0 {
                voidedNote = req.t("mediation.agreement.voided", ["new": String(current.version), "old": String(previous.version), "count": String(count)])
            }
        }
        // The mediator's form: the terms given, else the current version's, else the template.
        let terms = current.flatMap { AgreementTerms.decode($0.terms) } ?? .template
        let partyChoices = { (selected: String?) in
            loaded.parties.enumerated().map { Choice(value: String($0.offset), label: $0.element.name, selected: String($0.offset) == selected) }
        }
        let formRows = termsForm?.obligations ?? terms.obligations.map {
            AgreementTerms.Form.Row(debtor: String($0.debtor), creditor: String($0.creditor),
                                    amount: MediationFiling.formatAmount($0.amountMinor, currency: $0.currency).split(separator: " ").first.map(String.init),
                                    currency: $0.currency, dueOn: $0.dueOn)
        }
        let rows = (0..<max(3, formRows.count + 1)).prefix(AgreementTerms.maxObligations).map { index -> ObligationRow in
            let row = index < formRows.count ? formRows[index] : AgreementTerms.Form.Row()
            let prefix = "obligations_\(index)_"
            return ObligationRow(index: index, legend: req.t("mediation.terms.obligation", ["n": String(index + 1)]), debtors: partyChoices(row.debtor), creditors: partyChoices(row.creditor), amount: row.amount ?? "",
                                 currencies: MediationFiling.currencies.map { Choice(value: $0.code, label: $0.code, selected: $0.code == (row.currency ?? loaded.mediation.currency)) },
                                 dueOn: row.dueOn ?? "",
                                 errors: errors.filter { $0.key.hasPrefix(prefix) }.reduce(into: [:]) { $0[String($1.key.dropFirst(prefix.count))] = $1.value })
        }
        let clauses = [
            "onDefaultChinese": termsForm?.onDefaultChinese ?? terms.onDefaultChinese, "onDefaultEnglish": termsForm?.onDefaultEnglish ?? terms.onDefaultEnglish,
            "costsChinese": termsForm?.costsChinese ?? terms.costsChinese, "costsEnglish": termsForm?.costsEnglish ?? terms.costsEnglish,
            "otherChinese": termsForm?.otherChinese ?? terms.otherChinese, "otherEnglish": termsForm?.otherEnglish ?? terms.otherEnglish,
        ]
        let viewerSigned = viewerParty.flatMap { party in state.currentSignatures.first { $0.party == party.id } }
        let maySign = viewerParty?.servedAt != nil && current != nil && viewerSigned == nil && !ended
        let allSigned = current != nil && state.unsignedParties.isEmpty
        var review: [String] = []
        if viewer == .judge, allSigned, !ended {
            let signers = try await Account.query(on: req.db).filter(\.$id ~~ loaded.signatures.filter { $0.version == current?.version }.map { $0.signature.$account.id }).all()
            for row in loaded.signatures where row.version == current?.version {
                let party = loaded.parties.first { $0.id == row.$party.id }
                let signer = signers.first { $0.id == row.signature.$account.id }
                let level = signer?.identityLevel.map { req.t("identity.level\($0.rawValue)") } ?? req.t("identity.none")
                review.append(req.t("mediation.review.signature", ["party": party?.name ?? "", "who": signer?.displayName ?? "",
                                                                    "agent": party?.$account.id == signer?.id ? "" : req.t("mediation.review.as_agent"),
                                                                    "level": level, "method": row.signature.method,
                                                                    "when": req.showTime(row.signedAt, in: zone)]))
            }
            if let sessionID = loaded.mediation.sessionID,
               let recording = try await VideoRecording.query(on: req.db).filter(\.$session.$id == sessionID).filter(\.$status == .complete).first() {
                review.append(req.t("mediation.review.recording", ["sha256": recording.sha256 ?? ""]))
            } else {
                review.append(req.t("mediation.review.no_recording"))
            }
        }
        var obligations: [ObligationLine] = []
        let today = req.mediations.today
        if loaded.ruling != nil {
            let rows = try await MediationObligation.query(on: req.db).filter(\.$mediation.$id == loaded.id).sort(\.$position).all()
            for row in rows {
                let debtor = loaded.parties.first { $0.id == row.$debtor.id }?.name ?? "", creditor = loaded.parties.first { $0.id == row.$creditor.id }?.name ?? ""
                let overdue = CivilDay(row.dueOn).map { today > $0 } ?? false
                let mayReport = overdue && row.reportedUnpaidAt == nil && viewerParty?.id == row.$creditor.id && viewerParty?.$account.id == req.currentAccount?.id
                obligations.append(ObligationLine(
                    text: req.t("mediation.obligation.line", ["debtor": debtor, "creditor": creditor,
                                                              "amount": MediationFiling.formatAmount(row.amountMinor, currency: row.currency)]),
                    due: req.t("mediation.obligation.due", ["day": row.dueOn, "zone": loaded.court.zone.identifier]),
                    reported: row.reportedUnpaidAt.map { req.t("mediation.obligation.reported", ["when": req.showTime($0, in: zone)]) },
                    unpaidPath: mayReport ? SiteURL.mediationUnpaid(id: id, position: String(row.position)).path : nil))
            }
        }
        return AgreementPanel(
            version: current?.version,
            versionPath: ended ? nil : SiteURL.mediationAgreementVersion(id: id).path,
            selfPath: SiteURL.mediation(id: id).path + "#agreement",
            versionText: current.map { req.t("mediation.agreement.version", ["version": String($0.version), "saved": req.showTime($0.savedAt, in: zone)]) },
            confirmedText: loaded.ruling.map { req.t("mediation.agreement.confirmed", ["number": $0.number]) },
            chinese: current?.textChinese, english: current?.textEnglish, sha256: current?.sha256,
            signatures: current == nil ? [] : signatures, history: Array(history), voidedNote: voidedNote,
            termsPath: viewer == .mediator && accepted && !ended ? SiteURL.mediationAgreement(id: id).path : nil,
            rows: Array(rows), clauses: clauses, errors: errors,
            signPath: maySign ? SiteURL.mediationSignature(id: id).path : nil,
            signedByViewer: viewerSigned.map { _ in req.t("mediation.agreement.you_signed") },
            needsTwoFactor: req.currentAccount?.totpSecret == nil,
            confirmPath: viewer == .judge && allSigned && !ended ? SiteURL.mediationConfirmation(id: id).path : nil,
            refusePath: viewer == .judge && allSigned && !ended ? SiteURL.mediationJudicialRefusal(id: id).path : nil,
            review: review,
            rulingNumber: loaded.ruling?.number, rulingPath: loaded.ruling == nil ? nil : SiteURL.mediationRuling(id: id).path,
            refusal: loaded.mediation.ending == .refused ? req.t("mediation.refusal.text", ["reason": loaded.mediation.endingReason ?? ""]) : nil,
            obligations: obligations,
            enforcementPath: obligations.contains { $0.unpaidPath != nil } ? SiteURL.matter(code: MediationCourts.enforcementMatter).path : nil)
    }
}
