import Fluent
import Vapor
import ZeroErrandCore

/// The agreement's forms: the mediator's versions, the parties' signatures, the judge's decision,
/// the sealed ruling, and a creditor's report of non-payment. Every route goes through
/// `MediationAccess`, then asks for the role the step needs.
struct MediationAgreementController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(Require(.manageOwnAccount))
        signedIn.post(SiteURL.mediationAgreement(id: ":id").route, use: saveAgreement)
        signedIn.post(SiteURL.mediationSignature(id: ":id").route, use: sign)
        signedIn.post(SiteURL.mediationConfirmation(id: ":id").route, use: confirm)
        signedIn.post(SiteURL.mediationJudicialRefusal(id: ":id").route, use: refuse)
        signedIn.post(SiteURL.mediationCaseClosure(id: ":id").route, use: closeDeclined)
        signedIn.get(SiteURL.mediationRuling(id: ":id").route, use: ruling)
        signedIn.post(SiteURL.mediationUnpaid(id: ":id", position: ":position").route, use: reportUnpaid)
        signedIn.get(SiteURL.mediationAgreementVersion(id: ":id").route, use: version)
    }

    struct VersionDTO: Content {
        var version: Int?
        var ended: Bool
    }

    /// What the mediation page asks every few seconds during the session, so each party sees a
    /// new version as soon as the mediator saves it.
    @Sendable func version(req: Request) async throws -> VersionDTO {
        let entry = try await MediationAccess.entry(req)
        return VersionDTO(version: entry.loaded.agreement?.version, ended: entry.loaded.mediation.ending != nil)
    }

    @Sendable func saveAgreement(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        guard entry.viewer == .mediator else { throw AppError(status: .forbidden, key: "mediation.error.mediator_only") }
        let form = try req.content.decode(AgreementTerms.Form.self)
        switch AgreementTerms.check(form, partyCount: entry.loaded.parties.count, today: req.mediations.today) {
        case .failure(let problems):
            let page = try await MediationPage.make(req, entry, termsForm: form, errors: problems.fields)
            return try await req.page("mediation/show", page, title: "mediation.show.title", status: .unprocessableEntity)
        case .success(let terms):
            try await req.mediations.saveAgreement(entry.loaded, terms: terms)
            return redirect(req, entry, to: "agreement")
        }
    }

    struct SignForm: Content { var sha256: String?; var code: String?; var drawing: String? }

    @Sendable func sign(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        guard case .party = entry.viewer, let party = entry.loaded.party(spokenForBy: try req.requireAccount().requireID()) else {
            throw AppError(status: .forbidden, key: "mediation.error.parties_only")
        }
        let form = try req.content.decode(SignForm.self)
        do {
            try await req.mediations.sign(entry.loaded, party: party, shownSHA256: form.sha256, code: form.code, drawing: form.drawing)
        } catch let error as AppError where error.status == .unprocessableEntity {
            // A wrong code or a bad drawing: the page again, the error beside its field.
            let field = error.key.hasPrefix("notarization.drawing") ? "drawing" : "code"
            let page = try await MediationPage.make(req, entry, errors: [field: error.key])
            return try await req.page("mediation/show", page, title: "mediation.show.title", status: .unprocessableEntity)
        }
        return redirect(req, entry, to: "agreement")
    }

    @Sendable func confirm(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        guard entry.viewer == .judge else { throw AppError(status: .forbidden, key: "mediation.error.judge_only") }
        try await req.mediations.confirm(entry.loaded)
        return redirect(req, entry, to: "agreement")
    }

    struct ReasonForm: Content { var reason: String? }

    @Sendable func refuse(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        guard entry.viewer == .judge else { throw AppError(status: .forbidden, key: "mediation.error.judge_only") }
        try await req.mediations.refuse(entry.loaded, reason: try req.content.decode(ReasonForm.self).reason)
        return redirect(req, entry, to: "agreement")
    }

    @Sendable func closeDeclined(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        guard entry.viewer == .judge else { throw AppError(status: .forbidden, key: "mediation.error.judge_only") }
        try await req.mediations.closeDeclined(entry.loaded)
        return redirect(req, entry, to: "closure")
    }

    /// The sealed ruling, for everyone with standing in the mediation (not only the filer, whose
    /// case holds it as its result).
    @Sendable func ruling(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        guard let ruling = entry.loaded.ruling, let document = try await CaseDocument.find(ruling.$document.id, on: req.db) else {
            throw AppError.notFound
        }
        if entry.viewer.isOfficial {
            try await req.audited { _, trail in
                try await trail.record("mediation.ruling_viewed", "mediation", entry.loaded.id.uuidString.lowercased(), ["number": ruling.number])
            }
        }
        return try await DocumentUpload.send(document, for: req)
    }

    @Sendable func reportUnpaid(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        let account = try req.requireAccount().requireID()
        // The enforcement application is made in the reporter's own name: the party, not an agent.
        guard case .party = entry.viewer, let party = entry.loaded.party(spokenForBy: account), party.$account.id == account,
              let position = req.parameters.get("position", as: Int.self) else { throw AppError.notFound }
        let enforcement = try await req.mediations.reportUnpaid(entry.loaded, position: position, party: party)
        return req.redirect(to: SiteURL.caseDetail(id: try enforcement.requireID().uuidString).path, redirectType: .normal)
    }

    private func redirect(_ req: Request, _ entry: MediationAccess.Entry, to anchor: String) -> Response {
        req.redirect(to: SiteURL.mediation(id: entry.loaded.id.uuidString.lowercased()).path + "#" + anchor, redirectType: .normal)
    }
}
