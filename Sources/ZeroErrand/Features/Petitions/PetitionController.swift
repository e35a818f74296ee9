import Fluent
import Vapor
import ZeroErrandCore

extension ThrottlePolicy {
    /// Anonymous reports from one client: a few a day is plenty for a person, useless for a flood.
    static let anonymousReport = ThrottlePolicy(freeAttempts: 5, firstDelay: 10 * 60, longestDelay: 24 * 3600, memory: 24 * 3600)
    /// Receipt-code lookups from one client: enough to mistype, far too slow to walk 80-bit codes.
    static let receiptLookup = ThrottlePolicy(freeAttempts: 10, firstDelay: 30, longestDelay: 15 * 60, memory: 3600)
}

/// The citizen's petitions, the anonymous report and its lookup by receipt code. Every route
/// with an identifier goes through `PetitionAccess` (the one record-level policy); the receipt
/// code travels only in POST bodies, never in a URL.
struct PetitionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.petitionReport.route, use: reportForm)
        routes.on(.POST, SiteURL.petitionReport.route, body: .stream, use: report)
        routes.get(SiteURL.petitionLookup.route, use: lookupForm)
        routes.post(SiteURL.petitionLookup.route, use: lookup)
        routes.post(SiteURL.petitionLookupOpinion.route, use: lookupOpinion)
        let signedIn = routes.grouped(Require(.manageOwnAccount))
        signedIn.get(SiteURL.petitions.route, use: list)
        signedIn.get(SiteURL.petitionNew.route, use: newForm)
        signedIn.on(.POST, SiteURL.petitions.route, body: .stream, use: submit)
        signedIn.get(SiteURL.petition(id: ":id").route, use: show)
        signedIn.get(SiteURL.petitionDocument(id: ":id", document: ":document").route, use: document)
        signedIn.on(.PUT, SiteURL.petitionDocuments(id: ":id").route, body: .stream, use: addEvidence)
        signedIn.post(SiteURL.petitionStep(id: ":id", step: "rating").route, use: rate)
        signedIn.post(SiteURL.petitionStep(id: ":id", step: "review").route, use: askReview)
    }

    /// A form with its evidence (every file together within one upload's limit): the declared
    /// size is refused before a byte is read.
    static func formLimit(_ config: AppConfig) -> Int { config.uploadLimit + 64 * 1024 }

    // MARK: Named petitions

    @Sendable func list(req: Request) async throws -> Response {
        let accountID = try req.requireAccount().requireID()
        let rows = try await Petition.query(on: req.db).filter(\.$petitioner.$id == accountID).sort(\.$createdAt, .descending).limit(200).all()
        let items = rows.map {
            PetitionListPage.Item(path: SiteURL.petition(id: $0.id!.uuidString.lowercased()).path, number: $0.number, title: $0.title,
                                  stage: req.t("petition.stage.\($0.stage.rawValue)"), received: $0.receivedOn)
        }
        return try await req.page("petitions/list", PetitionListPage(items: items, newPath: SiteURL.petitionNew.path,
                                                                     lookupPath: SiteURL.petitionLookup.path), title: "petition.list.title")
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let matter = try? req.query.get(String.self, at: "matter")
        // Said before anyone types the whole form: the level of the matter they came from, or
        // the least any kind of petition needs.
        let kind = matter.flatMap(DedicatedForm.petitionKind(matterCode:))
        if let refusal = try await identityRefusal(req, kinds: kind.map { [$0] } ?? PetitionKind.allCases) { throw refusal }
        return try await formPage(req, form: PetitionForm(matter: matter, nonce: Self.newNonce(req)), anonymous: false, errors: [:], route: nil)
    }

    @Sendable func submit(req: Request) async throws -> Response {
        _ = try req.requireAccount()
        return try await receive(req, try await decodeForm(req), anonymous: false)
    }

    /// The catalogue matter whose identity level each kind of named petition needs.
    static let kindMatters: [PetitionKind: String] = [.suggestion: "LV-XF-003", .complaint: "LV-XF-002", .request: "LV-XF-004"]

    /// Why the signed-in person may not submit any of `kinds` by name (nil when one of them is open to them).
    private func identityRefusal(_ req: Request, kinds: [PetitionKind]) async throws -> AppError? {
        let account = try req.requireAccount()
        var first: AppError?
        for kind in kinds {
            guard let code = Self.kindMatters[kind], let matter = try await Matter.query(on: req.db).filter(\.$code == code).first() else { continue }
            guard let refusal = req.cases.applyRefusal(for: account, to: matter) else { return nil }
            first = first ?? refusal.error
        }
        return first
    }

    @Sendable func show(req: Request) async throws -> Response {
        let entry = try await PetitionAccess.entry(req)
        if entry.viewer != .petitioner {
            // The petitioner sees in their access log which offices opened the petition.
            try await req.audited { _, audit in try await audit.record("petition.viewed", "petition", entry.id.uuidString.lowercased(), [:]) }
        }
        let page = try await PetitionPage.make(req, entry.petition, viewer: entry.viewer)
        return try await req.page("petitions/show", PetitionShowPage(result: page), title: "petition.show.title")
    }

    @Sendable func document(req: Request) async throws -> Response {
        let entry = try await PetitionAccess.entry(req)
        guard let id = req.parameters.get("document", as: UUID.self),
              let document = try await PetitionDocument.query(on: req.db).filter(\.$id == id).filter(\.$petition.$id == entry.id).first()
        else { throw AppError.notFound }
        if entry.viewer != .petitioner {
            try await req.audited { _, audit in
                try await audit.record("petition.document_read", "petition", entry.id.uuidString.lowercased(), ["document": id.uuidString.lowercased()])
            }
        }
        return try await DocumentUpload.send(document, for: req)
    }

    struct EvidenceDTO: Content {
        let id: UUID
        let name: String
        let sha256: String
    }

    /// More evidence from the petitioner while an office still works on the petition: the file is
    /// the whole body, as on a case.
    @Sendable func addEvidence(req: Request) async throws -> Response {
        let entry = try await PetitionAccess.entry(req)
        let document = try await req.petitions.addEvidence(entry)
        return try await EvidenceDTO(id: document.requireID(), name: document.originalName, sha256: document.sha256)
            .encodeResponse(status: .created, for: req)
    }

    struct RateForm: Content { var satisfaction: String? }
    struct ReasonForm: Content { var reason: String? }

    @Sendable func rate(req: Request) async throws -> Response {
        let entry = try await PetitionAccess.entry(req)
        let satisfaction = try req.content.decode(RateForm.self).satisfaction.flatMap(PetitionSatisfaction.init(rawValue:))
        return try await PetitionShowPage.refusing(req, entry) {
            try await req.petitions.rate(entry, satisfaction)
            return req.redirect(to: entry.path + "#next", redirectType: .normal)
        }
    }

    @Sendable func askReview(req: Request) async throws -> Response {
        let entry = try await PetitionAccess.entry(req)
        let reason = try req.content.decode(ReasonForm.self).reason ?? ""
        return try await PetitionShowPage.refusing(req, entry) {
            try await req.petitions.requestReview(entry, reason: reason)
            return req.redirect(to: entry.path, redirectType: .normal)
        }
    }

    // MARK: Anonymous reports

    @Sendable func reportForm(req: Request) async throws -> Response {
        try await formPage(req, form: PetitionForm(nonce: Self.newNonce(req)), anonymous: true, errors: [:], route: nil)
    }

    @Sendable func report(req: Request) async throws -> Response {
        try await receive(req, try await decodeForm(req), anonymous: true)
    }

    /// Identifies one filling-in of the form, so a second send of it (a reload, a double click)
    /// finds the petition the first one made instead of making another.
    static func newNonce(_ req: Request) -> String {
        req.dependencies.random.bytes(16).map { String(format: "%02x", $0) }.joined()
    }

    /// Any refusal after the form was read comes back on the form, with what was typed.
    private func receive(_ req: Request, _ form: PetitionForm, anonymous: Bool) async throws -> Response {
        do {
            return try await receiveChecked(req, form, anonymous: anonymous)
        } catch let error as AppError where [.payloadTooLarge, .unsupportedMediaType, .tooManyRequests, .forbidden].contains(error.status) {
            let field = [.payloadTooLarge, .unsupportedMediaType].contains(error.status) ? "evidence" : error.status == .forbidden ? "kind" : "submit"
            var form = form
            form.nonce = Self.newNonce(req)
            let page = try await formPage(req, form: form, anonymous: anonymous, errors: [field: req.t(error.key, error.arguments)], route: nil,
                                          status: error.status)
            if let seconds = error.retryAfter { page.headers.replaceOrAdd(name: .retryAfter, value: String(seconds)) }
            return page
        }
    }

    private func receiveChecked(_ req: Request, _ form: PetitionForm, anonymous: Bool) async throws -> Response {
        if let nonce = form.nonce, !nonce.isEmpty, let earlier = try await req.petitions.submitted(nonce: nonce) {
            return try await alreadyReceived(req, earlier, anonymous: anonymous)
        }
        let offices = Set(try await Department.query(on: req.db).all().compactMap(\.id))
        switch form.check(anonymous: anonymous, offices: offices) {
        case .refused(let problems, let route):
            return try await formPage(req, form: form, anonymous: anonymous, errors: problems, route: route, status: .unprocessableEntity)
        case .accepted(let submission):
            if anonymous {
                let key = ThrottleKey("petition-report", req.throttleClient, secrets: req.dependencies.secrets)
                if let until = try await req.throttles.attempt(key, .anonymousReport) { throw Self.throttled(req, until: until) }
            } else if let refusal = try await identityRefusal(req, kinds: [submission.kind]) {
                throw refusal
            }
            let received = try await req.petitions.submit(submission, petitioner: anonymous ? nil : try req.requireAccount(), nonce: form.nonce)
            guard let code = received.receiptCode else {
                return req.redirect(to: SiteURL.petition(id: received.petition.id!.uuidString.lowercased()).path, redirectType: .normal)
            }
            // Shown once, never stored in clear: the page must not be kept by a cache either.
            let response = try await req.page("petitions/receipt", PetitionReceiptPage(number: received.petition.number, code: code,
                                                                                    lookupPath: SiteURL.petitionLookup.path),
                                              title: "petition.receipt.title", status: .created)
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }
    }

    /// The same form sent again: the petition its first send made. The receipt code is not shown
    /// again (it is not kept); the reporter is told to use the one they were shown.
    private func alreadyReceived(_ req: Request, _ petition: Petition, anonymous: Bool) async throws -> Response {
        guard anonymous else { return req.redirect(to: SiteURL.petition(id: petition.id!.uuidString.lowercased()).path, redirectType: .normal) }
        return try await req.page("petitions/receipt", PetitionReceiptPage(number: petition.number, code: nil, lookupPath: SiteURL.petitionLookup.path),
                                  title: "petition.receipt.title")
    }

    private func formPage(_ req: Request, form: PetitionForm, anonymous: Bool, errors: [String: String], route: Petition.Route?,
                          status: HTTPResponseStatus = .ok) async throws -> Response {
        let page = try await PetitionFormPage.make(req, form: form, anonymous: anonymous, errors: errors, route: route)
        return try await req.page("petitions/new", page, title: anonymous ? "petition.report.title" : "petition.new.title", status: status)
    }

    /// The multipart form with its evidence, collected up to the form limit.
    private func decodeForm(_ req: Request) async throws -> PetitionForm {
        let limit = Self.formLimit(req.dependencies.config)
        let tooLarge = AppError(status: .payloadTooLarge, key: "petition.error.too_large", arguments: ["limit": String(limit / 1024 / 1024)])
        if let declared = req.headers.first(name: .contentLength).flatMap(Int.init), declared > limit { throw tooLarge }
        if req.body.data == nil {
            do { _ = try await req.body.collect(max: limit).get() } catch let error as any AbortError where error.status == .payloadTooLarge { throw tooLarge }
        }
        do { return try req.content.decode(PetitionForm.self) } catch { throw AppError(status: .badRequest, key: "petition.error.form") }
    }

    static func throttled(_ req: Request, until: Date) -> AppError {
        let seconds = max(1, Int(until.timeIntervalSince(req.now).rounded(.up)))
        return AppError(status: .tooManyRequests, key: "petition.error.throttled", arguments: ["count": String((seconds + 59) / 60)],
                        retryAfter: seconds)
    }

    // MARK: Looking a report up by its code

    struct LookupForm: Content { var code: String?; var document: String? }

    @Sendable func lookupForm(req: Request) async throws -> Response {
        try await req.page("petitions/lookup", PetitionLookupPage(action: SiteURL.petitionLookup.path, code: "", error: nil, result: nil),
                           title: "petition.lookup.title")
    }

    @Sendable func lookup(req: Request) async throws -> Response {
        let typed = try req.content.decode(LookupForm.self).code ?? ""
        guard let petition = try await findReport(req, code: typed) else {
            return try await req.page("petitions/lookup", PetitionLookupPage(action: SiteURL.petitionLookup.path, code: "",
                                                                             error: req.t("petition.lookup.not_found"), result: nil),
                                      title: "petition.lookup.title", status: .notFound)
        }
        let code = ReceiptCode.normalized(typed) ?? typed
        let page = try await PetitionPage.make(req, petition, viewer: .reporter, code: code)
        let response = try await req.page("petitions/lookup", PetitionLookupPage(action: SiteURL.petitionLookup.path, code: "", error: nil, result: page),
                                          title: "petition.lookup.title")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// An opinion on an anonymous report, for whoever holds its code.
    @Sendable func lookupOpinion(req: Request) async throws -> Response {
        let form = try req.content.decode(LookupForm.self)
        guard let petition = try await findReport(req, code: form.code ?? ""), let id = form.document.flatMap(UUID.init(uuidString:)),
              let document = try await PetitionDocument.query(on: req.db).filter(\.$id == id).filter(\.$petition.$id == petition.requireID())
                .filter(\.$purpose == .opinion).first() else { throw AppError.notFound }
        return try await DocumentUpload.send(document, for: req)
    }

    /// Counted per client before the code is even looked at; a right code gives its try back, so a
    /// reporter checking often is never slowed, and only wrong guesses add up.
    private func findReport(_ req: Request, code: String) async throws -> Petition? {
        let key = ThrottleKey("petition-lookup", req.throttleClient, secrets: req.dependencies.secrets)
        if let until = try await req.throttles.attempt(key, .receiptLookup) { throw Self.throttled(req, until: until) }
        let found = try await req.petitions.report(code: code)
        if found != nil { try await req.throttles.refund(key) }
        return found
    }
}
