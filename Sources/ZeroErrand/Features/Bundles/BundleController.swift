import Fluent
import Vapor
import ZeroErrandCore

/// One request across several offices (一件事): the public page of a bundle with the form that
/// starts it, and the citizen's page of their request (parts, one upload per document, submitting,
/// one timeline). Each part's own page is the ordinary case page; offices see only their part.
struct BundleController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.bundle(code: ":code").route, use: show)
        let own = routes.grouped(Require(.manageOwnAccount))
        own.post(SiteURL.bundle(code: ":code").route, use: start)
        own.get(SiteURL.bundleRequest(id: ":id").route, use: request)
        own.on(.PUT, SiteURL.bundleRequestMaterial(id: ":id", slot: ":slot").route, body: .stream, use: upload)
        own.post(SiteURL.bundleRequestSubmit(id: ":id").route, use: submit)
    }

    // MARK: The bundle and its form

    private func definition(_ req: Request) async throws -> (BundleCatalogue.Definition, [Matter]) {
        guard let definition = req.dependencies.bundles.definition(req.parameters.get("code")) else { throw AppError.notFound }
        let codes = definition.parts.map(\.matterCode)
        let found = try await Matter.query(on: req.db).filter(\.$code ~~ codes).with(\.$department).all()
        let matters = codes.compactMap { code in found.first { $0.code == code } }
        guard matters.count == codes.count else { throw AppError.notFound }
        return (definition, matters)
    }

    /// The questions of every part, each asked once.
    private func questions(_ matters: [Matter]) -> [MaterialCondition] {
        var seen: [MaterialCondition] = []
        for question in matters.flatMap({ MaterialPlan.questions($0.materials.map(\.requirement)) }) where !seen.contains(question) {
            seen.append(question)
        }
        return seen
    }

    private func startPage(_ req: Request, _ definition: BundleCatalogue.Definition, _ matters: [Matter], details: String = "",
                           answers: Set<MaterialCondition> = [], chosen: String? = nil,
                           errors: [String: String] = [:]) async throws -> BundleStartPage {
        // Anyone signed in is judged (staff are told only citizens apply); the form is for citizens.
        var refusal = req.currentAccount != nil ? try req.bundles.startRefusal(matters) : nil
        let signedIn = req.currentAccount?.kind == .citizen
        let proxy = BundleService.throughRelative(matters)
        let mandates = signedIn && !proxy.isEmpty ? try await req.bundles.usableMandates(matters) : []
        let partNumbers = proxy.map { String($0 + 1) }.joined(separator: req.locale == .zhHans ? "、" : ", ")
        if signedIn, refusal == nil, !proxy.isEmpty, mandates.isEmpty {
            // The parts done at home need a relative holding a power of attorney for all of them.
            let names = proxy.map { matters[$0].name(req.locale) }.joined(separator: req.locale == .zhHans ? "、" : "; ")
            refusal = (AppError(status: .forbidden, key: "bundle.needs_mandate", arguments: ["matters": names]),
                       SiteURL.mandateNew.path + "?matter=" + proxy.map { matters[$0].code }.joined(separator: ",").queryEncoded,
                       "apply.next.mandate")
        }
        let parts = zip(definition.parts, matters).enumerated().map { index, pair in
            let (part, matter) = pair
            return BundleStartPage.PartLine(number: index + 1, matter: matter.name(req.locale), matterPath: SiteURL.matter(code: matter.code).path,
                                            office: matter.department.name(req.locale), limit: req.t("matter.time_limit", ["count": String(matter.timeLimitDays)]),
                                            takes: part.fromParts.sorted { $0.value < $1.value }.map { name, from in
                                                let material = matter.materials.first { $0.nameZh == name }
                                                return req.t("bundle.takes_from", ["material": material?.name(req.locale) ?? name, "number": String(from + 1)])
                                            })
        }
        return BundleStartPage(code: definition.code, name: definition.name(req.locale), description: definition.description(req.locale),
                               rule: req.t("bundle.rule.\(definition.rule.rawValue)"),
                               relativeNote: proxy.isEmpty ? "" : req.t("bundle.relative_note", ["parts": partNumbers]), parts: parts,
                               action: SiteURL.bundle(code: definition.code).path,
                               refusal: refusal.map { req.t($0.error.key, $0.error.arguments) }, nextStepPath: refusal?.nextStep,
                               nextStepText: refusal?.nextStepKey.map { req.t($0) }, signedIn: signedIn, anonymous: req.currentAccount == nil, signInPath: SiteURL.signIn.path,
                               mandates: mandates.map { Choice(value: $0.id!.uuidString, label: req.t("apply.for.own_mandate", ["name": $0.proxyName]),
                                                              selected: chosen == $0.id!.uuidString) },
                               mandateHint: proxy.isEmpty ? "" : req.t("bundle.mandate_hint", ["parts": partNumbers]),
                               questions: questions(matters).map {
                                   ConditionQuestion(name: $0.rawValue, text: req.t("material_condition.\($0.rawValue).question"),
                                                     checked: answers.contains($0))
                               },
                               details: details, errors: errors)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (definition, matters) = try await definition(req)
        return try await PageRenderer.render("bundles/show", try await startPage(req, definition, matters), title: definition.name(req.locale), for: req)
    }

    struct StartForm: Content {
        var details: String?
        var conditions: [String]?
        /// The power of attorney for the parts done through a relative.
        var mandate: String?
    }

    @Sendable func start(req: Request) async throws -> Response {
        let (definition, matters) = try await definition(req)
        let form = try req.content.decode(StartForm.self)
        let details = (form.details ?? "").formText
        let answers = Set((form.conditions ?? []).compactMap(MaterialCondition.init(rawValue:))).intersection(questions(matters))
        let title = definition.name(req.locale)
        let page = try await startPage(req, definition, matters, details: details, answers: answers, chosen: form.mandate)
        if page.refusal != nil { return try await PageRenderer.render("bundles/show", page, title: title, for: req, status: .forbidden) }
        var errors: [String: String] = [:]
        if details.isEmpty || details.exceeds(4000) { errors["details"] = req.t("apply.details_required") }
        let mandateID = form.mandate.nonEmpty.flatMap(UUID.init(uuidString:))
        let needsMandate = !BundleService.throughRelative(matters).isEmpty
        if needsMandate, !page.mandates.contains(where: { $0.value == mandateID?.uuidString }) { errors["mandate"] = req.t("apply.mandate_required") }
        guard errors.isEmpty else {
            let again = try await startPage(req, definition, matters, details: details, answers: answers, chosen: form.mandate, errors: errors)
            return try await PageRenderer.render("bundles/show", again, title: title, for: req, status: .unprocessableEntity)
        }
        let bundle = try await req.bundles.start(definition, matters: matters, details: details, answers: answers,
                                                 mandateID: needsMandate ? mandateID : nil)
        return req.redirect(to: .bundleRequest(id: try bundle.requireID().uuidString))
    }

    // MARK: The citizen's request

    /// The request named by `:id`, if it is the signed-in citizen's; anyone else gets the 404 of a
    /// request that does not exist.
    private func ownBundle(_ req: Request) async throws -> (CaseBundle, BundleCatalogue.Definition, [Case]) {
        guard let id = req.parameters.get("id", as: UUID.self), let bundle = try await CaseBundle.find(id, on: req.db),
              RecordAccess.isBundleApplicant(try req.requireAccount().actor, applicant: bundle.$applicant.id),
              let definition = req.dependencies.bundles.definition(bundle.code) else { throw AppError.notFound }
        return (bundle, definition, try await req.bundles.parts(of: bundle))
    }

    @Sendable func request(req: Request) async throws -> Response {
        let (bundle, definition, parts) = try await ownBundle(req)
        let page = try await BundleRequestPresenter(request: req, bundle: bundle, definition: definition, parts: parts)
            .page(submitted: req.query[String.self, at: "submitted"].flatMap(Int.init).flatMap { (0...parts.count).contains($0) ? $0 : nil })
        return try await PageRenderer.render("bundles/request", page, title: definition.name(req.locale), for: req)
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let (_, definition, parts) = try await ownBundle(req)
        let slots = BundleService.slots(definition, parts: parts)
        guard let slot = req.parameters.get("slot", as: Int.self), slots.indices.contains(slot) else { throw AppError.notFound }
        let count = try await req.bundles.upload(into: parts, slot: slots[slot])
        return try await UploadedToParts(parts: count).encodeResponse(status: .created, for: req)
    }

    struct UploadedToParts: Content {
        /// How many parts received their copy.
        let parts: Int
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let (bundle, _, parts) = try await ownBundle(req)
        let submitted = try await req.bundles.submitReady(parts)
        // Back to the page (a reload must not submit again); each part there says what it still needs.
        return req.redirect(to: SiteURL.bundleRequest(id: try bundle.requireID().uuidString).path + "?submitted=\(submitted)",
                            redirectType: .normal)
    }
}
