import Fluent
import Vapor
import ZeroErrandCore

/// The citizen's powers of attorney and the relative's side of them: write, sign, accept or
/// decline, revoke, the signed document and the pass for the counter.
struct MandatesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let own = routes.grouped(Require(.manageOwnAccount))
        own.get(SiteURL.mandates.route, use: list)
        own.get(SiteURL.mandateNew.route, use: newForm)
        own.post(SiteURL.mandates.route, use: create)
        own.get(SiteURL.mandate(id: ":id").route, use: show)
        own.post(SiteURL.mandateSign(id: ":id").route, use: sign)
        own.post(SiteURL.mandateAccept(id: ":id").route, use: accept)
        own.post(SiteURL.mandateDecline(id: ":id").route, use: decline)
        own.post(SiteURL.mandateRevoke(id: ":id").route, use: revoke)
        own.get(SiteURL.mandateDocument(id: ":id").route, use: document)
        own.get(SiteURL.mandatePass(id: ":id").route, use: pass)
        own.get(SiteURL.mandatePassCard(id: ":id").route, use: passCard)
        own.post(SiteURL.caseMandate(id: ":id").route, use: nameOnCase)
    }

    // MARK: Lists

    @Sendable func list(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        let accountID = try account.requireID()
        let given = try await Mandate.query(on: req.db).filter(\.$principal.$id == accountID).sort(\.$createdAt, .descending).limit(100).all()
        var received: [Mandate] = []
        if account.emailConfirmedAt != nil, let email = EmailAddress.normalize(account.email) {
            received = try await Mandate.query(on: req.db).group(.or) {
                $0.filter(\.$proxyAccount.$id == accountID)
                $0.group(.and) { $0.filter(\.$proxyEmail == email).filter(\.$status == .invited) }
            }.with(\.$principal).sort(\.$createdAt, .descending).limit(100).all()
        }
        let forOthers = try await casesForOthers(req, holder: accountID)
        let page = MandateListPage(given: try given.map { try row(req, $0, name: $0.proxyName) },
                                   received: try received.map { try row(req, $0, name: $0.principal.displayName) },
                                   forOthers: forOthers, newPath: SiteURL.mandateNew.path)
        return try await req.page("mandates/list", page, title: "mandate.list.title")
    }

    /// Cases the signed-in relative may open today under the mandates they hold.
    static func casesForOthersQuery(_ req: Request, holder: UUID) async throws -> [Case] {
        let held = try await Mandate.query(on: req.db).filter(\.$proxyAccount.$id == holder).filter(\.$status == .accepted).all()
        let today = CivilDay(req.now, in: Mandate.zone)
        let active = held.filter { MandateRules.validity($0.facts, today: today) == nil }.compactMap(\.id)
        guard !active.isEmpty else { return [] }
        let actor = try req.requireAccount().actor
        let cases = try await Case.query(on: req.db).filter(\.$mandate.$id ~~ active).withCatalogueMatter(req.catalogue).with(\.$mandate)
            .sort(\.$updatedAt, .descending).limit(200).all()
        return cases.filter { record in
            guard let mandate = record.mandate else { return false }
            return RecordAccess.proxyRefusal(actor, mandate.proxyFacts, for: record.accessFacts, action: .view,
                                             matterCode: record.matter.code, caseID: record.id, today: today) == nil
        }
    }

    private func casesForOthers(_ req: Request, holder: UUID) async throws -> [CaseRow] {
        try await Self.casesForOthersQuery(req, holder: holder).map { record in
            CaseRow(path: SiteURL.caseDetail(id: record.id!.uuidString).path, number: record.number, matter: record.matter.name(req.locale),
                    status: req.t("case_status.\(record.status.rawValue)"), statusCode: record.status.rawValue,
                    updated: req.showTime(record.updatedAt), due: record.dueOn, overdue: false, assignee: nil)
        }
    }

    private func row(_ req: Request, _ mandate: Mandate, name: String) throws -> MandateRow {
        MandateRow(path: SiteURL.mandate(id: mandate.id!.uuidString.lowercased()).path, name: name,
                   relationship: req.t("relationship.\(mandate.relationship.rawValue)"),
                   scope: mandate.$scopeCase.id != nil ? req.t("mandate.scope.one_case") : mandate.scopeMatters.joined(separator: ", "),
                   validity: req.t("mandate.validity", ["from": mandate.validFrom, "until": mandate.validUntil]),
                   status: statusText(req, mandate), statusCode: effectiveStatus(req, mandate))
    }

    /// "accepted" reads "expired" or "not yet valid" outside its dates.
    private func effectiveStatus(_ req: Request, _ mandate: Mandate) -> String {
        guard mandate.status == .accepted, let problem = MandateRules.validity(mandate.facts, today: CivilDay(req.now, in: Mandate.zone))
        else { return mandate.status.rawValue }
        return problem.rawValue
    }

    private func statusText(_ req: Request, _ mandate: Mandate) -> String {
        req.t("mandate.status.\(effectiveStatus(req, mandate))")
    }

    // MARK: Writing

    @Sendable func newForm(req: Request) async throws -> Response {
        let matter = try? req.query.get(String.self, at: "matter")
        let caseID = try? req.query.get(String.self, at: "case")
        let today = CivilDay(req.now, in: Mandate.zone)
        var values = MandateFormValues()
        values.validFrom = today.description
        values.validUntil = today.adding(days: 90).description
        // `matter` may name several, comma-separated (the parts of a bundle done through a relative).
        let checked = Set((matter ?? "").split(separator: ",").map(String.init))
        return try await formPage(req, values: values, checked: checked, caseID: caseID, errors: [:])
    }

    private func formPage(_ req: Request, values: MandateFormValues, checked: Set<String>, caseID: String?,
                          errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let account = try req.requireAccount()
        guard account.kind == .citizen else { throw AppError(status: .forbidden, key: "mandate.error.citizens_only") }
        let matters = try await Matter.query(on: req.db).with(\.$department).sort(\.$code).all().filter { $0.channels.contains(.proxy) }
        var groups: [MatterGroup] = []
        for (_, inOffice) in Dictionary(grouping: matters, by: \.$department.id).sorted(by: { $0.value[0].department.code < $1.value[0].department.code }) {
            let choices = inOffice.map { MatterChoice(code: $0.code, name: $0.name(req.locale), checked: checked.contains($0.code)) }
            groups.append(MatterGroup(office: inOffice[0].department.name(req.locale), matters: choices, open: choices.contains(where: \.checked)))
        }
        let cases = try await Case.query(on: req.db).filter(\.$applicant.$id == account.requireID()).withCatalogueMatter(req.catalogue)
            .sort(\.$createdAt, .descending).limit(100).all().filter { $0.matter.channels.contains(.proxy) && !$0.status.isTerminal }
        let page = MandateFormPage(
            action: SiteURL.mandates.path,
            matterGroups: groups,
            cases: cases.map { Choice(value: $0.id!.uuidString, label: "\($0.number) · \($0.matter.name(req.locale))",
                                      selected: $0.id?.uuidString == caseID?.uppercased()) },
            relationships: Relationship.allCases.map { Choice(value: $0.rawValue, label: req.t("relationship.\($0.rawValue)"),
                                                             selected: $0.rawValue == values.relationship) },
            scopeIsCase: caseID != nil, form: values, errors: errors,
            errorList: Self.formOrder.compactMap { field in errors[field].map { FormErrorLink(field: field == "matters" ? "matters-label" : field, message: $0) } })
        return try await req.page("mandates/new", page, title: "mandate.new.title", status: status)
    }

    /// The form's fields top to bottom, for the error summary.
    private static let formOrder = ["principalIDNumber", "proxyName", "proxyIDNumber", "relationship", "proxyEmail", "proxyPhone",
                                    "matters", "caseID", "validFrom", "validUntil"]

    @Sendable func create(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard account.kind == .citizen else { throw AppError(status: .forbidden, key: "mandate.error.citizens_only") }
        let form = try req.content.decode(MandateForm.self)
        do {
            let mandate = try await req.mandates.create(from: form, by: account)
            return req.redirect(to: .mandate(id: mandate.id!.uuidString.lowercased()))
        } catch let error as FormErrors {
            let values = MandateFormValues(principalIDNumber: String((form.principalIDNumber ?? "").prefix(18)),
                                           proxyIDNumber: String((form.proxyIDNumber ?? "").prefix(18)),
                                           relationship: form.relationship ?? "", proxyName: form.proxyName ?? "", proxyEmail: form.proxyEmail ?? "", proxyPhone: form.proxyPhone ?? "",
                                           validFrom: form.validFrom ?? "", validUntil: form.validUntil ?? "",
                                           mayCollect: form.mayCollect ?? false, maySign: form.maySign ?? false, mayPay: form.mayPay ?? false)
            return try await formPage(req, values: values, checked: Set(form.matters ?? []),
                                      caseID: form.scope == "case" ? form.caseID : nil, errors: error.fields, status: .unprocessableEntity)
        }
    }

    // MARK: One mandate

    @Sendable func show(req: Request) async throws -> Response {
        let (mandate, viewer) = try await MandateAccess.find(req, allowing: [.principal, .invitee, .holder, .office])
        return try await showPage(req, mandate, viewer)
    }

    private func showPage(_ req: Request, _ mandate: Mandate, _ viewer: RecordAccess.MandateViewer, errors: [String: String] = [:],
                          status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = mandate.id!.uuidString.lowercased()
        let effective = effectiveStatus(req, mandate)
        var scope = mandate.scopeMatters
        if let caseID = mandate.$scopeCase.id, let record = try await Case.query(on: req.db).filter(\.$id == caseID).withCatalogueMatter(req.catalogue).first() {
            scope = ["\(record.number) · \(record.matter.name(req.locale))"]
        } else {
            let matters = try await Matter.query(on: req.db).filter(\.$code ~~ mandate.scopeMatters).sort(\.$code).all()
            scope = matters.map { "\($0.code) · \($0.name(req.locale))" }
        }
        let account = try req.requireAccount()
        // The full number only for the office, which has a case under the mandate and matches the
        // person at the counter; everyone else sees it masked (the principal reads it once in full,
        // in the exact terms she signs).
        // The invitee proves who they are by typing the number: not even the masked one before that.
        let proxyID = viewer == .office ? try req.dependencies.secrets.openText(mandate.proxyIDNumberSealed)
            : (viewer == .invitee ? "" : mandate.proxyIDMasked)
        if viewer == .office {
            try await req.audited { _, audit in try await audit.record("mandate.viewed", "mandate", id) }
        }
        let next = try await nextStep(req, mandate, viewer, effective: effective)
        let page = MandatePage(
            id: id, viewer: String(describing: viewer),
            // The invitee reads that the answer is theirs, not that "the relative" is awaited.
            status: req.t(viewer == .invitee && effective == "invited" ? "mandate.status.invited_you" : "mandate.status.\(effective)"),
            statusCode: effective,
            statusNote: mandate.revokedAt.map { req.t("mandate.revoked_at", ["when": req.showTime($0)]) },
            principal: mandate.principal.displayName, proxyName: mandate.proxyName, proxyID: proxyID,
            relationship: req.t("mandate.relationship_of", ["relationship": req.t("relationship.\(mandate.relationship.rawValue)"),
                                                            "principal": mandate.principal.displayName]), scope: scope,
            validity: req.t("mandate.validity", ["from": mandate.validFrom, "until": mandate.validUntil]),
            limits: limitTexts(req, mandate),
            terms: viewer == .principal && mandate.status == .draft ? try req.mandates.terms(of: mandate) : nil,
            termsSHA256: mandate.termsSHA256,
            signedAt: mandate.signedAt.map { req.showTime($0) },
            signPath: viewer == .principal && mandate.status == .draft ? SiteURL.mandateSign(id: id).path : nil,
            acceptPath: viewer == .invitee ? SiteURL.mandateAccept(id: id).path : nil,
            declinePath: viewer == .invitee ? SiteURL.mandateDecline(id: id).path : nil,
            revokePath: viewer == .principal && [.draft, .invited, .accepted].contains(mandate.status) ? SiteURL.mandateRevoke(id: id).path : nil,
            documentPath: mandate.status != .draft ? SiteURL.mandateDocument(id: id).path : nil,
            needsTwoFactor: viewer == .principal && mandate.status == .draft && account.totpSecret == nil,
            zoneNote: req.t("mandate.dates_zone"), nextStep: next.text, nextLinks: next.links, errors: errors)
        return try await PageRenderer.render("mandates/show", page, title: req.t("mandate.title"), for: req, status: status)
    }

    /// The step after this one, said to whoever is looking: the principal after signing learns who
    /// was asked and how; the relative after accepting learns what they may now do.
    private func nextStep(_ req: Request, _ mandate: Mandate, _ viewer: RecordAccess.MandateViewer,
                          effective: String) async throws -> (text: String?, links: [Choice]) {
        let applyLinks = { (key: String) async throws -> [Choice] in
            if let caseID = mandate.$scopeCase.id {
                return [Choice(value: SiteURL.caseDetail(id: caseID.uuidString).path, label: req.t("mandate.next.open_case"), selected: false)]
            }
            let matters = try await Matter.query(on: req.db).filter(\.$code ~~ mandate.scopeMatters).sort(\.$code).limit(4).all()
            // A mediation is not applied for again: the agent is named on the mediation itself.
            var links = matters.filter { $0.code != MediationCourts.mediationMatter }
                .map { Choice(value: SiteURL.apply(code: $0.code).path, label: req.t(key, ["matter": $0.name(req.locale)]), selected: false) }
            if mandate.scopeMatters.contains(MediationCourts.mediationMatter) {
                let named = try await MediationParty.query(on: req.db).filter(\.$mandate.$id == mandate.requireID()).limit(4).all()
                // Until the principal names them on a mediation, the holder has nowhere to go yet.
                let principal = key == "mandate.next.apply_naming"
                links += named.isEmpty ? (principal ? [Choice(value: SiteURL.mediations.path, label: req.t("mandate.next.mediations"), selected: false)] : [])
                    : named.map { Choice(value: SiteURL.mediation(id: $0.$mediation.id.uuidString.lowercased()).path,
                                         label: req.t("mandate.next.mediation", ["party": $0.name]), selected: false) }
            }
            return links
        }
        let arguments = ["name": mandate.proxyName, "email": mandate.proxyEmail, "principal": mandate.principal.displayName]
        switch (viewer, effective) {
        case (.principal, "invited"): return (req.t("mandate.next.principal_invited", arguments), [])
        case (.principal, "accepted"): return (req.t("mandate.next.principal_accepted", arguments), try await applyLinks("mandate.next.apply_naming"))
        case (.holder, "accepted"):
            var links = try await applyLinks("mandate.next.apply_for")
            links.append(Choice(value: SiteURL.mandatePass(id: mandate.id!.uuidString.lowercased()).path, label: req.t("pass.title"), selected: false))
            return (req.t("mandate.next.holder_accepted", arguments), links)
        case (.holder, "revoked"), (.holder, "expired"): return (req.t("mandate.next.holder_ended", arguments), [])
        default: return (nil, [])
        }
    }

    private func limitTexts(_ req: Request, _ mandate: Mandate) -> [String] {
        [("collect", mandate.mayCollect), ("sign", mandate.maySign), ("pay", mandate.mayPay)].map { name, granted in
            req.t("mandate.limit.\(name).\(granted ? "yes" : "no")")
        }
    }

    /// Runs a change; a refusal shows the mandate page again with the reason.
    /// `then`: where to go after success; by default the mandate's own page.
    private func onMandatePage(_ req: Request, _ mandate: Mandate, _ viewer: RecordAccess.MandateViewer, field: String,
                               then: SiteURL? = nil, _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return req.redirect(to: then ?? .mandate(id: mandate.id!.uuidString.lowercased()))
        } catch let error as AppError where error.status != .notFound {
            guard let fresh = try await Mandate.query(on: req.db).filter(\.$id == mandate.requireID()).with(\.$principal).first() else { throw error }
            return try await showPage(req, fresh, viewer, errors: [field: req.t(error.key, error.arguments)], status: error.status)
        }
    }

    struct SignForm: Content {
        var sha256: String?
        var code: String?
    }

    @Sendable func sign(req: Request) async throws -> Response {
        let (mandate, viewer) = try await MandateAccess.find(req, allowing: [.principal])
        let form = try req.content.decode(SignForm.self)
        return try await onMandatePage(req, mandate, viewer, field: "code") {
            try await req.mandates.sign(mandate, shownSHA256: form.sha256, code: form.code)
        }
    }

    struct AcceptForm: Content { var idNumber: String? }

    @Sendable func accept(req: Request) async throws -> Response {
        let (mandate, viewer) = try await MandateAccess.find(req, allowing: [.invitee])
        let form = try req.content.decode(AcceptForm.self)
        return try await onMandatePage(req, mandate, viewer, field: "idNumber") {
            try await req.mandates.accept(mandate, idNumber: form.idNumber)
        }
    }

    @Sendable func decline(req: Request) async throws -> Response {
        let (mandate, viewer) = try await MandateAccess.find(req, allowing: [.invitee])
        // Declined, the mandate is no longer theirs to see: back to their list, not to a 404.
        return try await onMandatePage(req, mandate, viewer, field: "decline", then: .mandates) { try await req.mandates.decline(mandate) }
    }

    @Sendable func revoke(req: Request) async throws -> Response {
        let (mandate, viewer) = try await MandateAccess.find(req, allowing: [.principal])
        return try await onMandatePage(req, mandate, viewer, field: "revoke") { try await req.mandates.revoke(mandate) }
    }

    // MARK: Documents

    @Sendable func document(req: Request) async throws -> Response {
        let (mandate, viewer) = try await MandateAccess.find(req, allowing: [.principal, .holder, .office])
        guard mandate.status != .draft, let signatureID = mandate.$signature.id,
              let signature = try await Signature.find(signatureID, on: req.db) else { throw AppError.notFound }
        if viewer == .office {
            try await req.audited { _, audit in try await audit.record("mandate.document_viewed", "mandate", mandate.id!.uuidString.lowercased()) }
        }
        let bytes = try MandatePrints.document(terms: try req.mandates.terms(of: mandate), mandate: mandate, signature: signature,
                                               signer: mandate.principal.displayName, verifyURL: SiteURL.mandate(id: mandate.id!.uuidString.lowercased())
                                                   .absolute(req.dependencies.config))
        return MandatePrints.response(bytes, filename: "mandate-\(mandate.id!.uuidString.lowercased().prefix(8)).pdf")
    }

    @Sendable func pass(req: Request) async throws -> Response {
        let (mandate, _) = try await MandateAccess.find(req, allowing: [.holder])
        guard let code = mandate.passCode else { throw AppError.notFound }
        let id = mandate.id!.uuidString.lowercased()
        let problem = MandateRules.validity(mandate.facts, today: CivilDay(req.now, in: Mandate.zone))
        // Nothing to scan once it no longer holds: the page says why, and that it is not to be used.
        let unusable = problem.map { problem in
            switch problem {
            case .revoked: req.t("pass.unusable.revoked", ["when": mandate.revokedAt.map { req.showTime($0) } ?? ""])
            case .expired: req.t("pass.unusable.expired", ["until": mandate.validUntil])
            case .notYetValid: req.t("pass.unusable.not_yet_valid", ["from": mandate.validFrom])
            default: req.t("pass.unusable.other")
            }
        }
        let page = PassPage(code: code, qrSVG: problem == nil ? try QRImage.svg(passURL(req, code), title: req.t("pass.qr_label")) : "",
                            cardPath: SiteURL.mandatePassCard(id: id).path, mandatePath: SiteURL.mandate(id: id).path,
                            principal: mandate.principal.displayName, proxyName: mandate.proxyName, proxyID: mandate.proxyIDMasked,
                            validity: req.t("mandate.validity", ["from": mandate.validFrom, "until": mandate.validUntil]),
                            status: statusText(req, mandate), valid: problem == nil, unusable: unusable)
        return try await req.page("mandates/pass", page, title: "pass.title")
    }

    @Sendable func passCard(req: Request) async throws -> Response {
        let (mandate, _) = try await MandateAccess.find(req, allowing: [.holder])
        guard let code = mandate.passCode, mandate.status == .accepted else { throw AppError.notFound }
        let bytes = try MandatePrints.passCard(code: code, url: passURL(req, code), mandate: mandate, principal: mandate.principal.displayName,
                                               now: req.now)
        return MandatePrints.response(bytes, filename: "pass-\(code).pdf")
    }

    /// What the QR code holds: the office's check page for this pass (staff only can open it).
    private func passURL(_ req: Request, _ code: String) -> String {
        SiteURL.officePass(code: code).absolute(req.dependencies.config)
    }

    // MARK: Naming a mandate on a case

    struct CaseMandateForm: Content { var mandate: String? }

    /// The principal lets the relative of one of their mandates work this case (or stops it).
    @Sendable func nameOnCase(req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantCase(req)
        // Who acts is settled before the office sees the case: a submitted case keeps its mandate.
        guard record.status == .draft else {
            return try await req.onCasePage(record, role: .applicant, field: "mandate") {
                throw AppError(status: .conflict, key: "case.mandate.fixed_after_submit")
            }
        }
        let form = try req.content.decode(CaseMandateForm.self)
        let caseID = try record.requireID()
        var mandateID: UUID?
        if let raw = form.mandate.nonEmpty {
            guard let id = UUID(uuidString: raw),
                  let mandate = try await Mandate.query(on: req.db).filter(\.$id == id).filter(\.$principal.$id == record.$applicant.id).first(),
                  mandate.mayBeNamed(for: .view, matterCode: record.matter.code, caseID: caseID, today: CivilDay(req.now, in: Mandate.zone))
            else {
                return try await req.onCasePage(record, role: .applicant, field: "mandate") {
                    throw AppError(status: .unprocessableEntity, key: "mandate.error.does_not_cover")
                }
            }
            mandateID = id
        }
        let now = req.now
        let actorID = req.currentAccount?.id
        let chosen = mandateID
        let outbox = req.application.outbox
        let config = req.dependencies.config
        try await req.audited { db, audit in
            guard let fresh = try await Case.query(on: db).filter(\.$id == caseID).with(\.$applicant).first() else { throw AppError.notFound }
            let before = fresh.$mandate.id
            fresh.$mandate.id = chosen
            fresh.updatedAt = now
            try await fresh.update(on: db)
            try await CaseEvent(caseID: caseID, at: now, actorID: actorID, kind: .action,
                                name: chosen == nil ? "mandate_removed" : "mandate_named", statusAfter: nil).create(on: db)
            try await audit.record("case.mandate_named", "case", caseID.uuidString.lowercased(), ["mandate": chosen?.uuidString.lowercased() ?? ""])
            if chosen != nil, chosen != before {
                try await CaseNotifier.notifyProxy(of: fresh, key: "notification.case.named", on: db, outbox: outbox, config: config, now: now)
            }
        }
        return req.redirect(to: .caseDetail(id: caseID.uuidString))
    }
}
