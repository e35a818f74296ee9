import Fluent
import Vapor
import ZeroErrandCore

/// The mediation's pages and forms: the request, the papers each party and official sees, the
/// clerk's acceptance, a party's refusal to mediate, and notes. Every route with an identifier
/// goes through `MediationAccess` (the one record-level policy).
struct MediationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(Require(.manageOwnAccount))
        signedIn.get(SiteURL.mediations.route, use: list)
        signedIn.get(SiteURL.mediationNew.route, use: newForm)
        signedIn.post(SiteURL.mediations.route, use: file)
        signedIn.get(SiteURL.mediation(id: ":id").route, use: show)
        signedIn.post(SiteURL.mediationAcceptance(id: ":id").route, use: accept)
        signedIn.post(SiteURL.mediationDecline(id: ":id").route, use: decline)
        signedIn.post(SiteURL.mediationNotes(id: ":id").route, use: addNote)
        signedIn.post(SiteURL.mediationSession(id: ":id").route, use: fixSession)
        signedIn.post(SiteURL.mediationCaucus(id: ":id").route, use: caucus)
    }

    // MARK: Filing

    @Sendable func list(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        let accountID = try account.requireID()
        var rows = try await MediationParty.query(on: req.db).filter(\.$account.$id == accountID).with(\.$mediation).limit(200).all()
        // And those where the account is a party's agent under an accepted power of attorney.
        let mandates = try await Mandate.query(on: req.db).filter(\.$proxyAccount.$id == accountID).filter(\.$status == .accepted).all().compactMap(\.id)
        if !mandates.isEmpty {
            rows += try await MediationParty.query(on: req.db).filter(\.$mandate.$id ~~ mandates).with(\.$mediation).limit(200).all()
        }
        let items = rows.sorted { $0.mediation.createdAt > $1.mediation.createdAt }.map { party in
            MediationListPage.Item(path: SiteURL.mediation(id: party.$mediation.id.uuidString.lowercased()).path,
                                   claim: party.mediation.claim,
                                   side: party.$account.id == accountID ? req.t("mediation.side.\(party.side.rawValue)")
                                       : req.t("mediation.agent.for", ["party": party.name]),
                                   filed: req.showTime(party.mediation.createdAt))
        }
        return try await req.page("mediation/list", MediationListPage(items: items, newPath: account.kind == .citizen ? SiteURL.mediationNew.path : nil),
                                  title: "mediation.list.title")
    }

    /// Refused before the form is shown when the filer cannot file (the matter's identity level),
    /// so nobody types a whole request only to be told at the end.
    @Sendable func newForm(req: Request) async throws -> Response {
        if let matter = try await Matter.query(on: req.db).filter(\.$code == MediationCourts.mediationMatter).first(),
           let refusal = req.cases.applyRefusal(for: try req.requireAccount(), to: matter) {
            throw refusal.error
        }
        return try await formPage(req, form: MediationFiling.Form(), errors: [:])
    }

    @Sendable func file(req: Request) async throws -> Response {
        let form = try req.content.decode(MediationFiling.Form.self)
        switch MediationFiling.check(form, filer: try req.requireAccount()) {
        case .failure(let problems):
            return try await formPage(req, form: form, errors: problems.fields, status: .unprocessableEntity)
        case .success(let filing):
            let mediation = try await req.mediations.file(filing)
            return req.redirect(to: SiteURL.mediation(id: try mediation.requireID().uuidString.lowercased()).path, redirectType: .normal)
        }
    }

    private func formPage(_ req: Request, form: MediationFiling.Form, errors: [String: String],
                          status: HTTPResponseStatus = .ok) async throws -> Response {
        let account = try req.requireAccount()
        guard account.kind == .citizen else { throw AppError(status: .forbidden, key: "mediation.error.citizens_only") }
        let page = MediationFormPage.make(req, form: form, account: account, errors: errors)
        return try await req.page("mediation/new", page, title: "mediation.new.title", status: status)
    }

    // MARK: One mediation

    @Sendable func show(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req, openingPapers: true)
        if entry.viewer.isOfficial {
            // The parties see in their access log which officials opened their mediation.
            try await req.audited { _, audit in
                try await audit.record("mediation.viewed", "mediation", entry.loaded.id.uuidString.lowercased(), [:])
            }
        }
        let page = try await MediationPage.make(req, entry)
        return try await req.page("mediation/show", page, title: "mediation.show.title")
    }

    /// Text, not UUIDs: an unreadable choice gets the form's own worded error, not a bare 400.
    struct AcceptForm: Content { var mediator: String?; var judge: String? }

    @Sendable func accept(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        guard entry.viewer.isOfficial,
              try req.requireAccount().roles.contains(.clerk) else { throw AppError(status: .forbidden, key: "mediation.error.clerk_only") }
        let form = try req.content.decode(AcceptForm.self)
        try await req.mediations.accept(entry.loaded, mediator: form.mediator.flatMap(UUID.init(uuidString:)),
                                        judge: form.judge.flatMap(UUID.init(uuidString:)))
        return redirect(req, entry)
    }

    struct ReasonForm: Content { var reason: String? }

    @Sendable func decline(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        let accountID = try req.requireAccount().requireID()
        guard case .party = entry.viewer, let party = entry.loaded.party(spokenForBy: accountID) else {
            throw AppError(status: .forbidden, key: "mediation.error.parties_only")
        }
        if let refusal = req.mediations.declineRefusal(entry.loaded, party: party, account: accountID) { throw refusal }
        try await req.mediations.decline(entry.loaded, party: party, reason: try req.content.decode(ReasonForm.self).reason)
        return redirect(req, entry)
    }

    struct NoteForm: Content { var audience: String?; var body: String? }

    @Sendable func addNote(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        let form = try req.content.decode(NoteForm.self)
        try await req.mediations.addNote(entry.loaded, viewer: entry.viewer, audience: form.audience.flatMap(RecordAccess.MediationAudience.init(rawValue:)),
                                         body: form.body)
        return req.redirect(to: SiteURL.mediation(id: entry.loaded.id.uuidString.lowercased()).path + "#notes", redirectType: .normal)
    }

    struct SessionForm: Content { var start: String?; var minutes: String?; var interpreter: String? }

    @Sendable func fixSession(req: Request) async throws -> Response {
        let entry = try await MediationAccess.entry(req)
        guard entry.viewer == .mediator else { throw AppError(status: .forbidden, key: "mediation.error.mediator_only") }
        let form = try req.content.decode(SessionForm.self)
        try await req.mediations.fixSession(entry.loaded, start: form.start.flatMap { Int($0) }.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                                            minutes: form.minutes.flatMap { Int($0) }, interpreterEmail: form.interpreter)
        return req.redirect(to: SiteURL.mediation(id: entry.loaded.id.uuidString.lowercased()).path + "#session", redirectType: .normal)
    }

    struct CaucusForm: Content { var side: String? }
    struct CaucusDTO: Content { var side: String? }

    /// From the room page's buttons (fetched, so the call goes on): a private session with one
    /// side, or everyone back together with an empty side.
    @Sendable func caucus(req: Request) async throws -> CaucusDTO {
        let entry = try await MediationAccess.entry(req)
        guard entry.viewer == .mediator else { throw AppError(status: .forbidden, key: "mediation.error.mediator_only") }
        let raw = try req.content.decode(CaucusForm.self).side ?? ""
        guard raw.isEmpty || MediationSide(rawValue: raw) != nil else { throw AppError.badRequest }
        try await req.mediations.caucus(entry.loaded, with: MediationSide(rawValue: raw))
        return CaucusDTO(side: raw.isEmpty ? nil : raw)
    }

    private func redirect(_ req: Request, _ entry: MediationAccess.Entry) -> Response {
        req.redirect(to: SiteURL.mediation(id: entry.loaded.id.uuidString.lowercased()).path, redirectType: .normal)
    }
}
