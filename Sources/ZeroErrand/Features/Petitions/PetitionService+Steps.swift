import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// The offices' steps (accept, transfer, decline, extend, answer) and the petitioner's (rate, ask
/// for review). One path for all of them: `take`.
extension PetitionService {
    static let opinionLimit = 5000

    func accept(_ entry: PetitionAccess.Entry) async throws {
        try await take(entry, .accept, by: try officeActor(entry), event: .accepted, mail: "accepted")
    }

    func transfer(_ entry: PetitionAccess.Entry, to office: UUID?, reason: String) async throws {
        guard let office, try await Department.find(office, on: request.db) != nil else {
            throw AppError(status: .unprocessableEntity, key: "petition.error.choose_office")
        }
        // A complaint or report is never passed to the office it is about.
        if entry.petition.kind == .complaint, office == entry.petition.$concerned.id {
            throw AppError(status: .conflict, key: "petition.error.transfer_to_accused")
        }
        // Nor back to an office that already passed it on: no petition bounces between two desks.
        if try await PetitionEvent.query(on: request.db).filter(\.$petition.$id == entry.id).filter(\.$kind == .transferred)
            .filter(\.$department.$id == office).count() > 0 {
            throw AppError(status: .conflict, key: "petition.error.transfer_back")
        }
        try await take(entry, .transfer(to: office, reason: reason), by: try officeActor(entry), event: .transferred, note: reason, to: office,
                       mail: "transferred")
    }

    func decline(_ entry: PetitionAccess.Entry, route: Petition.Route?, reason: String) async throws {
        guard let route else { throw AppError(status: .unprocessableEntity, key: "petition.error.choose_route") }
        try await take(entry, .decline(reason: reason), by: try officeActor(entry), event: .declined, note: reason, mail: "declined") { petition, _, _ in
            petition.declineRoute = route
            return nil
        }
    }

    func extend(_ entry: PetitionAccess.Entry, days: Int?, reason: String) async throws {
        guard let days else {
            throw AppError(status: .unprocessableEntity, key: "petition.refusal.extension_too_long", arguments: ["max": String(limits.extensionMax)])
        }
        try await take(entry, .extend(days: days, reason: reason), by: try officeActor(entry), event: .extended, note: reason, mail: "extended")
    }

    /// The written opinion of the current level, printed to a PDF kept with the petition.
    func answer(_ entry: PetitionAccess.Entry, opinion raw: String) async throws {
        let actor = try officeActor(entry)
        let opinion = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !opinion.isEmpty else { throw AppError(status: .unprocessableEntity, key: "petition.error.opinion_missing") }
        guard opinion.count <= Self.opinionLimit else { throw AppError(status: .unprocessableEntity, key: "petition.error.opinion_too_long") }
        let petition = entry.petition
        guard [.handling, .reviewing, .reReviewing].contains(petition.stage) else {
            throw AppError(status: .conflict, key: "petition.refusal.wrong_stage")
        }
        guard let office = try await Department.find(petition.$holder.id, on: request.db) else { throw AppError.notFound }
        let level = petition.stage.level
        let petitionerName = try await petition.$petitioner.get(on: request.db)?.displayName
        let nextDays = petition.$petitioner.id == nil || level == 2 ? nil : (level == 0 ? limits.requestReview : limits.requestReReview)
        let pdf = try PetitionOpinionPrint.render(.init(number: petition.number, level: level, officeChinese: office.nameZh, officeEnglish: office.nameEn,
                                                        petitioner: petitionerName, title: petition.title, opinion: opinion, issuedOn: today,
                                                        nextLevelDays: nextDays), creationDate: request.now)
        let blob = try await request.dependencies.documents.storeBytes(pdf)
        let now = request.now, today = today, limits = limits, calendar = calendar
        do {
            try await take(entry, .answer, by: actor, event: .answered, note: opinion, mail: "answered_\(level)") { [blob] petition, before, db in
                let document = PetitionDocument()
                document.$petition.id = try petition.requireID()
                document.purpose = .opinion
                document.level = level
                document.originalName = "\(petition.number)-\(["opinion", "review", "re-review"][level]).pdf"
                document.kind = .pdf
                document.size = blob.size
                document.sha256 = blob.sha256
                document.storageName = blob.storageName
                document.wrappedKey = blob.wrappedKey
                document.createdAt = now
                try await document.create(on: db)
                if level == 0 {
                    // The first opinion is what the public statistics count: by whom, and on time or not.
                    petition.$answeredBy.id = petition.$holder.id
                    let clock = PetitionClock.current(before, limits: limits, calendar: calendar)
                    petition.answeredOnTime = clock.map { !$0.isOverdue(today: today) } ?? true
                }
                return document.id
            }
        } catch {
            request.dependencies.documents.remove(storageName: blob.storageName)
            throw error
        }
    }

