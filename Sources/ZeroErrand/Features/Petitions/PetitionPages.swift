import Fluent
import Vapor
import ZeroErrandCore

/// The petition form, named or anonymous.
struct PetitionFormPage: Encodable {
    let action: String
    let anonymous: Bool
    let matter: String
    let kinds: [Choice]
    let routes: [Choice]
    let offices: [Choice]
    let title: String
    let facts: String
    let request: String
    let mayContact: Bool
    let errors: [String: String]
    let errorList: [FieldErrorLine]
    /// The lawful route's catalogue matter, when the answer says the matter belongs there.
    let routeLink: LinkLine?
    let evidenceLimit: Int
    let uploadLimitMB: Int
    let reportPath: String
    let nonce: String
    let titleLimit: Int
    let factsLimit: Int
    let requestLimit: Int

    static func make(_ req: Request, form: PetitionForm, anonymous: Bool, errors: [String: String], route: Petition.Route?) async throws -> PetitionFormPage {
        let locale = req.locale
        let offices = try await Department.query(on: req.db).all().sorted { $0.name(locale).localizedStandardCompare($1.name(locale)) == .orderedAscending }
        let kind = form.kind ?? form.matter.flatMap(DedicatedForm.petitionKind(matterCode:))?.rawValue
        var routeLink: LinkLine?
        if let route, let code = PetitionForm.routeMatters[route],
           let matter = try await Matter.query(on: req.db).filter(\.$code == code).first() {
            routeLink = LinkLine(path: SiteURL.matter(code: code).path, label: matter.name(locale))
        }
        // Keys from the form's checks; texts already translated (refusals the server gave later) pass through.
        let translated = errors.mapValues { $0.hasPrefix("petition.error.") ? req.t($0, ["max": String(PetitionService.evidenceLimit)]) : $0 }
        return PetitionFormPage(
            action: anonymous ? SiteURL.petitionReport.path : SiteURL.petitions.path, anonymous: anonymous, matter: form.matter ?? "",
            kinds: PetitionKind.allCases.map { Choice(value: $0.rawValue, label: req.t("petition.kind.\($0.rawValue)"), selected: $0.rawValue == kind) },
            routes: (["none"] + Petition.Route.allCases.filter { $0 != .other }.map(\.rawValue)).map {
                Choice(value: $0, label: req.t("petition.other_route.\($0)"), selected: $0 == form.otherRoute)
            },
            offices: offices.map { Choice(value: $0.id!.uuidString, label: $0.name(locale), selected: $0.id?.uuidString == form.concerned) },
            title: form.title ?? "", facts: form.facts ?? "", request: form.request ?? "", mayContact: form.mayContact == "on",
            errors: translated, errorList: FieldErrorLine.list(translated, order: ["kind", "otherRoute", "title", "facts", "request", "concerned", "evidence", "submit"]),
            routeLink: routeLink, evidenceLimit: PetitionService.evidenceLimit, uploadLimitMB: req.dependencies.config.uploadLimit / 1024 / 1024,
            reportPath: SiteURL.petitionReport.path, nonce: form.nonce ?? "", titleLimit: PetitionForm.titleLimit, factsLimit: PetitionForm.factsLimit,
            requestLimit: PetitionForm.requestLimit)
    }
}

struct PetitionListPage: Encodable {
    struct Item: Encodable {
        let path: String
        let number: String
        let title: String
        let stage: String
        let received: String
    }

    let items: [Item]
    let newPath: String
    let lookupPath: String
}

struct PetitionReceiptPage: Encodable {
    let number: String
    /// Nil when the same form came again: the code was shown the first time only.
    let code: String?
    let lookupPath: String
}

/// One petition's page; `result` as on the lookup page, so both render `petitions/record`.
struct PetitionShowPage: Encodable {
    let result: PetitionPage
    /// Why the step just tried was refused, shown above the page instead of an error page.
    var error: String? = nil

    /// The petition's page again, saying why a step was refused (a not-found stays a 404).
    static func refusing(_ req: Request, _ entry: PetitionAccess.Entry, _ step: () async throws -> Response) async throws -> Response {
        do {
            return try await step()
        } catch let error as AppError where error.status != .notFound {
            guard let fresh = try await Petition.find(entry.id, on: req.db) else { throw error }
            let page = PetitionShowPage(result: try await PetitionPage.make(req, fresh, viewer: entry.viewer), error: req.t(error.key, error.arguments))
            return try await req.page("petitions/show", page, title: "petition.show.title", status: error.status)
        }
    }
}

struct PetitionLookupPage: Encodable {
    let action: String
    let code: String
    let error: String?
    let result: PetitionPage?
}

/// The office's list: what it holds (by due day), and for a letters-and-visits office what it
/// registered and others hold, overdue first.
struct OfficePetitionsPage: Encodable {
    struct Row: Encodable {
        let path: String
        let number: String
        let title: String
        let stage: String
        let holder: String
        let due: String
        let overdue: Bool
    }

    let held: [Row]
    let registered: [Row]
    let isRegistrar: Bool
    let overdueOnly: Bool
    let statisticsPath: String
}
