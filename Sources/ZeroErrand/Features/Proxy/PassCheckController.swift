import Fluent
import Vapor
import ZeroErrandCore

/// The counter: staff type or scan a relative's pass and see, at that moment, whether it holds for
/// this office, for whom and within what; a result waiting here can be handed over from the page.
struct PassCheckController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let office = routes.grouped(Require(.staffWorkspace))
        office.get(SiteURL.officePasses.route, use: form)
        office.get(SiteURL.officePass(code: ":code").route, use: check)
        office.post(SiteURL.officePassCollect(code: ":code", caseID: ":case").route, use: collect)
    }

    /// A typed code (or a scanned pass URL) goes to its check page; anything else is asked again.
    @Sendable func form(req: Request) async throws -> Response {
        let typed = (try? req.query.get(String.self, at: "code")) ?? ""
        if !typed.isEmpty {
            if let code = PassCode.normalize(typed) { return req.redirect(to: .officePass(code: code)) }
            return try await req.page("office/passes", emptyPage(req, typed: typed, error: req.t("pass.error.format")),
                                      title: "pass.check.title", status: .unprocessableEntity)
        }
        return try await req.page("office/passes", emptyPage(req, typed: "", error: nil), title: "pass.check.title")
    }

    private func emptyPage(_ req: Request, typed: String, error: String?) -> PassCheckPage {
        PassCheckPage(typed: typed, found: false, code: "", headline: "", verdict: "", verdictCode: "", valid: false, revokedNote: nil, checkedAt: "",
                      principal: "", proxyName: "", proxyID: "", proxyBirth: "", relationship: "", scope: [], validity: "", limits: [],
                      cases: [], documentPath: nil, errors: error.map { ["code": $0] } ?? [:])
    }

    /// Why the pass does not hold at this office today, or nil when it does.
    /// Scope first: an office with nothing under the mandate learns only that, whatever the pass's
    /// state (a revoked or expired pass must not show its names to any office that asks).
    static func verdict(_ mandate: Mandate, departmentID: UUID, cases: [Case], matters: [Matter], today: CivilDay) -> MandateRefusal? {
        let here = !cases.isEmpty || matters.contains { $0.$department.id == departmentID }
        guard here else { return .outOfScope }
        return MandateRules.validity(mandate.facts, today: today)
    }

    @Sendable func check(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard let departmentID = account.$department.id else { throw AppError.notFound }
        guard let code = req.parameters.get("code").flatMap(PassCode.normalize),
              let mandate = try await Mandate.query(on: req.db).filter(\.$passCode == code).with(\.$principal).first() else {
            return try await req.page("office/passes", emptyPage(req, typed: req.parameters.get("code") ?? "", error: req.t("pass.error.unknown")),
                                      title: "pass.check.title", status: .notFound)
        }
        let mandateID = try mandate.requireID()
        let cases = try await Case.query(on: req.db).filter(\.$mandate.$id == mandateID).filter(\.$department.$id == departmentID)
            .filter(\.$submittedAt != nil).withCatalogueMatter(req.catalogue).sort(\.$createdAt).all()
        var matters = try await Matter.query(on: req.db).filter(\.$code ~~ mandate.scopeMatters).sort(\.$code).all()
        if let scopeCase = mandate.$scopeCase.id, let record = try await Case.query(on: req.db).filter(\.$id == scopeCase).withCatalogueMatter(req.catalogue).first() {
            matters = [record.matter]
        }
        let today = CivilDay(req.now, in: Mandate.zone)
        let verdict = Self.verdict(mandate, departmentID: departmentID, cases: cases, matters: matters, today: today)
        if verdict == .outOfScope {
            // An office with nothing to do under the mandate learns only that: no names, no scope.
            return try await req.page("office/passes", emptyPage(req, typed: code, error: req.t("pass.verdict.out_of_scope")),
                                      title: "pass.check.title", status: .forbidden)
        }
        // The counter page refreshes itself: one entry per official and pass every ten minutes is the record.
        let checkedRecently = try await AuditEvent.query(on: req.db).filter(\.$objectType == "mandate")
            .filter(\.$objectID == mandateID.uuidString.lowercased()).filter(\.$action == "mandate.pass_checked")
            .filter(\.$actor == req.auditContext.actor).filter(\.$occurredAt > req.now.addingTimeInterval(-CaseAccess.viewedAgainAfter)).first() != nil
        if !checkedRecently {
            try await req.audited { _, audit in
                try await audit.record("mandate.pass_checked", "mandate", mandateID.uuidString.lowercased(), ["verdict": verdict?.rawValue ?? "valid"])
            }
        }
        // The full ID number (and the birth date and sex it encodes) only where this office works a
        // case under the mandate; otherwise the masked number: its hidden digits are the birth
        // date, so showing that beside it would give the whole number away.
        let proxyNumber = try req.dependencies.secrets.openText(mandate.proxyIDNumberSealed)
        let parsed = try? ResidentIDNumber(proxyNumber, notAfter: req.now)
        let mayCollect = verdict == nil && mandate.mayCollect
        let page = PassCheckPage(
            typed: code, found: true, code: code,
            headline: req.t(verdict == nil ? "pass.headline.valid" : "pass.headline.refused"),
            verdict: req.t("pass.verdict.\(verdict?.rawValue ?? "valid")"), verdictCode: verdict?.rawValue ?? "valid", valid: verdict == nil,
            revokedNote: mandate.revokedAt.map { req.t("mandate.revoked_at", ["when": req.showTime($0)]) },
            // Both times on the page in the official's own zone, named.
            checkedAt: req.showTime(req.now),
            principal: mandate.principal.displayName, proxyName: mandate.proxyName,
            proxyID: cases.isEmpty ? mandate.proxyIDMasked : proxyNumber,
            proxyBirth: cases.isEmpty ? "" : parsed.map { String(format: "%04d-%02d-%02d", $0.birthDate.year, $0.birthDate.month, $0.birthDate.day)
                + " · " + req.t($0.isMale ? "pass.sex.male" : "pass.sex.female") } ?? "",
            relationship: req.t("relationship.\(mandate.relationship.rawValue)"),
            scope: matters.map { "\($0.code) · \($0.name(req.locale))" + ($0.$department.id == departmentID ? "" : " (" + req.t("pass.other_office") + ")") },
            validity: req.t("mandate.validity", ["from": mandate.validFrom, "until": mandate.validUntil]),
            limits: [("collect", mandate.mayCollect), ("sign", mandate.maySign), ("pay", mandate.mayPay)].map {
                req.t("mandate.limit.\($0.0).\($0.1 ? "yes" : "no")")
            },
            cases: cases.map { record in
                PassCheckPage.CaseLine(number: record.number, matter: record.matter.name(req.locale),
                                       status: req.t("case_status.\(record.status.rawValue)"),
                                       path: SiteURL.officeCase(id: record.id!.uuidString).path,
                                       collectPath: mayCollect && record.status == .resultIssued
                                           ? SiteURL.officePassCollect(code: code, caseID: record.id!.uuidString).path : nil)
            },
            documentPath: cases.isEmpty ? nil : SiteURL.mandateDocument(id: mandateID.uuidString.lowercased()).path,
            errors: [:])
        return try await req.page("office/passes", page, title: "pass.check.title")
    }

    /// Hands a waiting result to the relative: checked again now (the citizen may have revoked the
    /// mandate since the page was opened), then the case closes with who took it.
    @Sendable func collect(req: Request) async throws -> Response {
        let account = try req.requireAccount()
        guard let departmentID = account.$department.id,
              let code = req.parameters.get("code").flatMap(PassCode.normalize),
              let caseID = req.parameters.get("case", as: UUID.self),
              let mandate = try await Mandate.query(on: req.db).filter(\.$passCode == code).first(),
              let record = try await Case.query(on: req.db).filter(\.$id == caseID).filter(\.$department.$id == departmentID)
                .filter(\.$mandate.$id == mandate.requireID()).filter(\.$submittedAt != nil).withCatalogueMatter(req.catalogue).first()
        else { throw AppError.notFound }
        if let problem = MandateRules.refusal(mandate.facts, action: .collect, matterCode: record.matter.code, caseID: caseID,
                                              today: CivilDay(req.now, in: Mandate.zone)) {
            throw AppError(status: .forbidden, key: "pass.verdict.\(problem.rawValue)")
        }
        let collector = req.t("pass.collected_by", ["name": mandate.proxyName, "id": mandate.proxyIDMasked,
                                                    "relationship": req.t("relationship.\(mandate.relationship.rawValue)")])
        try await req.cases.perform(.recordCollection(collector: collector), on: caseID, as: .office)
        return req.redirect(to: .officePass(code: code))
    }
}
