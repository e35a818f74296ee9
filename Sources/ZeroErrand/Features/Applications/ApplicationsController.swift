import Fluent
import Vapor
import ZeroErrandCore

/// The citizen's side: apply for a matter, supply materials, submit, follow the case, talk to the
/// office, download the result, rate the service.
struct ApplicationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let own = routes.grouped(Require(.manageOwnAccount))
        own.get(SiteURL.myCases.route, use: list)
        own.get(SiteURL.apply(code: ":code").route, use: applyForm)
        own.post(SiteURL.apply(code: ":code").route, use: apply)
        own.get(SiteURL.caseDetail(id: ":id").route, use: show)
        own.post(SiteURL.caseAction(id: ":id", action: ":action").route, use: act)
        own.on(.PUT, SiteURL.caseDocuments(id: ":id").route, body: .stream, use: upload)
        own.get(SiteURL.caseDocument(id: ":id", document: ":document").route, use: download)
        own.post(SiteURL.caseMessages(id: ":id").route, use: message)
        own.post(SiteURL.caseRating(id: ":id").route, use: rate)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        let cases = try await Case.query(on: req.db).filter(\.$applicant.$id == account.requireID())
            .withCatalogueMatter(req.catalogue).sort(\.$createdAt, .descending).limit(200).all()
        let rows = cases.map { record in
            CaseRow(path: SiteURL.caseDetail(id: record.id!.uuidString).path, number: record.number, matter: record.matter.name(req.locale),
                    status: req.t("case_status.\(record.status.rawValue)"), statusCode: record.status.rawValue,
                    updated: req.showTime(record.updatedAt), due: record.dueOn, overdue: false, assignee: nil)
        }
        let bundles = try await CaseBundle.query(on: req.db).filter(\.$applicant.$id == account.requireID())
            .sort(\.$createdAt, .descending).limit(50).all()
        let bundleLinks = bundles.compactMap { bundle in
            req.dependencies.bundles.definition(bundle.code).map {
                BundleLink(name: $0.name(req.locale), path: SiteURL.bundleRequest(id: bundle.id!.uuidString).path,
                           description: req.t("bundle.started_on", ["time": req.showTime(bundle.createdAt)]))
            }
        }
        return try await req.page("cases/mine", MyCasesPage(own: rows, forOthers: try await casesHandledForOthers(req), bundles: bundleLinks),
                                  title: "cases.mine.title")
    }

    /// Cases a relative works under a power of attorney in force today: their list would otherwise
    /// say "nothing yet" while they handle someone's application.
    private func casesHandledForOthers(_ req: Request) async throws -> [ProxyCaseRow] {
        let actor = try req.requireAccount().actor
        let today = CivilDay(req.now, in: Mandate.zone)
        let mandates = try await Mandate.query(on: req.db).filter(\.$proxyAccount.$id == actor.accountID).filter(\.$status == .accepted).all()
        guard !mandates.isEmpty else { return [] }
        let cases = try await Case.query(on: req.db).filter(\.$mandate.$id ~~ mandates.compactMap(\.id))
            .withCatalogueMatter(req.catalogue).with(\.$applicant).with(\.$mandate).sort(\.$updatedAt, .descending).limit(200).all()
        return cases.filter { record in
            record.mandate.map { RecordAccess.proxyRefusal(actor, $0.proxyFacts, for: record.accessFacts, action: .view,
                                                          matterCode: record.matter.code, caseID: record.id, today: today) == nil } ?? false
        }.map { record in
            ProxyCaseRow(path: SiteURL.caseDetail(id: record.id!.uuidString).path, number: record.number, matter: record.matter.name(req.locale),
                         principal: record.applicant.displayName, status: req.t("case_status.\(record.status.rawValue)"),
                         statusCode: record.status.rawValue, updated: req.showTime(record.updatedAt))
        }
    }

    // MARK: Applying

    @Sendable func applyForm(req: Request) async throws -> Response {
        let matter = try await CatalogueController.find(req)
        // A mediation names every party, a petition may be anonymous: each has a form of its own.
        if let path = DedicatedForm.path(for: matter) { return req.redirect(to: path, redirectType: .normal) }
        let applicant = try await applicant(req, for: matter)
        return try await req.page("cases/apply", try applyPage(req, matter, applicant: applicant,
                                                               mandates: try await req.usableMandates(for: matter, applicant: applicant.desk)),
                                  title: "apply.title")
    }

    struct DeskQuery: Content { var permission: UUID? }

    /// Whom an application is for: the signed-in citizen, or, at a service point's desk, the visitor
    /// whose permission in force the form names (`?permission=`).
    private func applicant(_ req: Request, for matter: Matter) async throws -> (account: Account, desk: Account?, formAction: String) {
        let account = try req.requireAccount()
        let action = SiteURL.apply(code: matter.code).path
        guard account.kind == .assistant else { return (account, nil, action) }
        let id = (try? req.query.decode(DeskQuery.self))?.permission
        let permission = try await req.pointDesk.permissionInForce(id, matter: matter.code)
        return (permission.visitor, permission.visitor, action + "?permission=" + permission.id!.uuidString)
    }

    /// `mandates`: from `usableMandates`, read once per request.
    private func applyPage(_ req: Request, _ matter: Matter, applicant: (account: Account, desk: Account?, formAction: String),
                           mandates: (own: [Mandate], held: [Mandate]), details: String = "",
                           chosen: String? = nil, answers: Set<MaterialCondition> = [], errors: [String: String] = [:]) throws -> ApplyPage {
        let (own, held) = mandates
        // Applying for oneself (possibly through one's own mandate) needs one's own identity level;
        // a relative applying in someone's name stands on the signed mandate instead.
        let ownRefusal = req.cases.applyRefusal(for: applicant.account, to: matter, throughMandate: !own.isEmpty)
        let refusal = held.isEmpty ? ownRefusal : nil
        var choices: [Choice] = []
        let selfApplies = ApplicationStart(matter.channels).citizenApplies
        // At a desk the assistant reads the choices about the visitor, not about themselves.
        let visitor = applicant.desk?.displayName
        let forSelf = visitor.map { req.t("desk.apply.for_visitor", ["name": $0]) } ?? req.t("apply.for.myself")
        let forSelfWith = { (proxy: String) in
            visitor.map { req.t("desk.apply.for_visitor_mandate", ["name": $0, "proxy": proxy]) } ?? req.t("apply.for.own_mandate", ["name": proxy])
        }
        if selfApplies && ownRefusal == nil { choices.append(Choice(value: "", label: forSelf, selected: chosen.nonEmpty == nil)) }
        if ownRefusal == nil { choices += own.map { Choice(value: $0.id!.uuidString, label: forSelfWith($0.proxyName),
                                    selected: chosen == $0.id!.uuidString) } }
        choices += held.map { Choice(value: $0.id!.uuidString, label: req.t("apply.for.held_mandate", ["name": $0.principal.displayName]),
                                     selected: chosen == $0.id!.uuidString) }
        return ApplyPage(matterName: matter.name(req.locale), matterPath: SiteURL.matter(code: matter.code).path,
                         action: applicant.formAction,
                         forVisitor: applicant.desk.map { req.t("desk.apply.for", ["name": $0.displayName]) },
                         materials: matter.materials.map { req.materialView($0) },
                         refusal: refusal.map { req.t($0.error.key, $0.error.arguments) }, nextStepPath: refusal?.nextStep,
                         nextStepText: refusal?.nextStepKey.map { req.t($0) }, mandates: choices.count > 1 || !selfApplies ? choices : [],
                         questions: MaterialPlan.questions(matter.materials.map(\.requirement)).map {
                             ConditionQuestion(name: $0.rawValue, text: req.t("material_condition.\($0.rawValue).question"),
                                               checked: answers.contains($0))
                         },
                         details: details, errors: errors)
    }

    struct ApplyForm: Content {
        var details: String?
        /// A power of attorney to apply through (see `usableMandates`); empty for oneself.
        var mandate: String?
        /// The conditions the applicant says hold (`MaterialCondition` raw values), from the form's questions.
        var conditions: [String]?

        /// Only the questions this matter asks; anything else is ignored.
        func answers(for matter: Matter) -> Set<MaterialCondition> {
            let asked = Set(MaterialPlan.questions(matter.materials.map(\.requirement)))
            return Set((conditions ?? []).compactMap(MaterialCondition.init(rawValue:))).intersection(asked)
        }
    }

    @Sendable func apply(req: Request) async throws -> Response {
        let matter = try await CatalogueController.find(req)
        if let path = DedicatedForm.path(for: matter) { return req.redirect(to: path, redirectType: .normal) }
        let applying = try await applicant(req, for: matter)
        let account = applying.account
        let form = try req.content.decode(ApplyForm.self)
        let details = (form.details ?? "").formText
        let answers = form.answers(for: matter)
        let mandates = try await req.usableMandates(for: matter, applicant: applying.desk)
        let (own, held) = mandates
        let page = try applyPage(req, matter, applicant: applying, mandates: mandates, details: details, chosen: form.mandate, answers: answers)
        if page.refusal != nil { return try await req.page("cases/apply", page, title: "apply.title", status: .forbidden) }
        var applicant = account
        var mandateID: UUID?
        let forSelfAllowed = req.cases.applyRefusal(for: account, to: matter, throughMandate: !own.isEmpty) == nil
        if let chosen = form.mandate.nonEmpty.flatMap(UUID.init(uuidString:)) {
            if let mandate = held.first(where: { $0.id == chosen }) {
                applicant = mandate.principal
                mandateID = chosen
            } else if forSelfAllowed, own.contains(where: { $0.id == chosen }) {
                mandateID = chosen
            }
        }
        var errors: [String: String] = [:]
        if details.isEmpty || details.exceeds(4000) { errors["details"] = req.t("apply.details_required") }
        if (form.mandate.nonEmpty != nil && mandateID == nil) || ((!ApplicationStart(matter.channels).citizenApplies || !forSelfAllowed) && mandateID == nil) {
            errors["mandate"] = req.t("apply.mandate_required")
        }
        guard errors.isEmpty else {
            return try await req.page("cases/apply", try applyPage(req, matter, applicant: applying, mandates: mandates, details: details,
                                                                   chosen: form.mandate, answers: answers, errors: errors),
                                      title: "apply.title", status: .unprocessableEntity)
        }
        let record = try await req.cases.createDraft(matter: matter, applicant: applicant, details: details, mandateID: mandateID,
                                                     conditions: MaterialCondition.allCases.filter(answers.contains))
        return req.redirect(to: .caseDetail(id: record.id!.uuidString))
    }

    // MARK: Following a case

    @Sendable func show(req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantSideCase(req, for: .view)
        let page = try await CasePresenter(request: req, record: record, role: .applicant).page()
        // Opening the case reads the office's messages (shown as new this once). Writes only when
        // something was unread: a page view should not take SQLite's single write lock for nothing.
        // A relative reading them leaves them new for the applicant.
        if page.messages.contains(where: \.unread), record.$applicant.id == req.currentAccount?.id {
            try await CaseMessage.query(on: req.db).filter(\.$caseRecord.$id == record.requireID()).filter(\.$fromOffice == true)
                .filter(\.$readAt == nil).set(\.$readAt, to: req.now).update()
        }
        if page.viewerHasUnreadNotifications {
            try await AccountNotification.query(on: req.db).filter(\.$caseRecord.$id == (try record.requireID()))
                .filter(\.$account.$id == (try req.requireAccount().requireID())).filter(\.$readAt == nil)
                .set(\.$readAt, to: req.now).update()
        }
        return try await PageRenderer.render("cases/show", page, title: record.number, for: req)
    }

    @Sendable func act(req: Request) async throws -> Response {
        if try req.requireAccount().kind == .assistant { return try await actAtDesk(req) }
        let record = try await CaseAccess.applicantSideCase(req, for: .submit)
        return try await req.onCasePage(record, role: .applicant, field: "action") {
            try await req.cases.performApplicantAction(req.parameters.get("action") ?? "", on: record)
            return req.redirect(to: .caseDetail(id: record.id!.uuidString))
        }
    }

    struct DeskActionForm: Content { var visitorCode: String? }

    /// At a service point's desk the visitor submits (or withdraws) on the assistant's screen with
    /// their own second factor: the act is then the visitor's, recorded as theirs, and where it was
    /// done and who assisted is recorded beside it.
    private func actAtDesk(_ req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantSideCase(req, for: .view)
        return try await req.onCasePage(record, role: .applicant, field: "action") {
            let name = req.parameters.get("action") ?? ""
            let code = try req.content.decode(DeskActionForm.self).visitorCode
            let visitorID = record.$applicant.id
            let assistant = try req.requireAccount()
            let point = try await req.pointDesk.point()
            let details = ["action": name, "point": point.code, "assistant": try assistant.requireID().uuidString.lowercased()]
            let caseID = try record.requireID().uuidString.lowercased()
            // Wrong codes at a desk count for that desk and visitor: they never lock the visitor out
            // of their own sign-in, and each shows in the visitor's access log.
            let deskKey = ThrottleKey("desk-code", point.code + "|" + visitorID.uuidString, secrets: req.dependencies.secrets)
            switch try await req.accounts.withSecondFactor(code, for: visitorID, failureAction: "case.visitor_code_failed", actingAs: visitorID,
                                                           throttleKey: deskKey, failureObject: ("case", caseID),
                                                           then: { _, audit, _ in try await audit.record("case.confirmed_at_point", "case", caseID, details) }) {
            case .accepted:
                // From here the request acts as the visitor, who has just proved to be present.
                req.currentAccount = try await Account.find(visitorID, on: req.db)
                do {
                    try await req.cases.performApplicantAction(name, on: record)
                } catch {
                    // The page that says why is the assistant's again.
                    req.currentAccount = assistant
                    throw error
                }
                return req.redirect(to: .caseDetail(id: record.id!.uuidString))
            case .rejected: throw AppError(status: .unprocessableEntity, key: "desk.case.visitor_code_wrong")
            case .blocked(let error): throw error
            }
        }
    }

    struct UploadQuery: Content {
        var purpose: String?
        var material: Int?
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantSideCase(req, for: .upload)
        let query = try req.query.decode(UploadQuery.self)
        let document = try await req.cases.receiveApplicantDocument(on: record, purpose: query.purpose, material: query.material)
        return try await DocumentDTO(document).encodeResponse(status: .created, for: req)
    }

    @Sendable func download(req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantSideCase(req, for: .view)
        return try await DocumentUpload.send(try await DocumentUpload.find(req, on: record), for: req)
    }

    // MARK: Talking to the office, rating

    struct MessageForm: Content { var body: String? }

    @Sendable func message(req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantSideCase(req, for: .message)
        return try await req.onCasePage(record, role: .applicant, field: "body") {
            try await CaseConversation.post(req, on: record, fromOffice: false, body: try req.content.decode(MessageForm.self).body)
            return req.redirect(to: SiteURL.caseDetail(id: record.id!.uuidString).path + "#messages", redirectType: .normal)
        }
    }

    struct RatingForm: Content {
        var score: Int?
        var comment: String?
    }

    @Sendable func rate(req: Request) async throws -> Response {
        let record = try await CaseAccess.applicantCase(req)
        return try await req.onCasePage(record, role: .applicant, field: "score") { try await saveRating(req, record) }
    }

    private func saveRating(_ req: Request, _ record: Case) async throws -> Response {
        let form = try req.content.decode(RatingForm.self)
        guard record.status == .closed else { throw AppError(status: .conflict, key: "rating.not_closed") }
        guard let score = form.score, (1...5).contains(score) else { throw AppError(status: .unprocessableEntity, key: "rating.score_invalid") }
        let comment = (form.comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard comment.count <= 1000 else { throw AppError(status: .unprocessableEntity, key: "rating.comment_too_long") }
        let caseID = try record.requireID()
        let now = req.now
        try await req.audited { db, audit in
            guard try await CaseRating.query(on: db).filter(\.$caseRecord.$id == caseID).first() == nil else {
                throw AppError(status: .conflict, key: "rating.already")
            }
            let rating = CaseRating()
            rating.$caseRecord.id = caseID
            rating.score = score
            rating.comment = comment
            rating.createdAt = now
            try await rating.create(on: db)
            try await audit.record("case.rated", "case", caseID.uuidString.lowercased(), ["score": String(score)])
        }
        return req.redirect(to: .caseDetail(id: caseID.uuidString))
    }
}
