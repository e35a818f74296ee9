import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// Filing, acceptance, electronic service, declining and notes. Every step re-reads the mediation
/// inside its audited transaction and asks `MediationRules`, so two tabs or two officials cannot
/// both take a step the rules allow only once.
struct MediationService {
    let request: Request

    /// Unopened service is reminded after this long, and shown to the clerk as not served.
    static let serviceReminderAfter: TimeInterval = 3 * 24 * 3600

    var today: CivilDay { CivilDay(request.now, in: TimeZone(identifier: "Asia/Shanghai")!) }

    func load(_ id: UUID) async throws -> MediationRecord {
        guard let loaded = try await MediationRecord.load(id, on: request.db, today: today) else { throw AppError.notFound }
        return loaded
    }

    func courtCode(_ loaded: MediationRecord) throws -> CourtCode {
        guard let code = request.dependencies.mediationCourts.code(of: loaded.court) else { throw AppError.notFound }
        return code
    }

    // MARK: Filing

    /// A draft case of the mediation matter with the dispute and its parties, in one transaction;
    /// the filer then adds the papers and submits the case as any application.
    func file(_ form: MediationFiling) async throws -> Mediation {
        let filer = try request.requireAccount()
        guard filer.kind == .citizen else { throw AppError(status: .forbidden, key: "mediation.error.citizens_only") }
        guard let matter = try await Matter.query(on: request.db).filter(\.$code == MediationCourts.mediationMatter).with(\.$department).first(),
              request.dependencies.mediationCourts.code(of: matter.department) != nil else { throw AppError.notFound }
        // The matter's identity level holds for the request as for any application.
        if let refusal = request.cases.applyRefusal(for: filer, to: matter) { throw refusal.error }
        let now = request.now
        let filerID = try filer.requireID()
        let record = try await request.cases.createDraft(matter: matter, applicant: filer, details: form.facts) { db, audit, record in
            let mediation = Mediation()
            mediation.$caseRecord.id = try record.requireID()
            mediation.$court.id = matter.$department.id
            mediation.disputeKind = form.kind
            mediation.amountMinor = form.amountMinor
            mediation.currency = form.currency
            mediation.claim = form.claim
            mediation.createdAt = now
            mediation.updatedAt = now
            try await mediation.create(on: db)
            for (position, party) in form.parties.enumerated() {
                let row = MediationParty()
                row.$mediation.id = try mediation.requireID()
                row.position = position
                row.side = party.side
                row.kind = party.kind
                row.name = party.name
                row.email = party.email
                row.country = party.country
                row.timeZone = party.timeZone
                row.wakingStart = party.waking.startMinute
                row.wakingEnd = party.waking.endMinute
                row.isFiler = position == 0
                if position == 0 {
                    // The filer has the papers: they wrote them.
                    row.$account.id = filerID
                    row.servedAt = now
                }
                try await row.create(on: db)
            }
            try await audit.record("mediation.filed", "mediation", try mediation.requireID().uuidString.lowercased(),
                                   ["case": record.number, "parties": String(form.parties.count)])
        }
        guard let created = try await Mediation.query(on: request.db).filter(\.$caseRecord.$id == record.requireID()).first() else {
            throw AppError.notFound
        }
        return created
    }

    // MARK: The clerk

