import Fluent
import Vapor
import ZeroErrandCore

/// One petition as the viewer may see it: the petitioner, an anonymous reporter holding the code
/// (no officials' names, no petitioner), or an office that holds, registered or answered it.
struct PetitionPage: Encodable {
    struct Line: Encodable {
        let time: String
        let text: String
        let note: String
        let actor: String?
    }

    struct Paper: Encodable {
        let id: String
        let name: String
        let label: String
        let path: String?
        /// For the reporter: an opinion comes by posting the code back; evidence is only named.
        let downloadable: Bool
    }

    let id: String
    let path: String
    let number: String
    let kind: String
    let title: String
    let facts: String
    let request: String
    let stage: String
    let stageKey: String
    let holder: String
    let registrar: String
    let concerned: String?
    let received: String
    let clock: String?
    let overdue: Bool
    let petitioner: String?
    let mayContact: Bool
    let declineRoute: LinkLine?
    let repeatOf: LinkLine?
    let history: [Line]
    let papers: [Paper]
    let isOffice: Bool
    let isReporter: Bool
    /// The code, posted back by the reporter's download buttons (never in a URL).
    let code: String?
    // What the viewer may do now.
    let canRoute: Bool
    let canExtend: Bool
    let canAnswer: Bool
    let canRate: Bool
    let canAskReview: Bool
    let reviewHeading: String
    let answerHeading: String
    let offices: [Choice]
    let routes: [Choice]
    let ratings: [Choice]
    /// Where the petitioner's page sends more evidence, while an office still works on it.
    let evidencePath: String?
    let uploadLimitMB: Int
    let extensionMax: Int
    let opinionLimit: Int
    let reasonLimit: Int