    func rate(_ entry: PetitionAccess.Entry, _ satisfaction: PetitionSatisfaction?) async throws {
        guard let satisfaction else { throw AppError(status: .unprocessableEntity, key: "petition.error.choose_rating") }
        try await take(entry, .rate(satisfaction), by: .petitioner, event: .rated, note: satisfaction.rawValue) { petition, _, _ in
            petition.satisfaction = satisfaction
            return nil
        }
    }

    /// The office above the one whose opinion is contested reviews it: its parent office, else the
    /// city's people's government. Never the office itself: with none above it on the platform,
    /// the petitioner is told where to turn instead.
    func requestReview(_ entry: PetitionAccess.Entry, reason raw: String) async throws {
        let reason = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw AppError(status: .unprocessableEntity, key: "petition.refusal.missing_reason") }
        guard reason.count <= PetitionRules.reasonLimit else { throw AppError(status: .unprocessableEntity, key: "petition.refusal.reason_too_long") }
        let holder = try await Department.find(entry.petition.$holder.id, on: request.db)
        let government = try await Department.query(on: request.db).filter(\.$code == Self.governmentCode).first()?.id
        let above = holder?.$parent.id ?? government ?? entry.petition.$holder.id
        // Where a review may be asked at all (the rules say so below), the office above must be another office.
        if [.answered, .reviewed].contains(entry.petition.stage), entry.viewer == .petitioner, above == entry.petition.$holder.id {
            throw AppError(status: .conflict, key: "petition.refusal.no_office_above")
        }
        try await take(entry, .requestReview(by: above), by: .petitioner, event: .reviewRequested, note: reason, to: above)
    }

    // MARK: One path for every step

    /// The office the signed-in official acts for; only clerks and supervisors take steps.
    private func officeActor(_ entry: PetitionAccess.Entry) throws -> PetitionActor {
        let account = try request.requireAccount()
        guard entry.viewer == .holder, let office = account.$department.id else { throw AppError(status: .forbidden, key: "petition.error.holder_only") }
        guard account.roles.contains(where: { $0 == .clerk || $0 == .supervisor }) else { throw AppError(status: .forbidden, key: "petition.error.clerk_only") }
        return .office(office)
    }

    /// Re-reads the petition, applies the rule, writes the result, its history line, its audit
    /// event and the petitioner's mail, all in one transaction. `extra` (given the facts before the
    /// step) may change the row further and name a document for the history line.
    @discardableResult
    private func take(_ entry: PetitionAccess.Entry, _ action: PetitionAction, by actor: PetitionActor, event: PetitionEvent.Kind,
                      note: String = "", to: UUID? = nil, mail: String? = nil,
                      extra: @escaping @Sendable (Petition, PetitionFacts, any Database) async throws -> UUID? = { _, _, _ in nil }) async throws -> Petition {
        if case .petitioner = actor, entry.viewer != .petitioner { throw AppError(status: .forbidden, key: "petition.refusal.not_petitioner") }
        let petitionID = entry.id
        let now = request.now, today = today, limits = limits, calendar = calendar
        let accountID = try request.requireAccount().requireID()
        let outbox = request.application.outbox, config = request.dependencies.config
        return try await request.audited { db, audit in
            guard let petition = try await Petition.find(petitionID, on: db) else { throw AppError.notFound }
            let level = petition.stage.level, before = petition.state
            switch PetitionRules.apply(action, to: petition.state, by: actor, today: today, limits: limits, calendar: calendar) {
            case .failure(let refusal):
                throw AppError(status: refusal == .notHolder || refusal == .notPetitioner ? .forbidden : .conflict,
                               key: "petition.refusal.\(refusal.rawValue)", arguments: ["max": String(limits.extensionMax)])
            case .success(let next):
                petition.state = next
            }
            let documentID = try await extra(petition, before, db)
            petition.dueOn = PetitionClock.current(petition.state, limits: limits, calendar: calendar)
                .flatMap { $0.party == .office ? $0.dueDay.description : nil }
            petition.updatedAt = now
            try await petition.update(on: db)
            let office: UUID? = if case .office(let id) = actor { id } else { nil }
            try await PetitionEvent(petitionID: petitionID, at: now, kind: event, department: office, actor: accountID, to: to,
                                    level: event == .reviewRequested ? petition.stage.level : level, note: note, documentID: documentID)
                .create(on: db)
            try await audit.record("petition.\(event.rawValue)", "petition", petitionID.uuidString.lowercased(),
                                   ["number": petition.number, "stage": petition.stage.rawValue])
            if let mail, let petitioner = try await petition.$petitioner.get(on: db) {
                // Where it went now, and by when the office must act, in the petitioner's language.
                let office = try await Department.find(petition.$holder.id, on: db)?.name(petitioner.appLocale) ?? ""
                try await outbox.enqueue(to: petitioner, subjectKey: "mail.petition.\(mail).subject", bodyKey: "mail.petition.\(mail).body",
                                         arguments: ["number": petition.number, "note": note, "office": office, "due": petition.dueOn ?? "",
                                                     "link": SiteURL.petition(id: petitionID.uuidString.lowercased()).absolute(config)],
                                         on: db)
            }
            return petition
        }
    }
}