    /// Accepts the case and names the mediator and the judge, and serves the papers on every
    /// other party by mail, in one transaction.
    func accept(_ loaded: MediationRecord, mediator: UUID?, judge: UUID?) async throws {
        let clerk = try request.requireAccount().requireID()
        guard let mediator, let judge else { throw AppError(status: .unprocessableEntity, key: "mediation.error.choose_officials") }
        let courtID = loaded.mediation.$court.id
        for (official, role) in [(mediator, StaffRole.mediator), (judge, StaffRole.judge)] {
            guard let account = try await Account.find(official, on: request.db), account.$department.id == courtID,
                  account.roles.contains(role), account.suspendedAt == nil else {
                throw AppError(status: .unprocessableEntity, key: "mediation.error.official_\(role.rawValue)")
            }
        }
        let code = try courtCode(loaded)
        let now = request.now, today = today
        let outbox = request.application.outbox, config = request.dependencies.config
        let mediationID = loaded.id
        let body: @Sendable (any Database, AuditTrail, Case) async throws -> Void = { db, audit, _ in
            guard let fresh = try await MediationRecord.load(mediationID, on: db, today: today) else { throw AppError.notFound }
            // Read inside the transaction: a withdrawn or closed request is never served.
            guard Self.acceptableStatuses.contains(fresh.record.status) else { throw AppError(status: .conflict, key: "mediation.error.case_not_open") }
            _ = try Self.decide(.accept(mediator: mediator, judge: judge), fresh, by: .clerk(clerk), courtCode: code, now: now)
            fresh.mediation.$mediator.id = mediator
            fresh.mediation.$judge.id = judge
            fresh.mediation.acceptedAt = now
            fresh.mediation.updatedAt = now
            try await fresh.mediation.update(on: db)
            try await audit.record("mediation.accepted", "mediation", mediationID.uuidString.lowercased(),
                                   ["mediator": mediator.uuidString.lowercased(), "judge": judge.uuidString.lowercased()])
            for party in fresh.parties where party.servedAt == nil {
                try await Self.serve(party, of: fresh, outbox: outbox, config: config, now: now, on: db)
            }
        }
        if loaded.record.status == .submitted {
            try await request.cases.perform(.accept, on: loaded.record.requireID(), as: .office, alongside: body)
        } else {
            guard Self.acceptableStatuses.contains(loaded.record.status) else { throw AppError(status: .conflict, key: "mediation.error.case_not_open") }
            try await request.audited { db, audit in try await body(db, audit, loaded.record) }
        }
    }

    /// The case statuses in which the clerk may accept the mediation (`submitted` is accepted with it).
    static let acceptableStatuses: Set<CaseStatus> = [.accepted, .inReview, .resubmitted]

    /// The service mail: where the papers are, and that opening them signed in is the service.
    static func serve(_ party: MediationParty, of loaded: MediationRecord, outbox: Outbox, config: AppConfig, now: Date,
                      on db: any Database) async throws {
        let arguments = ["name": party.name, "court": loaded.court.nameZh + " / " + loaded.court.nameEn,
                         "filer": loaded.parties.first?.name ?? "", "number": loaded.record.number,
                         "link": SiteURL.mediation(id: loaded.id.uuidString.lowercased()).absolute(config)]
        try await outbox.enqueueBilingual(to: party.email, subjectKey: "mail.mediation.served.subject", bodyKey: "mail.mediation.served.body",
                                          arguments: arguments, on: db)
        party.serviceSentAt = now
        try await party.update(on: db)
    }

    /// Reminds every party whose papers went out more than three days ago and who has not opened
    /// them. Run by the outbox worker beside the case deadline reminders; each party once, read
    /// again inside its transaction so that two instances never both send it.
    @discardableResult
    static func remindUnserved(_ app: Application) async throws -> Int {
        let now = app.dependencies.clock.now()
        let due = try await MediationParty.query(on: app.db).filter(\.$servedAt == nil).filter(\.$remindedAt == nil)
            .filter(\.$serviceSentAt < now.addingTimeInterval(-serviceReminderAfter))
            .join(Mediation.self, on: \MediationParty.$mediation.$id == \Mediation.$id).filter(Mediation.self, \.$ending == nil)
            .sort(\.$serviceSentAt).limit(500).all()
        var sent = 0
        for party in due {
            let partyID = try party.requireID()
            let reminded = try await app.audited(.system) { db, audit -> Bool in
                guard let fresh = try await MediationParty.query(on: db).filter(\.$id == partyID).with(\.$mediation).first(),
                      fresh.servedAt == nil, fresh.remindedAt == nil, fresh.mediation.ending == nil else { return false }
                let mediationID = fresh.$mediation.id.uuidString.lowercased()
                try await app.outbox.enqueueBilingual(to: fresh.email, subjectKey: "mail.mediation.reminder.subject",
                                                      bodyKey: "mail.mediation.reminder.body",
                                                      arguments: ["name": fresh.name, "link": SiteURL.mediation(id: mediationID).absolute(app.dependencies.config)],
                                                      on: db)
                fresh.remindedAt = now
                try await fresh.update(on: db)
                try await audit.record("mediation.service_reminded", "mediation", mediationID, ["party": partyID.uuidString.lowercased()])
                return true
            }
            if reminded { sent += 1 }
        }
        return sent
    }

    // MARK: The parties