    static func make(_ req: Request, _ petition: Petition, viewer: RecordAccess.PetitionViewer, code: String? = nil) async throws -> PetitionPage {
        let locale = req.locale
        let petitionID = try petition.requireID()
        let id = petitionID.uuidString.lowercased()
        let service = req.petitions
        let offices = try await Department.query(on: req.db).all().sorted { $0.name(locale).localizedStandardCompare($1.name(locale)) == .orderedAscending }
        let officeName = { (id: UUID?) in id.flatMap { id in offices.first { $0.id == id } }?.name(locale) ?? "" }
        let isOffice = [.holder, .registrar, .earlierAnswerer].contains(viewer)
        let events = try await PetitionEvent.query(on: req.db).filter(\.$petition.$id == petitionID).sort(\.$at).with(\.$actor).all()
        let zone = req.viewerTimeZone
        let history = events.map { event in
            Line(time: req.showTime(event.at, in: zone),
                 text: req.t("petition.event.\(event.kind.rawValue)", ["office": officeName(event.$department.id), "to": officeName(event.$toDepartment.id),
                                                                       "level": req.t("petition.level.\(event.level)")]),
                 note: event.kind == .rated ? req.t("petition.satisfaction.\(event.note)") : event.note,
                 actor: isOffice ? event.actor?.displayName : nil)
        }
        let documents = try await PetitionDocument.query(on: req.db).filter(\.$petition.$id == petitionID).sort(\.$createdAt).all()
        let papers = documents.map { document in
            Paper(id: document.id!.uuidString.lowercased(), name: document.originalName,
                  label: document.purpose == .opinion ? req.t("petition.paper.opinion.\(document.level)") : req.t("petition.paper.evidence"),
                  path: viewer == .reporter ? nil : SiteURL.petitionDocument(id: id, document: document.id!.uuidString.lowercased()).path,
                  downloadable: document.purpose == .opinion)
        }
        let facts = petition.state
        let today = service.today
        let clock = PetitionClock.current(facts, limits: service.limits, calendar: service.calendar)
        let clockText = clock.map { clock -> String in
            let calendar = service.calendar
            let left = today <= clock.dueDay ? calendar.workingDays(after: today, through: clock.dueDay)
                : -max(1, calendar.workingDays(after: clock.dueDay, through: today))
            let key = left < 0 ? "petition.clock.overdue" : "petition.clock.left"
            // Chinese sentences follow each other without a space.
            return req.t("petition.clock.\(clock.purpose.rawValue)", ["due": clock.dueDay.description]) + (locale == .zhHans ? "" : " ")
                + req.t(key, ["count": String(abs(left))])
        }
        let account = req.currentAccount
        let acts = viewer == .holder && (account?.roles.contains(where: { $0 == .clerk || $0 == .supervisor }) ?? false)
        let petitionerAccount = viewer == .reporter ? nil : try await petition.$petitioner.get(on: req.db)
        let reviewWindowOpen = clock.map { $0.party == .petitioner && !$0.isOverdue(today: today) } ?? false
        var declineRoute: LinkLine?
        if let route = petition.declineRoute {
            let code = PetitionForm.routeMatters[route]
            declineRoute = LinkLine(path: code.map { SiteURL.matter(code: $0).path } ?? SiteURL.matters.path, label: req.t("petition.route.\(route.rawValue)"))
        }
        var repeatOf: LinkLine?
        if let earlierID = petition.$repeatOf.id, let earlier = try await Petition.find(earlierID, on: req.db) {
            repeatOf = LinkLine(path: SiteURL.petition(id: earlierID.uuidString.lowercased()).path, label: earlier.number)
        }
        let nextLevel = petition.stage == .answered ? "review" : "re_review"
        return PetitionPage(
            id: id, path: SiteURL.petition(id: id).path, number: petition.number, kind: req.t("petition.kind.\(petition.kind.rawValue)"),
            title: petition.title, facts: petition.facts, request: petition.request,
            stage: req.t("petition.stage.\(petition.stage.rawValue)"), stageKey: petition.stage.rawValue,
            holder: officeName(petition.$holder.id), registrar: officeName(petition.$registrar.id),
            concerned: petition.$concerned.id.map { officeName($0) }, received: petition.receivedOn,
            clock: clockText, overdue: clock.map { $0.party == .office && $0.isOverdue(today: today) } ?? false,
            petitioner: isOffice ? (petitionerAccount.map { "\($0.displayName) · \($0.email)" } ?? req.t("petition.anonymous")) : nil,
            mayContact: petition.mayContact, declineRoute: declineRoute, repeatOf: repeatOf, history: history, papers: papers,
            isOffice: isOffice, isReporter: viewer == .reporter, code: code,
            canRoute: acts && petition.stage == .received,
            canExtend: acts && petition.stage == .handling && petition.extensionDays == 0,
            canAnswer: acts && [.handling, .reviewing, .reReviewing].contains(petition.stage),
            canRate: viewer == .petitioner && [.answered, .reviewed, .closed].contains(petition.stage) && petition.ratedLevel != petition.stage.level,
            canAskReview: viewer == .petitioner && [.answered, .reviewed].contains(petition.stage) && reviewWindowOpen,
            reviewHeading: req.t("petition.ask.\(nextLevel)"), answerHeading: req.t("petition.answer.heading.\(petition.stage.level)"),
            offices: offices.filter { $0.id != petition.$holder.id }.map { Choice(value: $0.id!.uuidString, label: $0.name(locale), selected: false) },
            routes: Petition.Route.allCases.map { Choice(value: $0.rawValue, label: req.t("petition.route.\($0.rawValue)"), selected: false) },
            ratings: PetitionSatisfaction.allCases.map { Choice(value: $0.rawValue, label: req.t("petition.satisfaction.\($0.rawValue)"), selected: false) },
            evidencePath: viewer == .petitioner && PetitionService.evidenceStages.contains(petition.stage)
                ? SiteURL.petitionDocuments(id: id).path : nil,
            uploadLimitMB: req.dependencies.config.uploadLimit / 1024 / 1024,
            extensionMax: service.limits.extensionMax, opinionLimit: PetitionService.opinionLimit, reasonLimit: PetitionRules.reasonLimit)
    }
}
