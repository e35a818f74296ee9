import Fluent
import Vapor
import ZeroErrandCore

/// The notarial act's pages and forms: the notary's steps on the office case page, the applicant's
/// signing page and paper-copy request, and the office's journal. Every route finds the case
/// through `CaseAccess` (the one record-level policy): anyone else gets the 404 of a missing case.
struct NotarizationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let office = routes.grouped(Require(.staffWorkspace))
        office.post(SiteURL.officeNotarization(id: ":id", step: ":step").route, use: officeStep)
        office.get(SiteURL.officeNotaryJournal.route, use: journal)
        office.post(SiteURL.officeNotaryJournalCorrection(entry: ":entry").route, use: correct)
        let own = routes.grouped(Require(.manageOwnAccount))
        own.get(SiteURL.caseNotarySign(id: ":id").route, use: signPage)
        own.post(SiteURL.caseNotarySign(id: ":id").route, use: sign)
        own.post(SiteURL.caseCertificateDelivery(id: ":id").route, use: requestDelivery)
    }

    struct StepForm: Content {
        var chinese: String?
        var english: String?
        var identityConfirmed: String?
        var willStated: String?
        var text: String?
        var carrier: String?
        var tracking: String?
    }

    @Sendable func officeStep(req: Request) async throws -> Response {
        let record = try await CaseAccess.officeCase(req, audit: nil)
        guard req.notarizations.office(of: record) != nil else { throw AppError.notFound }
        return try await req.onCasePage(record, role: .office, field: "notarization") {
            let form = try req.content.decode(StepForm.self)
            let service = req.notarizations
            try service.requireNotaryRole(record)
            switch req.parameters.get("step") {
            case "prepare": try await service.prepare(record, chinese: form.chinese, english: form.english)
            case "open": try await service.openCertification(record)
            case "certify": try await service.certify(record, identityConfirmed: form.identityConfirmed == "on",
                                                       willStated: form.willStated == "on", note: form.text)
            case "approve": try await service.approve(record, note: form.text)
            case "issue": try await service.issue(record)
            case "revoke": try await service.revoke(record, reason: form.text)
            case "delivery_sent": try await service.markSent(record, carrier: form.carrier, tracking: form.tracking)
            case "delivery_delivered": try await service.markDelivered(record)
            default: throw AppError.notFound
            }
            return req.redirect(to: SiteURL.officeCase(id: try record.requireID().uuidString).path + "#notarization", redirectType: .normal)
        }
    }

    struct SignPage: Encodable {
        let caseNumber: String
        let casePath: String
        let signPath: String
        let chinese: String
        let english: String
        let sha256: String
        let needsTwoFactor: Bool
        /// Why nothing can be signed now (not opened yet, signed already, ended); nil when it can.
        let notNow: String?
        let errors: [String: String]
    }

    /// Only the applicant signs, and only while the act waits for their signature.
    private func signable(_ req: Request) async throws -> (Case, NotarialActRecord) {
        let record = try await CaseAccess.applicantCase(req)
        guard let office = req.notarizations.office(of: record) else { throw AppError.notFound }
        let act = try await NotarialActRecord.load(for: record, office: office, on: req.db)
        return (record, act)
    }

    @Sendable func signPage(req: Request) async throws -> Response {
        let (record, act) = try await signable(req)
        return try await renderSignPage(req, record: record, act: act, errors: [:])
    }

    private func renderSignPage(_ req: Request, record: Case, act: NotarialActRecord, errors: [String: String],
                                status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = try record.requireID().uuidString
        guard let chinese = act.notarization.documentText, let english = act.notarization.documentTextEnglish,
              let sha = act.notarization.documentSHA256 else { return req.redirect(to: .caseDetail(id: id)) }
        let signer = try req.requireAccount()
        var notNow: String?
        if let shown = SHA256Hash(hex: sha), case .failure(let refusal) = NotarialActRules.apply(
            .sign(shownSHA256: shown, session: act.state.session ?? UUID()), to: act.state, by: .person(try signer.requireID()), at: req.now) {
            notNow = req.t(refusal.translationKey)
        } else if let sessionID = act.state.session, try await VideoSession.find(sessionID, on: req.db)?.status != .booked {
            notNow = req.t("video.room.closed")
        }
        let page = SignPage(caseNumber: record.number, casePath: SiteURL.caseDetail(id: id).path + "#notarization",
                            signPath: SiteURL.caseNotarySign(id: id).path, chinese: chinese, english: english, sha256: sha,
                            needsTwoFactor: signer.totpSecret == nil, notNow: errors.isEmpty ? notNow : nil, errors: errors)
        return try await req.page("notarization/sign", page, title: "notarization.sign.title", status: status)
    }

    struct SignForm: Content {
        var sha256: String?
        var code: String?
        var drawing: String?
    }

    @Sendable func sign(req: Request) async throws -> Response {
        let (record, _) = try await signable(req)
        let form = try req.content.decode(SignForm.self)
        do {
            try await req.notarizations.sign(record, shownSHA256: form.sha256, code: form.code, drawing: form.drawing)
        } catch let error as AppError where !req.wantsJSON && error.status != .notFound {
            // The page again with the reason beside the code; the text shown is the act's current one.
            let (_, fresh) = try await signable(req)
            let field = error.key.hasPrefix("notarization.drawing") ? "drawing" : "code"
            return try await renderSignPage(req, record: record, act: fresh, errors: [field: req.t(error.key, error.arguments)], status: error.status)
        }
        return req.redirect(to: SiteURL.caseDetail(id: try record.requireID().uuidString).path + "#notarization", redirectType: .normal)
    }

    struct DeliveryForm: Content { var address: String? }

    @Sendable func requestDelivery(req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantCase(req)
        guard req.notarizations.office(of: record) != nil else { throw AppError.notFound }
        return try await req.onCasePage(record, role: .applicant, field: "delivery") {
            try await req.notarizations.requestDelivery(record, address: try req.content.decode(DeliveryForm.self).address)
            return req.redirect(to: SiteURL.caseDetail(id: try record.requireID().uuidString).path + "#notarization", redirectType: .normal)
        }
    }

    // MARK: Journal

    struct JournalPage: Encodable {
        struct Row: Encodable {
            let sequence: Int
            let kind: String
            let recorded: String
            let certificate: String
            let applicant: String
            let identity: String
            let recording: String
            let signatures: [String]
            let fee: String
            let result: String
            let notary: String
            let note: String?
            let corrects: Int?
            let correctionPath: String?
            let casePath: String?
        }
        let rows: [Row]
        let zoneNote: String
        var error: String?
    }

    /// The office's journal, newest first. Reading it is audited: it names every applicant.
    @Sendable func journal(req: Request) async throws -> Response {
        try await renderJournal(req, error: nil)
    }

    private func renderJournal(_ req: Request, error: AppError?) async throws -> Response {
        let account = try req.requireAccount()
        guard let departmentID = account.$department.id, let department = try await Department.find(departmentID, on: req.db),
              req.dependencies.notarial.offices[department.code] != nil else { throw AppError.notFound }
        let entries = try await NotarialJournalEntry.query(on: req.db).filter(\.$department.$id == departmentID)
            .with(\.$notarization).sort(\.$sequence, .descending).limit(200).all()
        try await req.audited { _, audit in
            try await audit.record("notarial_journal.viewed", "department", departmentID.uuidString.lowercased(), ["entries": String(entries.count)])
        }
        let secrets = req.dependencies.secrets
        let sequences = Dictionary(uniqueKeysWithValues: entries.compactMap { entry in entry.id.map { ($0, entry.sequence) } })
        let mayCorrect = NotarizationService.isNotary(account)
        let rows = try entries.map { entry in
            let facts = try NotarialJournal.facts(of: entry, secrets: secrets)
            let zone = department.zone
            let result = switch entry.kind {
            case .act: req.t("notarization.journal.result.issued", ["number": facts.certificate])
            case .revocation: req.t("notarization.journal.result.revoked", ["reason": facts.revocationReason ?? ""])
            case .correction: req.t("notarization.journal.result.corrected")
            }
            return JournalPage.Row(
                sequence: entry.sequence, kind: req.t("notarization.journal.kind.\(entry.kind.rawValue)"),
                recorded: req.showTime(entry.recordedAt, in: zone), certificate: facts.certificate,
                applicant: facts.applicantName,
                identity: req.t("notarization.journal.identity_text", [
                    "level": req.t("identity.level\(facts.identityLevel)"), "by": facts.certifiedBy,
                    "when": facts.certifiedAt.map { req.showTime($0, in: zone) } ?? "-", "session": String(facts.videoSession.prefix(8))]),
                recording: facts.recording.isEmpty ? "-" : "SHA-256 \(facts.recordingSHA256)",
                signatures: facts.signatures.map {
                    req.t("notarization.journal.signature_text", ["when": req.showTime($0.signedAt, in: zone), "sha256": $0.sha256,
                                                                  "method": req.t("notarization.journal.method.\($0.method)")])
                },
                fee: String(format: "¥%.2f", Double(facts.feeFen) / 100), result: result, notary: facts.notary,
                note: entry.kind == .correction ? facts.note : nil, corrects: entry.correctsID.flatMap { sequences[$0] },
                correctionPath: mayCorrect ? SiteURL.officeNotaryJournalCorrection(entry: entry.id!.uuidString.lowercased()).path : nil,
                casePath: SiteURL.officeCase(id: entry.notarization.$caseRecord.id.uuidString).path)
        }
        let page = JournalPage(rows: rows, zoneNote: req.t("case.times_in_zone", ["zone": department.zone.identifier]),
                               error: error.map { req.t($0.key, $0.arguments) })
        return try await req.page("notarization/journal", page, title: "notarization.journal.title", status: error?.status ?? .ok)
    }

    struct CorrectionForm: Content { var text: String? }

    /// A correction is a new entry naming the one it corrects; no entry is ever changed.
    @Sendable func correct(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard let entryID = req.parameters.get("entry", as: UUID.self), let departmentID = account.$department.id,
              let entry = try await NotarialJournalEntry.find(entryID, on: req.db), entry.$department.id == departmentID
        else { throw AppError.notFound }
        guard NotarizationService.isNotary(account) else { throw AppError(status: .forbidden, key: "notarization.needs_notary") }
        let note = CaseLifecycle.normalizedText(try req.content.decode(CorrectionForm.self).text ?? "")
        guard !note.isEmpty, note.count <= CaseLifecycle.maxTextLength else {
            return try await renderJournal(req, error: AppError(status: .unprocessableEntity, key: "notarization.journal.correction_required"))
        }
        let now = req.now, secrets = req.dependencies.secrets, notary = try account.requireID()
        try await req.audited { db, audit in
            try await NotarialJournal.correct(entry, note: note, by: notary, now: now, on: db, secrets: secrets)
            try await audit.record("notarial_journal.corrected", "department", departmentID.uuidString.lowercased(),
                                   ["corrects": String(entry.sequence)])
        }
        return req.redirect(to: .officeNotaryJournal)
    }
}