    /// The first opening by the served party, signed in with the address the papers went to:
    /// links the account to the party and records the time of service. Nil when the account is
    /// not an unserved party of this mediation (or not yet served by the court).
    func openPapers(_ loaded: MediationRecord) async throws -> MediationRecord? {
        let account = try request.requireAccount()
        guard account.kind == .citizen, account.emailConfirmedAt != nil, let email = EmailAddress.normalize(account.email),
              let party = loaded.parties.first(where: { $0.email == email && $0.servedAt == nil && $0.serviceSentAt != nil }),
              party.$account.id == nil || party.$account.id == account.id,
              // One account speaks for one party of a mediation.
              loaded.party(spokenForBy: try account.requireID()) == nil else { return nil }
        let accountID = try account.requireID(), partyID = try party.requireID()
        let code = try courtCode(loaded)
        let now = request.now, today = today, mediationID = loaded.id
        try await request.audited { db, audit in
            guard let fresh = try await MediationRecord.load(mediationID, on: db, today: today),
                  let row = fresh.parties.first(where: { $0.id == partyID }) else { throw AppError.notFound }
            // Opened in two tabs at once: the first one served them.
            if row.servedAt != nil { return }
            _ = try Self.decide(.openPapers, fresh, by: .party(partyID, account: accountID), courtCode: code, now: now)
            row.$account.id = accountID
            row.servedAt = now
            try await row.update(on: db)
            try await audit.record("mediation.served", "mediation", mediationID.uuidString.lowercased(),
                                   ["party": partyID.uuidString.lowercased()])
            try await CaseEvent(caseID: fresh.record.requireID(), at: now, actorID: accountID, kind: .action, name: "mediation_served",
                                statusAfter: nil, note: row.name).create(on: db)
        }
        return try await load(mediationID)
    }

    /// Why `account` may not decline for `party`, or nil. Ending the mediation for a party binds
    /// them as a signature would: an agent needs a mandate that allows signing. The filer's
    /// declining withdraws their own case: theirs alone.
    func declineRefusal(_ loaded: MediationRecord, party: MediationParty, account: UUID) -> AppError? {
        if party.isFiler, party.$account.id != account { return AppError(status: .forbidden, key: "mediation.error.withdraw_filer_only") }
        do {
            try requireMayAct(loaded, party: party, account: account, action: .sign)
            return nil
        } catch let error as AppError {
            return error
        } catch {
            return AppError.forbidden
        }
    }

    /// A party will not mediate: the mediation ends with the reason, on the case's timeline too.
    /// The filer declining withdraws their request as well, in the same transaction.
    func decline(_ loaded: MediationRecord, party: MediationParty, reason: String?) async throws {
        let accountID = try request.requireAccount().requireID(), partyID = try party.requireID()
        let ending = Ending(mediationID: loaded.id, partyID: partyID, accountID: accountID, reason: reason ?? "", code: try courtCode(loaded),
                            now: request.now, today: today, outbox: request.application.outbox, config: request.dependencies.config)
        if party.isFiler, CaseLifecycle.target(of: .withdraw, from: loaded.record.status) != nil {
            try await request.cases.perform(.withdraw, on: loaded.record.requireID(), as: .applicant) { db, audit, _ in
                try await ending.record(on: db, audit: audit)
            }
        } else {
            try await request.audited { db, audit in try await ending.record(on: db, audit: audit) }
        }
    }

    /// The filer withdrew the request on the case's own page: the mediation ends as if they had
    /// declined it, inside the withdrawal's transaction. Nothing when it had already ended.
    static func endOnWithdrawal(of caseID: UUID, by accountID: UUID?, request: Request, on db: any Database, audit: AuditTrail) async throws {
        guard let mediation = try await Mediation.query(on: db).filter(\.$caseRecord.$id == caseID).with(\.$court).first(), mediation.ending == nil,
              let filer = try await MediationParty.query(on: db).filter(\.$mediation.$id == mediation.requireID()).filter(\.$isFiler == true).first(),
              let code = request.dependencies.mediationCourts.code(of: mediation.court) else { return }
        // The filer's own request ends, whoever pressed the button (a relative under a mandate on
        // the case too); the audit event names who did.
        let ending = Ending(mediationID: try mediation.requireID(), partyID: try filer.requireID(), accountID: filer.$account.id ?? accountID ?? UUID(),
                            reason: "申请人撤回了申请 / The filer withdrew the request", code: code,
                            now: request.now, today: request.mediations.today, outbox: request.application.outbox, config: request.dependencies.config)
        try await ending.record(on: db, audit: audit)
    }

    /// A party's refusal to mediate, as the rules decide it and as it is stored, told to the other
    /// parties who have been served.
    struct Ending: Sendable {
        let mediationID: UUID, partyID: UUID, accountID: UUID, reason: String
        let code: CourtCode, now: Date, today: CivilDay
        let outbox: Outbox, config: AppConfig

        func record(on db: any Database, audit: AuditTrail) async throws {
            guard let fresh = try await MediationRecord.load(mediationID, on: db, today: today),
                  let party = fresh.parties.first(where: { $0.id == partyID }) else { throw AppError.notFound }
            let next = try MediationService.decide(.decline(reason: reason), fresh, by: .party(partyID, account: accountID), courtCode: code, now: now)
            guard case .declined(_, let text, _)? = next.ending else { throw AppError.notFound }
            fresh.mediation.ending = .declined
            fresh.mediation.endingPartyID = partyID
            fresh.mediation.endingReason = text
            fresh.mediation.endedBy = accountID
            fresh.mediation.endedAt = now
            fresh.mediation.updatedAt = now
            try await fresh.mediation.update(on: db)
            try await audit.record("mediation.declined", "mediation", mediationID.uuidString.lowercased(),
                                   ["party": partyID.uuidString.lowercased()])
            // The filer's declining is their request withdrawn, and is worded so everywhere.
            let word = party.isFiler ? "withdrawn" : "declined"
            try await CaseEvent(caseID: fresh.record.requireID(), at: now, actorID: accountID, kind: .action, name: "mediation_\(word)",
                                statusAfter: nil, note: text).create(on: db)
            let link = SiteURL.mediation(id: mediationID.uuidString.lowercased()).absolute(config)
            for other in fresh.parties where other.id != partyID && other.servedAt != nil {
                try await outbox.enqueueBilingual(to: other.email, subjectKey: "mail.mediation.\(word).subject", bodyKey: "mail.mediation.\(word).body",
                                                  arguments: ["name": other.name, "party": party.name, "reason": text, "link": link], on: db)
            }
            // The court's officials too: the judge closes a request a defendant would not mediate.
            let officials = [fresh.mediation.$mediator.id, fresh.mediation.$judge.id].compactMap { $0 }
            for official in try await Account.query(on: db).filter(\.$id ~~ officials).all() {
                try await outbox.enqueue(to: official, subjectKey: "mail.mediation.\(word)_court.subject", bodyKey: "mail.mediation.\(word)_court.body",
                                         arguments: ["number": fresh.record.number, "party": party.name, "reason": text, "link": link], on: db)
            }
        }
    }

    // MARK: Notes

    func addNote(_ loaded: MediationRecord, viewer: RecordAccess.MediationViewer, audience: RecordAccess.MediationAudience?, body: String?) async throws {
        let author = try request.requireAccount().requireID()
        guard loaded.mediation.ending == nil else { throw AppError(status: .conflict, key: MediationRefusal.ended.translationKey) }
        guard let audience, RecordAccess.writableAudiences(viewer).contains(audience) else {
            throw AppError(status: .unprocessableEntity, key: "mediation.error.audience")
        }
        let text = CaseLifecycle.normalizedText(body ?? "")
        guard !text.isEmpty else { throw AppError(status: .unprocessableEntity, key: "mediation.error.note_empty") }
        guard text.count <= CaseLifecycle.maxTextLength else { throw AppError(status: .unprocessableEntity, key: "mediation.error.note_too_long") }
        let sealed = try request.dependencies.secrets.sealText(text)
        let now = request.now, mediationID = loaded.id
        try await request.audited { db, audit in
            let note = MediationNote()
            note.$mediation.id = mediationID
            note.audience = audience
            note.$author.id = author
            note.body = sealed
            note.createdAt = now
            try await note.create(on: db)
            try await audit.record("mediation.note_added", "mediation", mediationID.uuidString.lowercased(),
                                   ["audience": audience.rawValue, "note": try note.requireID().uuidString.lowercased()])
        }
    }

    /// The rules' answer inside the transaction: the mediation as it is now, not as the page showed it.
    static func decide(_ action: MediationAction, _ loaded: MediationRecord, by actor: MediationActor, courtCode: CourtCode,
                       now: Date) throws -> MediationState {
        switch MediationRules.apply(action, to: loaded.state(courtCode: courtCode), by: actor, at: now) {
        case .success(let next): return next
        case .failure(let refusal): throw AppError(status: .conflict, key: refusal.translationKey)
        }
    }
}

extension Request {
    var mediations: MediationService { MediationService(request: self) }
}
